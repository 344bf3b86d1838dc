// crypto_browser_bench.mjs — lb::crypto where the client runs it (issue #4): seal/open throughput
// in WebAssembly in a dedicated Worker of headless Chromium, against the native crypto_bench of the
// same build folder run in the same invocation, and the Argon2id passphrase unlock time in the
// browser against the goal (≤ 1 s with the production parameters: opslimit 3, 64 MiB).
//
// The wasm side is two links of the bench-only module in <build>/wasm/bench/crypto_wasm/
// (bench/crypto_wasm/: lifebuoy_shared + the wasm libsodium, built like the engine module; never in
// dist/): crypto_wasm_bench (-sINITIAL_MEMORY=16MB, as the engine module today) and
// crypto_wasm_bench_mem80 (-sINITIAL_MEMORY=80MB: Argon2id's 64 MiB block fits without growth).
// The real lifebuoy-server gives the page its origin (tests/browser/harness.mjs); the bench page,
// the Worker source (bench/crypto_browser/) and the modules are served by playwright routes under
// /__crypto_bench/ with COOP/COEP (5 µs timer). In order:
// 1. native: <build>/bench/crypto_bench (its own report: medians of 7 rounds of CPU time, Argon2id
//    median of 5), parsed — run first and alone, so the two sides never share the 2 cores;
// 2. throughput, one Worker (16 MiB module): at 200 B and 4 KiB, envelope seal_request/open_request,
//    content seal_field/open_field and the peer (bare XChaCha20-Poly1305 with a random nonce), the
//    same operation counts as natively, --rounds timed rounds after one untimed warm-up round (wall
//    time, performance.now()), and the fill of one 24-byte nonce — once per random source (--random):
//      system    SystemRandom as in production: libsodium 1.0.18's wasm randombytes_buf calls JS
//                (crypto.getRandomValues on a fresh 4-byte array) once per byte: 24 calls a nonce
//      sodium4k  a 4 KiB buffer refilled by one randombytes_buf call (still one JS call per byte)
//      js4k      a 4 KiB buffer refilled by one crypto.getRandomValues call (EM_JS, in place)
// 3. unlock: --unlock-runs runs; in each, every variant in a fresh Worker (as a sign-in on a fresh
//    page), order rotated per run: unwrap_secret_key of a wrap made once in step 2, the first call
//    (cold JIT, fresh memory) and a second. Variants:
//      grow      16 MiB module: the heap grows 16 → 66 MiB during the first unwrap (the product today)
//      pregrown  16 MiB module after a prelude that mallocs 72 MiB, zero-fills (touches) and frees it
//      mem80     80 MiB module: no growth
//    and with --diagnose=1 mem80_warm (80 MiB module after a small Argon2id, 1 pass over 8 MiB:
//    code warm) to size the cold-JIT share.
// Prints MB/s and ops/s medians with wasm/native and vs-system ratios, per variant the first and
// second unwrap medians and p95 against the goal, the machine line; writes
// bench/results/crypto_browser.json (bench/run.sh also keeps the printout as crypto_browser_bench.txt).
//
// Last run (2026-12-02, 2 × AMD EPYC VM, load average 1.4 → 1.9, Chromium 156 headless, isolated;
// `node bench/crypto_browser_bench.mjs --rounds=7 --unlock-runs=15`, build/release):
//   unlock, first unwrap in a fresh Worker, 15 runs (median / p95 / max; second unwrap median):
//     grow      589 / 681 / 832 ms   (356 ms)   heap 16 → 66 MiB
//     mem80     570 / 617 / 627 ms   (360 ms)   mem80/grow 0.97 median, 0.91 p95
//     pregrown  381 / 411 / 411 ms   (350 ms)   pregrown/grow 0.65; the prelude itself 273 ms median
//     mem80_warm 532 / 601 / 668 ms  (354 ms)   cold JIT ≈ 40 ms of the first unwrap
//   Goal met by all (p95 ≤ 1 s); native Argon2id 165 ms (wasm/native 3.6 grow, 3.5 mem80). With two
//   busy-loop processes on the 2 cores (10 runs): grow 648 / 712, mem80 604 / 680, pregrown 382 / 430.
//   What makes the first unwrap slower is the first touch of 64 MiB of fresh pages, not growth:
//   V8 grows wasm memory in place (no copy), and a larger INITIAL_MEMORY is committed lazily too, so
//   mem80 pays nearly the same; a native memset of a fresh 64 MiB mmap takes ~180 ms on this VM
//   (3.5 ms the second time) — the first-minus-second gap. Only touching the heap before the unlock
//   (pregrown) removes it. The p95 of 1,243 ms measured before was not reproduced (that run: load 6–7).
//   seal throughput, ops/s (system → sodium4k → js4k):
//     envelope seal_request 200 B   11,205 → 10,319 → 891,762  (js4k 79.6×)
//     content seal_field    200 B   11,142 → 10,426 → 465,035  (41.7×)
//     bare xchacha20poly1305 200 B  10,541 → 12,318 → 1,090,215 (103×)
//     envelope seal_request 4 KiB    9,907 → 15,570 → 106,973  (10.8×)
//     content seal_field    4 KiB    9,725 → 11,740 →  71,968  (7.4×)
//   a 24-byte nonce: 91 µs (system), 63 µs (sodium4k), 0.03 µs (js4k). Buffering through
//   randombytes_buf does not help (it is per byte in JS underneath); one getRandomValues per block does.
// Not here: the native figures' method (bench/crypto_bench.cpp), other browsers, phones.
//
// Usage: node bench/crypto_browser_bench.mjs [--rounds=7] [--unlock-runs=15] [--native=1]
//          [--diagnose=1] [--random=system,sodium4k,js4k]
// (--native=0 skips the native run, --diagnose=0 the mem80_warm variant.) LB_BUILD_DIR: a build with
// dist/, sync-server/, bench/ and wasm/bench/crypto_wasm/, default build/release; LB_DIST_DIR,
// LB_SERVER_BIN, LB_CRYPTO_WASM_DIR and LB_CRYPTO_NATIVE_BIN override its parts. Needs
// `npm install` (playwright-core). Build the two modules alone: ninja -C build/release/wasm -j2
// crypto_wasm_bench crypto_wasm_bench_mem80 (NODE_PATH=/usr/share/nodejs,
// NODE_OPTIONS=--no-experimental-fetch).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchIndexHtml, fmt, listArg, machineLine, median, numberArg, openBenchPage, pct } from './browser_bench/node_support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const ROUNDS = numberArg('rounds', 7), UNLOCK_RUNS = numberArg('unlock-runs', 15), NATIVE = numberArg('native', 1);
const DIAGNOSE = numberArg('diagnose', 1);
const SIZES = [200, 4096];
const KINDS = ['envelope', 'content', 'aead'];
// Random sources of the throughput rows: SystemRandom (production: libsodium's randombytes_buf),
// and two bench-only 4 KiB buffers, refilled by randombytes_buf or by one crypto.getRandomValues.
const RANDOMS = listArg('random', ['system', 'sodium4k', 'js4k']);
const M16 = 'crypto_wasm_bench', M80 = 'crypto_wasm_bench_mem80';
// The unlock variants, each run in a fresh Worker: [module, prelude before the timed unwraps].
const VARIANTS = {
  grow: [M16, null],       // INITIAL_MEMORY=16MB, as the engine today: the heap grows during the first unwrap
  pregrown: [M16, 'heap'], // the same module, heap grown to 72 MiB by a malloc/free before timing
  mem80: [M80, null],      // INITIAL_MEMORY=80MB: Argon2id's 64 MiB fit, no growth
};
const DIAGNOSTIC_VARIANTS = {
  mem80_warm: [M80, 'jit'], // 80 MiB after a small Argon2id (1 pass, 8 MiB): neither growth nor cold code
};
const NONCE_BYTES = 24;  // one envelope or content nonce (XChaCha20)
const GOAL_MS = 1000;
const build = path.resolve(process.env.LB_BUILD_DIR || path.join(root, 'build', 'release'));
const wasmDir = process.env.LB_CRYPTO_WASM_DIR || path.join(build, 'wasm', 'bench', 'crypto_wasm');
const nativeBin = process.env.LB_CRYPTO_NATIVE_BIN || path.join(build, 'bench', 'crypto_bench');
process.env.LB_SERVER_BIN ||= path.join(build, 'sync-server', 'lifebuoy-server');
process.env.LB_DIST_DIR ||= path.join(build, 'dist');
const { startServer, launchChromiumProcess } = await import('../tests/browser/harness.mjs');

