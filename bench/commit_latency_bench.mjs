// commit_latency_bench.mjs — durable commit latency of one new ticket (issue #6), where it runs:
// the built engine (dist/engine.js + engine.wasm) in a dedicated Worker of headless Chromium on
// OPFS, timing `create_ticket` through lb_engine_handle (one transaction: 7 ops rows + the outbox
// row, synchronous=FULL, WAL with locking_mode=EXCLUSIVE, answered after COMMIT) — side by side in the same page
// with the official SQLite WebAssembly build (@sqlite.org/sqlite-wasm, opfs-sahpool VFS) doing the
// same rows in one transaction with the same schema and pragmas, except the journal: the official
// build's opfs-sahpool runs its documented rollback journal (TRUNCATE; WAL hung there, see
// bench/commit_latency/official_worker.js).
//
// Per run, both engines on a cleared OPFS, each in a fresh Worker, in lockstep (one commit of each
// in turn, order swapped each time, so both see the same disk and CPU load): --warm-up commits (not counted),
// --samples timed commits with an empty database ("0 stored"), a fill to --stored tickets one
// durable create per ticket (the engine's only write path; timed), then --samples timed commits
// ("10,000 stored"). Every OPFS call (FileSystemSyncAccessHandle read/write/flush/truncate/getSize)
// is counted and timed per commit. Prints p50/p95/p99 per condition (medians over --runs runs),
// Lifebuoy/official ratios, fill times, file sizes and OPFS calls per commit; writes
// bench/results/commit_latency.json. Goal (issue #6): p95 <= 10 ms and no slower than official.
//
// Starts the real lifebuoy-server on a copy of the built dist/ (so a rebuild during the run does
// not change it) and Chromium with an on-disk profile (tests/browser/harness.mjs); the bench page,
// Worker sources and the sqlite-wasm files are served by playwright routes under /__commit_bench/
// with COOP/COEP headers (5 µs timer), so dist/ stays as shipped.
//
// Usage: node bench/commit_latency_bench.mjs [--runs=3] [--samples=300] [--warm-up=20]
//          [--stored=10000] [--engines=lifebuoy,official]
// LB_BUILD_DIR: a build with dist/ and sync-server/, default build/release; LB_DIST_DIR and
// LB_SERVER_BIN override its parts. Needs `npm install` (playwright-core, @sqlite.org/sqlite-wasm).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchIndexHtml, fmt, listArg, machineLine, median, numberArg, openBenchPage, pct } from './browser_bench/node_support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const RUNS = numberArg('runs', 3), SAMPLES = numberArg('samples', 300), WARM_UP = numberArg('warm-up', 20), STORED = numberArg('stored', 10000);
const ENGINES = listArg('engines', ['lifebuoy', 'official']);
const build = path.resolve(process.env.LB_BUILD_DIR || path.join(root, 'build', 'release'));
const distDir = process.env.LB_DIST_DIR || path.join(build, 'dist');
const serverBin = process.env.LB_SERVER_BIN || path.join(build, 'sync-server', 'lifebuoy-server');

// A private copy of what is measured: another build may replace dist/ while this runs.
const snapshot = fs.mkdtempSync(path.join(os.tmpdir(), 'lifebuoy-commit-bench-build-'));
fs.cpSync(distDir, path.join(snapshot, 'dist'), { recursive: true });
fs.copyFileSync(serverBin, path.join(snapshot, 'lifebuoy-server'));
fs.chmodSync(path.join(snapshot, 'lifebuoy-server'), 0o755);
process.env.LB_DIST_DIR = path.join(snapshot, 'dist');
process.env.LB_SERVER_BIN = path.join(snapshot, 'lifebuoy-server');
const { startServer, launchChromiumProcess } = await import('../tests/browser/harness.mjs');

