// portal_load_bench.mjs — how fast the portal opens, and how much it downloads (issue #7).
//
// Runs bench/portal_load/measure.mjs --runs times (a fresh server and Chromium profile each: a
// cold first visit, then warm, reload, restart and offline loads from the service worker) and
// reports:
// - times, in-page (ms since that navigation started), of the milestones bench/portal_load/probe.js
//   defines; INTERACTIVE = end of the first frame whose UI test snapshot shows the New ticket form
//   with its Title field (builds with UI test hooks, e.g. build/test); builds without them
//   (release) report the first frame Dear ImGui drew instead — on hook builds the bench prints how
//   many frames apart the two are (0 so far: the same frame);
// - compressed bytes of the cold visit over the network, from the resource timing of the page,
//   its engine Worker and the service worker: the shell (each file once, plus sw.js, which the
//   browser fetches for the registration outside any resource timing: its .br size), what the
//   page and Worker fetched, what the service worker's install fetched, per file; and the raw,
//   brotli and gzip sizes of the precache list in dist/sw.js;
// - medians and p95 (nearest rank: with 7 runs, the slowest) and the ratios to the issue's goals.
// Writes bench/results/portal_load.json.
//
// Usage: node bench/portal_load_bench.mjs [--runs=7]
// (LB_BUILD_DIR: a build with dist/ and sync-server/, default build/release; LB_DIST_DIR and
// LB_SERVER_BIN override its parts; needs `npm install` for playwright-core.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice(7)) : 7;
const GOAL_WARM_MS = 500, GOAL_SHELL_BYTES = 1.5e6;  // issue #7 (1.5 MB = 1,500,000 bytes)
const build = path.resolve(process.env.LB_BUILD_DIR || path.join(here, '..', 'build', 'release'));
process.env.LB_SERVER_BIN ||= path.join(build, 'sync-server', 'lifebuoy-server');
process.env.LB_DIST_DIR ||= path.join(build, 'dist');
const DIST = process.env.LB_DIST_DIR;
const { measureRun } = await import('./portal_load/measure.mjs');

const pct = (values, p) => {
  const v = values.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  return v.length ? v[Math.max(0, Math.ceil(p * v.length) - 1)] : NaN;
};
const kb = (bytes) => (bytes / 1000).toFixed(1);

