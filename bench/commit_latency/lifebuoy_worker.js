// lifebuoy_worker.js — bench-only dedicated Worker for bench/commit_latency_bench.mjs (served by
// the bench, never part of dist/; ../browser_bench/worker_support.js and io_counters.js are
// prepended). Hosts the engine as web/engine-worker.js does — engine.js from the server, an OPFS sync access handle per file
// lb_engine_storage_files() names, lb_engine_start(1, "") — and times create_ticket commands
// through lb_engine_handle(): each is one durable transaction (synchronous=FULL, WAL, locking_mode=EXCLUSIVE)
// with its 7 ops and its outbox row. No sync loop runs here: only the local commit is measured.
// Messages (each answered with one object):
//   {op:'start', origin}          load and start the engine on OPFS
//   {op:'series', n, first}       n create_ticket commands, one at a time, each timed around
//                                 lb_engine_handle (ms) with its OPFS calls (io_counters.js)
//   {op:'fill', count, first}     count more tickets the same way (the only write path the engine
//                                 has), timed as a whole
//   {op:'sizes'}                  the OPFS file sizes;  {op:'close'}  close the handles
/* global loadEngine, callEngine, openEngineStorage, ioSnapshot, ioDelta, benchDescription */
'use strict';

const answer = self.postMessage.bind(self);
let events = 0;
self.postMessage = () => { events += 1; };  // engine events ("tickets_changed") are not needed here

let engine = null;
let names = [];
let handles = [];

const IMPACT = ['low', 'medium', 'high'];
const createCommand = (i) => JSON.stringify({ v: 1, id: i + 1, cmd: 'create_ticket', args: {
  title: `Wi-Fi keeps dropping on floor 4 (#${i})`, description: benchDescription(i),
  impact: IMPACT[i % 3], urgency: IMPACT[(i + 1) % 3] } });

async function start(origin) {
  const t0 = performance.now();
  engine = await loadEngine(origin);
  ({ names, handles } = await openEngineStorage(engine));
  const failure = callEngine(engine, (ptr) => engine._lb_engine_start(1, ptr), '');
  if (failure) throw new Error('engine did not start: ' + failure);
  return { start_ms: performance.now() - t0, isolated: self.crossOriginIsolated, files: names };
}

function series(n, first) {
  const times = [], io = [];
  let errors = 0, firstError = '';
  for (let i = 0; i < n; i++) {
    const command = createCommand(first + i);  // made before timing
    const before = ioSnapshot();
    const t0 = performance.now();
    const reply = callEngine(engine, engine._lb_engine_handle, command);
    times.push(performance.now() - t0);
    io.push(ioDelta(before, ioSnapshot()));
    if (!reply.includes('"ok":true')) { errors += 1; firstError = firstError || reply; }
  }
  return { times, io, errors, first_error: firstError };
}

function fill(count, first) {
  const before = ioSnapshot();
  const t0 = performance.now();
  let errors = 0, firstError = '';
  for (let i = 0; i < count; i++) {
    const reply = callEngine(engine, engine._lb_engine_handle, createCommand(first + i));
    if (!reply.includes('"ok":true')) { errors += 1; firstError = firstError || reply; }
  }
  return { ms: performance.now() - t0, count, io: ioDelta(before, ioSnapshot()), errors, first_error: firstError };
}

const sizes = () => names.map((name, i) => ({ name, bytes: handles[i].getSize() }));

self.onmessage = async (event) => {
  const m = event.data;
  try {
    if (m.op === 'start') answer(await start(m.origin));
    else if (m.op === 'series') answer(series(m.n, m.first));
    else if (m.op === 'fill') answer(fill(m.count, m.first));
    else if (m.op === 'sizes') answer({ files: sizes(), events });
    else if (m.op === 'close') { handles.forEach((h) => h.close()); answer({ closed: handles.length }); }
    else throw new Error('unknown op ' + m.op);
  } catch (err) {
    answer({ error: String(err && err.stack || err) });
  }
};
