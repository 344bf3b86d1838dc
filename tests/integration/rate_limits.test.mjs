// rate_limits.test.mjs — the request rate limits and device revocation, against the real binary:
// with a config file setting a tiny per-device limit, a flood from one device is answered 429
// rate_limited (sealed to its request, with Retry-After as an HTTP header) while another device
// keeps working and /metrics counts the refusals; the default limits leave a loopback burst alone
// (one device's requests back to back, 200 concurrent /healthz);
// the per-IP limit (loopback exemption turned off) answers plain 429s before any work;
// `revoke-device` (after `list-devices`) makes that device's next call 403 device_revoked.
// Not here: the token buckets' arithmetic (tests/server/rate_limiter_test.cpp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, Device, hex, newChannel, runCli, startServer } from './support.mjs';

// A guest device; with `withKey`, it names the key it seals with (so it is a device in the log,
// with its label and platform).
async function enrolWithId(server, body, { withKey = false } = {}) {
  const channel = await newChannel(server);
  if (withKey) body = { ...body, public_key: channel.publicKeyText() };
  const r = await api(server, 'POST', '/api/v1/enroll', { channel, body: { guest: true, enrolment_id: hex(16), ...body } });
  assert.equal(r.status, 200, r.text);
  return { device: new Device(server, r.json), deviceId: r.json.device_id };
}

