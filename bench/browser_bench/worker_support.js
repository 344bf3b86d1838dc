// worker_support.js — prelude of the bench Workers that host the Lifebuoy engine
// (bench/*/lifebuoy_worker.js; the page prepends it): load dist/engine.js + engine.wasm from the
// server, open an OPFS sync access handle for each file lb_engine_storage_files() names — as
// web/engine-worker.js does — and call the engine's C exports with text.
/* global createLifebuoyEngine */
'use strict';

// The engine module from `origin` (dist/engine.js, engine.wasm).
async function loadEngine(origin) {
  importScripts(origin + '/engine.js');
  return createLifebuoyEngine({ locateFile: (file) => origin + '/' + file });
}

// fn(pointer to a UTF-8 copy of text) → the C string it returns, as JS text.
function callEngine(engine, fn, text) {
  const size = engine.lengthBytesUTF8(text) + 1;
  const ptr = engine._malloc(size);
  try {
    engine.stringToUTF8(text, ptr, size);
    return engine.UTF8ToString(fn(ptr));
  } finally {
    engine._free(ptr);
  }
}

// Opens the engine's storage files in OPFS and hands them to the engine; {names, handles}.
// Throws (with every handle it opened closed again) when OPFS is not available.
async function openEngineStorage(engine) {
  const names = engine.UTF8ToString(engine._lb_engine_storage_files()).split('\n').filter(Boolean);
  const handles = [];
  try {
    const root = await navigator.storage.getDirectory();
    for (const name of names) {
      const file = await root.getFileHandle(name, { create: true });
      handles.push(await file.createSyncAccessHandle());
    }
  } catch (err) {
    handles.forEach((h) => h.close());
    throw err;
  }
  engine.lbOpfs = { handles, lastError: '' };
  return { names, handles };
}
