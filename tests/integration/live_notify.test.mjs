// live_notify.test.mjs — the live channel of the real binary: a device waiting on
// GET /api/v1/notify is answered within 2 s of another device's push that concerns it; a change
// that does not concern it (another guest's ticket) does not wake it; the wait is bounded.
// Not here: what the pull then returns (sync_api.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, enrol, startServer } from './support.mjs';

let server, tech, guest, other;

before(async () => {
  server = await startServer({ config: { max_long_poll_seconds: 5 } });
  tech = await enrol(server, { invite: server.invite });
  guest = await enrol(server, { guest: true });
  other = await enrol(server, { guest: true });
});

after(async () => { await server?.stop(); });

test('a waiting technician is told within 2 s when a guest files a ticket', async () => {
  const { cursor } = await tech.pullAll();
  const started = Date.now();
  const waiting = tech.notify(cursor, 5);
  await new Promise((r) => setTimeout(r, 300));
  const m = await api(server, 'GET', '/metrics');
  assert.match(m.text, /lifebuoy_live_waiters 1/);
  const pushedAt = Date.now();
  const pushed = await guest.push(guest.newTicket('Outlook crashes on start'));
  assert.equal(pushed.json.results[0].status, 'accepted');
  const r = await waiting;
  const answeredAt = Date.now();
  assert.equal(r.status, 200);
  assert.equal(r.json.changed, true);
  assert.ok(answeredAt - pushedAt < 2000, `answered ${answeredAt - pushedAt} ms after the push`);
  assert.ok(answeredAt - started >= 250, 'it really waited');
  const { ops } = await tech.pullAll(cursor);
  assert.ok(ops.some((o) => o.field === 'title'));
});

test('a waiting requester is woken by a reply on their ticket, not by someone else\'s ticket', async () => {
  const filed = guest.newTicket('Keyboard missing keys');
  await guest.push(filed);
  const { cursor } = await guest.pullAll();

  // Someone else's ticket: the wait runs to its end with changed=false.
  const quiet = guest.notify(cursor, 2);
  await new Promise((r) => setTimeout(r, 200));
  await other.push(other.newTicket('Not your business'));
  const q = await quiet;
  assert.equal(q.json.changed, false);

  const waiting = guest.notify(cursor, 5);
  await new Promise((r) => setTimeout(r, 200));
  const pushedAt = Date.now();
  await tech.push(tech.comment(filed.ops[0].entity_id, 'public_reply', 'A new keyboard is on its way'));
  const r = await waiting;
  assert.equal(r.json.changed, true);
  assert.ok(Date.now() - pushedAt < 2000);
});

test('notify answers at once when something is already waiting, and bounds the wait', async () => {
  const now = await guest.notify(0, 5);
  assert.equal(now.json.changed, true);
  const { cursor } = await guest.pullAll();
  const started = Date.now();
  const r = await guest.notify(cursor, 1);
  assert.equal(r.json.changed, false);
  const took = Date.now() - started;
  assert.ok(took >= 900 && took < 3000, `waited ${took} ms`);
  // Asking for longer than the server's limit waits at most the limit (5 s here).
  const capped = Date.now();
  const long = await guest.notify(cursor, 600);
  assert.equal(long.json.changed, false);
  assert.ok(Date.now() - capped < 7000);
});
