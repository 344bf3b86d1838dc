// kb_minisearch.mjs — the peer measurement for kb_quality_bench: MiniSearch on the same articles
// and queries, with the settings its README recommends, and a side-by-side table.
//
// Indexes shared/data/kb-corpus.jsonl (fields title + body, stored title) with MiniSearch 7.2.0,
// searches every kb-eval.jsonl query as typed (whole query) with the README's searchOptions
// {boost: {title: 2}, fuzzy: 0.2, prefix: true} and, for fairness, also without fuzzy/prefix, and
// computes recall@5, MRR@10, R@1, R@10, build time, serialized index
// size and per-query latency p50/p95. When bench/results/kb_quality.json (written by
// build/…/bench/kb_quality_bench) exists, prints both engines side by side with ratios.
// Not here: the Lifebuoy measurement itself (bench/kb_quality_bench.cpp).
//
// Usage: node bench/kb_minisearch.mjs [path/to/kb_quality.json] [--configs=readme,exact]
// (the README configuration is slow on these long queries: about 0.6 s per query, 10-25 minutes)
// (needs `npm install` at the repo root for minisearch; LB_SHARED_DATA_DIR overrides ../shared/data)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(path.join(root, 'package.json'));
const MiniSearch = require('minisearch');

const dataDir = process.env.LB_SHARED_DATA_DIR || path.resolve(root, '..', 'shared', 'data');
const lifebuoyJson = process.argv.slice(2).find((a) => !a.startsWith('--')) || path.join(here, 'results', 'kb_quality.json');

const readJsonl = (file) =>
  fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

const corpus = readJsonl(path.join(dataDir, 'kb-corpus.jsonl'));
const queries = readJsonl(path.join(dataDir, 'kb-eval.jsonl'));

// Two configurations: the README's recommended search options (the comparison the issue asks
// for), and a stronger plain-BM25 configuration (no fuzzy, no prefix), so the comparison is fair.
const configs = {
  readme: { name: 'MiniSearch (README)', searchOptions: { boost: { title: 2 }, fuzzy: 0.2, prefix: true } },
  exact: { name: 'MiniSearch (exact)', searchOptions: { boost: { title: 2 } } },
};
const wanted = (process.argv.find((a) => a.startsWith('--configs=')) || '--configs=readme,exact')
  .slice('--configs='.length).split(',').filter((c) => configs[c]);

const pct = (arr, p) => {
  const v = [...arr].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.round(p * (v.length - 1)))];
};

function measure(config) {
  const t0 = performance.now();
  const ms = new MiniSearch({ fields: ['title', 'body'], storeFields: ['title'], searchOptions: config.searchOptions });
  ms.addAll(corpus.map((a) => ({ id: a.id, title: a.title, body: a.body })));
  const buildMs = performance.now() - t0;
  const indexBytes = Buffer.byteLength(JSON.stringify(ms));
  ms.search('warm up');
  let recall5 = 0, mrr10 = 0, r1 = 0, r10 = 0;
  const times = [];
  for (const q of queries) {
    const s = performance.now();
    const results = ms.search(q.query);
    times.push(performance.now() - s);
    const top = results.slice(0, 10).map((r) => r.id);
    const relevant = new Set(q.relevant);
    recall5 += top.slice(0, 5).filter((id) => relevant.has(id)).length / relevant.size;
    const rank = top.findIndex((id) => relevant.has(id));
    if (rank >= 0) {
      mrr10 += 1 / (rank + 1);
      r10 += 1;
      if (rank === 0) r1 += 1;
    }
  }
  const n = queries.length;
  return {
    engine: `MiniSearch 7.2.0 ${JSON.stringify(config.searchOptions)}`, name: config.name,
    recall_at_5: recall5 / n, mrr_at_10: mrr10 / n, recall_at_1: r1 / n, recall_at_10: r10 / n,
    build_ms: buildMs, index_bytes: indexBytes,
    latency_ms: { p50: pct(times, 0.5), p95: pct(times, 0.95), mean: times.reduce((a, b) => a + b, 0) / n },
  };
}

console.log(`kb_minisearch: ${corpus.length} articles, ${queries.length} queries, configurations: ${wanted.join(", ")}`);
const f = (x, d = 4) => (typeof x === 'number' ? x.toFixed(d) : String(x));
let lb = null;
try { lb = JSON.parse(fs.readFileSync(lifebuoyJson, 'utf8')); } catch { /* no C++ results yet */ }
const results = wanted.map((c) => measure(configs[c]));
const rows = [
  ['recall@5', 'recall_at_5', 4],
  ['MRR@10', 'mrr_at_10', 4],
  ['recall@1', 'recall_at_1', 4],
  ['recall@10', 'recall_at_10', 4],
  ['index build ms', 'build_ms', 0],
  ['index size MB', 'size_mb', 2],
  ['latency p50 ms', 'p50', 3],
  ['latency p95 ms', 'p95', 3],
];
const get = (r, key) => {
  if (!r) return undefined;
  if (key === 'p50' || key === 'p95') return r.latency_ms[key];
  if (key === 'size_mb') return (r.db_bytes ?? r.index_bytes) / 1e6;
  return r[key];
};
let header = `${'metric'.padEnd(16)} ${'Lifebuoy'.padStart(10)}`;
for (const r of results) header += ` ${r.name.padStart(20)} ${'LB/MS'.padStart(6)}`;
console.log(header);
for (const [label, key, d] of rows) {
  const a = get(lb, key);
  let line = `${label.padEnd(16)} ${(a === undefined ? '-' : f(a, d)).padStart(10)}`;
  for (const r of results) {
    const b = get(r, key);
    line += ` ${f(b, d).padStart(20)} ${(a !== undefined && b ? (a / b).toFixed(2) : '-').padStart(6)}`;
  }
  console.log(line);
}
console.log('(Lifebuoy size = SQLite database pages incl. article text stored twice, Markdown + plain; MiniSearch size = ' +
  'JSON.stringify(index), which holds no article text; latency: Lifebuoy native C++, MiniSearch Node ' + process.version + ')');
if (!lb) console.log(`(no Lifebuoy results at ${lifebuoyJson}: run build/<config>/bench/kb_quality_bench first)`);
const outDir = path.join(here, 'results');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'kb_minisearch.json'), JSON.stringify(results, null, 2) + '\n');
