// page_support.js — in-page helpers shared by the browser benches' pages (served by each bench
// before its own page.js, under its private prefix; never part of dist/): bench files fetched from
// that prefix, Workers made from Blob URLs of fetched sources (Chromium does not route Worker
// requests, so every file a bench serves is fetched by the page), and OPFS cleared between runs.
'use strict';

const benchPrefix = new URL('.', location.href).pathname;  // e.g. /__kb_bench/
const benchTexts = new Map();

// A bench file as text (kept: large inputs are fetched once per page) or as bytes.
async function benchFetch(name, kind = 'text') {
  if (kind === 'text' && benchTexts.has(name)) return benchTexts.get(name);
  const response = await fetch(benchPrefix + name, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  if (kind === 'bytes') return response.arrayBuffer();
  const text = await response.text();
  benchTexts.set(name, text);
  return text;
}

// A Worker running the concatenated sources of `files`, whose messages answer ours one for one:
// send(message, transfer) resolves with the answer; control() also rejects an answer {error}.
async function startBenchWorker(files) {
  const sources = await Promise.all(files.map((f) => benchFetch(f)));
  const url = URL.createObjectURL(new Blob(sources.map((s) => s + '\n;\n'), { type: 'text/javascript' }));
  const worker = new Worker(url);
  let waiting = null;
  worker.onmessage = (event) => { const w = waiting; waiting = null; if (w) w.resolve(event.data); };
  worker.onerror = (event) => {
    const w = waiting;
    waiting = null;
    if (w) w.reject(new Error('worker error: ' + (event.message || 'unknown')));
  };
  const send = (message, transfer = []) => new Promise((resolve, reject) => {
    waiting = { resolve, reject };
    worker.postMessage(message, transfer);
  });
  const control = async (message, transfer = []) => {
    const answer = await send(message, transfer);
    if (answer && answer.error) throw new Error(answer.error);
    return answer;
  };
  return { worker, send, control, done: () => { worker.terminate(); URL.revokeObjectURL(url); } };
}

// Retries fn while a Worker that just closed may still hold an OPFS handle (up to ~5 s).
async function retryWhileBusy(fn) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt > 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

// A fresh database for every run: remove everything an earlier run left in OPFS.
async function clearOpfs() {
  const root = await navigator.storage.getDirectory();
  const names = [];
  for await (const name of root.keys()) names.push(name);
  for (const name of names) await retryWhileBusy(() => root.removeEntry(name, { recursive: true }));
}

// Every OPFS file with its size (call after the Workers are gone, so no handle is open).
async function opfsFiles(dir = null, prefix = '') {
  dir = dir || await navigator.storage.getDirectory();
  const out = [];
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind === 'directory') out.push(...await opfsFiles(handle, prefix + name + '/'));
    else out.push({ name: prefix + name, bytes: await retryWhileBusy(async () => (await handle.getFile()).size) });
  }
  return out;
}
