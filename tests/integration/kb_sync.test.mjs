// kb_sync.test.mjs — the knowledge base through the real binary: `kb import` of a folder (while the
// server runs), a guest device pulling articles from its kb cursor, a re-import that bumps a
// changed article's version and retires a missing one (a tombstone comes down), help-desk-only
// articles reaching technicians only, a bad folder refused with file:line and nothing changed,
// deflections stored once by id and counted in /metrics and `kb deflections`, the API's errors,
// and the demo's first start importing the web bundle's starter set.
// Not here: the engine's side (tests/unit/engine_kb_sync_test.cpp), browsers (tests/browser/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, enrol, hex, runCli, startServer, tempDir } from './support.mjs';

function article(title, body, audience = 'everyone') {
  return `---\ntitle: ${title}\ntags: [help]\ncategory: Network\naudience: ${audience}\n---\n${body}\n`;
}

function kbPull(server, device, cursor, extra = {}) {
  return api(server, 'POST', '/api/v1/kb/pull', { token: device.token, body: { cursor, ...extra } });
}

async function kbPullAll(server, device, cursor = 0) {
  const articles = [];
  for (let page = 0; page < 100; page++) {
    const r = await kbPull(server, device, cursor, { max_articles: 2 });
    assert.equal(r.status, 200, r.text);
    articles.push(...r.json.articles);
    cursor = r.json.cursor;
    if (!r.json.more) return { articles, cursor };
  }
  throw new Error('kb pull did not end');
}

function cli(args) {
  try {
    return { code: 0, stdout: runCli(args), stderr: '' };
  } catch (err) {
    return { code: err.status, stdout: String(err.stdout || ''), stderr: String(err.stderr || '') };
  }
}

