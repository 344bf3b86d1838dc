// sync_api.test.mjs — the sync API of the real binary over HTTP on 127.0.0.1: enrolment, push,
// pull and its pages, duplicates, rejections with reasons, the authorisation matrix (guest,
// requester, technician), limits (413s), bad input (4xx with a JSON error, never a crash), metrics;
// sealed envelopes: nothing readable on the wire, tampering, replays, another endpoint or server
// key, a device clock ten minutes off, a token used from another device's key, plain JSON.
// Not here: the live channel (live_notify.test.mjs), crashes (crash_recovery.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, BINARY_ENVELOPE_TYPE, Channel, enrol, hex, newChannel, runCli, sharedForm, startServer, strangerKeyText } from './support.mjs';

const LIMITS = { max_request_body_bytes: 64 * 1024, max_push_batches: 4, max_batch_ops: 8, max_pull_ops: 5 };
let server, tech, guest, guest2;

before(async () => {
  server = await startServer({ config: LIMITS });
  assert.ok(server.invite, 'first start prints a technician invite:\n' + server.output());
  tech = await enrol(server, { invite: server.invite, display_name: 'Tess Tech' });
  guest = await enrol(server, { guest: true, display_name: 'Gail Guest' });
  guest2 = await enrol(server, { guest: true });
});

after(async () => { await server?.stop(); });

test('first start serves health, info and the web bundle', async () => {
  assert.equal((await api(server, 'GET', '/healthz')).json.status, 'ok');
  const info = await api(server, 'GET', '/api/v1/info');
  assert.equal(info.status, 200);
  assert.equal(info.json.guest_enrolment, 'loopback');
  assert.equal(info.json.limits.max_batch_ops, 8);
  assert.equal(info.json.server_key.length, 43);
  assert.equal((await api(server, 'GET', '/')).status, 200);
});

test('enrolment: roles, single-use invites, bad codes, tokens', async () => {
  assert.equal(tech.role, 'technician');
  assert.equal(guest.role, 'guest');
  assert.match(tech.token, /^[0-9a-f]{64}$/);
  const reused = await api(server, 'POST', '/api/v1/enroll', { body: { invite: server.invite } });
  assert.equal(reused.status, 403);
  assert.equal(reused.json.error.code, 'invite_used');
  const bogus = await api(server, 'POST', '/api/v1/enroll', { body: { invite: 'abcdef-abcdef-abcdef-abcdef' } });
  assert.equal(bogus.json.error.code, 'invite_invalid');
  const both = await api(server, 'POST', '/api/v1/enroll', { body: { invite: 'x', guest: true } });
  assert.equal(both.status, 400);
  const noToken = await api(server, 'POST', '/api/v1/pull', { body: { cursor: 0 } });
  assert.equal(noToken.status, 401);
  assert.equal(noToken.json.error.code, 'unauthenticated');
  const badToken = await api(server, 'POST', '/api/v1/pull', { body: { cursor: 0 }, token: 'f'.repeat(64) });
  assert.equal(badToken.status, 401);
});

test('the invite subcommand makes a requester invite that enrols', async () => {
  const out = runCli(['invite', '--role', 'requester', '--name', 'Rita', '--data-dir', server.dataDir]);
  const code = out.match(/code: (\S+)/)[1];
  assert.match(out, /link: http:\/\/.*#invite=/);
  const rita = await enrol(server, { invite: code });
  assert.equal(rita.role, 'requester');
});

test('push accepts a batch with server_seq per op; a replay is a duplicate with the same seqs', async () => {
  const batch = guest.newTicket('Printer on floor 3 jams');
  const first = await guest.push(batch);
  assert.equal(first.status, 200);
  const [result] = first.json.results;
  assert.equal(result.status, 'accepted');
  assert.equal(result.batch_id, batch.batch_id);
  assert.equal(result.ops.length, 4);
  const seqs = result.ops.map((o) => o.seq);
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], 'server_seq increases');
  for (const o of result.ops) assert.equal(o.status, 'accepted');

  const again = await guest.push(batch);
  assert.equal(again.json.results[0].status, 'duplicate');
  assert.deepEqual(again.json.results[0].ops.map((o) => o.seq), seqs);

  // The same op id with other content is a conflict, not a duplicate.
  const forged = structuredClone(batch);
  forged.ops[2].value = 'changed';
  const conflict = await guest.push(forged);
  assert.equal(conflict.json.results[0].status, 'rejected');
  assert.equal(conflict.json.results[0].error.code, 'op_id_conflict');

  // The ticket got a number from the server.
  const { ops } = await guest.pullAll();
  const ticket = batch.ops[0].entity_id;
  const number = ops.find((o) => o.entity_id === ticket && o.field === 'number');
  assert.ok(number && Number.isInteger(number.value) && number.value >= 1);
});

