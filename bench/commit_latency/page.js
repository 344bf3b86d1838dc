// page.js — the in-page half of bench/commit_latency_bench.mjs (served under /__commit_bench/,
// never part of dist/). window.commitBench.run(engines, {warmUp, samples, stored}) does one run of
// the engines, each in a fresh dedicated Worker, side by side in lockstep on a cleared OPFS:
// warmUp commits (not counted), `samples` timed commits (the "0 tickets stored" condition), a fill
// up to `stored` tickets (timed), then `samples` timed commits again, io_counters.js prepended to
// each Worker. Raw times go back to node. Fetching, Workers and OPFS: ../browser_bench/page_support.js (loaded before this file).
/* global benchFetch, startBenchWorker, clearOpfs, opfsFiles */
'use strict';

async function startEngine(engine) {
  const w = await startBenchWorker(engine === 'lifebuoy' ? ['worker_support.js', 'io_counters.js', 'lifebuoy_worker.js']
    : ['io_counters.js', 'official_worker.js']);
  if (engine === 'lifebuoy') return { w, started: await w.control({ op: 'start', origin: location.origin }) };
  const [source, wasm] = await Promise.all([benchFetch('sqlite3.mjs'), benchFetch('sqlite3.wasm', 'bytes')]);
  const moduleUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return { w, moduleUrl, started: await w.control({ op: 'start', moduleUrl, wasm }, [wasm]) };
}

// n commits per engine in lockstep — one commit of each engine in turn, the order swapped every
// time — so both see the same machine conditions (disk flush times vary with other load).
async function lockstep(list, n, first) {
  const out = list.map(() => ({ times: [], io: [], errors: 0, first_error: '' }));
  for (let i = 0; i < n; i++) {
    const order = i % 2 ? [...list.keys()].reverse() : [...list.keys()];
    for (const k of order) {
      const r = await list[k].w.control({ op: 'series', n: 1, first: first + i });
      out[k].times.push(...r.times);
      out[k].io.push(...r.io);
      out[k].errors += r.errors;
      out[k].first_error = out[k].first_error || r.first_error || '';
    }
  }
  return out;
}

// The fill, in chunks of 250 tickets per engine in turn; the time of each engine summed.
async function fillLockstep(list, count, first) {
  const out = list.map(() => ({ ms: 0, count: 0, errors: 0, io: null }));
  for (let done = 0, c = 0; done < count; done += 250, c++) {
    const chunk = Math.min(250, count - done);
    const order = c % 2 ? [...list.keys()].reverse() : [...list.keys()];
    for (const k of order) {
      const r = await list[k].w.control({ op: 'fill', count: chunk, first: first + done });
      out[k].ms += r.ms;
      out[k].count += r.count;
      out[k].errors += r.errors;
      out[k].first_error = out[k].first_error || r.first_error;
      out[k].io = out[k].io ? Object.fromEntries(Object.entries(out[k].io).map(([m, v]) => [m,
        { calls: v.calls + r.io[m].calls, ms: v.ms + r.io[m].ms, bytes: v.bytes + r.io[m].bytes }])) : r.io;
    }
  }
  return out;
}

// One run of every engine in `engines`, side by side in the same page (fresh Workers, cleared OPFS).
async function run(engines, { warmUp, samples, stored }) {
  await clearOpfs();
  const list = [];
  try {
    for (const engine of engines) list.push({ engine, ...await startEngine(engine) });
    const warm = await lockstep(list, warmUp, 0);
    const empty = await lockstep(list, samples, warmUp);
    const emptySizes = [];
    for (const e of list) emptySizes.push(await e.w.control({ op: 'sizes' }));
    const filled = await fillLockstep(list, stored - warmUp - samples, warmUp + samples);
    const full = await lockstep(list, samples, stored);
    const fullSizes = [];
    for (const e of list) fullSizes.push(await e.w.control({ op: 'sizes' }));
    for (const e of list) { await e.w.control({ op: 'close' }); e.w.done(); }
    const files = await opfsFiles();
    const estimate = await navigator.storage.estimate();
    return list.map((e, k) => ({
      engine: e.engine, started: e.started, warm_errors: warm[k].errors, empty: empty[k], full: full[k], fill: filled[k],
      empty_sizes: emptySizes[k], full_sizes: fullSizes[k], storage_usage_bytes: estimate.usage,
      opfs_files: files.filter((f) => (e.engine === 'official') === f.name.startsWith('.bench-sahpool/')),
    }));
  } finally {
    for (const e of list) { e.w.done(); if (e.moduleUrl) URL.revokeObjectURL(e.moduleUrl); }
  }
}

window.commitBench = { run };