const sqliteDir = path.join(root, 'node_modules', '@sqlite.org', 'sqlite-wasm');
const sqliteVersion = JSON.parse(fs.readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;
const benchFile = (name) => fs.readFileSync(path.join(here, 'commit_latency', name));
const served = {
  'index.html': ['text/html; charset=utf-8', benchIndexHtml('commit bench')],
  'page_support.js': ['text/javascript', fs.readFileSync(path.join(here, 'browser_bench', 'page_support.js'))],
  'worker_support.js': ['text/javascript', fs.readFileSync(path.join(here, 'browser_bench', 'worker_support.js'))],
  'page.js': ['text/javascript', benchFile('page.js')],
  'io_counters.js': ['text/javascript', benchFile('io_counters.js')],
  'lifebuoy_worker.js': ['text/javascript', benchFile('lifebuoy_worker.js')],
  'official_worker.js': ['text/javascript', benchFile('official_worker.js')],
  'sqlite3.mjs': ['text/javascript', fs.readFileSync(path.join(sqliteDir, 'dist', 'index.mjs'))],
  'sqlite3.wasm': ['application/wasm', fs.readFileSync(path.join(sqliteDir, 'dist', 'sqlite3.wasm'))],
};

// [SECTION] statistics
const dist = (times) => ({ p50: pct(times, 0.5), p95: pct(times, 0.95), p99: pct(times, 0.99), max: pct(times, 1),
  mean: times.reduce((a, b) => a + b, 0) / times.length });
// Per commit: OPFS calls and ms by method, medians over the samples.
const ioPerCommit = (io) => Object.fromEntries(['flush', 'write', 'truncate', 'read', 'getSize'].map((m) => [m, {
  calls: median(io.map((x) => x[m].calls)), ms: median(io.map((x) => x[m].ms)),
  kib: median(io.map((x) => x[m].bytes)) / 1024 }]));

// [SECTION] the run
const loadBefore = os.loadavg();
const server = await startServer({});
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lifebuoy-commit-bench-'));
const chromium = await launchChromiumProcess(profile);
const results = Object.fromEntries(ENGINES.map((e) => [e, []]));
let browserVersion = '', isolated = false;
try {
  const bench = await openBenchPage({ chromium, server, prefix: '/__commit_bench/', served, readyGlobal: 'commitBench' });
  browserVersion = bench.browserVersion;
  isolated = bench.isolated;
  process.stderr.write(`commit_latency_bench: ${RUNS} runs × ${ENGINES.join(', ')}; ${SAMPLES} samples at 0 and ${STORED} stored\n`);
  for (let run = 1; run <= RUNS; run++) {
    const t0 = Date.now();
    const list = await bench.evaluate(([e, o]) => window.commitBench.run(e, o), [ENGINES,
      { warmUp: WARM_UP, samples: SAMPLES, stored: STORED }]);
    process.stderr.write(`  run ${run}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    for (const r of list) {
      const errors = r.warm_errors + r.empty.errors + r.full.errors + r.fill.errors;
      if (errors) throw new Error(`${r.engine}: ${errors} failed commits: ${r.empty.first_error || r.fill.first_error || ''}`);
      results[r.engine].push(r);
      process.stderr.write(`    ${r.engine}: p95 ${dist(r.empty.times).p95.toFixed(2)} ms at 0, ` +
        `${dist(r.full.times).p95.toFixed(2)} ms at ${STORED}; fill ${(r.fill.ms / 1000).toFixed(1)} s\n`);
    }
  }
} finally {
  await chromium.close();
  await server.stop();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(snapshot, { recursive: true, force: true });
}

// [SECTION] report
const summary = {};
for (const engine of ENGINES) {
  const runs = results[engine];
  const cond = (key) => {
    const per = runs.map((r) => dist(r[key].times));
    const io = runs.map((r) => ioPerCommit(r[key].io));
    return {
      p50: median(per.map((d) => d.p50)), p95: median(per.map((d) => d.p95)), p99: median(per.map((d) => d.p99)),
      max: median(per.map((d) => d.max)), mean: median(per.map((d) => d.mean)),
      runs: per,
      io_per_commit: Object.fromEntries(Object.keys(io[0]).map((m) => [m, {
        calls: median(io.map((x) => x[m].calls)), ms: median(io.map((x) => x[m].ms)), kib: median(io.map((x) => x[m].kib)) }])),
    };
  };
  const bytes = (files) => files.reduce((s, f) => s + f.bytes, 0);
  summary[engine] = {
    empty: cond('empty'), full: cond('full'),
    fill_ms: median(runs.map((r) => r.fill.ms)), fill_count: runs[0].fill.count,
    fill_flushes: median(runs.map((r) => r.fill.io.flush.calls)),
    db_bytes_after_warm_and_samples: median(runs.map((r) => bytes(r.empty_sizes.files))),
    db_bytes_at_end: median(runs.map((r) => bytes(r.full_sizes.files))),
    opfs_bytes_at_end: median(runs.map((r) => bytes(r.opfs_files))),
    opfs_files_at_end: runs[0].opfs_files, started: runs[0].started,
  };
}

const machine = machineLine({ loadBefore, browserVersion, isolated });
const lb = summary.lifebuoy, of = summary.official;
console.log(`commit_latency_bench: one new ticket per durable transaction (7 ops rows + outbox row, draft delete, ` +
  `sync_state update; synchronous=FULL, locking_mode EXCLUSIVE; journal: Lifebuoy WAL, official ` +
  `${of ? of.started.journal_mode : '-'}); ${SAMPLES} timed commits ` +
  `after ${WARM_UP} warm-up with an empty database and again with ${STORED} tickets stored; medians of ${RUNS} runs`);
console.log(`Lifebuoy: dist/engine.wasm create_ticket via lb_engine_handle in a dedicated Worker, slot VFS on OPFS ` +
  `sync access handles; official: @sqlite.org/sqlite-wasm ${sqliteVersion} (SQLite ${of ? of.started.version : '-'}), ` +
  `opfs-sahpool, same schema and rows, oo1 db.exec per statement, in a dedicated Worker of the same page`);
console.log(machine);
const row = (label, a, b, d) => console.log(`${label.padEnd(36)} ${fmt(a, d).padStart(10)} ${fmt(b, d).padStart(10)} ` +
  `${fmt(a / b, 2).padStart(7)}`);
console.log(`${'metric'.padEnd(36)} ${'Lifebuoy'.padStart(10)} ${'official'.padStart(10)} ${'LB/off'.padStart(7)}`);
for (const [key, label] of [['empty', '0 stored'], ['full', `${STORED} stored`]]) {
  for (const p of ['p50', 'p95', 'p99', 'max'])
    row(`commit ${p} ms (${label})`, lb && lb[key][p], of && of[key][p], 2);
}
row(`fill to ${STORED}: s (one tx per ticket)`, lb && lb.fill_ms / 1000, of && of.fill_ms / 1000, 1);
row('fill: ms per ticket', lb && lb.fill_ms / lb.fill_count, of && of.fill_ms / of.fill_count, 2);
row(`database MB at ${WARM_UP + SAMPLES} tickets`, lb && lb.db_bytes_after_warm_and_samples / 1e6,
  of && of.db_bytes_after_warm_and_samples / 1e6, 2);
row(`database MB at ${STORED + SAMPLES} tickets`, lb && lb.db_bytes_at_end / 1e6, of && of.db_bytes_at_end / 1e6, 2);
row('OPFS files MB at end (all files)', lb && lb.opfs_bytes_at_end / 1e6, of && of.opfs_bytes_at_end / 1e6, 2);
for (const [key, label] of [['empty', '0 stored'], ['full', `${STORED} stored`]]) {
  for (const m of ['flush', 'write', 'truncate', 'read', 'getSize']) {
    const a = lb && lb[key].io_per_commit[m], b = of && of[key].io_per_commit[m];
    console.log(`  per commit (${label}) ${m.padEnd(9)} calls ${fmt(a && a.calls, 0).padStart(4)} / ${fmt(b && b.calls, 0).padStart(4)}` +
      `   ms ${fmt(a && a.ms, 3).padStart(7)} / ${fmt(b && b.ms, 3).padStart(7)}   KiB ${fmt(a && a.kib, 1).padStart(6)} / ${fmt(b && b.kib, 1).padStart(6)}`);
  }
}
if (lb) {
  const goal = lb.empty.p95 <= 10 && lb.full.p95 <= 10 && (!of || (lb.empty.p95 <= of.empty.p95 && lb.full.p95 <= of.full.p95));
  console.log(`goal (p95 <= 10 ms at 0 and ${STORED}, no slower than official): ${goal ? 'met' : 'NOT met'}`);
}
const out = { runs: RUNS, samples: SAMPLES, warm_up: WARM_UP, stored: STORED, machine, chromium: browserVersion,
  cross_origin_isolated: isolated, sqlite_wasm_version: sqliteVersion, summary,
  raw_times: Object.fromEntries(Object.entries(results).map(([k, list]) => [k, list.map((r) => ({
    empty: r.empty.times, full: r.full.times }))])) };
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results', 'commit_latency.json'), JSON.stringify(out, null, 2) + '\n');
console.log('wrote bench/results/commit_latency.json');
