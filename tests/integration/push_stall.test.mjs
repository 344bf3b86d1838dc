// push_stall.test.mjs — a push whose storage is held up (here: another process holding the
// database's write lock, as a stuck disk or a careless admin tool would) is answered 503
// `unavailable` with Retry-After once storage_wait_seconds have passed, and the server keeps
// answering meanwhile: every call's storage work runs on the call worker (call_worker.h), never
// on the network thread, so health checks and the web shell answer at once and other calls wait
// their turn (503 too past the wait). The push may still commit after its 503, or not at all;
// either way the device's resend lands it exactly once (`duplicate` with the stored seqs, or
// `accepted`).
// The resend goes on the same keep-alive connection, where the first push's late wake-up once
// ended the resend's wait at once with a second, false 503 (http_server.cpp's wait numbers).
// Not here: kill -9 (crash_recovery.test.mjs), the committer's grouping (tests/server/push_group_test.cpp).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { api, enrol, startServer } from './support.mjs';

let server, guest, tech;

before(async () => {
  server = await startServer({ config: { storage_wait_seconds: 1 } });
  tech = await enrol(server, { invite: server.invite });
  guest = await enrol(server, { guest: true });
});

after(async () => { await server?.stop(); });

// Holds the server database's write lock (BEGIN IMMEDIATE) from another process for `seconds`;
// resolves once the lock is taken, with { released }: a promise of its release (wrapped: an async
// function's returned promise would be awaited along). (The server waits up to 2 s for
// a lock — sqlite_database.cpp's busy timeout — then gives up on that transaction.)
async function holdWriteLock(seconds) {
  const script = [
    'import sqlite3, sys, time',
    'c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)',
    'c.execute("BEGIN IMMEDIATE")',
    'print("locked", flush=True)',
    'time.sleep(float(sys.argv[2]))',
    'c.execute("ROLLBACK")',
  ].join('\n');
  const child = spawn('python3', ['-c', script, join(server.dataDir, 'lifebuoy.db'), String(seconds)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`))));
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { if (String(d).includes('locked')) resolve(); });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`lock holder exited ${code} before locking`)));
  });
  return { released };
}

function countById(ops) {
  const n = new Map();
  for (const o of ops) n.set(o.op_id, (n.get(o.op_id) || 0) + 1);
  return n;
}

test('held up past storage_wait_seconds: 503 unavailable with Retry-After; it commits later and the resend is a duplicate', async () => {
  const batch = guest.newTicket('Laptop will not wake from sleep');
  const { released } = await holdWriteLock(1.5);  // shorter than the server's 2 s lock wait: the push commits at release
  const started = Date.now();
  const stalled = await guest.push(batch);
  const waited = Date.now() - started;
  assert.equal(stalled.status, 503, stalled.text);
  assert.equal(stalled.json.error.code, 'unavailable');
  assert.equal(stalled.headers.get('retry-after'), '1');
  assert.ok(stalled.sealed, 'the answer is sealed like every answer to an opened call');
  assert.ok(waited >= 900 && waited < 1500, `answered after the 1 s wait, not at the commit (${waited} ms)`);
  assert.equal((await api(server, 'GET', '/healthz')).status, 200, 'the server answers while the push waits');
  await released;

  const resent = await guest.push(batch);
  assert.equal(resent.status, 200, resent.text);
  assert.equal(resent.json.results[0].status, 'duplicate', 'it was stored after the 503');
  const seqs = resent.json.results[0].ops.map((o) => o.seq);
  assert.ok(seqs.every((s) => s > 0));
  const { ops } = await tech.pullAll();
  const counts = countById(ops);
  for (const op of batch.ops) assert.equal(counts.get(op.op_id), 1, `op ${op.field} stored once`);
});

test('held up longer than the server waits for the lock: 503, nothing stored, the resend is accepted once', async () => {
  const batch = guest.newTicket('Monitor flickers after docking');
  const { released } = await holdWriteLock(4);  // the store thread gives up after 2 s: this push is not stored
  const stalled = await guest.push(batch);
  assert.equal(stalled.status, 503, stalled.text);
  assert.equal(stalled.json.error.code, 'unavailable');
  await released;

  const before = await tech.pullAll();
  assert.ok(!before.ops.some((o) => o.op_id === batch.ops[0].op_id), 'the stalled push left nothing behind');
  const resent = await guest.push(batch);
  assert.equal(resent.status, 200, resent.text);
  assert.equal(resent.json.results[0].status, 'accepted');
  const { ops } = await tech.pullAll(before.cursor);
  const counts = countById(ops);
  for (const op of batch.ops) assert.equal(counts.get(op.op_id), 1, `op ${op.field} stored once`);
  const metrics = await api(server, 'GET', '/metrics');
  assert.match(metrics.text, /lifebuoy_http_responses_total\{class="5xx"\} [1-9]/, "the 503s are counted");
});

test('while storage is held up, health and the web shell answer at once; a pull waits its turn, then 503', async () => {
  const { released } = await holdWriteLock(3);
  const push = guest.push(guest.newTicket('Dock not charging'));  // parks the store thread on the lock
  const started = Date.now();
  const pull = tech.pull(0);  // its envelope counter needs the database: it waits on the call worker
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const t = Date.now();
    assert.equal((await api(server, 'GET', '/healthz')).status, 200);
    assert.equal((await api(server, 'GET', '/')).status, 200);
    assert.ok(Date.now() - t < 500, `health and the shell answered at once (${Date.now() - t} ms)`);
  }
  const stalledPull = await pull;
  const waited = Date.now() - started;
  assert.equal(stalledPull.status, 503, stalledPull.text);
  assert.equal(stalledPull.json.error.code, 'unavailable');
  assert.equal(stalledPull.headers.get('retry-after'), '1');
  assert.ok(waited >= 900 && waited < 2500, `the pull was answered after the 1 s wait (${waited} ms)`);
  assert.equal((await push).status, 503);
  await released;
  const again = await tech.pull(0);
  assert.equal(again.status, 200, again.text);
});
