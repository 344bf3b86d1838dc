// enrolment_repeat.test.mjs — enrolment is idempotent by the device's enrolment_id, against the
// real binary over HTTP: a replayed enrol body (its answer "lost") answers the same user and device
// with a new token that works, the lost token stops working once the new one is used; the same
// after kill -9 and restart; another enrolment_id with the used invite is invite_used; the id with
// another invite is 409 enrolment_id_conflict; a malformed id is 400 bad_enrolment_id; a guest's
// replay is one user; repeats are counted in /metrics.
// Not here: the rules in detail (tests/server/enrolment_repeat_test.cpp), the engine (tests/unit).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { api, hex, runCli, startServer, tempDir } from './support.mjs';

let server;
const workDir = tempDir();

before(async () => { server = await startServer({ dataDir: join(workDir, 'data') }); });
after(async () => {
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

function invite(name) {
  return runCli(['invite', '--role', 'requester', '--name', name, '--data-dir', server.dataDir]).match(/code: (\S+)/)[1];
}

const enroll = (body) => api(server, 'POST', '/api/v1/enroll', { body });
const pull = (token) => api(server, 'POST', '/api/v1/pull', { body: { cursor: 0 }, token });

test('a replayed enrol body answers the same user and device; the lost token stops working', async () => {
  const body = { invite: invite('Rita'), display_name: 'Rita', device_label: 'laptop', enrolment_id: hex(16) };
  const lost = await enroll(body);
  assert.equal(lost.status, 200, lost.text);
  const again = await enroll(body);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.user_id, lost.json.user_id);
  assert.equal(again.json.device_id, lost.json.device_id);
  assert.equal(again.json.node, lost.json.node);
  assert.equal(again.json.role, 'requester');
  assert.notEqual(again.json.device_token, lost.json.device_token);
  assert.equal((await pull(again.json.device_token)).status, 200);
  const old = await pull(lost.json.device_token);
  assert.equal(old.status, 401);
  assert.equal(old.json.error.code, 'unauthenticated');

  const other = await enroll({ ...body, enrolment_id: hex(16) });
  assert.equal(other.status, 403);
  assert.equal(other.json.error.code, 'invite_used');
  const conflict = await enroll({ ...body, invite: invite('Rob') });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.json.error.code, 'enrolment_id_conflict');
  const bad = await enroll({ ...body, enrolment_id: 'ABC' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'bad_enrolment_id');
});

test('a guest replay is one user; repeats are counted in /metrics', async () => {
  const body = { guest: true, display_name: 'Gail', enrolment_id: hex(16) };
  const first = await enroll(body);
  const second = await enroll(body);
  assert.equal(first.status, 200, first.text);
  assert.equal(second.status, 200, second.text);
  assert.equal(second.json.user_id, first.json.user_id);
  assert.equal(second.json.device_id, first.json.device_id);
  const metrics = await api(server, 'GET', '/metrics');
  assert.match(metrics.text, /lifebuoy_enrolment_repeats_total [2-9]/);
});

test('the server killed after committing an enrolment answers its replay after restart', async () => {
  const body = { invite: invite('Kim'), display_name: 'Kim', enrolment_id: hex(16) };
  const lost = await enroll(body);
  assert.equal(lost.status, 200, lost.text);
  const killed = await server.kill('SIGKILL');
  assert.equal(killed.signal, 'SIGKILL');
  server = await startServer({ dataDir: join(workDir, 'data') });
  const again = await enroll(body);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.user_id, lost.json.user_id);
  assert.equal(again.json.device_id, lost.json.device_id);
  assert.equal((await pull(again.json.device_token)).status, 200);
});