test('rejections carry stable reason codes; other batches of the push still land', async () => {
  const mine = guest.newTicket('Laptop will not boot');
  await guest.push(mine);
  const ticket = mine.ops[0].entity_id;
  const r = await guest.push(
    guest.set(ticket, 'priority', 'critical'),            // guests do not set priority
    guest.comment(ticket, 'internal_note', 'sneaky'),      // nor post internal notes
    guest.set(ticket, 'status', 'resolved'),               // no such transition new → resolved
    guest.comment(ticket, 'public_reply', 'It beeps three times'),
  );
  assert.equal(r.status, 200);
  const codes = r.json.results.map((b) => (b.error ? b.error.code : b.status));
  assert.deepEqual(codes, ['forbidden', 'forbidden', 'bad_transition', 'accepted']);
  for (const b of r.json.results.slice(0, 3)) {
    assert.ok(b.ops.every((o) => o.status === 'rejected' && o.seq === undefined));
    assert.ok(b.error.message.length > 0);
  }
  // A batch that does not decode is refused by itself.
  const bad = await guest.push({ v: 1, batch_id: 'nothex', ops: [] });
  assert.equal(bad.status, 200);
  assert.equal(bad.json.results[0].status, 'rejected');
  assert.equal(bad.json.results[0].error.code, 'bad_id');
});

test('authorisation matrix: guest vs technician on the same ticket', async () => {
  const filed = guest.newTicket('Wi-Fi keeps asking for my password');
  await guest.push(filed);
  const t = filed.ops[0].entity_id;
  const cases = [
    // [who, batch, expected]
    [guest2, guest2.set(t, 'title', 'hijacked'), 'forbidden'],             // not their ticket
    [guest2, guest2.comment(t, 'public_reply', 'me too'), 'forbidden'],
    [guest, guest.set(t, 'assignee', guest.user), 'forbidden'],
    [guest, guest.set(t, 'status', 'triaged'), 'forbidden'],
    [tech, tech.set(t, 'status', 'triaged'), 'accepted'],
    [tech, tech.set(t, 'priority', 'high'), 'accepted'],
    [tech, tech.set(t, 'assignee', tech.user), 'accepted'],
    [tech, tech.comment(t, 'internal_note', 'check the AP on floor 2'), 'accepted'],
    [tech, tech.set(t, 'number', 12345), 'forbidden'],                     // numbers are the server's
    [guest, guest.set(t, 'title', 'Wi-Fi asks for my password (Windows)'), 'accepted'],
    // ticket text in the clear never reaches the database, whoever sends it
    [guest, guest.batch([guest.plainOp('ticket', t, 'description', 'my password is hunter2')]), 'content_not_sealed'],
    [tech, tech.batch([tech.plainOp('ticket', t, 'resolution_note', 'reset it')]), 'content_not_sealed'],
    [guest, guest.set(t, 'status', 'closed'), 'accepted'],                 // the requester withdraws
    [guest, guest.set(t, 'title', 'too late'), 'ticket_closed'],           // closed is read-only
    [tech, tech.comment(t, 'public_reply', 'closed already'), 'ticket_closed'],
  ];
  for (const [who, batch, expected] of cases) {
    const r = await who.push(batch);
    const b = r.json.results[0];
    const got = b.status === 'rejected' ? b.error.code : b.status;
    assert.equal(got, expected, `${who.role} writes ${batch.ops[0].entity}.${batch.ops[0].field}`);
  }
});

