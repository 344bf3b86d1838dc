// pouch_server.mjs — the peer's server for sync_load_bench.mjs part 3: a CouchDB-compatible HTTP
// server from npm — express-pouchdb 4.2.0 (its "minimumForPouchDB" mode: the routes PouchDB's
// replication uses, gzip included) on PouchDB 9 with the in-memory adapter (memdown) — in its own
// process, so its CPU time is read from /proc like lifebuoy-server's.
//
// Started with child_process.fork; prints nothing, sends {port} once listening. On the message
// 'stats' it answers {bytes}: TCP payload bytes read + written by every connection so far (the
// HTTP requests and answers of the replications).
// Not here: the replicating side (sync_load_bench.mjs).
import { createRequire } from 'node:module';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const PouchDB = require('pouchdb-core').plugin(require('pouchdb-adapter-memory')).plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));
const express = require('express');
const expressPouchDB = require('express-pouchdb');

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifebuoy-pouch-server-'));
const app = express();
app.use('/', expressPouchDB(PouchDB.defaults({ adapter: 'memory' }), {
  mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: path.join(logDir, 'log.txt') }));
const sockets = new Set();
let closedBytes = 0;
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
server.on('connection', (s) => {
  sockets.add(s);
  s.once('close', () => { closedBytes += s.bytesRead + s.bytesWritten; sockets.delete(s); });
});
process.on('message', (m) => {
  if (m !== 'stats') return;
  let bytes = closedBytes;
  for (const s of sockets) bytes += s.bytesRead + s.bytesWritten;
  process.send({ bytes });
});
process.on('disconnect', () => { fs.rmSync(logDir, { recursive: true, force: true }); process.exit(0); });
