// minisearch_worker.js — bench-only dedicated Worker for bench/kb_browser_bench.mjs: MiniSearch
// (its UMD bundle is prepended to this file by the page) on the same articles, with the search
// options its README recommends, answering suggestion requests the way the engine Worker does.
//
// Messages in: a string is the UI's `suggest` command for one keystroke (JSON text, as the engine
// gets it), answered with a JSON reply text of the top `limit` hits {id, title, score}; an object
// {op} is a bench control, answered with an object:
//   {op: 'build', corpus}   parse the JSON array text [{id, title, body}], then index it (timed)
//   {op: 'times'}           the per-call times (ms) so far and a reply check
// Not here: the Lifebuoy engine (lifebuoy_worker.js).
/* global MiniSearch */
'use strict';

let index = null;
let times = [];
let replies = [];

function build(corpusJson) {
  const docs = JSON.parse(corpusJson);
  const t0 = performance.now();
  index = new MiniSearch({
    fields: ['title', 'tags', 'body'],
    storeFields: ['title'],
    searchOptions: { boost: { title: 2 }, fuzzy: 0.2, prefix: true },
  });
  index.addAll(docs);
  const ms = performance.now() - t0;
  const bytes = new TextEncoder().encode(JSON.stringify(index)).length;
  return { ms, documents: index.documentCount, index_bytes: bytes, isolated: self.crossOriginIsolated };
}

function takeTimes() {
  let hits = 0;
  for (const text of replies) hits += JSON.parse(text).result.hits.length;
  const out = { times, errors: 0, hits };
  times = [];
  replies = [];
  return out;
}

self.onmessage = (event) => {
  if (typeof event.data === 'string') {
    const t0 = performance.now();
    const command = JSON.parse(event.data);
    const hits = index.search(command.args.text).slice(0, command.args.limit)
      .map((h) => ({ id: h.id, title: h.title, score: h.score }));
    const reply = JSON.stringify({ v: 1, id: command.id, ok: true, result: { hits } });
    times.push(performance.now() - t0);
    self.postMessage(reply);
    replies.push(reply);
    return;
  }
  try {
    const m = event.data;
    if (m.op === 'build') self.postMessage(build(m.corpus));
    else if (m.op === 'times') self.postMessage(takeTimes());
    else throw new Error('unknown op ' + m.op);
  } catch (err) {
    self.postMessage({ error: String(err && err.stack || err) });
  }
};
