// desk_settings.test.mjs — the help desk's settings reach devices (issues #7, #9) through the real
// server and a real engine (lifebuoy-cli): after enrolling, the device knows the demo desk's sites
// and categories; it refuses a site the desk does not have; a ticket filed offline shows the
// expected response and resolution times its site's calendar gives, and once it syncs the server's
// due dates are exactly those; a site added to triage.json reaches the device after a restart,
// and the roster (technicians' names) never does. /metrics counts the desk calls.
// Environment: LB_SERVER_BIN, LB_CLI_BIN (tests/CMakeLists.txt).
// Not here: the document (tests/server/desk_settings_document_test.cpp), the engine's side
// (tests/unit/engine_desk_test.cpp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, inviteCode, onDevice, runDevice, startServer, tempDir } from './support.mjs';

const run = runDevice;
const cli = onDevice;
const invite = inviteCode;

async function deskCalls(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = text.match(/lifebuoy_http_requests_total\{endpoint="desk"\} (\d+)/);
  return m ? Number(m[1]) : 0;
}

test('the desk settings reach the device: sites, categories, estimates equal to the server due dates', async () => {
  const root = tempDir('lifebuoy-desk-');
  const dataDir = join(root, 'data');
  const laptop = join(root, 'laptop');
  let server = await startServer({ dataDir });
  try {
    const before = cli(join(root, 'unsynced'), ['desk']);
    assert.equal(before.sites.synced, false);

    cli(laptop, ['enroll', '--invite', invite(server, 'requester', 'Rita'), '--name', 'Rita'], { server });
    const desk = cli(laptop, ['desk']);
    assert.equal(desk.sites.synced, true);
    assert.deepEqual(desk.sites.sites.map((s) => s.site).sort(), ['london', 'new_york']);
    assert.ok(desk.sites.sites.every((s) => s.time_zone.length > 0));
    assert.ok(desk.categories.categories.some((c) => c.id === 'hardware'), JSON.stringify(desk.categories));
    assert.ok(await deskCalls(server) >= 1);

    const refused = run(laptop, ['--offline', 'file', '--title', 'Badge reader', '--description', 'dead', '--site', 'paris']);
    assert.equal(refused.status, 2, refused.text);  // bad usage: a site the desk does not have
    assert.equal(refused.out.error.code, 'bad_arguments');
    assert.match(refused.out.error.message, /paris/);

    // Filed offline: the estimate comes from the synced calendar, before the server saw it.
    const filed = cli(laptop, ['--offline', 'file', '--title', 'Printer jams on floor 3', '--description', 'every page',
      '--site', 'new_york', '--impact', 'medium', '--urgency', 'high', '--category', 'printing']);
    const offline = cli(laptop, ['--offline', 'show', filed.ticket_id]).ticket;
    assert.equal(offline.due_estimated, true);
    assert.equal(offline.response_due_ms, null);
    assert.ok(offline.expected_response_ms > offline.created_ms, JSON.stringify(offline));
    assert.ok(offline.expected_resolution_ms >= offline.expected_response_ms);

    cli(laptop, ['sync'], { server });
    const synced = cli(laptop, ['show', filed.ticket_id]).ticket;
    assert.equal(synced.response_due_ms, offline.expected_response_ms, 'the server set the due date the device expected');
    assert.equal(synced.resolution_due_ms, offline.expected_resolution_ms);
    assert.equal(synced.due_estimated, undefined);

    // The operator adds a site: after a restart the device hears of it on its next sync.
    await server.kill('SIGTERM');
    const triagePath = join(dataDir, 'triage.json');
    const triage = JSON.parse(readFileSync(triagePath, 'utf8'));
    triage.sites.push({ site: 'paris', time_zone: 'Europe/Paris', hours: triage.sites[0].hours });
    writeFileSync(triagePath, JSON.stringify(triage, null, 2));
    server = await startServer({ dataDir });
    cli(laptop, ['sync'], { server });
    const after = cli(laptop, ['desk']);
    assert.deepEqual(after.sites.sites.map((s) => s.site).sort(), ['london', 'new_york', 'paris']);
    cli(laptop, ['--offline', 'file', '--title', 'Badge reader', '--description', 'dead', '--site', 'paris']);

    // The roster stays on the server: no technician's name in the device's files.
    const names = triage.dispatch.technicians.map((t) => t.name);
    for (const file of filesUnder(laptop)) {
      const bytes = readFileSync(file);
      for (const name of names) assert.equal(bytes.includes(Buffer.from(name)), false, `${name} in ${file}`);
    }
  } finally {
    await server.stop();
  }
});
