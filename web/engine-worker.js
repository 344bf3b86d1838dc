// engine-worker.js — hosts the engine WebAssembly module in a dedicated Worker.
//
// Storage: before the engine starts, this script opens a FileSystemSyncAccessHandle on each OPFS
// file the engine names (the database and its journal). Opening is asynchronous; the engine then
// uses the handles synchronously through its SQLite VFS. A sync access handle is exclusive: if
// OPFS is missing (some private modes) or another tab holds the database, the engine runs on a
// memory store and tells the UI that this browser may not keep offline data.
// Messages from the UI are command requests (JSON text); each is passed to the engine and its
// reply posted back. The engine posts events (status changes) itself. This script also probes the
// sync server's /healthz so the engine knows whether the help desk is reachable: on start, every
// few seconds, and at once when the browser reports going online or offline.
/* global createLifebuoyEngine */
'use strict';
importScripts('engine.js');

const PROBE_INTERVAL_MS = 5000;
const PROBE_TIMEOUT_MS = 3000;
let engine = null;   // the module, once loaded
let ready = false;   // true once the engine has started on its storage
const waiting = [];  // messages that arrived before that

// Calls fn(pointer to a UTF-8 copy of text) and returns the C string it returns, as JS text.
function callString(fn, text) {
  const len = engine.lengthBytesUTF8(text) + 1;
  const ptr = engine._malloc(len);
  engine.stringToUTF8(text, ptr, len);
  const result = engine.UTF8ToString(fn(ptr));
  engine._free(ptr);
  return result;
}

function handle(text) {
  postMessage(callString(engine._lb_engine_handle, String(text)));
}

async function probe() {
  let reachable = false;
  if (self.navigator.onLine !== false) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), PROBE_TIMEOUT_MS);
    try {
      const response = await fetch('healthz', { cache: 'no-store', signal: controller.signal });
      reachable = response.ok;
    } catch (err) {
      reachable = false;
    } finally {
      clearTimeout(timer);
    }
  }
  engine._lb_engine_observe_connectivity(reachable ? 1 : 0);
}

// The knowledge-base articles shipped with the app shell (cached by the service worker, so this
// works offline): the engine re-indexes only the ones that changed.
async function importStarterArticles() {
  try {
    const response = await fetch('kb/articles.json');
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const articles = await response.json();
    const request = JSON.stringify({ v: 1, id: 1, cmd: 'kb_import', args: { articles } });
    const reply = JSON.parse(callString(engine._lb_engine_handle, request));
    if (!reply.ok) console.warn('knowledge base import failed:', reply.error.code, reply.error.message);
    else if (reply.result.imported > 0) postMessage(JSON.stringify({ v: 1, event: 'kb_changed', data: reply.result }));
  } catch (err) {
    console.warn('knowledge base articles unavailable:', String(err));
  }
}

self.onmessage = (event) => (ready ? handle(event.data) : waiting.push(event.data));

async function openStorage(names) {
  if (!self.navigator.storage || !self.navigator.storage.getDirectory) throw new Error('no Origin Private File System');
  const root = await self.navigator.storage.getDirectory();
  const handles = [];
  try {
    for (const name of names) {
      const file = await root.getFileHandle(name, { create: true });
      handles.push(await file.createSyncAccessHandle());
    }
  } catch (err) {
    handles.forEach((h) => h.close());
    throw err;
  }
  return handles;
}

// On a reload the previous page's Worker may still hold the handles for a moment: retry briefly
// before concluding that another tab owns the database.
async function openStorageWithRetry(names, deadlineMs = 3000) {
  const start = Date.now();
  for (;;) {
    try {
      return await openStorage(names);
    } catch (err) {
      if (!err || err.name !== 'NoModificationAllowedError' || Date.now() - start > deadlineMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

createLifebuoyEngine().then(async (module) => {
  engine = module;
  const names = engine.UTF8ToString(engine._lb_engine_storage_files()).split('\n').filter(Boolean);
  let opfs = 1, reason = '';
  try {
    engine.lbOpfs = { handles: await openStorageWithRetry(names), lastError: '' };
  } catch (err) {
    opfs = 0;
    reason = err && err.name === 'NoModificationAllowedError' ? 'another tab has the database open' : String(err && err.message || err);
  }
  const failure = callString((ptr) => engine._lb_engine_start(opfs, ptr), reason);
  if (failure) {
    postMessage(JSON.stringify({ v: 1, event: 'engine_failed', data: { message: failure } }));
    return;
  }
  ready = true;
  waiting.splice(0).forEach(handle);
  importStarterArticles();
  probe();
  setInterval(probe, PROBE_INTERVAL_MS);
  self.addEventListener('online', probe);
  self.addEventListener('offline', probe);
}).catch((err) => {
  postMessage(JSON.stringify({ v: 1, event: 'engine_failed', data: { message: String(err) } }));
});
