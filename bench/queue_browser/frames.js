// frames.js — the in-page half of bench/queue_browser_bench.mjs, injected (addInitScript) into the
// portal's page before its own scripts; never part of dist/. It wraps requestAnimationFrame (the
// portal's frame loop: emscripten_set_main_loop with rAF timing) and records, while a phase is
// being recorded, for every frame:
//   ts     the rAF timestamp (the frame's begin time): intervals between frames come from these
//   start  performance.now() when the portal's frame callback began
//   dur    how long the callback ran: the frame's CPU work on the page's main thread (input,
//          Dear ImGui's layout, the test hooks' snapshot, the WebGL calls issued; not the GPU
//          process's rasterisation, which shows in the intervals)
//   rows   (when asked, scroll phases) queue rows drawn with their number in the table's body
//          this frame, and the first such number: rows drawn as "…" (not fetched yet) have none
// Reading the snapshot for `rows` happens after the callback returned, outside `dur`.
// Also, while recording: every command the UI sends its engine Worker (command_protocol.h JSON:
// {"v","id","cmd","args"}) with the time it was posted and the time its reply reached the page,
// and the reply's size — the round trip includes waiting behind whatever the Worker was doing
// (applying a pull, another command).
//
// window.__lbFrames.watchOpen(marker, count) arms a watch for opening a ticket: the next
// mousedown's timestamp is the click; after each frame the UI test snapshot (raw JSON) is read
// and the first frames are kept where the screen is "ticket", where the ticket's title is shown,
// and where `count` distinct matches of `marker` (a regular expression with one group) are in it.
'use strict';
(() => {
  const MAX = 100000;
  const f = {
    recording: false, n: 0, sampleRows: null,
    ts: new Float64Array(MAX), start: new Float64Array(MAX), dur: new Float64Array(MAX),
    rows: new Int32Array(MAX), firstRow: new Int32Array(MAX),
    open: null, commands: [], sent: new Map(),
  };
  window.__lbFrames = f;
  const now = () => performance.now();
  const rawSnapshot = () => {
    const m = window.lifebuoy && window.lifebuoy.module;
    return m ? m.ccall('lb_ui_test_snapshot', 'string', [], []) : '';
  };

  // sampleRows: {top, bottom} — the table body's rows in canvas pixels (below the header)
  f.begin = (sampleRows = null) => { f.n = 0; f.sampleRows = sampleRows; f.commands = []; f.sent.clear(); f.recording = true; };
  f.end = () => {
    f.recording = false;
    const n = f.n;
    return { commands: f.commands, ts: Array.from(f.ts.subarray(0, n)), start: Array.from(f.start.subarray(0, n)),
      dur: Array.from(f.dur.subarray(0, n)), rows: f.sampleRows ? Array.from(f.rows.subarray(0, n)) : null,
      firstRow: f.sampleRows ? Array.from(f.firstRow.subarray(0, n)) : null };
  };

  f.watchOpen = (marker, count) => {
    f.open = { marker: new RegExp(marker, 'g'), count, clickAt: null, screenAt: null, titleAt: null, allAt: null,
      screenFrame: null, allFrame: null, framesAfterClick: 0, done: false, bytes: 0 };
  };
  window.addEventListener('mousedown', (e) => {
    if (f.open && f.open.clickAt === null) f.open.clickAt = e.timeStamp;
  }, true);

  const checkOpen = (ended) => {
    const o = f.open;
    if (!o || o.done || o.clickAt === null) return;
    o.framesAfterClick += 1;
    const text = rawSnapshot();
    if (!text.includes('"screen":"ticket"')) return;
    if (o.screenAt === null) { o.screenAt = ended; o.screenFrame = o.framesAfterClick; }
    if (o.titleAt === null && /"ticket_title":"[^"]/.test(text)) o.titleAt = ended;
    const seen = new Set();
    for (const m of text.matchAll(o.marker)) seen.add(m[1]);
    if (seen.size >= o.count) {
      o.allAt = ended;
      o.allFrame = o.framesAfterClick;
      o.bytes = text.length;
      o.done = true;
    }
  };

  const sampleRows = (i) => {
    let drawn = 0, first = -1, firstY = Infinity;
    try {
      const s = JSON.parse(rawSnapshot());
      const { top, bottom } = f.sampleRows;
      for (const w of s.widgets || []) {
        if (!/^#\d+$/.test(w.label) || w.h <= 0 || w.y + w.h <= top || w.y >= bottom) continue;
        drawn += 1;
        if (w.y < firstY) { firstY = w.y; first = Number(w.label.slice(1)); }
      }
    } catch { drawn = -1; }
    f.rows[i] = drawn;
    f.firstRow[i] = first;
  };

  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (!f.recording || typeof e.data !== 'string') return;
        const id = (e.data.match(/"id":(\d+)/) || [])[1];
        const c = id && f.sent.get(id);
        if (!c) return;
        f.sent.delete(id);
        c.replied = now();
        c.bytes = e.data.length;
        f.commands.push(c);
      });
    }
    postMessage(message, ...rest) {
      if (f.recording && typeof message === 'string') {
        const id = (message.match(/"id":(\d+)/) || [])[1], cmd = (message.match(/"cmd":"([a-z_]+)"/) || [])[1];
        if (id && cmd) f.sent.set(id, { cmd, sent: now() });
      }
      return super.postMessage(message, ...rest);
    }
  };

  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => raf((ts) => {
    const started = now();
    try {
      callback(ts);
    } finally {
      const ended = now();
      if (f.recording && f.n < MAX) {
        const i = f.n++;
        f.ts[i] = ts;
        f.start[i] = started;
        f.dur[i] = ended - started;
        if (f.sampleRows) sampleRows(i);
      }
      if (f.open) checkOpen(ended);
    }
  });
})();
