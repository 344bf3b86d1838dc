// engine-worker.js — hosts the engine WebAssembly module in a dedicated Worker.
//
// One writer across tabs: the Worker that holds the Web Lock "lifebuoy-engine" owns the database
// and runs the engine. The Worker of any other tab of the portal attaches to it: it relays its
// UI's commands over the BroadcastChannel "lifebuoy-engine" and gets the replies (by tab id) and
// every engine event back, so all tabs show the same state and only one ever writes. When the
// owner's tab closes, its lock is released and the next waiting tab takes over; requests relayed
// to the old owner that got no reply are answered "engine_moved" (never re-run: that could file a
// ticket twice).
// Storage: before the engine starts, the owner opens a FileSystemSyncAccessHandle on each OPFS
// file the engine names (the database, its WAL and journal). Opening is asynchronous; the engine then
// uses the handles synchronously through its SQLite VFS. If OPFS is missing (some private modes)
// or the handles can not be had, the engine runs on a memory store and tells the UI that this
// browser may not keep offline data.
// Messages from the UI are command requests (JSON text); each is passed to the engine and its
// reply posted back. The engine posts events (status changes) itself. This script also probes the
// sync server's /healthz so the engine knows whether the help desk is reachable: on start, every
// few seconds, and at once when the browser reports going online or offline.
// Sync: the engine decides every exchange (enrol, push, pull; backoff); this script only performs
// them with fetch, one at a time, and sleeps until the engine says the next one is due. A command
// may make sync due (a new ticket), so the loop is kicked after each one. While enrolled and
// online, a long-poll on /api/v1/notify wakes the loop as soon as the server has news.
/* global createLifebuoyEngine */
'use strict';
importScripts('engine.js');

const PROBE_INTERVAL_MS = 5000;
const PROBE_TIMEOUT_MS = 3000;
const SYNC_TIMEOUT_MS = 30000;     // one sync exchange
const NOTIFY_WAIT_SECONDS = 25;    // the server holds a notify long-poll this long at most
const NOTIFY_RETRY_MS = 5000;      // after a failed long-poll
const LOCK_NAME = 'lifebuoy-engine';
const CHANNEL_NAME = 'lifebuoy-engine';
let engine = null;   // the module, once loaded
let ready = false;   // true once this Worker's engine has started on its storage (owner)
let attached = false;  // true while another tab's Worker owns the engine and this one relays
const waiting = [];  // messages that arrived before either
const relayed = new Map();  // request id → true: relayed to the owner, no reply yet
const tabId = (self.crypto && self.crypto.randomUUID) ? self.crypto.randomUUID() : String(Math.random()).slice(2);
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;

// Engine events go to this tab's UI and, through the channel, to every attached tab.
self.lbBroadcastEvent = (text) => { if (channel && ready) channel.postMessage({ kind: 'event', text }); };
function postEvent(name, data) {
  const text = JSON.stringify({ v: 1, event: name, data });
  postMessage(text);
  self.lbBroadcastEvent(text);
}

// Calls fn(pointer to a UTF-8 copy of text) and returns the C string it returns, as JS text.
function callString(fn, text) {
  const len = engine.lengthBytesUTF8(text) + 1;
  const ptr = engine._malloc(len);
  engine.stringToUTF8(text, ptr, len);
  const result = engine.UTF8ToString(fn(ptr));
  engine._free(ptr);
  return result;
}

// Calls fn(pointer, length) on a copy of `bytes` (a Uint8Array) and returns what fn returns.
function callBytes(fn, bytes) {
  const ptr = engine._malloc(Math.max(1, bytes.length));
  engine.HEAPU8.set(bytes, ptr);
  const result = fn(ptr, bytes.length);
  engine._free(ptr);
  return result;
}

// The exchange an export described (JSON text, "" for none), with its body's bytes.
function takeRequest(text) {
  if (!text) return null;
  const request = JSON.parse(text);
  const ptr = engine._lb_engine_request_body();
  request.body = engine.HEAPU8.slice(ptr, ptr + request.body_bytes);
  return request;
}

function handle(text) {
  postMessage(callString(engine._lb_engine_handle, String(text)));
  kickSync();
}

function relay(text) {
  let id = 0;
  try { id = JSON.parse(text).id; } catch (err) { id = 0; }
  relayed.set(id, true);
  channel.postMessage({ kind: 'request', from: tabId, text: String(text) });
}

function onUiMessage(text) {
  if (ready) handle(text);
  else if (attached) relay(text);
  else waiting.push(text);
}

if (channel) {
  channel.onmessage = (event) => {
    const m = event.data || {};
    if (ready && m.kind === 'request') {
      const reply = callString(engine._lb_engine_handle, String(m.text));
      channel.postMessage({ kind: 'reply', to: m.from, text: reply });
      kickSync();
    } else if (attached && m.kind === 'reply' && m.to === tabId) {
      try { relayed.delete(JSON.parse(m.text).id); } catch (err) { /* a reply without id */ }
      postMessage(m.text);
    } else if (attached && m.kind === 'event') {
      postMessage(m.text);
    }
  };
}

