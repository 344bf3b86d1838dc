// cli.test.mjs — lifebuoy-cli (the native engine on a SQLite file, over HTTP) against the real
// server: a requester enrols with an invite, files, lists; a technician on a second device sees
// the ticket (once the requester's device has sealed its key to the team key) and replies; the
// requester's device syncs and shows the reply. Also: filing offline
// and sending later, a guest, typed errors with exit codes, one process per data folder.
// Environment: LB_SERVER_BIN, LB_CLI_BIN (tests/CMakeLists.txt).
// Not here: faults and crashes (tests/convergence/), the sync API itself (sync_api.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startServer, tempDir } from './support.mjs';

const CLI_BIN = process.env.LB_CLI_BIN;

// Runs lifebuoy-cli with --json; returns { code, out (parsed stdout), stderr }.
function cli(dataDir, args, { server, timeout = 10 } = {}) {
  if (!CLI_BIN) throw new Error('LB_CLI_BIN must name the lifebuoy-cli binary');
  const argv = ['--data', dataDir, '--json', '--timeout', String(timeout)];
  if (server) argv.push('--server', server.url);
  const r = spawnSync(CLI_BIN, [...argv, ...args], { encoding: 'utf8', timeout: 60000 });
  let out = null;
  try { out = JSON.parse(r.stdout); } catch { /* left null: the assertion shows stdout */ }
  return { code: r.status, out, stdout: r.stdout, stderr: r.stderr };
}

function invite(server, role, name) {
  return runCli(['invite', '--role', role, '--name', name, '--data-dir', server.dataDir]).match(/code: (\S+)/)[1];
}