function metric(text, name, labels) {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

test('a flooding device gets 429 with Retry-After; another device is unaffected; /metrics counts it', async () => {
  // Two requests a minute, five saved up: the enrolment takes one, four pulls the rest.
  const server = await startServer({
    config: { rate_limit_per_device_per_minute: 2, rate_limit_device_burst: 5 },
  });
  try {
    assert.match(server.output(), /rate limits: per device 2\/min \(burst 5\)/);
    const { device: flood } = await enrolWithId(server, { display_name: 'Flo' });
    const statuses = [];
    let refused;
    for (let i = 0; i < 8; i++) {
      const r = await flood.pull(0);
      statuses.push(r.status);
      if (r.status === 429 && !refused) refused = r;
    }
    assert.deepEqual(statuses.slice(0, 4), [200, 200, 200, 200], statuses.join(','));
    assert.ok(refused, `no 429 in ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 4, statuses.join(','));
    assert.ok(refused.sealed, 'the refusal is sealed to the request like any answer of an opened call');
    assert.equal(refused.json.error.code, 'rate_limited');
    assert.match(refused.json.error.message, /try again in \d+ s/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);

    // Another device (same address, its own key) has its whole burst.
    const { device: calm } = await enrolWithId(server, { display_name: 'Cal' });
    for (let i = 0; i < 4; i++) assert.equal((await calm.pull(0)).status, 200);

    const scrape = await api(server, 'GET', '/metrics');
    assert.equal(scrape.status, 200);
    assert.equal(metric(scrape.text, 'lifebuoy_rate_limited_total', 'scope="device"'), 4);
    assert.equal(metric(scrape.text, 'lifebuoy_rate_limited_total', 'scope="ip"'), 0);
    assert.ok(metric(scrape.text, 'lifebuoy_http_responses_total', 'class="4xx"') >= 4);
  } finally {
    await server.stop();
  }
});

test('replayed push envelopes are refused before the device limit: they never spend its budget', async () => {
  const server = await startServer({
    config: { rate_limit_per_device_per_minute: 2, rate_limit_device_burst: 5 },
  });
  try {
    const { device } = await enrolWithId(server, { display_name: 'Rhea' });  // 1 of 5
    const sealed = device.channel.seal('/api/v1/push', device.token,
      JSON.stringify({ v: 1, batches: [device.newTicket('Captured on the wire')] }));
    const post = () => fetch(server.url + '/api/v1/push', {
      method: 'POST', headers: { 'Content-Type': 'application/vnd.lifebuoy.envelope' }, body: sealed.text });
    assert.equal((await post()).status, 200);  // 2 of 5
    for (let i = 0; i < 10; i++) {  // someone replays the captured envelope
      const r = await post();
      assert.equal(r.status, 409);
      assert.equal((await r.json()).error.code, 'envelope_replayed');
    }
    // The device still has the 3 requests left of its burst, then the limit.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await device.pull(0)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  } finally {
    await server.stop();
  }
});

test('the default limits let a loopback burst through', async () => {
  const server = await startServer();
  try {
    assert.match(server.output(), /rate limits: per device 600\/min \(burst 600\), per IP address 3000\/min \(burst 600\), this machine exempt/);
    const { device } = await enrolWithId(server, {});
    // One device's burst is back to back, not concurrent: its envelopes must arrive in counter
    // order (a lower counter after a higher one is refused as a replay, 409 envelope_replayed),
    // and the engine sends one sealed request at a time. 60 in well under a second is a burst
    // for the token bucket all the same.
    const statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await device.pull(0)).status);
    assert.deepEqual([...new Set(statuses)], [200]);
    const health = await Promise.all(Array.from({ length: 200 }, () => fetch(server.url + '/healthz')));
    assert.deepEqual([...new Set(health.map((r) => r.status))], [200]);
  } finally {
    await server.stop();
  }
});

test('over the per-IP limit every request is refused in plain JSON with Retry-After', async () => {
  const server = await startServer({
    config: { rate_limit_per_ip_per_minute: 1, rate_limit_ip_burst: 3, rate_limit_exempt_loopback: false },
  });
  try {
    const channel = await newChannel(server);  // GET /api/v1/info: the first of three
    for (let i = 0; i < 2; i++) assert.equal((await fetch(server.url + '/healthz')).status, 200);
    const refused = await fetch(server.url + '/healthz');
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('content-type'), /application\/json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal((await refused.json()).error.code, 'rate_limited');
    // A sealed call is refused before its envelope is opened: the answer is plain.
    const sealed = await api(server, 'POST', '/api/v1/enroll', { channel, body: { guest: true } });
    assert.equal(sealed.status, 429);
    assert.equal(sealed.sealed, false);
    assert.equal(sealed.json.error.code, 'rate_limited');
  } finally {
    await server.stop();
  }
});

test('list-devices shows the devices; revoke-device makes that device\'s next call 403 device_revoked', async () => {
  const server = await startServer();
  try {
    const { device: phone, deviceId } = await enrolWithId(server, {
      display_name: 'Gail', device_label: 'Gail phone', platform: 'android',
    }, { withKey: true });
    const { device: laptop, deviceId: laptopId } = await enrolWithId(server, { display_name: 'Lars' });
    assert.equal((await phone.pull(0)).status, 200);

    const listing = runCli(['list-devices', '--data-dir', server.dataDir]);
    const phoneLine = listing.split('\n').find((l) => l.startsWith(deviceId));
    assert.ok(phoneLine, listing);
    assert.match(phoneLine, /\tGail\tguest\tGail phone\tandroid\t\d{4}-\d\d-\d\d \d\d:\d\d\t/);
    assert.match(phoneLine, /\tactive$/);
    assert.match(listing, new RegExp(`^${laptopId}\\tLars\\tguest\\t-\\t-\\t`, 'm'));
    assert.match(listing, /^2 devices$/m);

    const out = runCli(['revoke-device', deviceId, '--data-dir', server.dataDir]);
    assert.match(out, new RegExp(`Device ${deviceId} \\(Gail, guest\\) is signed out`));
    const after = await phone.pull(0);
    assert.equal(after.status, 403);
    assert.equal(after.json.error.code, 'device_revoked');
    assert.equal((await laptop.pull(0)).status, 200, 'the other device keeps working');

    assert.match(runCli(['revoke-device', deviceId.slice(0, 8), '--data-dir', server.dataDir]), /already signed out/);
    assert.match(runCli(['list-devices', '--data-dir', server.dataDir]), new RegExp(`^${deviceId}\\t.*\\trevoked$`, 'm'));
    assert.throws(() => runCli(['revoke-device', '0'.repeat(32), '--data-dir', server.dataDir]), /not_found|no device/);
  } finally {
    await server.stop();
  }
});