test('pull: visibility per role, pages by count and by bytes, cursors', async () => {
  const mine = guest2.newTicket('Monitor flickers');
  await guest2.push(mine);
  const t = mine.ops[0].entity_id;
  const note = tech.comment(t, 'internal_note', 'replace the cable');
  const reply = tech.comment(t, 'public_reply', 'A new cable is on its way');
  await tech.push(note, reply);

  const g2 = (await guest2.pullAll()).ops;
  const ids = new Set(g2.map((o) => o.op_id));
  assert.ok(reply.ops.every((o) => ids.has(o.op_id)), 'the requester sees public replies');
  assert.ok(note.ops.every((o) => !ids.has(o.op_id)), 'the requester never sees internal notes');
  assert.ok(g2.every((o) => o.entity !== 'ticket' || o.entity_id === t), 'only their own tickets');

  const all = (await tech.pullAll()).ops;
  const techIds = new Set(all.map((o) => o.op_id));
  assert.ok(note.ops.every((o) => techIds.has(o.op_id)), 'the help desk sees internal notes');
  assert.ok(all.length > g2.length);

  // Pages: max_pull_ops is 5 on this server; a client can ask for fewer and for fewer bytes.
  const page = await tech.pull(0, { max_ops: 1000 });
  assert.equal(page.json.ops.length, 5);
  assert.equal(page.json.more, true);
  // Each op's own server_seq comes beside it (rising; the last is the cursor).
  assert.equal(page.json.seqs.length, 5);
  assert.ok(page.json.seqs.every((seq, i) => Number.isInteger(seq) && (i === 0 || seq > page.json.seqs[i - 1])), page.json.seqs.join());
  assert.equal(page.json.seqs[4], page.json.cursor);
  const small = await tech.pullAll(0, { max_ops: 2 });
  assert.deepEqual(small.ops.map((o) => o.op_id), all.map((o) => o.op_id));
  const tiny = await tech.pullAll(0, { max_bytes: 300 });
  assert.deepEqual(tiny.ops.map((o) => o.op_id), all.map((o) => o.op_id));
  const firstBytePage = await tech.pull(0, { max_bytes: 300 });
  assert.equal(firstBytePage.json.ops.length, 1, 'a page over the byte budget holds just one op');
  // Pulling again from the final cursor gives nothing new.
  const after = await tech.pull(small.cursor);
  assert.equal(after.json.ops.length, 0);
  assert.equal(after.json.more, false);
});

test('sealed envelopes as raw bytes (what devices send): answered in the same form, a quarter smaller than text; damage refused the same way', async () => {
  const post = (path, bytes, type = BINARY_ENVELOPE_TYPE) =>
    fetch(server.url + path, { method: 'POST', headers: { 'Content-Type': type }, body: bytes });
  const channel = guest.channel;
  const pushBody = JSON.stringify({ v: 1, batches: [guest.newTicket('Sent as bytes')] });
  const pushed = channel.seal('/api/v1/push', guest.token, pushBody);
  assert.equal(pushed.text.length, Math.ceil(pushed.bytes.length * 4 / 3), 'the text form is a third longer');
  const answer = await post('/api/v1/push', pushed.bytes);
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('content-type'), BINARY_ENVELOPE_TYPE);
  const wire = Buffer.from(await answer.arrayBuffer());
  assert.equal(wire[0], 1, 'the envelope itself: version byte first');
  assert.equal(wire[1], 2, 'an answer');
  const results = JSON.parse(channel.open(wire, pushed.counter)).results;
  assert.equal(results[0].status, 'accepted');
  // A pull, both ways: the same plaintext, the binary body 3/4 of the text one (± the padding).
  const pullBody = JSON.stringify({ cursor: 0 });
  const asBytes = channel.seal('/api/v1/pull', guest.token, pullBody);
  const bytesAnswer = Buffer.from(await (await post('/api/v1/pull', asBytes.bytes)).arrayBuffer());
  const asText = channel.seal('/api/v1/pull', guest.token, pullBody);
  const textAnswer = await (await post('/api/v1/pull', asText.text, 'application/vnd.lifebuoy.envelope')).text();
  assert.deepEqual(JSON.parse(channel.open(bytesAnswer, asBytes.counter)).ops, JSON.parse(channel.open(textAnswer, asText.counter)).ops);
  assert.equal(textAnswer.length, Math.ceil(bytesAnswer.length * 4 / 3));
  // Damage: a flipped byte, cut short, text sent as bytes, the same envelope again — plain JSON refusals.
  const good = channel.seal('/api/v1/pull', guest.token, pullBody).bytes;
  const flipped = Buffer.from(good);
  flipped[good.length - 1] ^= 0x01;
  assert.equal((await (await post('/api/v1/pull', flipped)).json()).error.code, 'envelope_tampered');
  assert.equal((await (await post('/api/v1/pull', good.subarray(0, 60))).json()).error.code, 'envelope_truncated');
  const textAsBytes = await post('/api/v1/pull', Buffer.from(channel.seal('/api/v1/pull', guest.token, pullBody).text));
  assert.equal(textAsBytes.status, 400);
  assert.match((await textAsBytes.json()).error.code, /^envelope_/);
  assert.equal((await post('/api/v1/pull', good)).status, 200);
  const replayed = await post('/api/v1/pull', good);
  assert.equal(replayed.status, 409);
  assert.equal((await replayed.json()).error.code, 'envelope_replayed');
  // Over the body limit as bytes: 413 too_large, like text.
  const big = await post('/api/v1/pull', Buffer.alloc(LIMITS.max_request_body_bytes + 1, 1));
  assert.equal(big.status, 413);
  assert.equal((await big.json()).error.code, 'too_large');
  assert.equal((await guest.pull(0)).status, 200);
});

