// admin_cli.test.mjs — the admin command line of the real binary: `init` creates a help desk
// without the demo (no guests, no invite printed at start), `invite` prints codes that enrol with
// the right role, --no-demo skips the ready-to-try set-up, `remove-technician` signs someone out
// of the help desk, `export` writes the tickets' metadata as CSV, `backup` copies a running desk,
// `user add/list/disable/enable` and `device list/revoke` manage people and devices.
// Not here: the sync API itself (sync_api.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

test('export writes the ticket metadata as CSV; backup copies database and key while the server runs', async () => {
  const server = await startServer();  // the demo desk: triage numbers, prioritises and assigns
  const root = tempDir();
  try {
    const guest = await enrol(server, { guest: true, display_name: 'Gus, from Sales' });
    for (const title of ['VPN drops every hour', 'Printer jams']) {
      const r = await guest.push(guest.newTicket(title));
      assert.equal(r.status, 200);
      assert.equal(r.json.results[0].status, 'accepted');
    }
    const csv = runCli(['export', '--data-dir', server.dataDir]);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'number,ticket_id,status,priority,category,impact,urgency,team,site,requester_id,' +
      'requester_name,assignee_id,assignee_name,filed_at_utc,first_response_at_utc,updated_seq');
    assert.equal(lines.at(-1), '', 'every line ends in CRLF');
    const rows = lines.slice(1, -1);
    assert.equal(rows.length, 2);
    assert.match(rows[0], /^1,[0-9a-f]{32},/);
    assert.match(rows[1], /^2,[0-9a-f]{32},/);
    assert.ok(rows.every((r) => r.includes(',"Gus, from Sales",')), 'names with a comma are quoted');
    assert.ok(rows.every((r) => /,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,/.test(r)), 'filed_at in UTC');
    assert.ok(!csv.includes('VPN drops'), 'ticket text is never exported (it is sealed)');
    const outFile = join(root, 'tickets.csv');
    assert.match(runCli(['export', '--out', outFile, '--data-dir', server.dataDir]), /Exported 2 tickets/);
    assert.equal(readFileSync(outFile, 'utf8'), csv);

    // Online backup, then a restore into a new data folder holds the same tickets.
    const backup = join(root, 'desk-backup.db');
    const out = runCli(['backup', backup, '--data-dir', server.dataDir]);
    assert.match(out, /Backed up the help desk/);
    assert.ok(existsSync(backup) && existsSync(backup + '.server.key'));
    assert.equal(statSync(backup + '.server.key').mode & 0o777, 0o600);
    assert.throws(() => runCli(['backup', backup, '--data-dir', server.dataDir]), /backup_exists|exists already/);
    assert.equal((await guest.pull(0)).status, 200, 'the server kept serving');
    const restored = join(root, 'restored');
    mkdirSync(restored);
    copyFileSync(backup, join(restored, 'lifebuoy.db'));
    copyFileSync(backup + '.server.key', join(restored, 'server.key'));
    assert.equal(runCli(['export', '--data-dir', restored]), csv);
    assert.equal(readFileSync(join(restored, 'server.key')).toString('hex'),
      readFileSync(join(server.dataDir, 'server.key')).toString('hex'));
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('user add, list, disable and enable; device list and revoke', async () => {
  const server = await startServer({ args: ['--no-demo'] });
  try {
    const code = runCli(['user', 'add', '--role', 'technician', '--name', 'Omar', '--data-dir', server.dataDir])
      .match(/code: (\S+)/)[1];
    const omar = await enrol(server, { invite: code, display_name: 'Omar' });
    const gusCode = runCli(['user', 'add', '--role', 'requester', '--name', 'Gus', '--data-dir', server.dataDir])
      .match(/code: (\S+)/)[1];
    const gus = await enrol(server, { invite: gusCode });
    const listed = runCli(['user', 'list', '--data-dir', server.dataDir]);
    assert.match(listed, /^user_id\trole\tname\tjoined \(UTC\)\tdevices \(active\/all\)\tstate$/m);
    assert.match(listed, /^[0-9a-f]{32}\ttechnician\tOmar\t\S+ \S+\t1\/1\tactive$/m);
    assert.match(listed, /^[0-9a-f]{32}\trequester\tGus\t\S+ \S+\t1\/1\tactive$/m);

    const off = runCli(['user', 'disable', 'Omar', '--data-dir', server.dataDir]);
    assert.match(off, /Omar \([0-9a-f]{32}, technician\) is disabled/);
    assert.match(off, /roster/);
    const after = await omar.pull(0);
    assert.equal(after.status, 403);
    assert.equal(after.json.error.code, 'device_revoked');
    assert.equal((await gus.pull(0)).status, 200, 'others keep working');
    assert.match(runCli(['user', 'list', '--data-dir', server.dataDir]), /\tOmar\t\S+ \S+\t0\/1\tdisabled \S+ \S+$/m);
    assert.match(runCli(['user', 'disable', 'Omar', '--data-dir', server.dataDir]), /already disabled/);
    assert.throws(() => runCli(['user', 'disable', 'Nobody', '--data-dir', server.dataDir]), /not_found|nobody/);
    assert.match(runCli(['user', 'enable', 'Omar', '--data-dir', server.dataDir]), /is enabled/);

    // device list / revoke: the same as list-devices / revoke-device.
    const devices = runCli(['device', 'list', '--data-dir', server.dataDir]);
    assert.match(devices, /^2 devices$/m);
    const gusDevice = devices.split('\n').find((l) => l.includes('\tGus\t')).split('\t')[0];
    assert.match(runCli(['device', 'revoke', gusDevice.slice(0, 8), '--data-dir', server.dataDir]), /is signed out/);
    assert.equal((await gus.pull(0)).json.error.code, 'device_revoked');
  } finally {
    await server.stop();
  }
});
