// page.js — the in-page half of bench/commit_latency_bench.mjs (served under /__commit_bench/,
// never part of dist/). window.commitBench.run(engines, {warmUp, samples, stored}) does one run of
// the engines, each in a fresh dedicated Worker, side by side in lockstep on a cleared OPFS:
// warmUp commits (not counted), `samples` timed commits (the "0 tickets stored" condition), a fill up to `stored` tickets (timed), then
// `samples` timed commits again. Workers come from Blob URLs of the fetched sources (Chromium does
// not route Worker requests), with io_counters.js prepended. Raw times go back to node.
'use strict';

const BENCH = '/__commit_bench/';

async function benchFetch(name, kind = 'text') {
  const response = await fetch(BENCH + name, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return kind === 'bytes' ? response.arrayBuffer() : response.text();
}

async function startWorker(file) {
  const sources = await Promise.all(['io_counters.js', file].map((f) => benchFetch(f)));
  const url = URL.createObjectURL(new Blob(sources.map((s) => s + '\n;\n'), { type: 'text/javascript' }));
  const worker = new Worker(url);
  let waiting = null;
  worker.onmessage = (event) => {
    const w = waiting;
    waiting = null;
    if (!w) return;
    if (event.data && event.data.error) w.reject(new Error(event.data.error));
    else w.resolve(event.data);
  };
  worker.onerror = (event) => { const w = waiting; waiting = null; if (w) w.reject(new Error('worker error: ' + event.message)); };
  const control = (message, transfer = []) => new Promise((resolve, reject) => {
    waiting = { resolve, reject };
    worker.postMessage(message, transfer);
  });
  return { control, done: () => { worker.terminate(); URL.revokeObjectURL(url); } };
}

async function removeAll() {
  const root = await navigator.storage.getDirectory();
  const names = [];
  for await (const name of root.keys()) names.push(name);
  for (const name of names) {
    for (let attempt = 0; ; attempt++) {
      try { await root.removeEntry(name, { recursive: true }); break; } catch (err) {
        if (attempt > 50) throw err;  // a terminated Worker may hold a handle for a moment
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

// Every OPFS file with its size (after the Worker is gone, so no handle is open).
async function opfsFiles(dir = null, prefix = '') {
  dir = dir || await navigator.storage.getDirectory();
  const out = [];
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind === 'directory') out.push(...await opfsFiles(handle, prefix + name + '/'));
    else {
      for (let attempt = 0; ; attempt++) {
        try { out.push({ name: prefix + name, bytes: (await handle.getFile()).size }); break; } catch (err) {
          if (attempt > 50) throw err;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  }
  return out;
}

async function startEngine(engine) {
  const w = await startWorker(engine === 'lifebuoy' ? 'lifebuoy_worker.js' : 'official_worker.js');
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
  await removeAll();
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

window.commitBench = { run, isolated: () => self.crossOriginIsolated };