test('push version 2: batches in the shared form store the very ops a full-form push stores, answered as seqs', async () => {
  const ticket = guest.newTicket('Shared members, written once');
  const shared = sharedForm(ticket);
  assert.ok(shared.ops.every((o) => !('node' in o) && !('entity_id' in o) && !('entity' in o)), 'entity, entity_id and node once');
  const first = await api(server, 'POST', '/api/v1/push', { token: guest.token, body: { v: 2, answer: 'seqs', batches: [shared] } });
  assert.equal(first.status, 200, first.text);
  const [result] = first.json.results;
  assert.equal(result.status, 'accepted');
  assert.equal(result.seqs.length, ticket.ops.length);
  assert.ok(result.seqs.every((seq) => seq > 0));
  assert.equal(result.ops, undefined, 'no op ids in the seqs form');
  // The same batch in the full form (version 1) is the same ops: a duplicate, with the same seqs.
  const again = await api(server, 'POST', '/api/v1/push', { token: guest.token, body: { v: 1, batches: [ticket] } });
  assert.equal(again.json.results[0].status, 'duplicate');
  assert.deepEqual(again.json.results[0].ops.map((o) => o.seq), result.seqs);
  // Stored in full: a pull gives every op with its own entity, entity_id and node.
  const pulled = await api(server, 'POST', '/api/v1/pull', { token: guest.token, body: { cursor: result.seqs[0] - 1, max_ops: 5 } });
  const op = pulled.json.ops.find((o) => o.op_id === ticket.ops[0].op_id);
  assert.ok(op, 'the first op is pulled back');
  assert.equal(op.entity_id, ticket.ops[0].entity_id);
  assert.equal(op.node, ticket.ops[0].node);
  // A shared member that is not one ops may share is refused for that batch, with a reason.
  const odd = sharedForm(guest.newTicket('Odd shared member'));
  odd.shared.field = 'title';
  const refused = await api(server, 'POST', '/api/v1/push', { token: guest.token, body: { v: 2, batches: [odd] } });
  assert.equal(refused.json.results[0].status, 'rejected');
  assert.equal(refused.json.results[0].error.code, 'bad_value');
  // Version 3: the whole push is refused (a device then sends version 1).
  const later = await api(server, 'POST', '/api/v1/push', { token: guest.token, body: { v: 3, batches: [ticket] } });
  assert.equal(later.status, 400);
  assert.equal(later.json.error.code, 'unsupported_version');
});

test('limits: oversize body and too many batches are 413 with a JSON error', async () => {
  const big = await api(server, 'POST', '/api/v1/push', { token: guest.token, raw: 'x'.repeat(200 * 1024) });
  assert.equal(big.status, 413);
  assert.equal(big.json.error.code, 'too_large');
  const many = await guest.push(...Array.from({ length: 5 }, () => guest.newTicket()));
  assert.equal(many.status, 413);
  assert.equal(many.json.error.code, 'too_many_batches');
  const t = hex(16);
  const long = guest.batch(Array.from({ length: 9 }, (_, i) => guest.op('ticket', t, 'title', `t${i}`)));
  const tooLong = await guest.push(long);
  assert.equal(tooLong.status, 413);
  assert.equal(tooLong.json.error.code, 'batch_too_large');
  // The server is still fine.
  assert.equal((await api(server, 'GET', '/healthz')).status, 200);
});

