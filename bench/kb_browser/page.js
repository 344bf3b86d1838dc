// page.js — the in-page half of bench/kb_browser_bench.mjs (served by the bench under /__kb_bench/,
// never part of dist/). window.kbBench.lifebuoy() and .minisearch(typing) each do one run in a
// fresh dedicated Worker: build the index from the whole corpus; one first query (timed: Lifebuoy
// loads its vocabulary there); a warm-up (one more query typed through, not counted: the JIT's
// first tiers); then (for MiniSearch only when `typing`: its keystrokes take minutes) every
// keystroke of the typing script as the UI's `suggest` command (limit 5), one at a time — the next
// only after the previous reply, as the UI keeps one request in flight — timing each round trip
// here (postMessage to reply received). The Workers time their own calls. Raw times go back to
// node, which computes percentiles and medians. Fetching, Workers and OPFS clearing:
// ../browser_bench/page_support.js (loaded before this file).
/* global benchFetch, startBenchWorker, clearOpfs */
'use strict';

const WARM_UP = 'warm up';

async function timed(promise) {
  const t0 = performance.now();
  const value = await promise;
  return [value, performance.now() - t0];
}

// The command the UI sends for a draft text (client/ui/knowledge_panel.cpp), made before timing.
const suggestCommand = (id, text) => JSON.stringify({ v: 1, id, cmd: 'suggest', args: { text, limit: 5 } });

async function typeAll(send, file = 'keystrokes.json') {
  const strokes = JSON.parse(await benchFetch(file));
  const commands = strokes.map((text, i) => suggestCommand(i + 100, text));
  const roundTrip = new Array(strokes.length);
  for (let i = 0; i < commands.length; i++) {
    const t0 = performance.now();
    await send(commands[i]);
    roundTrip[i] = performance.now() - t0;
  }
  return roundTrip;
}

async function lifebuoy() {
  await clearOpfs();
  const w = await startBenchWorker(['worker_support.js', 'lifebuoy_worker.js']);
  try {
    const started = await w.control({ op: 'start', origin: location.origin });
    if (started.failure) throw new Error('engine did not start: ' + started.failure);
    const batches = JSON.parse(await benchFetch('article-batches.json'));
    const [imported, importRoundTrip] = await timed(w.control({ op: 'import', batches }));
    if (!imported.reply.ok) throw new Error('kb_import failed: ' + JSON.stringify(imported.reply.error));
    const [, firstRoundTrip] = await timed(w.send(suggestCommand(99, WARM_UP)));
    const first = await w.control({ op: 'times' });
    await typeAll(w.send, 'warm-up.json');
    await w.control({ op: 'times' });
    const roundTrip = await typeAll(w.send);
    const inWorker = await w.control({ op: 'times' });
    await w.control({ op: 'close' });
    const estimate = await navigator.storage.estimate();
    return {
      started, import_ms: imported.ms, import_batch_ms: imported.batch_ms, import_round_trip_ms: importRoundTrip, import_result: imported.reply.result,
      files: imported.files, storage_usage_bytes: estimate.usage,
      first_query_ms: first.times[0], first_query_round_trip_ms: firstRoundTrip,
      in_worker: inWorker.times, reads: inWorker.reads, first_query_reads: first.reads[0],
      round_trip: roundTrip, errors: inWorker.errors, first_error: inWorker.first_error,
      hits: inWorker.hits,
    };
  } finally {
    w.done();
  }
}

async function minisearch(typing = true) {
  const w = await startBenchWorker(['minisearch.js', 'minisearch_worker.js']);
  try {
    const corpus = await benchFetch('corpus.json');
    const [built, buildRoundTrip] = await timed(w.control({ op: 'build', corpus }));
    const [, firstRoundTrip] = await timed(w.send(suggestCommand(99, WARM_UP)));
    const first = await w.control({ op: 'times' });
    if (typing) await typeAll(w.send, 'warm-up.json');
    await w.control({ op: 'times' });
    const roundTrip = typing ? await typeAll(w.send) : [];
    const inWorker = await w.control({ op: 'times' });
    return {
      build_ms: built.ms, build_round_trip_ms: buildRoundTrip, documents: built.documents,
      index_bytes: built.index_bytes, isolated: built.isolated,
      first_query_ms: first.times[0], first_query_round_trip_ms: firstRoundTrip,
      in_worker: inWorker.times, round_trip: roundTrip, errors: inWorker.errors, hits: inWorker.hits,
    };
  } finally {
    w.done();
  }
}

window.kbBench = { lifebuoy, minisearch };
