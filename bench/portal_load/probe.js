// probe.js — the in-page half of bench/portal_load_bench.mjs, injected (addInitScript) into every
// page before the portal's own scripts; never part of dist/. It timestamps the load milestones in
// window.__lbLoad, each as performance.now() of the page: milliseconds since its navigation started.
//   uiWasmReady  the page's one WebAssembly module (ui.wasm) compiled and instantiated
//   firstDraw    end of the first animation frame that issued WebGL draw calls: the first frame
//                Dear ImGui drew (the frames before it only clear the canvas, waiting for the font)
//   interactive  end of the first frame whose UI test snapshot shows the New ticket screen with a
//                laid-out "Title" field (builds with UI test hooks); builds without hooks report
//                firstDraw here, and `hooks: false` says so
//   dataShown    end of the first frame showing what the engine answered (hooks only): the storage
//                kind is known and the saved draft is loaded ("Opening your saved draft…" is gone)
//   engineReady  the engine Worker's first reply to a command reached the page: engine.wasm
//                loaded, OPFS opened, the engine started and answering (the UI's first commands
//                wait in the Worker until then)
//   swReady      navigator.serviceWorker.ready resolved (on a cold load: the shell is precached)
// For the first drawn frame also: firstDrawFrameStart (its callback began), and glSetupMs (time
// inside shader compile/link, their status queries and texture uploads until then: the GL set-up
// Dear ImGui's backend does in its first frame, on SwiftShader here).
// "End of a frame" is when the portal's frame callback returned: its GL commands are issued; the
// pixels reach the screen at the next composite (at most one frame later).
'use strict';
(() => {
  const t = { frames: 0, hooks: null, done: false };
  window.__lbLoad = t;
  const now = () => performance.now();

  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function (...args) {
      const started = now();
      return original.apply(this, args).then((result) => {
        if (t.uiWasmReady === undefined) { t.uiWasmStarted = started; t.uiWasmReady = now(); }
        return result;
      });
    };
  }

  let draws = 0;
  t.glSetupMs = 0;
  const proto = WebGL2RenderingContext.prototype;
  for (const name of ['drawElements', 'drawArrays']) {
    const original = proto[name];
    proto[name] = function (...args) { draws++; return original.apply(this, args); };
  }
  for (const name of ['compileShader', 'linkProgram', 'getShaderParameter', 'getProgramParameter', 'texImage2D']) {
    const original = proto[name];
    proto[name] = function (...args) {
      if (draws > 0) return original.apply(this, args);
      const started = now();
      try { return original.apply(this, args); } finally { t.glSetupMs += now() - started; }
    };
  }

  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (t.engineReady === undefined && typeof e.data === 'string' && e.data.includes('"ok":')) {
          t.engineReady = now();
        }
      });
    }
  };

  if (navigator.serviceWorker) navigator.serviceWorker.ready.then(() => { t.swReady = now(); });

  const snapshot = () => {
    try { return window.lifebuoy && window.lifebuoy.snapshot ? window.lifebuoy.snapshot() : null; } catch { return null; }
  };
  const raf = window.requestAnimationFrame.bind(window);
  const afterFrame = (started) => {
    t.frames++;
    if (t.done || draws === 0) return;
    if (t.firstDraw === undefined) { t.firstDraw = now(); t.firstDrawFrame = t.frames; t.firstDrawFrameStart = started; }
    const s = snapshot();
    if (!s) return;
    if (t.hooks === null) t.hooks = Boolean(s.enabled);  // a drawn frame has a snapshot in hook builds
    if (!t.hooks) {
      t.interactive = t.firstDraw;
      t.interactiveFrame = t.firstDrawFrame;
      t.done = true;
      return;
    }
    if (t.interactive === undefined && s.screen === 'new_ticket' &&
        s.widgets.some((w) => w.label === 'Title' && w.w > 0 && w.h > 0)) {
      t.interactive = now();
      t.interactiveFrame = t.frames;
      t.widgets = s.widgets.length;
    }
    const v = s.values || {};
    if (t.dataShown === undefined && v.storage && v.storage !== 'unknown' && typeof v.draft === 'string' &&
        !v.draft.startsWith('Opening')) {
      t.dataShown = now();
      t.storage = v.storage;
    }
    t.done = t.interactive !== undefined && t.dataShown !== undefined;
  };
  window.requestAnimationFrame = (callback) => raf((ts) => {
    const started = now();
    try { callback(ts); } finally { afterFrame(started); }
  });
})();