// Performs one HTTP exchange the engine asked for; status 0 when no answer came.
async function exchange(request, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // Sealed by the engine (a sealed envelope, its bytes): the token travels inside it.
    const headers = request.content_type ? { 'Content-Type': request.content_type } : {};
    const response = await fetch(request.path.replace(/^\//, ''), {
      method: request.method, headers, body: request.method === 'GET' ? undefined : request.body,
      cache: 'no-store', signal: controller.signal,
    });
    return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
  } catch (err) {
    return { status: 0, body: new Uint8Array(0) };
  } finally {
    clearTimeout(timer);
  }
}

let syncRunning = false;
let syncTimer = 0;
function kickSync() {
  if (!ready || syncRunning) return;
  clearTimeout(syncTimer);
  runSync();
}

async function runSync() {
  syncRunning = true;
  try {
    for (;;) {
      const next = takeRequest(engine.UTF8ToString(engine._lb_engine_sync_next()));
      if (!next) break;
      const answer = await exchange(next, SYNC_TIMEOUT_MS);
      const failure = engine.UTF8ToString(
        callBytes((ptr, size) => engine._lb_engine_sync_done(answer.status, ptr, size), answer.body));
      if (failure) console.warn('sync could not store an answer:', failure);
    }
  } finally {
    syncRunning = false;
  }
  const dueIn = engine._lb_engine_sync_due_in();
  if (dueIn >= 0) syncTimer = setTimeout(kickSync, Math.min(dueIn, 2147483647));
  listenForNews();
}

// One notify long-poll at a time, while enrolled; news (or an error after a pause) ends it.
let listening = false;
async function listenForNews() {
  if (listening || self.navigator.onLine === false) return;
  const request = takeRequest(engine.UTF8ToString(engine._lb_engine_notify_request(NOTIFY_WAIT_SECONDS)));
  if (!request) return;
  listening = true;
  const answer = await exchange(request, (NOTIFY_WAIT_SECONDS + 10) * 1000);
  // The answer is sealed: the engine opens it and says whether there is news.
  const changed = callBytes((ptr, size) => engine._lb_engine_notify_done(answer.status, ptr, size), answer.body) === 1;
  if (answer.status !== 200) await new Promise((resolve) => setTimeout(resolve, NOTIFY_RETRY_MS));
  listening = false;
  if (changed) engine._lb_engine_sync_wake();
  if (changed || answer.status === 200) kickSync();  // kickSync ends by listening again
  else listenForNews();
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
  kickSync();  // coming back online wakes the engine's sync
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
    else if (reply.result.imported > 0) postEvent('kb_changed', reply.result);
  } catch (err) {
    console.warn('knowledge base articles unavailable:', String(err));
  }
}

self.onmessage = (event) => onUiMessage(event.data);

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

// Opens the storage and starts the engine in this Worker; `tookOver`: another tab owned it before.
async function becomeOwner(tookOver) {
  attached = false;
  const names = engine.UTF8ToString(engine._lb_engine_storage_files()).split('\n').filter(Boolean);
  let opfs = 1, reason = '';
  try {
    engine.lbOpfs = { handles: await openStorageWithRetry(names), lastError: '' };
  } catch (err) {
    opfs = 0;
    reason = err && err.name === 'NoModificationAllowedError' ? 'another program has the database open' : String(err && err.message || err);
  }
  const failure = callString((ptr) => engine._lb_engine_start(opfs, ptr), reason);
  if (failure) {
    postMessage(JSON.stringify({ v: 1, event: 'engine_failed', data: { message: failure } }));
    return;
  }
  ready = true;
  postMessage(JSON.stringify({ v: 1, event: 'engine_mode', data: { mode: 'owner', took_over: tookOver } }));
  for (const id of relayed.keys()) {
    postMessage(JSON.stringify({ v: 1, id, ok: false, error: { code: 'engine_moved',
      message: 'the tab that held your data closed before answering; please try again' } }));
  }
  relayed.clear();
  waiting.splice(0).forEach(handle);
  importStarterArticles();
  kickSync();
  probe();
  setInterval(probe, PROBE_INTERVAL_MS);
  self.addEventListener('online', probe);
  self.addEventListener('offline', probe);
}

function becomeAttached() {
  attached = true;
  postMessage(JSON.stringify({ v: 1, event: 'engine_mode', data: { mode: 'attached' } }));
  waiting.splice(0).forEach(relay);
}

const forever = () => new Promise(() => {});  // a lock held for the Worker's whole life

createLifebuoyEngine().then(async (module) => {
  engine = module;
  const locks = self.navigator.locks;
  if (!locks || !channel) {  // no Web Locks: the OPFS handles' own exclusivity is the guard
    await becomeOwner(false);
    return;
  }
  await locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
    if (lock) {
      await becomeOwner(false);
      return forever();
    }
    becomeAttached();
    locks.request(LOCK_NAME, async () => {  // queued: granted when the owner's tab closes
      await becomeOwner(true);
      return forever();
    });
    return undefined;
  });
}).catch((err) => {
  postMessage(JSON.stringify({ v: 1, event: 'engine_failed', data: { message: String(err) } }));
});