// [SECTION] the runs
const kinds = ['cold', 'warm', 'reload', 'restart', 'offline'];
const loadBefore = os.loadavg();
const runs = [];
for (let i = 1; i <= RUNS; i++) {
  const t0 = Date.now();
  const r = await measureRun();
  runs.push(r);
  process.stderr.write(`  run ${i}: interactive ms: ${kinds.map((k) => `${k} ${r[k].interactive.toFixed(0)}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
}
const loadAfter = os.loadavg();
const hooks = runs[0].cold.hooks;

// [SECTION] times
const fileEnd = (files, where, p) => (files.find((e) => e.where === where && e.path === p) || {}).end;
for (const r of runs) {
  for (const k of kinds) {
    const m = r[k];
    m.fontArrived = fileEnd(m.files, 'page', '/fonts/lifebuoy-sans.ttf');
    m.engineWasmArrived = fileEnd(m.files, 'engine Worker', '/engine.wasm');
    m.firstFrameMs = m.firstDraw - m.firstDrawFrameStart;
  }
}
const milestones = [['uiWasmReady', 'ui.wasm compiled + instantiated'], ['fontArrived', 'font (lifebuoy-sans.ttf) arrived'],
  ['firstDraw', 'first drawn frame'], ['firstFrameMs', '  its own duration (ms)'],
  ['glSetupMs', '  of which GL shader/texture calls (ms)'],
  ['interactive', hooks ? 'INTERACTIVE (Title field drawn)' : 'INTERACTIVE (= first drawn frame)'],
  ['engineWasmArrived', 'engine.wasm arrived (Worker)'], ['engineReady', 'engine answering (Worker)'],
  ['dataShown', 'draft + storage shown'], ['swReady', 'offline-ready (SW active)']];
const timeRows = [];
for (const kind of kinds) {
  for (const [key, label] of milestones) {
    const values = runs.map((r) => r[kind][key]);
    if ((key === 'swReady' && kind !== 'cold') || values.every((v) => v === undefined)) continue;
    timeRows.push({ load: kind, milestone: label, key, median: pct(values, 0.5), p95: pct(values, 0.95),
      min: pct(values, 0), values });
  }
}

// [SECTION] bytes
const isShell = (e) => !e.path.startsWith('/api/') && e.path !== '/healthz' && e.path !== '/metrics';
const wireOf = (files, filter) => files.filter(filter).reduce((s, e) => s + e.wire, 0);
// sw.js itself is fetched by the browser for the registration: in no context's resource timing
const size = (f) => (fs.existsSync(f) ? fs.statSync(f).size : NaN);
const swScript = size(path.join(DIST, 'sw.js.br'));
const bytes = runs.map((r) => {
  const f = r.cold.files.filter((e) => e.wire > 0);
  const distinct = new Map(f.filter(isShell).map((e) => [e.path, e.body]));
  return { shell: [...distinct.values()].reduce((a, b) => a + b, swScript),
    pageShell: wireOf(f, (e) => e.where !== 'service worker' && isShell(e)),
    install: wireOf(f, (e) => e.where === 'service worker'), api: wireOf(f, (e) => !isShell(e)),
    total: wireOf(f, () => true) + swScript,
    later: Object.fromEntries(kinds.slice(1).map((k) => [k, wireOf(r[k].files, isShell)])) };
});
const perFile = {};  // run 1: how each shell file reached the cold visit
for (const e of runs[0].cold.files.filter(isShell)) {
  const f = (perFile[e.path] ||= { path: e.path, body: 0, page: 0, install: 0, revalidated: 0, cached: 0 });
  if (e.wire > 0) f.body = e.wire;  // as sent; a response from Cache Storage reports its decoded size
  if (e.wire > 0) f[e.where === 'service worker' ? 'install' : 'page']++;
  else if (e.transfer > 0) f.revalidated++;
  else f.cached++;
}
const list = JSON.parse(fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8').match(/const PRECACHE = (\[.*\]);/)[1]);
const precache = list.map((p) => {
  const file = path.join(DIST, p === './' ? 'index.html' : p);
  return { path: p, raw: size(file), br: size(`${file}.br`), gz: size(`${file}.gz`) };
});
const sum = (key) => precache.reduce((s, f) => s + f[key], 0);

// [SECTION] report
const cpu = os.cpus();
const machine = `${cpu.length} × ${cpu[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ` +
  `${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; Chromium ${runs[0].browser} headless ` +
  `(SwiftShader WebGL2), on-disk profile, loopback; node ${process.version}`;
console.log(`portal_load_bench: ${DIST}; ${RUNS} runs, a fresh server and profile each; UI test hooks: ` +
  `${hooks ? 'yes' : 'no (interactive = first drawn frame)'}`);
console.log(machine);
console.log(`${'load'.padEnd(8)} ${'ms since navigation start'.padEnd(40)} ${'median'.padStart(7)} ${'p95'.padStart(7)} ${'min'.padStart(7)}`);
for (const r of timeRows) {
  console.log(`${r.load.padEnd(8)} ${r.milestone.padEnd(40)} ${r.median.toFixed(0).padStart(7)} ` +
    `${r.p95.toFixed(0).padStart(7)} ${r.min.toFixed(0).padStart(7)}`);
}
if (hooks) {
  const gaps = kinds.flatMap((k) => runs.map((r) => r[k].interactiveFrame - r[k].firstDrawFrame));
  console.log(`first drawn frame → Title frame: ${Math.max(...gaps)} frames apart at most (0: the same frame)`);
}
const spread = (pick) => {
  const v = bytes.map(pick);
  return `${kb(pct(v, 0.5)).padStart(7)} [${kb(pct(v, 0))}–${kb(pct(v, 1))}]`;
};
console.log('cold visit, compressed body kB (1000 B) over the network, median [min–max] of runs:');
console.log(`  the shell: every file fetched, once each   ${spread((b) => b.shell)}  (with sw.js, ${kb(swScript)} br)`);
console.log(`  fetched by the page and its engine Worker  ${spread((b) => b.pageShell)}`);
console.log(`  fetched by the service worker's install    ${spread((b) => b.install)}`);
console.log(`  API (/healthz, /api/)                      ${spread((b) => b.api)}`);
console.log(`  whole first visit (with sw.js)             ${spread((b) => b.total)}`);
console.log('  later loads, shell kB from the network: ' +
  kinds.slice(1).map((k) => `${k} ${spread((b) => b.later[k]).trim()}`).join(', '));
console.log('  per file, run 1          body kB   downloads by page/Worker   by SW install   304s   from HTTP cache/SW');
for (const f of Object.values(perFile).sort((a, b) => b.body - a.body)) {
  console.log(`  ${f.path.padEnd(25)} ${kb(f.body).padStart(7)} ${String(f.page).padStart(26)} ` +
    `${String(f.install).padStart(15)} ${String(f.revalidated).padStart(6)} ${String(f.cached).padStart(20)}`);
}
console.log(`precache list of dist/sw.js            raw kB   br kB   gz kB`);
for (const f of [...precache, { path: 'total', raw: sum('raw'), br: sum('br'), gz: sum('gz') }]) {
  console.log(`  ${f.path.padEnd(34)} ${kb(f.raw).padStart(8)} ${kb(f.br).padStart(7)} ${kb(f.gz).padStart(7)}`);
}
const goalRow = (load) => {
  const r = timeRows.find((x) => x.load === load && x.key === 'interactive');
  return `${load} median ${r.median.toFixed(0)} ms = ${(r.median / GOAL_WARM_MS).toFixed(2)}, p95 ${(r.p95 / GOAL_WARM_MS).toFixed(2)}`;
};
const shell = pct(bytes.map((b) => b.shell), 0.5), total = pct(bytes.map((b) => b.total), 0.5);
const ratio = (v, goal) => (v / goal).toFixed(2);
console.log(`goals (issue #7): warm load to an interactive frame ≤ ${GOAL_WARM_MS} ms: ` +
  `${kinds.slice(1).map(goalRow).join('; ')}. Shell ≤ 1500 kB compressed: ${kb(shell)} kB = ${ratio(shell, GOAL_SHELL_BYTES)} ` +
  `(precache list brotli ${kb(sum('br'))} kB = ${ratio(sum('br'), GOAL_SHELL_BYTES)}; whole first visit ${kb(total)} kB = ` +
  `${ratio(total, GOAL_SHELL_BYTES)})`);

const out = { dist: DIST, runs: RUNS, ui_test_hooks: hooks, machine,
  goals: { warm_ms: GOAL_WARM_MS, shell_bytes: GOAL_SHELL_BYTES }, times: timeRows, bytes,
  cold_files_run1: Object.values(perFile), precache: { files: precache, raw: sum('raw'), br: sum('br'), gz: sum('gz') },
  runs_detail: runs };
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results', 'portal_load.json'), JSON.stringify(out, null, 2) + '\n');
console.log('wrote bench/results/portal_load.json');
