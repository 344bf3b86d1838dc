// update.test.mjs — a new version deployed while the portal is open: the page says "A new version
// of Lifebuoy is available", and its Reload — clicked right after typing, before the draft's
// usual save pause — opens the new version with every typed character still in the draft.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickWidget, launchBrowser, openPortal, screenshot, startServer, typeInto, waitForSnapshot } from './harness.mjs';

let server, browser, dataDir, nextDist;
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lifebuoy-data-'));
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (nextDist) rmSync(nextDist, { recursive: true, force: true });
});

// A copy of the built bundle stamped with another shell version, as the next deploy would be.
function makeNextVersion(version) {
  const dir = mkdtempSync(join(tmpdir(), 'lifebuoy-next-dist-'));
  cpSync(process.env.LB_DIST_DIR, dir, { recursive: true });
  for (const name of ['sw.js', 'index.html']) {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(version), `${name} carries the shell version`);
    writeFileSync(file, text.split(version).join(version + '-next'));
    rmSync(file + '.br', { force: true });  // the server serves the plain file when no
    rmSync(file + '.gz', { force: true });  // precompressed copy exists
  }
  return dir;
}

test('a new version is offered while the portal is open, and Reload keeps the draft', async () => {
  const { page, context } = await openPortal(browser, server.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const version = await page.evaluate(() => window.lifebuoy.shellVersion);
  await typeInto(page, 'Title', 'Docking station ');
  await waitForSnapshot(page, (s) => s.values.draft === 'Draft saved on this device.', { what: 'the draft to be saved' });

  // deploy: the same data folder and port, the next bundle
  await server.stop();
  nextDist = makeNextVersion(version);
  server = await startServer({ dataDir, port: server.port, distDir: nextDist });
  await page.evaluate(() => window.lifebuoy.checkForUpdate());
  await page.locator('#update').waitFor({ state: 'visible', timeout: 20000 });
  await screenshot(page, 'update-available');

  // typed just before Reload: still in the draft after it
  await clickWidget(page, 'Title');
  await page.keyboard.press('End');  // the click put the cursor where it landed
  await page.keyboard.type('flickers', { delay: 15 });
  await page.click('#update-reload');
  await page.waitForFunction((v) => window.lifebuoy && window.lifebuoy.shellVersion === v, version + '-next',
    { timeout: 20000 });
  const after = await waitForSnapshot(page, (s) => s.enabled && s.values.Title !== undefined &&
    s.values.draft === 'Draft saved on this device.', { what: 'the new version with the draft', timeout: 20000 });
  assert.equal(after.values.Title, 'Docking station flickers');
  assert.ok(await page.locator('#update').isHidden(), 'the new version does not offer itself again');
  await screenshot(page, 'update-reloaded');
  await context.close();
});
