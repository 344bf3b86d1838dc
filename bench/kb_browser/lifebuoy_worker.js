// lifebuoy_worker.js — bench-only dedicated Worker for bench/kb_browser_bench.mjs (served by the
// bench itself, never part of dist/; ../browser_bench/worker_support.js is prepended): hosts the engine module the way web/engine-worker.js does —
// an OPFS sync access handle for each file lb_engine_storage_files() names, lb_engine_start(), then
// every command through lb_engine_handle() — and times each engine call inside the Worker.
//
// Messages in: a string is an engine command, answered with the engine's reply text (as in the
// product); an object {op} is a bench control, answered with an object:
//   {op: 'start', origin}      load engine.js/engine.wasm from the server, open OPFS, start
//   {op: 'import', batches}    one kb_import per JSON array text [{id, text}] (a command is at most
//                              8 MiB: client/commands/command_protocol.h), timed together; file sizes
//   {op: 'times'}              the engine-call times (ms) and OPFS reads of the commands so far,
//                              and a reply check
//   {op: 'close'}              close the OPFS handles (the page then terminates this Worker)
// Not here: the product's starter-article import and server probes (web/engine-worker.js).
/* global loadEngine, callEngine, openEngineStorage */
'use strict';

const answer = self.postMessage.bind(self);
const events = [];
self.postMessage = (message) => events.push(message);  // engine events (posted from C++) kept aside

let engine = null;
let names = [];
let handles = [];
let times = [];
let replies = [];

// Storage reads per command (SQLite page-cache misses reach OPFS through the slot VFS).
let reads = 0;
let readList = [];
function countReads(handle) {
  const read = handle.read.bind(handle);
  handle.read = (buffer, options) => { reads += 1; return read(buffer, options); };
}

const fileSizes = () => names.map((name, i) => ({ name, bytes: handles[i] ? handles[i].getSize() : 0 }));

async function start(origin) {
  const t0 = performance.now();
  engine = await loadEngine(origin);
  const t1 = performance.now();
  let reason = '';
  try {
    ({ names, handles } = await openEngineStorage(engine));
    handles.forEach(countReads);
  } catch (err) {
    reason = String(err && err.message || err);
  }
  const failure = callEngine(engine, (ptr) => engine._lb_engine_start(handles.length ? 1 : 0, ptr), reason);
  return { opfs: handles.length > 0, reason, failure, load_ms: t1 - t0, start_ms: performance.now() - t1,
    isolated: self.crossOriginIsolated };
}

function importArticles(batches) {
  const imported = { imported: 0, unchanged: 0 };
  const batchMs = [];
  for (const [i, articlesJson] of batches.entries()) {
    const request = `{"v":1,"id":${i + 1},"cmd":"kb_import","args":{"articles":${articlesJson}}}`;
    const t0 = performance.now();
    const reply = JSON.parse(callEngine(engine, engine._lb_engine_handle, request));
    batchMs.push(performance.now() - t0);
    if (!reply.ok) return { reply };
    imported.imported += reply.result.imported;
    imported.unchanged += reply.result.unchanged;
  }
  const ms = batchMs.reduce((a, b) => a + b, 0);
  return { ms, batch_ms: batchMs, reply: { ok: true, result: imported }, files: fileSizes() };
}

// Checked after the timed run, so parsing replies never delays the next keystroke.
function takeTimes() {
  let errors = 0, hits = 0, firstError = '';
  for (const text of replies) {
    const r = JSON.parse(text);
    if (!r.ok) { errors += 1; firstError = firstError || r.error.code + ': ' + r.error.message; continue; }
    hits += r.result.hits.length;
  }
  const out = { times, reads: readList, errors, first_error: firstError, hits, events: events.length };
  times = [];
  readList = [];
  replies = [];
  return out;
}

async function control(message) {
  switch (message.op) {
    case 'start': return start(message.origin);
    case 'import': return importArticles(message.batches);
    case 'times': return takeTimes();
    case 'close':
      handles.forEach((h) => h.close());
      return { closed: handles.length };
    default: throw new Error('unknown op ' + message.op);
  }
}

self.onmessage = async (event) => {
  if (typeof event.data === 'string') {
    reads = 0;
    const t0 = performance.now();
    const reply = callEngine(engine, engine._lb_engine_handle, event.data);
    times.push(performance.now() - t0);
    readList.push(reads);
    answer(reply);
    replies.push(reply);
    return;
  }
  try {
    answer(await control(event.data));
  } catch (err) {
    answer({ error: String(err && err.stack || err) });
  }
};