const served = {
  'index.html': ['text/html; charset=utf-8', benchIndexHtml('crypto bench')],
  'page_support.js': ['text/javascript', fs.readFileSync(path.join(here, 'browser_bench', 'page_support.js'))],
  'page.js': ['text/javascript', fs.readFileSync(path.join(here, 'crypto_browser', 'page.js'))],
  'crypto_worker.js': ['text/javascript', fs.readFileSync(path.join(here, 'crypto_browser', 'crypto_worker.js'))],
};
for (const module of [M16, M80]) {
  for (const [ext, type] of [['js', 'text/javascript'], ['wasm', 'application/wasm']]) {
    const file = path.join(wasmDir, `${module}.${ext}`);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: build the bench configuration ` +
        '(./dev build run, or ninja -C build/release/wasm crypto_wasm_bench crypto_wasm_bench_mem80)');
    }
    served[`${module}.${ext}`] = [type, fs.readFileSync(file)];
  }
}

// [SECTION] native: crypto_bench's report, parsed
// Lines: "%-28s %6zu B  %9.1f MB/s  %10.0f ops/s" and
// "argon2id unlock (opslimit N, memlimit M MiB): X ms median of R".
function runNative() {
  if (!NATIVE) return { rows: [], argon: null, text: '' };
  if (!fs.existsSync(nativeBin)) throw new Error(`${nativeBin} is missing (--native=0 skips it)`);
  process.stderr.write(`crypto_browser_bench: native ${nativeBin}\n`);
  const text = execFileSync(nativeBin, { encoding: 'utf8' });
  const rows = [];
  let argon = null;
  for (const line of text.split('\n')) {
    const row = line.match(/^(.+?)\s+(\d+) B\s+([\d.]+) MB\/s\s+(\d+) ops\/s\s*$/);
    if (row) rows.push({ name: row[1].trim(), size: Number(row[2]), mb_s: Number(row[3]), ops_s: Number(row[4]) });
    const a = line.match(/argon2id unlock \(opslimit (\d+), memlimit (\d+) MiB\): (\d+) ms median of (\d+)/);
    if (a) argon = { opslimit: Number(a[1]), memlimit_mib: Number(a[2]), ms: Number(a[3]), runs: Number(a[4]) };
  }
  if (!rows.length || !argon) throw new Error('could not read crypto_bench output:\n' + text);
  return { rows, argon, text };
}

// [SECTION] the run
const loadBefore = os.loadavg();
const native = runNative();
const server = await startServer({});
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lifebuoy-crypto-bench-'));
const chromium = await launchChromiumProcess(profile);
const wasmRows = [];
const unlocks = Object.fromEntries([...Object.keys(VARIANTS), ...Object.keys(DIAGNOSTIC_VARIANTS)].map((v) => [v, []]));
let started = null, wrapMade = null, browserVersion = '', isolated = false;
try {
  const bench = await openBenchPage({ chromium, server, prefix: '/__crypto_bench/', served, readyGlobal: 'cryptoBench' });
  browserVersion = bench.browserVersion;
  isolated = bench.isolated;
  started = await bench.evaluate(() => window.cryptoBench.start());
  process.stderr.write(`crypto_browser_bench: wasm module loaded in ${started.load_ms.toFixed(0)} ms (libsodium ` +
    `${started.sodium}, randombytes "${started.randombytes}"); ${ROUNDS} rounds per row\n`);
  const groups = [...SIZES.flatMap((size) => KINDS.map((kind) => [kind, size])), ['random', NONCE_BYTES]];
  for (const random of RANDOMS) {
    for (const [kind, size] of groups) {
      const out = await bench.evaluate(([k, s, r, rnd]) => window.cryptoBench.throughput(k, s, r, rnd),
        [kind, size, ROUNDS, random]);
      wasmRows.push(...out.rows);
      process.stderr.write(`  ${kind} ${size} B, random ${random}: ${(out.call_ms / 1000).toFixed(1)} s\n`);
    }
  }
  wrapMade = await bench.evaluate(() => window.cryptoBench.makeWrap());
  await bench.evaluate(() => window.cryptoBench.stop());
  const variants = Object.entries({ ...VARIANTS, ...(DIAGNOSE ? DIAGNOSTIC_VARIANTS : {}) });
  for (let run = 1; run <= UNLOCK_RUNS; run++) {
    for (let i = 0; i < variants.length; i++) {
      const [name, [module, prelude]] = variants[(i + run - 1) % variants.length];  // order rotated per run
      const r = await bench.evaluate(([wrap, m, p]) => window.cryptoBench.unlockRun(wrap, m, p),
        [wrapMade.wrap, module, prelude]);
      unlocks[name].push({ run, ...r });
      process.stderr.write(`  unlock run ${run} ${name}: first ${r.first.ms.toFixed(0)} ms (heap ` +
        `${(r.first.heap_bytes_before / 2 ** 20).toFixed(0)} → ${(r.first.heap_bytes / 2 ** 20).toFixed(0)} MiB), ` +
        `second ${r.second.ms.toFixed(0)} ms\n`);
    }
  }
} finally {
  await chromium.close();
  await server.stop();
  fs.rmSync(profile, { recursive: true, force: true });
}

// [SECTION] report
const rate = (row) => {
  const s = median(row.seconds);
  return { ops_s: row.ops / s, mb_s: (row.ops / s) * row.size / 1e6 };
};
const table = wasmRows.map((row) => {
  const w = rate(row);
  const n = row.random === 'system' ? native.rows.find((r) => r.name === row.name && r.size === row.size) : null;
  return { name: row.name, size: row.size, random: row.random, ops: row.ops, wasm_mb_s: w.mb_s, wasm_ops_s: w.ops_s,
    native_mb_s: n ? n.mb_s : NaN, native_ops_s: n ? n.ops_s : NaN, ratio: n ? w.ops_s / n.ops_s : NaN,
    seconds: row.seconds };
});
const rowOf = (name, size, random) => table.find((r) => r.name === name && r.size === size && r.random === random);
const summary = (runs) => {
  const first = runs.map((u) => u.first.ms), second = runs.map((u) => u.second.ms);
  const trip = runs.map((u) => u.first.round_trip_ms);
  return {
    runs: runs.length, first_median_ms: median(first), first_p95_ms: pct(first, 0.95), first_max_ms: pct(first, 1),
    first_round_trip_median_ms: median(trip), first_round_trip_p95_ms: pct(trip, 0.95),
    second_median_ms: median(second), second_p95_ms: pct(second, 0.95),
    prelude_median_ms: runs.length && runs[0].prelude ? median(runs.map((u) => u.prelude.ms)) : null,
    module_load_median_ms: median(runs.map((u) => u.started.load_ms)),
    heap_before_first_mib: runs.length ? runs[0].first.heap_bytes_before / 2 ** 20 : NaN,
    heap_after_mib: runs.length ? runs[0].second.heap_bytes / 2 ** 20 : NaN,
  };
};
const unlock = Object.fromEntries(Object.entries(unlocks).filter(([, runs]) => runs.length)
  .map(([name, runs]) => [name, summary(runs)]));
// The goal is judged on the first unwrap in a fresh Worker (what a person signing in waits for),
// for the product as it is (grow) and as it would be with the larger initial heap (mem80).
const goalMet = (name) => unlock[name] ? unlock[name].first_p95_ms <= GOAL_MS : false;

const machine = machineLine({ loadBefore, browserVersion, isolated });
console.log(`crypto_browser_bench: lb::crypto in WebAssembly (bench/crypto_wasm: Emscripten, -Oz -flto as the engine ` +
  `module, libsodium ${started ? started.sodium : '-'} wasm build, randombytes "${started ? started.randombytes : '-'}") ` +
  `in a dedicated Worker of headless Chromium, medians of ${ROUNDS} rounds of wall time after a warm-up round — ` +
  `against native crypto_bench (g++, medians of its 7 rounds of CPU time) run alone just before`);
console.log(machine);
console.log(`random sources: system = SystemRandom (libsodium randombytes_buf: one JS getRandomValues call per byte), ` +
  `sodium4k = a 4 KiB buffer refilled by randombytes_buf, js4k = a 4 KiB buffer refilled by one getRandomValues call`);
console.log(`${'operation'.padEnd(30)} ${'size'.padStart(7)} ${'random'.padStart(9)} ${'wasm MB/s'.padStart(10)} ` +
  `${'wasm ops/s'.padStart(11)} ${'nat. MB/s'.padStart(10)} ${'nat. ops/s'.padStart(11)} ${'wasm/nat.'.padStart(9)} ` +
  `${'vs system'.padStart(9)}`);
for (const r of table) {
  const base = rowOf(r.name, r.size, 'system');
  console.log(`${r.name.padEnd(30)} ${(r.size + ' B').padStart(7)} ${r.random.padStart(9)} ${fmt(r.wasm_mb_s, 1).padStart(10)} ` +
    `${fmt(r.wasm_ops_s, 0).padStart(11)} ${fmt(r.native_mb_s, 1).padStart(10)} ${fmt(r.native_ops_s, 0).padStart(11)} ` +
    `${fmt(r.ratio, 2).padStart(9)} ${(base ? fmt(r.wasm_ops_s / base.wasm_ops_s, 2) + '×' : '-').padStart(9)}`);
}
for (const random of RANDOMS) {
  const row = rowOf('random fill', NONCE_BYTES, random);
  if (row) console.log(`randomness (${random}): one ${NONCE_BYTES}-byte nonce takes ${fmt(1e6 / row.wasm_ops_s, 2)} µs in wasm`);
}
const describe = {
  grow: 'INITIAL_MEMORY=16MB (the engine today), heap grows during the first unwrap',
  pregrown: 'INITIAL_MEMORY=16MB, heap pre-grown to 72 MiB (malloc/free) before timing',
  mem80: 'INITIAL_MEMORY=80MB, no growth',
  mem80_warm: 'diagnostic: INITIAL_MEMORY=80MB after a small Argon2id (code warm)',
};
console.log(`argon2id unlock (unwrap_secret_key, opslimit 3, memlimit 64 MiB) in the browser, each run in a fresh ` +
  `Worker, variants in rotated order; nearest-rank p95 (with 15-20 runs: the second slowest or slowest run):`);
for (const [name, u] of Object.entries(unlock)) {
  console.log(`  ${name.padEnd(10)} ${describe[name]}: ${u.runs} runs; first unwrap median ${fmt(u.first_median_ms, 0)} ms, ` +
    `p95 ${fmt(u.first_p95_ms, 0)} ms, max ${fmt(u.first_max_ms, 0)} ms (round trip median ` +
    `${fmt(u.first_round_trip_median_ms, 0)} ms); second unwrap median ${fmt(u.second_median_ms, 0)} ms, p95 ` +
    `${fmt(u.second_p95_ms, 0)} ms; heap ${fmt(u.heap_before_first_mib, 0)} → ${fmt(u.heap_after_mib, 0)} MiB` +
    `${u.prelude_median_ms !== null ? `; prelude median ${fmt(u.prelude_median_ms, 0)} ms` : ''}`);
}
if (unlock.grow && unlock.mem80) {
  console.log(`  ratios mem80/grow: first median ${fmt(unlock.mem80.first_median_ms / unlock.grow.first_median_ms, 2)}, ` +
    `first p95 ${fmt(unlock.mem80.first_p95_ms / unlock.grow.first_p95_ms, 2)}; pregrown/grow first median ` +
    `${unlock.pregrown ? fmt(unlock.pregrown.first_median_ms / unlock.grow.first_median_ms, 2) : '-'}`);
}
if (native.argon) {
  console.log(`argon2id unlock natively (crypto_bench, CPU time): median ${native.argon.ms} ms of ${native.argon.runs}; ` +
    `wasm/native (first unwrap medians): grow ${fmt((unlock.grow || {}).first_median_ms / native.argon.ms, 2)}, ` +
    `mem80 ${fmt((unlock.mem80 || {}).first_median_ms / native.argon.ms, 2)}`);
}
for (const name of ['grow', 'mem80']) {
  if (!unlock[name]) continue;
  console.log(`goal: passphrase unlock <= ${GOAL_MS} ms in the browser — ${name}: first unwrap median ` +
    `${fmt(unlock[name].first_median_ms, 0)} ms, p95 ${fmt(unlock[name].first_p95_ms, 0)} ms: ` +
    `${goalMet(name) ? 'met' : 'NOT met'}`);
}

const out = {
  machine, chromium: browserVersion, cross_origin_isolated: isolated, rounds: ROUNDS, module: started,
  wrap_ms: wrapMade ? wrapMade.ms : NaN, throughput: table, unlock, unlock_runs: unlocks,
  native: { binary: nativeBin, rows: native.rows, argon2id: native.argon },
  goal_ms: GOAL_MS, goal_met: { grow: goalMet('grow'), mem80: goalMet('mem80') },
};
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results', 'crypto_browser.json'), JSON.stringify(out, null, 2) + '\n');
console.log('wrote bench/results/crypto_browser.json');
