// page.js — the in-page half of bench/crypto_browser_bench.mjs (served by the bench under
// /__crypto_bench/, never part of dist/). window.cryptoBench:
//   start()                        a dedicated Worker with the crypto bench module (crypto_worker.js
//                                  after the Emscripten glue; the .wasm fetched here and passed in)
//   throughput(kind, size, rounds) one group of seal/open rows in that Worker
//   makeWrap()                     the Argon2id wrap every unlock run opens (made in that Worker)
//   stop()                         ends that Worker
//   unlockRun(wrap)                one unlock run in a fresh Worker, as a sign-in on a fresh page:
//                                  load the module, unwrap once ("first": cold JIT, heap not yet
//                                  grown to Argon2id's 64 MiB), then once more ("second"); each timed
//                                  in C++, around the call in the Worker, and as a round trip here
//   unlockRun(wrap, prelude)       diagnostic: the same after a prelude in the fresh Worker — 'jit'
//                                  (a small Argon2id: code warm, heap small) or 'heap' (heap grown
//                                  and touched, code cold) — to tell the two costs of "first" apart
// Raw times go back to node, which computes medians. Fetching and Workers:
// ../browser_bench/page_support.js (loaded before this file).
/* global benchFetch, startBenchWorker */
'use strict';

let wasmBytes = null;
let main = null;

async function startWorker() {
  wasmBytes = wasmBytes || await benchFetch('crypto_wasm_bench.wasm', 'bytes');
  const w = await startBenchWorker(['crypto_wasm_bench.js', 'crypto_worker.js']);
  const t0 = performance.now();
  const started = await w.control({ op: 'start', wasm: wasmBytes });  // copied, not transferred
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

const throughput = (kind, size, rounds) => main.w.control({ op: 'throughput', kind, size, rounds });
const makeWrap = () => timedControl(main.w, { op: 'make_wrap' });

function stop() {
  if (main) main.w.done();
  main = null;
}

async function unlockRun(wrap, prelude = null) {
  const { w, started } = await startWorker();
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
