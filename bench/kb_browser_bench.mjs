// kb_browser_bench.mjs — knowledge suggestions measured where they run: the built engine
// (dist/engine.js + engine.wasm) in a dedicated Worker of headless Chromium, on OPFS, with the
// whole corpus loaded — and MiniSearch in another dedicated Worker of the same page.
//
// Starts the real lifebuoy-server on the built dist/ and Chromium with an on-disk profile (the
// helpers of tests/browser/harness.mjs); the bench page and Worker sources (bench/kb_browser/) are
// served by playwright routes under /__kb_bench/ (with COOP/COEP, for a 5 µs timer), so dist/
// stays as shipped. Per run and engine:
// - index build: kb_import of the 3,182 articles of shared/data/kb-corpus.jsonl as the Markdown
//   files with front matter it reads (title, category = product area from `source`, no tags, as
//   kb_quality_bench indexes them), in as few commands as the 8 MiB message limit allows;
//   MiniSearch: new MiniSearch + addAll (fields title/tags/body, its README's search options);
// - size: the database's OPFS files; MiniSearch: JSON.stringify(index) in UTF-8 bytes;
// - the first query (Lifebuoy loads its vocabulary there), a warm-up (the next eval query typed
//   through, not counted), then the typing script: the first --queries queries of kb-eval.jsonl
//   typed to --chars characters, one `suggest` (limit 5) per keystroke from the 3rd character on,
//   as the UI asks, each timed inside the Worker and as a round trip from the page.
// Prints medians over --runs runs with Lifebuoy/MiniSearch ratios, p50/p95/p99 by keystroke shape
// and Lifebuoy's slowest keystrokes; writes bench/results/kb_browser.json.
// Not here: ranking quality (kb_quality_bench, kb_minisearch.mjs).
//
// Usage: node bench/kb_browser_bench.mjs [--runs=3] [--queries=200] [--chars=60]
//          [--minisearch-typing-runs=1] [--engines=lifebuoy,minisearch]
// (MiniSearch types through the script in the first run only by default: it takes minutes.
// LB_BUILD_DIR: a build with dist/ and sync-server/, default build/release; LB_DIST_DIR and
// LB_SERVER_BIN override its parts; LB_SHARED_DATA_DIR: default ../shared/data; needs
// `npm install` for playwright-core and minisearch.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchIndexHtml, fmt, listArg, machineLine, median, numberArg, openBenchPage, pct } from './browser_bench/node_support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const RUNS = numberArg('runs', 3), QUERIES = numberArg('queries', 200), CHARS = numberArg('chars', 60), MIN_CHARS = 3;
const MS_TYPING_RUNS = numberArg('minisearch-typing-runs', 1);  // MiniSearch types for minutes per run
const ENGINES = listArg('engines', ['lifebuoy', 'minisearch']);
const build = path.resolve(process.env.LB_BUILD_DIR || path.join(root, 'build', 'release'));
const dataDir = process.env.LB_SHARED_DATA_DIR || path.resolve(root, '..', 'shared', 'data');
process.env.LB_SERVER_BIN ||= path.join(build, 'sync-server', 'lifebuoy-server');
process.env.LB_DIST_DIR ||= path.join(build, 'dist');
const { startServer, launchChromiumProcess } = await import('../tests/browser/harness.mjs');

// [SECTION] data: articles as kb_import files, the MiniSearch documents, the typing script
const readJsonl = (file) =>
  fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const corpus = readJsonl(path.join(dataDir, 'kb-corpus.jsonl'));
const evalQueries = readJsonl(path.join(dataDir, 'kb-eval.jsonl'));
const queries = evalQueries.slice(0, QUERIES);

function cutUtf8(text, maxBytes) {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}
function productArea(source = '') {
  const file = source.slice(source.lastIndexOf(':') + 1);
  const second = file.indexOf('/', file.indexOf('/') + 1);
  return second < 0 ? '' : file.slice(0, second);
}
// Values in "…": the parser strips one pair of matching outer quotes and keeps what is inside.
const articleFile = (a) =>
  `---\ntitle: "${cutUtf8(a.title, 200)}"\ncategory: "${productArea(a.source)}"\n---\n${a.body}\n`;
// A command is at most 8 MiB (client/commands/command_protocol.h): as few kb_import batches as fit.
const MAX_BATCH_BYTES = 7.5 * 2 ** 20;
const batches = [[]];
let batchBytes = 0;
for (const a of corpus) {
  const item = JSON.stringify({ id: a.id, text: articleFile(a) });
  const bytes = Buffer.byteLength(item) + 1;
  if (batchBytes + bytes > MAX_BATCH_BYTES) { batches.push([]); batchBytes = 0; }
  batches.at(-1).push(item);
  batchBytes += bytes;
}
const articleBatches = batches.map((items) => `[${items.join(',')}]`);
const corpusJson = JSON.stringify(corpus.map((a) => ({ id: a.id, title: a.title, body: a.body })));
// Each draft text from the 3rd character on, as the UI asks after each keystroke.
const keystrokes = (list) => list.flatMap((q) => {
  const chars = Array.from(q.query).slice(0, CHARS);
  return chars.slice(MIN_CHARS - 1).map((_, i) => chars.slice(0, MIN_CHARS + i).join(''));
});
const strokes = keystrokes(queries);
const warmUp = keystrokes(evalQueries.slice(QUERIES, QUERIES + 1));  // typed first, not counted

