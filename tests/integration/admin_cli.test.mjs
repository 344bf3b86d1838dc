// admin_cli.test.mjs — the admin command line of the real binary: `init` creates a help desk
// without the demo (no guests, no invite printed at start), `invite` prints codes that enrol with
// the right role, --no-demo skips the ready-to-try set-up, `remove-technician` signs someone out
// of the help desk.
// Not here: the sync API itself (sync_api.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { api, enrol, runCli, startServer, tempDir } from './support.mjs';

test('init creates the data folder, database and key; start then has no demo', async () => {
  const root = tempDir();
  const dataDir = join(root, 'data');
  try {
    const out = runCli(['init', '--data-dir', dataDir]);
    assert.match(out, /Created a new help desk/);
    assert.ok(existsSync(join(dataDir, 'lifebuoy.db')));
    assert.ok(existsSync(join(dataDir, 'server.key')));
    assert.match(runCli(['init', '--data-dir', dataDir]), /already exists/);

    const invite = runCli(['invite', '--role', 'admin', '--name', 'Ada', '--data-dir', dataDir]);
    const code = invite.match(/code: (\S+)/)[1];
    const server = await startServer({ dataDir });
    try {
      assert.equal(server.invite, undefined, 'no demo invite on an initialised help desk');
      const guest = await api(server, 'POST', '/api/v1/enroll', { body: { guest: true } });
      assert.equal(guest.status, 403);
      assert.equal(guest.json.error.code, 'guest_enrolment_disabled');
      const ada = await enrol(server, { invite: code.toUpperCase() });  // codes are case-insensitive
      assert.equal(ada.role, 'admin');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('--no-demo starts an empty help desk without guests or an invite', async () => {
  const server = await startServer({ args: ['--no-demo'] });
  try {
    assert.equal(server.invite, undefined);
    assert.doesNotMatch(server.output(), /Technician sign-in/);
    const guest = await api(server, 'POST', '/api/v1/enroll', { body: { guest: true } });
    assert.equal(guest.json.error.code, 'guest_enrolment_disabled');
  } finally {
    await server.stop();
  }
});

test('invite refuses an unknown role', () => {
  const root = tempDir();
  try {
    assert.throws(() => runCli(['invite', '--role', 'guest', '--data-dir', join(root, 'data')]));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('remove-technician signs the person out and makes them a requester; unknown names are refused', async () => {
  const server = await startServer({ args: ['--no-demo'] });
  try {
    const code = runCli(['invite', '--role', 'technician', '--name', 'Omar', '--data-dir', server.dataDir]).match(/code: (\S+)/)[1];
    const omar = await enrol(server, { invite: code, display_name: 'Omar' });
    assert.equal((await omar.pull(0)).status, 200);
    const out = runCli(['remove-technician', 'Omar', '--data-dir', server.dataDir]);
    assert.match(out, /Omar \([0-9a-f]{32}\) is no longer on the help desk/);
    const after = await omar.pull(0);
    assert.equal(after.status, 403);
    assert.equal(after.json.error.code, 'device_revoked');
    assert.throws(() => runCli(['remove-technician', 'Nobody', '--data-dir', server.dataDir]), /not_found|no technician/);
  } finally {
    await server.stop();
  }
});
