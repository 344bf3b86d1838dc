// sign_in.test.mjs — issue #4's "several devices per person" against the real server, each device
// a real engine (lifebuoy-cli on its own SQLite file, production Argon2id parameters): a requester
// sets a passphrase on her laptop and signs in on a second device, which reads the ticket she filed
// and writes one the laptop reads; a wrong passphrase is refused (sign_in_failed) and the
// passphrase appears in no file of either side; a guest's recovery link signs another device in
// as the same guest. /metrics counts sign-ins.
// Environment: LB_SERVER_BIN, LB_CLI_BIN (tests/CMakeLists.txt).
// Not here: the engine's steps (tests/unit/engine_sign_in_test.cpp), the service (tests/server/key_backup_test.cpp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, inviteCode, onDevice, runDevice, startServer, tempDir } from './support.mjs';

const run = runDevice;
const cli = onDevice;
const invite = inviteCode;

test('a passphrase signs a second device in as the same person; a wrong one is refused; no file holds it', async () => {
  const server = await startServer();
  const root = tempDir('lifebuoy-signin-');
  const laptop = join(root, 'laptop'), phone = join(root, 'phone'), stranger = join(root, 'stranger');
  const passphrase = 'lantern orbit pickle meadow';
  try {
    cli(tempDir('lifebuoy-signin-tech-'), ['enroll', '--invite', invite(server, 'technician', 'Tess')], { server });
    cli(laptop, ['enroll', '--invite', invite(server, 'requester', 'Rita'), '--name', 'Rita'], { server });
    const filed = cli(laptop, ['file', '--title', 'VPN drops every hour', '--description', 'On the train',
      '--urgency', 'high', '--impact', 'low']);
    const backup = cli(laptop, ['passphrase', '--sign-in-name', 'Rita.R'], { input: `${passphrase}\n` });
    assert.equal(backup.state, 'stored');
    assert.equal(backup.sign_in_name, 'rita.r');

    const wrong = run(stranger, ['enroll', '--sign-in', 'rita.r'], { server, input: 'lantern orbit pickle meado\n' });
    assert.equal(wrong.status, 4, wrong.text);
    assert.match(wrong.out.error.message, /sign_in_failed/);

    const signedIn = cli(phone, ['enroll', '--sign-in', 'RITA.R'], { server, input: `${passphrase}\n` });
    const laptopState = cli(laptop, ['status']);
    assert.equal(signedIn.user_id, laptopState.sync.user_id);
    assert.equal(signedIn.role, 'requester');
    const seen = cli(phone, ['show', String(filed.number)]);
    assert.equal(seen.ticket.readable, true);
    assert.equal(seen.ticket.title, 'VPN drops every hour');
    const fromPhone = cli(phone, ['file', '--title', 'Phone cannot reach mail', '--description', 'Since today',
      '--urgency', 'medium', '--impact', 'low']);
    cli(laptop, ['sync']);
    assert.equal(cli(laptop, ['show', String(fromPhone.number)]).ticket.title, 'Phone cannot reach mail');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /lifebuoy_sign_ins_total\{result="ok"\} 1/);
    assert.match(metrics, /lifebuoy_sign_ins_total\{result="failed"\} 1/);
    // The passphrase is nowhere: not in the server's files, not in any device's.
    for (const file of [...filesUnder(server.dataDir), ...filesUnder(root)]) {
      assert.equal(readFileSync(file).indexOf(Buffer.from(passphrase)), -1, `${file} holds the passphrase`);
    }
  } finally {
    await server.stop();
  }
});

test("a guest's recovery link signs another device in as the same guest", async () => {
  const server = await startServer();
  const root = tempDir('lifebuoy-recover-');
  const kiosk = join(root, 'kiosk'), home = join(root, 'home');
  try {
    cli(kiosk, ['enroll', '--guest', 'Gus', 'gus@example.com'], { server });
    const filed = cli(kiosk, ['file', '--title', 'Cannot log in to the portal', '--description', 'Locked',
      '--urgency', 'high']);
    assert.equal(filed.sync.state, 'received');
    cli(kiosk, ['sync']);
    const link = cli(kiosk, ['recovery-link']);
    assert.equal(link.state, 'stored');
    assert.equal(link.secret.length, 43);
    // One character changed (never to itself: the last character alone could already be 'A').
    const wrong = (link.secret[0] === 'A' ? 'B' : 'A') + link.secret.slice(1);
    const bad = run(home, ['enroll', '--recover', wrong], { server });
    assert.equal(bad.status, 4, bad.text);
    const recovered = cli(home, ['enroll', '--recover', `http://127.0.0.1/#recover=${link.secret}`], { server });
    assert.equal(recovered.role, 'guest');
    assert.equal(recovered.user_id, cli(kiosk, ['status']).sync.user_id);
    assert.equal(cli(home, ['show', String(filed.number)]).ticket.title, 'Cannot log in to the portal');
  } finally {
    await server.stop();
  }
});