const minisearchDir = path.join(root, 'node_modules', 'minisearch');
const minisearchVersion = JSON.parse(fs.readFileSync(path.join(minisearchDir, 'package.json'), 'utf8')).version;
const served = {
  'index.html': ['text/html; charset=utf-8', benchIndexHtml('kb bench')],
  'page_support.js': ['text/javascript', fs.readFileSync(path.join(here, 'browser_bench', 'page_support.js'))],
  'worker_support.js': ['text/javascript', fs.readFileSync(path.join(here, 'browser_bench', 'worker_support.js'))],
  'page.js': ['text/javascript', fs.readFileSync(path.join(here, 'kb_browser', 'page.js'))],
  'lifebuoy_worker.js': ['text/javascript', fs.readFileSync(path.join(here, 'kb_browser', 'lifebuoy_worker.js'))],
  'minisearch_worker.js': ['text/javascript', fs.readFileSync(path.join(here, 'kb_browser', 'minisearch_worker.js'))],
  'minisearch.js': ['text/javascript', fs.readFileSync(path.join(minisearchDir, 'dist', 'umd', 'index.js'))],
  'article-batches.json': ['application/json', JSON.stringify(articleBatches)],
  'corpus.json': ['application/json', corpusJson],
  'keystrokes.json': ['application/json', JSON.stringify(strokes)],
  'warm-up.json': ['application/json', JSON.stringify(warmUp)],
};

// [SECTION] statistics
const latency = (times) => ({ p50: pct(times, 0.5), p95: pct(times, 0.95), p99: pct(times, 0.99),
  max: pct(times, 1), count: times.length, within_5ms: times.filter((t) => t <= 5).length / times.length });
// Keystroke shapes: how long the draft is, and whether it ends inside a word (prefix match) or
// after a space or punctuation (the last word complete: typo corrections apply).
const shapes = [['3-4 chars', (s) => s.length <= 4], ['5-8 chars', (s) => s.length >= 5 && s.length <= 8],
  ['9-16 chars', (s) => s.length >= 9 && s.length <= 16], ['17-32 chars', (s) => s.length >= 17 && s.length <= 32],
  ['33+ chars', (s) => s.length >= 33], ['ends inside a word', (s) => /[\p{L}\p{N}]$/u.test(s)],
  ['ends after a space/punct.', (s) => !/[\p{L}\p{N}]$/u.test(s)]];

// [SECTION] the run
const loadBefore = os.loadavg();
const server = await startServer({});
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lifebuoy-kb-bench-'));
const chromium = await launchChromiumProcess(profile);
const results = { lifebuoy: [], minisearch: [] };
let browserVersion = '', isolated = false;
try {
  const bench = await openBenchPage({ chromium, server, prefix: '/__kb_bench/', served, readyGlobal: 'kbBench' });
  browserVersion = bench.browserVersion;
  isolated = bench.isolated;
  process.stderr.write(`kb_browser_bench: ${strokes.length} keystrokes per run, ${RUNS} runs\n`);
  for (let run = 1; run <= RUNS; run++) {
    for (const engine of ENGINES) {
      const t0 = Date.now();
      const typing = engine === 'lifebuoy' || run <= MS_TYPING_RUNS;
      const r = await bench.evaluate(([name, t]) => window.kbBench[name](t), [engine, typing]);
      if (r.errors || r.in_worker.length !== (typing ? strokes.length : 0))
        throw new Error(`${engine}: ${r.errors} errors ${r.first_error || ''}`);
      if (engine === 'lifebuoy' && !r.started.opfs) throw new Error('engine ran without OPFS: ' + r.started.reason);
      results[engine].push(r);
      process.stderr.write(`  run ${run} ${engine}: ${((Date.now() - t0) / 1000).toFixed(0)} s` +
        (typing ? `, keystroke p95 ${latency(r.in_worker).p95.toFixed(2)} ms\n` : '\n'));
    }
  }
} finally {
  await chromium.close();
  await server.stop();
  fs.rmSync(profile, { recursive: true, force: true });
}

