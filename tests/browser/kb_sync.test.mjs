// kb_sync.test.mjs — the knowledge base synced to a real browser: the server's first start
// imports the web bundle's starter set (the set the portal seeds itself from); a guest signs in;
// the admin re-imports a folder with one article changed and one removed (`kb import`); after
// "Sync now" the portal's search shows the new title and no longer finds the retired article;
// "This solved my problem" on the new version reaches the server as a deflection of version 2
// (counted in /metrics and `kb deflections`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clickWidget, launchBrowser, openPortal, screenshot, signInAsGuest, startServer, typeInto,
  waitForSnapshot } from './harness.mjs';

const STARTER_KB = fileURLToPath(new URL('../../assets/kb', import.meta.url));
let server, browser, folder;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  folder = mkdtempSync(join(tmpdir(), 'lifebuoy-kb-'));
  cpSync(STARTER_KB, folder, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const cli = (...args) => execFileSync(process.env.LB_SERVER_BIN, [...args, '--data-dir', server.dataDir], { encoding: 'utf8' });

async function metric(name) {
  const text = await (await fetch(new URL('metrics', server.url))).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

test('a guest portal follows the server’s articles and reports a deflection of the version it read', async () => {
  assert.match(server.output(), /knowledge base: starter articles .* — added \d+, updated 0, retired 0, unchanged 0/);
  const { page, context } = await openPortal(browser, server.url);
  await waitForSnapshot(page, (s) => s.values.connection === 'Online', { what: 'the portal to be online' });
  await signInAsGuest(page);

  const vpnFile = join(folder, 'vpn-keeps-disconnecting.md');
  writeFileSync(vpnFile, readFileSync(vpnFile, 'utf8').replace(/^title: .*$/m, 'title: VPN keeps disconnecting (updated)'));
  unlinkSync(join(folder, 'printer-paper-jam.md'));
  const imported = cli('kb', 'import', folder);
  assert.match(imported, /updated vpn-keeps-disconnecting v1 → v2/);
  assert.match(imported, /retired printer-paper-jam/);

  await clickWidget(page, 'Sync now');
  await clickWidget(page, 'Help articles');
  const titles = (s) => (s.values.kb_results || '').split('\n').filter(Boolean);
  await typeInto(page, 'Search articles', 'vpn keeps disconnecting');
  await waitForSnapshot(page, (s) => s.values.kb_results_for === 'vpn keeps disconnecting\x1f' &&
    titles(s).includes('VPN keeps disconnecting (updated)'), { what: 'the updated article in search', timeout: 20000 });
  await screenshot(page, 'kb-sync-updated-article');

  await clickWidget(page, 'Search articles');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await typeInto(page, 'Search articles', 'paper jam');
  const jam = await waitForSnapshot(page, (s) => s.values.kb_results_for === 'paper jam\x1f',
    { what: 'search results for "paper jam"' });
  assert.ok(!titles(jam).includes('Clearing a paper jam'), `the retired article is gone: ${titles(jam).join(' | ')}`);

  await clickWidget(page, 'Search articles');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await typeInto(page, 'Search articles', 'vpn keeps disconnecting');
  await waitForSnapshot(page, (s) => s.values.kb_results_for === 'vpn keeps disconnecting\x1f' && titles(s).length > 0);
  await clickWidget(page, 'VPN keeps disconnecting (updated)');
  await waitForSnapshot(page, (s) => s.screen === 'article' && s.values.article === 'VPN keeps disconnecting (updated)',
    { what: 'the updated article to open' });
  await clickWidget(page, 'This solved my problem');
  await waitForSnapshot(page, (s) => s.screen === 'knowledge' && Boolean(s.values.deflection),
    { what: 'the deflection to be recorded' });

  const deadline = Date.now() + 20000;
  while ((await metric('lifebuoy_kb_deflections_stored')) !== 1) {
    assert.ok(Date.now() < deadline, 'the deflection reaches the server');
    await new Promise((r) => setTimeout(r, 200));
  }
  const report = cli('kb', 'deflections');
  assert.match(report, /1\s+vpn-keeps-disconnecting\s+v2/);
  await context.close();
});