test('enrol, file, list; a technician on another device sees it and replies; the requester syncs the reply', async () => {
  const server = await startServer();
  const root = tempDir('lifebuoy-cli-');
  const rae = join(root, 'rae'), tess = join(root, 'tess');
  try {
    const enrolled = cli(rae, ['enroll', '--invite', invite(server, 'requester', 'Rae'), '--name', 'Rae'], { server });
    assert.equal(enrolled.code, 0, enrolled.stdout + enrolled.stderr);
    assert.equal(enrolled.out.result.role, 'requester');
    assert.equal(enrolled.out.result.enrolled, true);

    // The server URL is remembered from the enrolment: no --server from here on.
    const filed = cli(rae, ['file', '--title', 'VPN drops every hour', '--description', 'since Monday',
      '--urgency', 'high', '--impact', 'medium', '--category', 'network']);
    assert.equal(filed.code, 0, filed.stdout + filed.stderr);
    assert.equal(filed.out.result.sync.state, 'received');
    const number = filed.out.result.number;
    assert.ok(Number.isInteger(number), 'the help desk gave it a number');

    const mine = cli(rae, ['list']);
    assert.equal(mine.code, 0);
    assert.deepEqual(mine.out.result.rows.map((r) => [r.id, r.number, r.title]),
      [[filed.out.result.ticket_id, number, 'VPN drops every hour']]);

    // A second device: the technician's.
    const tech = cli(tess, ['enroll', '--invite', invite(server, 'technician', 'Tess')], { server });
    assert.equal(tech.code, 0, tech.stdout + tech.stderr);
    assert.equal(tech.out.result.role, 'technician');
    // Rae filed before the help desk had a team key (Tess's device made it at enrolment): the
    // ticket's key reaches the team with Rae's next sync; until then Tess sees it, unreadable.
    const early = cli(tess, ['show', String(number)]);
    assert.equal(early.out.result.ticket.readable, false);
    assert.equal(cli(tess, ['comment', String(number), 'too early']).out.error.code, 'no_ticket_key');
    assert.equal(cli(rae, ['sync']).code, 0);
    const desk = cli(tess, ['list']);
    assert.ok(desk.out.result.rows.some((r) => r.id === filed.out.result.ticket_id && r.title === 'VPN drops every hour'),
      'the technician reads the ticket: ' + JSON.stringify(desk.out.result.rows));
    const replied = cli(tess, ['comment', String(number), 'Please restart the VPN client']);
    assert.equal(replied.code, 0, replied.stdout + replied.stderr);
    const moved = cli(tess, ['update', `#${number}`, '--status', 'in_progress']);
    assert.equal(moved.code, 0, moved.stdout + moved.stderr);

    const synced = cli(rae, ['sync']);
    assert.equal(synced.code, 0, synced.stdout + synced.stderr);
    assert.equal(synced.out.result.pending_batches, 0);
    const shown = cli(rae, ['--offline', 'show', String(number)]);
    assert.equal(shown.code, 0, shown.stdout + shown.stderr);
    assert.equal(shown.out.result.ticket.status, 'in_progress');
    assert.ok(shown.out.result.comments.some((c) => c.kind === 'public_reply' && c.body === 'Please restart the VPN client'));

    // Human output too.
    const text = spawnSync(CLI_BIN, ['--data', rae, '--offline', 'list'], { encoding: 'utf8' });
    assert.equal(text.status, 0);
    assert.match(text.stdout, new RegExp(`#${number}\\s+in_progress`));
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('filed offline it stays on the device and is sent exactly once by the next sync', async () => {
  const server = await startServer();
  const root = tempDir('lifebuoy-cli-');
  const gus = join(root, 'gus');
  try {
    const guest = cli(gus, ['enroll', '--guest', 'Gus', 'gus@example.com'], { server });
    assert.equal(guest.code, 0, guest.stdout + guest.stderr);
    assert.equal(guest.out.result.role, 'guest');

    const offline = cli(gus, ['--offline', 'file', '--title', 'Printer jams', '--description', 'tray 2']);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    assert.equal(offline.out.result.sync.state, 'saved_on_device');
    assert.equal(offline.out.result.number, null);

    for (let i = 0; i < 2; i++) assert.equal(cli(gus, ['sync']).code, 0);
    const rows = cli(gus, ['list']).out.result.rows;
    assert.equal(rows.length, 1, 'one ticket, not two');
    assert.equal(rows[0].sync.state, 'received');

    // A guest may not set impact: the engine refuses before anything is saved (exit 1).
    const refused = cli(gus, ['file', '--title', 't', '--description', 'd', '--impact', 'high']);
    assert.equal(refused.code, 1);
    assert.equal(refused.out.ok, false);
    assert.equal(refused.out.error.code, 'forbidden');
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('typed errors and exit codes: usage, not found, unreachable server, data folder in use', async () => {
  const root = tempDir('lifebuoy-cli-');
  const dir = join(root, 'device');
  try {
    const bad = cli(dir, ['--server', 'https://example.com', 'status']);
    assert.equal(bad.code, 2);
    assert.equal(bad.out.error.code, 'bad_arguments');

    const usage = spawnSync(CLI_BIN, ['--data', dir, 'file', '--title', 'only a title'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);

    const help = spawnSync(CLI_BIN, ['--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /enroll/);

    const missing = cli(dir, ['--offline', 'show', '4242']);
    assert.equal(missing.code, 1);
    assert.equal(missing.out.error.code, 'not_found');

    // Nobody listens on port 9 of loopback: the ticket is kept, sync says why (exit 4).
    const filed = cli(dir, ['--server', 'http://127.0.0.1:9', 'file', '--title', 'Wi-Fi weak', '--description', 'd']);
    assert.equal(filed.code, 0, 'filing works without the server');
    assert.equal(filed.out.result.sync.state, 'saved_on_device');
    const unreachable = cli(dir, ['--server', 'http://127.0.0.1:9', 'enroll', '--guest', 'Ann', 'ann@example.com'],
      { timeout: 2 });
    assert.equal(unreachable.code, 4);

    // Another process holds the data folder: refused, nothing corrupted (exit 3).
    const holder = spawn('flock', [join(dir, 'lifebuoy.lock'), 'sleep', '5']);
    await new Promise((r) => setTimeout(r, 300));
    try {
      const busy = cli(dir, ['--offline', 'status']);
      assert.equal(busy.code, 3);
      assert.equal(busy.out.error.code, 'storage_in_use');
    } finally {
      holder.kill('SIGKILL');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
