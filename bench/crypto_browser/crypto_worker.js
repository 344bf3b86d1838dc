// crypto_worker.js — bench-only dedicated Worker for bench/crypto_browser_bench.mjs (served by the
// bench itself, never part of dist/): the page prepends the Emscripten glue of one of the two links
// (crypto_wasm_bench.js or crypto_wasm_bench_mem80.js, bench/crypto_wasm/) and hands over its
// .wasm; this file calls the module's C exports, as the engine's Worker hosts the engine module.
// Each message is answered with one object:
//   {op: 'start', wasm}                 instantiate the module from the bytes (wasmBinary: a Worker's
//                                       fetches are not routed to the bench files), sodium_init
//   {op: 'throughput', kind, size, rounds, random}
//                                       one group of seal/open rows, per-round seconds, with the
//                                       random source `random` ('system', 'sodium4k' or 'js4k')
//   {op: 'make_wrap'}                   wrap a fresh user key with the production Argon2id parameters
//   {op: 'unlock', wrap}                one unwrap_secret_key: ms timed in C++, and around the call;
//                                       the heap's size before and after
//   {op: 'prelude', kind}               before the first unlock: 'jit' a small Argon2id (1 pass,
//                                       8 MiB), 'heap' 72 MiB allocated, zero-filled and freed
// Errors come back as {error}. Not here: statistics (node), which Worker does what (page.js).
/* global createCryptoWasmBench */
'use strict';

let bench = null;

// fn(pointer to a UTF-8 copy of text, ...rest) → its return value.
function withText(text, fn) {
  const size = bench.lengthBytesUTF8(text) + 1;
  const ptr = bench._malloc(size);
  try {
    bench.stringToUTF8(text, ptr, size);
    return fn(ptr);
  } finally {
    bench._free(ptr);
  }
}

async function start(wasm) {
  const t0 = performance.now();
  bench = await createCryptoWasmBench({ wasmBinary: wasm });
  const loadMs = performance.now() - t0;
  const init = JSON.parse(bench.UTF8ToString(bench._lb_crypto_bench_init()));
  if (!init.ok) throw new Error('init: ' + init.error);
  return { ...init, load_ms: loadMs, isolated: self.crossOriginIsolated };
}

function throughput({ kind, size, rounds, random }) {
  const t0 = performance.now();
  const out = JSON.parse(withText(kind, (kindPtr) => withText(random, (randomPtr) =>
    bench.UTF8ToString(bench._lb_crypto_bench_throughput(kindPtr, size, rounds, randomPtr)))));
  if (!out.ok) throw new Error(out.error);
  return { rows: out.rows, call_ms: performance.now() - t0 };
}

function makeWrap() {
  const t0 = performance.now();
  const wrap = bench.UTF8ToString(bench._lb_crypto_bench_make_wrap());
  if (!wrap) throw new Error('wrap_secret_key failed');
  return { wrap, ms: performance.now() - t0 };
}

function unlock(wrap) {
  const heapBefore = bench.HEAPU8 ? bench.HEAPU8.length : null;
  const t0 = performance.now();
  const ms = withText(wrap, (ptr) => bench._lb_crypto_bench_unlock(ptr));
  const callMs = performance.now() - t0;
  if (!(ms >= 0)) throw new Error('unwrap_secret_key failed');
  return { ms, call_ms: callMs, heap_bytes_before: heapBefore, heap_bytes: bench.HEAPU8 ? bench.HEAPU8.length : null };
}

const HEAP_PRELUDE_MIB = 72;  // Argon2id's 64 MiB and room beside it

function prelude(kind) {
  let ms;
  if (kind === 'jit') ms = bench._lb_crypto_bench_small_argon2id();
  else if (kind === 'heap') ms = bench._lb_crypto_bench_grow_heap(HEAP_PRELUDE_MIB);
  else throw new Error('unknown prelude ' + kind);
  if (!(ms >= 0)) throw new Error('prelude ' + kind + ' failed');
  return { ms, heap_bytes: bench.HEAPU8 ? bench.HEAPU8.length : null };
}

self.onmessage = async (event) => {
  const m = event.data;
  try {
    switch (m.op) {
      case 'start': self.postMessage(await start(m.wasm)); break;
      case 'throughput': self.postMessage(throughput(m)); break;
      case 'make_wrap': self.postMessage(makeWrap()); break;
      case 'unlock': self.postMessage(unlock(m.wrap)); break;
      case 'prelude': self.postMessage(prelude(m.kind)); break;
      default: throw new Error('unknown op ' + m.op);
    }
  } catch (err) {
    self.postMessage({ error: String(err && err.stack || err) });
  }
};
