// page.js — the in-page half of bench/crypto_browser_bench.mjs (served by the bench under
// /__crypto_bench/, never part of dist/). window.cryptoBench:
//   start()                        a dedicated Worker with the crypto bench module (crypto_worker.js
//                                  after the Emscripten glue; the .wasm fetched here and passed in)
//   throughput(kind, size, rounds, random)
//                                  one group of seal/open rows in that Worker with that random source
//   makeWrap()                     the Argon2id wrap every unlock run opens (made in that Worker)
//   stop()                         ends that Worker
//   unlockRun(wrap, module, prelude)
//                                  one unlock run in a fresh Worker, as a sign-in on a fresh page:
//                                  load `module` (crypto_wasm_bench: 16 MiB initial heap, as the
//                                  engine today; crypto_wasm_bench_mem80: 80 MiB), run the prelude
//                                  if any, unwrap once ("first": cold JIT; with 16 MiB the heap
//                                  grows to Argon2id's 64 MiB during it), then once more ("second");
//                                  each timed in C++, around the call in the Worker, and as a round
//                                  trip here. Preludes: 'heap' (heap grown to 72 MiB and touched by
//                                  a malloc/free: a runtime pre-grow, code cold), 'jit' (a small
//                                  Argon2id: code warm, heap small)
// Raw times go back to node, which computes medians. Fetching and Workers:
// ../browser_bench/page_support.js (loaded before this file).
/* global benchFetch, startBenchWorker */
'use strict';

const wasmBytes = new Map();  // module name → its .wasm bytes
let main = null;

async function startWorker(module = 'crypto_wasm_bench') {
  if (!wasmBytes.has(module)) wasmBytes.set(module, await benchFetch(module + '.wasm', 'bytes'));
  const w = await startBenchWorker([module + '.js', 'crypto_worker.js']);
  const t0 = performance.now();
  const started = await w.control({ op: 'start', wasm: wasmBytes.get(module) });  // copied, not transferred
  return { w, started: { ...started, start_round_trip_ms: performance.now() - t0 } };
}

async function timedControl(w, message) {
  const t0 = performance.now();
  const answer = await w.control(message);
  return { ...answer, round_trip_ms: performance.now() - t0 };
}

async function start() {
  if (main) main.w.done();
  main = await startWorker();
  return main.started;
}

const throughput = (kind, size, rounds, random) => main.w.control({ op: 'throughput', kind, size, rounds, random });
const makeWrap = () => timedControl(main.w, { op: 'make_wrap' });

function stop() {
  if (main) main.w.done();
  main = null;
}

async function unlockRun(wrap, module, prelude = null) {
  const { w, started } = await startWorker(module);
  try {
    const before = prelude ? await timedControl(w, { op: 'prelude', kind: prelude }) : null;
    const first = await timedControl(w, { op: 'unlock', wrap });
    const second = await timedControl(w, { op: 'unlock', wrap });
    return { started, prelude: before, first, second };
  } finally {
    w.done();
  }
}

window.cryptoBench = { start, throughput, makeWrap, stop, unlockRun };
