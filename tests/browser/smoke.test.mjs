// smoke.test.mjs — the portal loads from the real server, draws its first screen in WebGL2, and
// a person can type a ticket title (with non-ASCII text) into the field they find by its label.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, findWidget, launchBrowser, openPortal, screenshot, startServer, typeInto,
  waitForSnapshot } from './harness.mjs';
import { darkPixels, decodePng, distinctColours } from './png.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the first screen shows the product, the New ticket form and an Online indicator', async () => {
  const { page, context } = await openPortal(browser, server.url);
  const snap = await waitForSnapshot(page, (s) => s.values.connection === 'Online',
    { what: 'the connection indicator to say Online' });
  assert.equal(snap.screen, 'new_ticket');
  for (const label of ['Title', 'Description']) assert.ok(await findWidget(page, label), `${label} field`);
  const { buffer } = await screenshot(page, 'smoke-first-screen');
  assert.ok(distinctColours(decodePng(buffer)) > 20, 'the frame is not blank');
  await context.close();
});

test('typing a title with non-ASCII text shows it in the field', async () => {
  const { page, context } = await openPortal(browser, server.url);
  const field = await findWidget(page, 'Title');
  const before = decodePng((await screenshot(page, 'smoke-title-empty')).buffer);
  const title = 'VPN drops every hour — Zoë Núñez, Łódź, 東京';
  await typeInto(page, 'Title', title);
  await waitForSnapshot(page, (s) => s.values.Title === title, { what: 'the title to hold the typed text' });
  await waitForSnapshot(page, (s) => s.values.fallback_font === 'loaded', { what: 'the CJK font to load' });
  await page.waitForTimeout(100);  // a frame drawn with the new glyphs
  const shot = await screenshot(page, 'smoke-title-typed');
  const after = decodePng(shot.buffer);
  const inkBefore = darkPixels(before, field), inkAfter = darkPixels(after, field);
  assert.ok(inkAfter > inkBefore + 300, `text is drawn in the field (ink ${inkBefore} → ${inkAfter})`);

  await clickWidget(page, 'Description');
  await page.keyboard.type('It started after the update.\nEvery hour, on the dot.', { delay: 5 });
  await waitForSnapshot(page, (s) => s.values.Description === 'It started after the update.\nEvery hour, on the dot.',
    { what: 'the description to hold two typed lines' });
  await context.close();
});

test('the canvas follows window resizes and the device pixel ratio', async () => {
  const { page, context } = await openPortal(browser, server.url, { viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
  const size = await page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height]; });
  assert.deepEqual(size, [1600, 1200], 'drawing buffer at 2× device pixels');
  await page.setViewportSize({ width: 400, height: 700 });
  await page.waitForTimeout(200);
  const resized = await page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height]; });
  assert.deepEqual(resized, [800, 1400]);
  const field = await findWidget(page, 'Title');
  assert.ok(field.x + field.w <= 400, 'the form fits a narrow window');
  await screenshot(page, 'smoke-narrow-hidpi');
  await context.close();
});
