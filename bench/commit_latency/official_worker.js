// official_worker.js — bench-only dedicated Worker for bench/commit_latency_bench.mjs (served by
// the bench, never part of dist/; io_counters.js is prepended): the official SQLite WebAssembly
// build (@sqlite.org/sqlite-wasm) on its opfs-sahpool VFS doing what one Lifebuoy create_ticket
// writes (client/engine/schema.cpp, local_store.cpp, engine_tickets.cpp): the same tables and
// indexes, and per ticket ONE transaction (BEGIN IMMEDIATE) of 7 ops rows (wire JSON of each op),
// the outbox row (wire JSON of the batch), the "new_ticket" draft deleted and the sync_state row
// updated; the same pragmas (locking_mode=EXCLUSIVE, synchronous=FULL, foreign_keys=ON) but the
// rollback journal (journal_mode=TRUNCATE) opfs-sahpool is documented with: WAL in exclusive mode
// (Lifebuoy's) never finished opening on opfs-sahpool here (@sqlite.org/sqlite-wasm 3.54.1-build1,
// Chromium 156: the Worker hangs). Each statement is prepared, bound and stepped per use (db.exec
// with bind), as the engine's Database::prepare does.
// Messages: {op:'start', moduleUrl, wasm}  (the package's dist/index.mjs as a blob: URL, its
// sqlite3.wasm bytes: Chromium does not route Worker requests); then 'series', 'fill', 'sizes',
// 'close' as in lifebuoy_worker.js.
/* global ioSnapshot, ioDelta, benchDescription */
'use strict';

let sqlite3 = null, pool = null, db = null;
const DB_NAME = '/official.db';

const SCHEMA = `
CREATE TABLE engine_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE drafts (form TEXT PRIMARY KEY NOT NULL, fields TEXT NOT NULL, saved_at_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE ops (op_id TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL, server_seq INTEGER, batch_id TEXT,
  rejected INTEGER NOT NULL DEFAULT 0, error_code TEXT, error_message TEXT);
CREATE INDEX ops_batch ON ops(batch_id) WHERE batch_id IS NOT NULL;
CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL,
  ticket_id TEXT NOT NULL, action TEXT NOT NULL, created_at_ms INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0, answered_at_ms INTEGER, error_code TEXT, error_message TEXT);
CREATE INDEX outbox_ticket ON outbox(ticket_id);
CREATE TABLE sync_state (id INTEGER PRIMARY KEY CHECK (id = 1), cursor INTEGER NOT NULL DEFAULT 0,
  node TEXT NOT NULL, local_user TEXT NOT NULL, device_token TEXT, user_id TEXT, role TEXT,
  hlc TEXT NOT NULL DEFAULT '0000000000000000', enroll_request TEXT, last_sync_ms INTEGER, last_error TEXT);
PRAGMA user_version = 3;`;

const hex = (bytes) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
const NODE = hex(8), USER = hex(16);
const IMPACT = ['low', 'medium', 'high'];
let hlcCounter = 0;
const nextHlc = () => (BigInt(Date.now()) * 65536n + BigInt(hlcCounter++ & 0xffff)).toString(16).padStart(16, '0');

// The wire JSON of a new ticket's ops and of its batch (shared/src/wire_encode.cpp: keys sorted).
function ticketWrite(i) {
  const ticket = hex(16), batchId = hex(16);
  const fields = [['status', 'new'], ['requester', USER], ['channel', 'web'],
    ['title', `Wi-Fi keeps dropping on floor 4 (#${i})`], ['description', benchDescription(i)],
    ['urgency', IMPACT[(i + 1) % 3]], ['impact', IMPACT[i % 3]]];
  const ops = fields.map(([field, value]) => ({ entity: 'ticket', entity_id: ticket, field, hlc: nextHlc(),
    node: NODE, op_id: hex(16), value }));
  return {
    ticket, batchId,
    ops: ops.map((op) => ({ id: op.op_id, body: JSON.stringify({ ...op, v: 1 }) })),
    batch: JSON.stringify({ batch_id: batchId, ops, v: 1 }),
    hlc: ops[ops.length - 1].hlc,
  };
}

