// e2e_content.test.mjs — issue #4's check that the server never holds ticket text: a requester
// and a technician, each a real engine (lifebuoy-cli on its own SQLite file), file, reply, note,
// resolve and rate through the real server; both read everything. Then every file of the
// server's data folder (database, WAL, key, triage file — while it runs and after it stopped) and
// everything it printed are scanned byte by byte: no title, description, comment, resolution note,
// satisfaction comment or call-back number appears, nor a long piece of one.
// Environment: LB_SERVER_BIN, LB_CLI_BIN (tests/CMakeLists.txt).
// Not here: the crypto itself (tests/unit/crypto_*), refusal of plaintext pushes (sync_api.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, inviteCode, onDevice, startServer, tempDir } from './support.mjs';

const cli = (dataDir, args, options) => onDevice(dataDir, args, { timeoutSeconds: 15, ...options });
const invite = inviteCode;

// Every secret, and every 12-byte piece of each, must be absent from every byte of `haystack`.
function assertAbsent(haystack, secrets, where) {
  for (const secret of secrets) {
    const bytes = Buffer.from(secret, 'utf8');
    for (let at = 0; at + 12 <= bytes.length; at += 6) {
      const piece = bytes.subarray(at, at + 12);
      assert.equal(haystack.indexOf(piece), -1, `${where} holds plaintext: "${piece.toString('utf8')}" of "${secret}"`);
    }
  }
}

test('requester files, technician replies and resolves, both read it all; the server holds none of the text', async () => {
  const server = await startServer();
  const root = tempDir('lifebuoy-e2e-');
  const tess = join(root, 'tess'), rae = join(root, 'rae');
  const tag = randomBytes(6).toString('hex');
  const secrets = {
    title: `Payroll VPN drops for Zoë Núñez ${tag}`,
    description: `Since Monday the VPN to payroll.example drops every hour; my token is 4711-${tag}.`,
    reply: `Please restart the client and send me the log from C:\\Users\\zoe ${tag}`,
    note: `Internal: her laptop is on the old firmware batch ${tag}`,
    resolution: `Replaced the VPN profile with the new gateway certificate ${tag}`,
    satisfaction: `Fast and friendly, thank you Tess ${tag}`,
    phone: `+44 20 7946 ${parseInt(tag.slice(0, 6), 16) % 1000000}`,
  };
  try {
    // The technician first: their device makes the team key the requester's device seals to.
    cli(tess, ['enroll', '--invite', invite(server, 'technician', 'Tess')], { server });
    cli(rae, ['enroll', '--invite', invite(server, 'requester', 'Rae'), '--name', 'Rae'], { server });
    const filed = cli(rae, ['file', '--title', secrets.title, '--description', secrets.description,
      '--urgency', 'high', '--impact', 'medium', '--category', 'network_vpn',
      '--contact', 'phone', '--contact-detail', secrets.phone]);
    const number = String(filed.number);
    assert.equal(filed.sync.state, 'received');

    const seen = cli(tess, ['show', number]);
    assert.equal(seen.ticket.readable, true);
    assert.equal(seen.ticket.title, secrets.title);
    assert.equal(seen.ticket.description, secrets.description);
    assert.equal(seen.ticket.contact, 'phone');
    assert.equal(seen.ticket.contact_detail, secrets.phone);  // the number to call: for the help desk only
    cli(tess, ['comment', number, secrets.reply]);
    cli(tess, ['comment', number, secrets.note, '--internal']);
    cli(tess, ['update', number, '--status', 'in_progress']);
    cli(tess, ['update', number, '--status', 'resolved', '--resolution-note', secrets.resolution]);

    cli(rae, ['sync']);
    const shown = cli(rae, ['show', number]);
    assert.equal(shown.ticket.status, 'resolved');
    assert.equal(shown.ticket.resolution_note, secrets.resolution);
    assert.ok(shown.comments.some((c) => c.body === secrets.reply), JSON.stringify(shown.comments));
    assert.ok(!shown.comments.some((c) => c.body === secrets.note), 'internal notes stay with the help desk');
    cli(rae, ['update', number, '--status', 'closed', '--satisfaction-comment', secrets.satisfaction]);
    const closed = cli(tess, ['show', number]);
    assert.equal(closed.ticket.status, 'closed');
    assert.equal(closed.ticket.satisfaction_comment, secrets.satisfaction);
    assert.ok(closed.comments.some((c) => c.body === secrets.note));

    // While the server runs (the WAL holds the latest pages), then after it stopped.
    const scan = (when) => {
      const files = filesUnder(server.dataDir);
      assert.ok(files.some((f) => f.endsWith('.db') || f.includes('lifebuoy')), `the data folder has the database: ${files}`);
      for (const file of files) assertAbsent(readFileSync(file), Object.values(secrets), `${file} (${when})`);
      // The control: the scan reads what the server stores — routing metadata is there in the clear.
      assert.ok(files.some((f) => readFileSync(f).indexOf(Buffer.from('network_vpn')) !== -1), 'the category is stored');
      assertAbsent(Buffer.from(server.output(), 'utf8'), Object.values(secrets), `the server's output (${when})`);
    };
    scan('running');
    // The devices' own op logs and outboxes hold the sealed form too (the keys are there, so this
    // is defence in depth against backups of a device's folder without its keys, not a claim).
    for (const device of [tess, rae]) {
      const bytes = Buffer.concat(filesUnder(device).filter((f) => !f.endsWith('.lock')).map((f) => readFileSync(f)));
      assert.ok(bytes.indexOf(Buffer.from('sealed:')) !== -1, 'the device stores sealed values');
    }
    const dataDir = server.dataDir;
    await server.kill('SIGTERM');
    for (const file of filesUnder(dataDir)) assertAbsent(readFileSync(file), Object.values(secrets), `${file} (stopped)`);
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