test('bad input is a 4xx with a JSON error, never a crash', async () => {
  const bodies = ['', 'not json', '[1,2]', '{"v":2,"batches":[]}', '{"v":1}', '{"v":1,"batches":"x"}',
    '{"v":1,"batches":[]}', '['.repeat(100000), '{"cursor":-1}', '{"cursor":"0"}', '\u00ff\u00fe',
    '{"v":1,"batches":[{"v":1,"batch_id":"' + '0'.repeat(32) + '","ops":[{}]}]}'];
  for (const raw of bodies) {
    for (const path of ['/api/v1/push', '/api/v1/pull', '/api/v1/enroll', '/api/v1/keys']) {
      const r = await api(server, 'POST', path, { token: guest.token, raw });
      assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `${path} ${raw.slice(0, 20)} → ${r.status}`);
      if (r.status >= 400) assert.equal(typeof r.json?.error?.code, 'string', r.text);
    }
  }
  assert.equal((await api(server, 'GET', '/api/v1/push', { token: guest.token })).status, 405);
  assert.equal((await api(server, 'GET', '/api/v1/nothing')).status, 404);
  assert.equal((await api(server, 'GET', '/api/v1/notify', { token: guest.token })).status, 405);
  assert.equal((await api(server, 'POST', '/api/v1/notify', { token: guest.token, body: { cursor: 'abc' } })).status, 400);
  assert.equal((await api(server, 'GET', '/healthz')).status, 200);
});