function metric(text, name) {
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

test('kb import, guest pull, re-import with a change and a retirement, deflections counted', async () => {
  const server = await startServer();
  const folder = join(tempDir('lifebuoy-kb-'), 'articles');
  mkdirSync(folder);
  try {
    writeFileSync(join(folder, 'vpn-drops.md'), article('VPN keeps disconnecting', 'Reconnect the client.'));
    writeFileSync(join(folder, 'wifi-slow.md'), article('Wi-Fi is slow', 'Move closer to the access point.'));
    writeFileSync(join(folder, 'printer-jam.md'), article('Printer paper jam', 'Open tray two.'));
    writeFileSync(join(folder, 'vpn-runbook.md'), article('VPN concentrator runbook', 'Restart node B.', 'technicians'));
    writeFileSync(join(folder, 'README.txt'), 'not an article');

    const first = cli(['kb', 'import', folder, '--data-dir', server.dataDir]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /added 4, updated 0, retired 0, unchanged 0/);

    const guest = await enrol(server, { guest: true });
    const pulled = await kbPullAll(server, guest);
    assert.deepEqual(pulled.articles.map((a) => [a.id, a.version]).sort(),
      [['printer-jam', 1], ['vpn-drops', 1], ['wifi-slow', 1]]);
    const vpn = pulled.articles.find((a) => a.id === 'vpn-drops');
    assert.equal(vpn.title, 'VPN keeps disconnecting');
    assert.equal(vpn.markdown, 'Reconnect the client.');
    assert.deepEqual(vpn.tags, ['help']);
    assert.equal(vpn.audience, 'everyone');

    const tech = await enrol(server, { invite: server.invite });
    assert.equal(tech.role, 'technician');
    const techPulled = await kbPullAll(server, tech);
    assert.ok(techPulled.articles.some((a) => a.id === 'vpn-runbook' && a.markdown === 'Restart node B.'));

    // Nothing new: the same cursor answers an empty page.
    const idle = await kbPull(server, guest, pulled.cursor);
    assert.deepEqual(idle.json.articles, []);
    assert.equal(idle.json.more, false);

    // A bad folder: every problem as file:line, a non-zero exit, nothing changed.
    writeFileSync(join(folder, 'wifi-slow.md'), article('Wi-Fi is slow', 'Changed, but not imported yet.'));
    writeFileSync(join(folder, 'broken.md'), '---\ntitle: Broken\nsubtitle: nope\n---\nBody\n');
    const bad = cli(['kb', 'import', folder, '--data-dir', server.dataDir]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, new RegExp(`${join(folder, 'broken.md').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: unknown front-matter key 'subtitle'`));
    assert.match(bad.stderr, /nothing was imported/);
    const unchanged = await kbPull(server, guest, pulled.cursor);
    assert.deepEqual(unchanged.json.articles, [], 'a refused import changes nothing');
    unlinkSync(join(folder, 'broken.md'));

    // Re-import: wifi changed (v2), printer gone (tombstone v2), the others unchanged.
    writeFileSync(join(folder, 'wifi-slow.md'), article('Wi-Fi is slow', 'Forget the network, then join again.'));
    unlinkSync(join(folder, 'printer-jam.md'));
    const second = cli(['kb', 'import', folder, '--data-dir', server.dataDir]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /updated wifi-slow v1 → v2/);
    assert.match(second.stdout, /retired printer-jam/);
    assert.match(second.stdout, /added 0, updated 1, retired 1, unchanged 2/);

    const changes = await kbPullAll(server, guest, pulled.cursor);
    const byId = Object.fromEntries(changes.articles.map((a) => [a.id, a]));
    assert.deepEqual(Object.keys(byId).sort(), ['printer-jam', 'wifi-slow']);
    assert.equal(byId['wifi-slow'].version, 2);
    assert.equal(byId['wifi-slow'].markdown, 'Forget the network, then join again.');
    assert.deepEqual(byId['printer-jam'], { id: 'printer-jam', version: 2, retired: true });

    const list = cli(['kb', 'list', '--data-dir', server.dataDir]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /printer-jam\s+v2\s+retired/);
    assert.match(list.stdout, /vpn-runbook\s+v1\s+help desk only/);
    assert.match(list.stdout, /3 article\(s\) published, 1 retired/);

    // Deflections: article, version and time only; a replay is a duplicate; counted.
    const one = { id: hex(16), article_id: 'vpn-drops', article_version: 1, at_ms: Date.now() };
    const two = { id: hex(16), article_id: 'wifi-slow', article_version: 2, at_ms: Date.now() };
    const pushed = await api(server, 'POST', '/api/v1/kb/deflections',
      { token: guest.token, body: { v: 1, deflections: [one, two, { id: 'x', article_id: 'vpn-drops' }] } });
    assert.equal(pushed.status, 200, pushed.text);
    assert.deepEqual(pushed.json.results.map((r) => r.status), ['accepted', 'accepted', 'rejected']);
    assert.equal(pushed.json.results[0].id, one.id);
    assert.equal(pushed.json.results[2].error.code, 'bad_id');
    const replay = await api(server, 'POST', '/api/v1/kb/deflections',
      { token: guest.token, body: { v: 1, deflections: [one] } });
    assert.deepEqual(replay.json.results, [{ id: one.id, status: 'duplicate' }]);

    const m = (await api(server, 'GET', '/metrics')).text;
    assert.equal(metric(m, 'lifebuoy_kb_deflections_stored'), 2);
    assert.equal(metric(m, 'lifebuoy_kb_deflections_total{result="accepted"}'), 2);
    assert.equal(metric(m, 'lifebuoy_kb_deflections_total{result="duplicate"}'), 1);
    assert.equal(metric(m, 'lifebuoy_kb_deflections_total{result="rejected"}'), 1);
    assert.equal(metric(m, 'lifebuoy_kb_articles'), 3);
    assert.ok(metric(m, 'lifebuoy_http_requests_total{endpoint="kb_pull"}') >= 5);

    const report = cli(['kb', 'deflections', '--data-dir', server.dataDir]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /1\s+vpn-drops\s+v1/);
    assert.match(report.stdout, /2 deflection\(s\)/);
  } finally {
    await server.stop();
    rmSync(join(folder, '..'), { recursive: true, force: true });
  }
});

test('the kb endpoints refuse what they should, with the API error shape', async () => {
  const server = await startServer();
  try {
    const guest = await enrol(server, { guest: true });
    const anonymous = await api(server, 'POST', '/api/v1/kb/pull', { body: { cursor: 0 } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error.code, 'unauthenticated');
    const get = await api(server, 'GET', '/api/v1/kb/pull', { token: guest.token });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const badCursor = await kbPull(server, guest, -3);
    assert.equal(badCursor.status, 400);
    assert.equal(badCursor.json.error.code, 'bad_request');
    const notJson = await api(server, 'POST', '/api/v1/kb/deflections', { token: guest.token, raw: '{"v":1,' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json.error.code, 'malformed_json');
    const many = Array.from({ length: 257 }, () => ({ id: hex(16), article_id: 'a', article_version: 1, at_ms: 1 }));
    const tooMany = await api(server, 'POST', '/api/v1/kb/deflections',
      { token: guest.token, body: { v: 1, deflections: many } });
    assert.equal(tooMany.status, 413);
    assert.equal(tooMany.json.error.code, 'too_many_deflections');
    const empty = await kbPull(server, guest, 0);
    assert.deepEqual(empty.json, { v: 1, cursor: 0, more: false, articles: [] });  // no starter set in this web root
  } finally {
    await server.stop();
  }
});

test("the demo's first start imports the web bundle's starter set; --no-demo does not", async () => {
  const bundle = JSON.stringify([
    { id: 'vpn-drops', text: article('VPN keeps disconnecting', 'Reconnect the client.') },
    { id: 'wifi-slow', text: article('Wi-Fi is slow', 'Move closer.') },
  ]);
  const demo = await startServer({ webFiles: { 'kb/articles.json': bundle } });
  try {
    assert.match(demo.output(), /knowledge base: starter articles from .*kb\/articles\.json — added 2, updated 0, retired 0, unchanged 0/);
    const guest = await enrol(demo, { guest: true });
    const pulled = await kbPullAll(demo, guest);
    assert.deepEqual(pulled.articles.map((a) => [a.id, a.version]).sort(), [['vpn-drops', 1], ['wifi-slow', 1]]);
  } finally {
    await demo.stop();
  }
  const plain = await startServer({ args: ['--no-demo'], webFiles: { 'kb/articles.json': bundle } });
  try {
    assert.doesNotMatch(plain.output(), /knowledge base: starter/);
    assert.match(cli(['kb', 'list', '--data-dir', plain.dataDir]).stdout, /0 article\(s\) published/);
  } finally {
    await plain.stop();
  }
});