// [SECTION] report
const summarize = (runs, pick) => median(runs.map(pick).filter(Number.isFinite));
const lb = results.lifebuoy, ms = results.minisearch;
const lbTyped = lb, msTyped = ms.filter((r) => r.in_worker.length > 0);
const dbBytes = (r) => r.files.reduce((sum, f) => sum + f.bytes, 0);
const rows = [
  ['index build ms (in Worker)', summarize(lb, (r) => r.import_ms), summarize(ms, (r) => r.build_ms), 0],
  ['index build ms (round trip)', summarize(lb, (r) => r.import_round_trip_ms), summarize(ms, (r) => r.build_round_trip_ms), 0],
  ['database / index MB', summarize(lb, dbBytes) / 1e6, summarize(ms, (r) => r.index_bytes) / 1e6, 1],
  ['first query ms (after build)', summarize(lb, (r) => r.first_query_ms), summarize(ms, (r) => r.first_query_ms), 1],
];
for (const [where, key] of [['in Worker', 'in_worker'], ['round trip', 'round_trip']]) {
  for (const p of ['p50', 'p95', 'p99']) {
    rows.push([`keystroke ${p} ms (${where})`, summarize(lbTyped, (r) => latency(r[key])[p]),
      summarize(msTyped, (r) => latency(r[key])[p]), 2]);
  }
}
rows.push(['keystrokes <= 5 ms (in Worker) %', summarize(lbTyped, (r) => latency(r.in_worker).within_5ms) * 100,
  summarize(msTyped, (r) => latency(r.in_worker).within_5ms) * 100, 1]);
rows.push(['OPFS reads per keystroke p50', summarize(lbTyped, (r) => pct(r.reads, 0.5)), NaN, 0]);
rows.push(['OPFS reads per keystroke p95', summarize(lbTyped, (r) => pct(r.reads, 0.95)), NaN, 0]);

const machine = machineLine({ loadBefore, browserVersion, isolated });
console.log(`kb_browser_bench: ${corpus.length} articles; ${queries.length} queries typed to ${CHARS} characters = ` +
  `${strokes.length} suggestion calls per run; medians of ${RUNS} runs (MiniSearch typing: ${msTyped.length})`);
console.log(`Lifebuoy: dist/engine.wasm in a dedicated Worker, OPFS (${lb.length ? lb[0].files.map((f) => f.name).join(', ') : '-'}), ` +
  `corpus in ${articleBatches.length} kb_import commands (8 MiB message limit); ` +
  `MiniSearch ${minisearchVersion} in a dedicated Worker of the same page, fields title/tags/body, ` +
  `{boost: {title: 2}, fuzzy: 0.2, prefix: true}, top 5 of search()`);
console.log(machine);
console.log(`${'metric'.padEnd(34)} ${'Lifebuoy'.padStart(10)} ${'MiniSearch'.padStart(10)} ${'LB/MS'.padStart(7)}`);
for (const [label, a, b, d] of rows)
  console.log(`${label.padEnd(34)} ${fmt(a, d).padStart(10)} ${fmt(b, d).padStart(10)} ${fmt(a / b, 2).padStart(7)}`);

// Per keystroke shape (in Worker, typed runs pooled); Lifebuoy's slowest keystrokes (median over runs)
const pooled = (runs, filter) => runs.flatMap((r) => r.in_worker.filter((_, i) => filter(strokes[i])));
const shapeRows = shapes.map(([name, filter]) => ({ shape: name, keystrokes: strokes.filter(filter).length,
  lifebuoy: latency(pooled(lbTyped, filter)), minisearch: latency(pooled(msTyped, filter)) }));
console.log(`${'by keystroke shape (in Worker)'.padEnd(30)} ${'count'.padStart(6)} ${'LB p50'.padStart(8)} ` +
  `${'LB p95'.padStart(8)} ${'LB p99'.padStart(8)} ${'MS p50'.padStart(8)} ${'MS p95'.padStart(8)}`);
for (const r of shapeRows) {
  console.log(`  ${r.shape.padEnd(28)} ${String(r.keystrokes).padStart(6)} ${fmt(r.lifebuoy.p50, 2).padStart(8)} ` +
    `${fmt(r.lifebuoy.p95, 2).padStart(8)} ${fmt(r.lifebuoy.p99, 2).padStart(8)} ${fmt(r.minisearch.p50, 2).padStart(8)} ` +
    `${fmt(r.minisearch.p95, 2).padStart(8)}`);
}
const slowest = lb.length ? strokes.map((text, i) => ({ text, ms: median(lb.map((r) => r.in_worker[i])) }))
  .sort((a, b) => b.ms - a.ms).slice(0, 10) : [];
if (slowest.length) {
  console.log('Lifebuoy slowest keystrokes (median ms over runs): ' +
    slowest.slice(0, 5).map((k) => `${k.ms.toFixed(1)} ${JSON.stringify(k.text)}`).join('; '));
}

const out = {
  articles: corpus.length, queries: queries.length, chars: CHARS, keystrokes_per_run: strokes.length, runs: RUNS,
  machine, chromium: browserVersion, cross_origin_isolated: isolated, minisearch_version: minisearchVersion,
  summary: Object.fromEntries(rows.map(([label, a, b]) => [label, { lifebuoy: a, minisearch: b }])),
  shapes: shapeRows, lifebuoy_slowest: slowest,
  runs_detail: Object.fromEntries(Object.entries(results).map(([k, list]) => [k, list.map((r) => ({
    ...Object.fromEntries(Object.entries(r).filter(([key]) => !['in_worker', 'round_trip', 'reads'].includes(key))),
    in_worker: latency(r.in_worker), round_trip: latency(r.round_trip) }))])),
};
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results', 'kb_browser.json'), JSON.stringify(out, null, 2) + '\n');
console.log('wrote bench/results/kb_browser.json');