function commitTicket(w) {
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const op of w.ops)
      db.exec({ sql: 'INSERT INTO ops(op_id, body, batch_id) VALUES (?1, ?2, ?3)', bind: [op.id, op.body, w.batchId] });
    db.exec({ sql: 'INSERT INTO outbox(batch_id, body, ticket_id, action, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)',
      bind: [w.batchId, w.batch, w.ticket, 'create_ticket', Date.now()] });
    db.exec({ sql: 'DELETE FROM drafts WHERE form = ?1', bind: ['new_ticket'] });
    db.exec({ sql: 'UPDATE sync_state SET cursor = ?1, device_token = ?2, user_id = ?3, role = ?4, hlc = ?5, ' +
      'enroll_request = ?6, last_sync_ms = ?7, last_error = ?8 WHERE id = 1',
    bind: [0, null, null, null, w.hlc, null, null, null] });
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

async function start(moduleUrl, wasm) {
  const t0 = performance.now();
  const { default: sqlite3InitModule } = await import(moduleUrl);
  // locateFile only names the file (the blob: module has no base URL); wasmBinary means no fetch.
  sqlite3 = await sqlite3InitModule({ wasmBinary: wasm, locateFile: (file) => `${self.location.origin}/__commit_bench/${file}`, print: () => {}, printErr: (...a) => console.warn(...a) });
  pool = await sqlite3.installOpfsSAHPoolVfs({ name: 'bench-sahpool', directory: '.bench-sahpool', clearOnInit: true });
  db = new pool.OpfsSAHPoolDb(DB_NAME);
  for (const pragma of ['PRAGMA locking_mode=EXCLUSIVE', 'PRAGMA journal_mode=TRUNCATE', 'PRAGMA synchronous=FULL',
    'PRAGMA foreign_keys=ON']) db.exec(pragma);
  db.exec(SCHEMA);
  db.exec({ sql: 'INSERT OR IGNORE INTO sync_state(id, node, local_user) VALUES (1, ?1, ?2)', bind: [NODE, USER] });
  const journal = db.selectValue('PRAGMA journal_mode');
  return { start_ms: performance.now() - t0, isolated: self.crossOriginIsolated, version: sqlite3.version.libVersion,
    journal_mode: journal, synchronous: db.selectValue('PRAGMA synchronous'), page_size: db.selectValue('PRAGMA page_size') };
}

function series(n, first) {
  const times = [], io = [];
  for (let i = 0; i < n; i++) {
    const w = ticketWrite(first + i);  // made before timing, as the engine command text is
    const before = ioSnapshot();
    const t0 = performance.now();
    commitTicket(w);
    times.push(performance.now() - t0);
    io.push(ioDelta(before, ioSnapshot()));
  }
  return { times, io, errors: 0 };
}

function fill(count, first) {
  const before = ioSnapshot();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) commitTicket(ticketWrite(first + i));
  return { ms: performance.now() - t0, count, io: ioDelta(before, ioSnapshot()), errors: 0 };
}

function sizes() {
  const pageCount = db.selectValue('PRAGMA page_count'), pageSize = db.selectValue('PRAGMA page_size');
  const tickets = db.selectValue('SELECT count(*) FROM outbox');
  return { files: [{ name: 'official.db (page_count × page_size)', bytes: pageCount * pageSize }], tickets,
    pool_files: pool.getFileNames() };
}

self.onmessage = async (event) => {
  const m = event.data;
  try {
    if (m.op === 'start') self.postMessage(await start(m.moduleUrl, m.wasm));
    else if (m.op === 'series') self.postMessage(series(m.n, m.first));
    else if (m.op === 'fill') self.postMessage(fill(m.count, m.first));
    else if (m.op === 'sizes') self.postMessage(sizes());
    else if (m.op === 'close') { db.close(); await pool.pauseVfs?.(); self.postMessage({ closed: 1 }); }
    else throw new Error('unknown op ' + m.op);
  } catch (err) {
    self.postMessage({ error: String(err && err.stack || err) });
  }
};