test('the key directory and metrics', async () => {
  const keys = await api(server, 'POST', '/api/v1/keys', { token: guest.token, body: {} });
  assert.equal(keys.status, 200);
  assert.equal(keys.json.server_key.length, 43);
  const up = await api(server, 'POST', '/api/v1/keys', { token: guest.token, body: { user_public_key: keys.json.server_key } });
  assert.equal(up.status, 200);
  const team = await api(server, 'POST', '/api/v1/keys', { token: guest.token, body: { team_public_key: keys.json.server_key } });
  assert.equal(team.status, 403);

  const m = await api(server, 'GET', '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /text\/plain/);
  assert.match(m.text, /lifebuoy_ops_total\{result="accepted"\} [1-9]/);
  assert.match(m.text, /lifebuoy_ops_rejected_total\{code="forbidden"\} [1-9]/);
  assert.match(m.text, /lifebuoy_http_requests_total\{endpoint="push"\} [1-9]/);
  // The duration histogram: every push answered so far is in +Inf, and _count says the same.
  const pushes = Number(/lifebuoy_http_request_duration_seconds_count\{endpoint="push"\} (\d+)/.exec(m.text)?.[1]);
  assert.ok(pushes >= 1, 'push durations are observed');
  assert.match(m.text, new RegExp(`lifebuoy_http_request_duration_seconds_bucket\\{endpoint="push",le="\\+Inf"\\} ${pushes}\n`));
  assert.match(m.text, /lifebuoy_http_request_duration_seconds_sum\{endpoint="push"\} \d+\.\d{6}\n/);
  assert.match(m.text, /lifebuoy_enrolled_devices [1-9]/);
  assert.match(m.text, /lifebuoy_live_waiters 0/);
  // The page cache reserved at start (server_storage.h): the pushes' pages are cached in it.
  const used = Number(/lifebuoy_page_cache_pages\{state="used"\} (\d+)/.exec(m.text)?.[1]);
  const free = Number(/lifebuoy_page_cache_pages\{state="free"\} (\d+)/.exec(m.text)?.[1]);
  assert.ok(used > 0, 'cached pages come from the reserved block');
  assert.equal(used + free, 64 * 1024 * 1024 / 4096, 'the whole block is 64 MiB of 4 KiB pages');
  assert.match(m.text, /lifebuoy_page_cache_overflow_bytes 0\n/);
});

test('sealed envelopes: nothing readable on the wire; tampered, replayed, misaddressed, late and borrowed requests are refused', async () => {
  const post = (path, text, headers = { 'Content-Type': 'application/vnd.lifebuoy.envelope' }) =>
    fetch(server.url + path, { method: 'POST', headers, body: text });
  const channel = guest.channel;
  const pullBody = JSON.stringify({ cursor: 0 });

  // An answer is sealed: neither the request nor the answer holds readable JSON.
  const sealed = channel.seal('/api/v1/pull', guest.token, pullBody);
  const answer = await post('/api/v1/pull', sealed.text);
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('content-type'), 'application/vnd.lifebuoy.envelope');
  const wire = await answer.text();
  assert.throws(() => JSON.parse(wire));
  assert.ok(!Buffer.from(sealed.text, 'base64url').includes(Buffer.from(guest.token)), 'the token is not in the clear');
  assert.ok(Array.isArray(JSON.parse(channel.open(wire, sealed.counter)).ops));

  // The same envelope again: a replay.
  const replay = await post('/api/v1/pull', sealed.text);
  assert.equal(replay.status, 409);
  assert.equal((await replay.json()).error.code, 'envelope_replayed');

  // Any flipped byte: header (device key, server key id, counter, time, nonce) or ciphertext.
  const good = Buffer.from(channel.seal('/api/v1/pull', guest.token, pullBody).text, 'base64url');
  for (const at of [3, 40, 57, 62, 70, 95, good.length - 1]) {
    const bad = Buffer.from(good);
    bad[at] ^= 0x01;
    const r = await post('/api/v1/pull', bad.toString('base64url'));
    assert.ok(r.status >= 400 && r.status < 500, `byte ${at}: ${r.status}`);
    assert.match((await r.json()).error.code, /^(envelope_tampered|envelope_replayed|server_key_changed|envelope_clock_skew|key_malformed)$/);
  }
  // Cut short.
  const cut = await post('/api/v1/pull', good.subarray(0, 60).toString('base64url'));
  assert.equal((await cut.json()).error.code, 'envelope_truncated');
  // Sealed for another endpoint.
  const moved = channel.seal('/api/v1/push', guest.token, pullBody);
  const elsewhere = await post('/api/v1/pull', moved.text);
  assert.equal(elsewhere.status, 400);
  assert.equal(JSON.parse(channel.open(await elsewhere.text(), moved.counter)).error.code, 'bad_request');
  // A clock ten minutes off: refused, and told the server's time.
  const late = await post('/api/v1/pull', channel.seal('/api/v1/pull', guest.token, pullBody, { timeMs: Date.now() - 600000 }).text);
  assert.equal(late.status, 400);
  const lateBody = await late.json();
  assert.equal(lateBody.error.code, 'envelope_clock_skew');
  assert.ok(Math.abs(lateBody.server_time_ms - Date.now()) < 60000);
  // Sealed for another server's key.
  const other = new Channel(strangerKeyText());
  const misaddressed = await post('/api/v1/pull', other.seal('/api/v1/pull', guest.token, pullBody).text);
  assert.equal((await misaddressed.json()).error.code, 'server_key_changed');
  // A token used from another device's key.
  const thief = await newChannel(server);
  const borrowed = await api(server, 'POST', '/api/v1/pull', { token: guest.token, body: { cursor: 0 }, channel: thief });
  assert.equal(borrowed.status, 401);
  assert.equal(borrowed.json.error.code, 'unauthenticated');
  // Pushes take the group-commit path (counter and token checked in the store thread's
  // transaction): a replayed push envelope and a borrowed token are refused the same way.
  const pushBody = JSON.stringify({ v: 1, batches: [guest.newTicket('Replayed push')] });
  const pushed = channel.seal('/api/v1/push', guest.token, pushBody);
  const firstPush = await post('/api/v1/push', pushed.text);
  assert.equal(firstPush.status, 200);
  assert.equal(JSON.parse(channel.open(await firstPush.text(), pushed.counter)).results[0].status, 'accepted');
  const replayedPush = await post('/api/v1/push', pushed.text);
  assert.equal(replayedPush.status, 409);
  assert.equal((await replayedPush.json()).error.code, 'envelope_replayed');
  const borrowedPush = await api(server, 'POST', '/api/v1/push', { token: guest.token, body: JSON.parse(pushBody), channel: thief });
  assert.equal(borrowedPush.status, 401);
  assert.equal(borrowedPush.json.error.code, 'unauthenticated');
  const noSuchToken = await api(server, 'POST', '/api/v1/push', { token: 'x'.repeat(43), body: JSON.parse(pushBody), channel: thief });
  assert.equal(noSuchToken.status, 401);
  assert.equal(noSuchToken.json.error.code, 'unauthenticated');
  // Plain JSON is not an envelope.
  const plain = await post('/api/v1/pull', pullBody, { 'Content-Type': 'application/json', Authorization: `Bearer ${guest.token}` });
  assert.equal(plain.status, 400);
  assert.equal((await plain.json()).error.code, 'not_an_envelope');
  // After all that, the device's next request still works.
  assert.equal((await guest.pull(0)).status, 200);
});
