// fallback.test.mjs — the plain-HTML portal (web/simple.html). A browser without WebGL2 opening
// the portal is sent there; with the keyboard only (Tab, typing, Enter) a guest signs in, files a
// ticket online and one offline (server unreachable), and both arrive at the help desk exactly
// once with their numbers. Offline, help articles are suggested for the draft and searchable, and
// "This solved my problem" discards the draft.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, screenshot, startServer, ticketIdsOnServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Types into the focused field like a person, then moves on with Tab.
async function typeAndTab(page, text) {
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Tab');
}

async function fileTicket(page, title, description) {
  await page.getByLabel('Title').focus();  // the first field of the form, as a Tab from the nav reaches
  await typeAndTab(page, title);
  await page.waitForFunction(() => document.activeElement.id === 'description');
  await page.keyboard.type(description, { delay: 5 });
  await page.getByRole('button', { name: 'Submit ticket' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 2, name: new RegExp(title) }).waitFor();
}

// a browser without WebGL2 (old GPU drivers, some locked-down machines)
async function contextWithoutWebGL2() {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  await context.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      return kind === 'webgl2' ? null : getContext.call(this, kind, ...rest);
    };
  });
  return context;
}

test('without WebGL2 the plain-HTML portal files tickets online and offline, each arriving once', async () => {
  const context = await contextWithoutWebGL2();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.url);
  await page.waitForURL(/simple\.html$/);
  await page.getByText(/^Online/).waitFor({ timeout: 15000 });

  // guest sign-in with the keyboard
  await page.getByLabel('Your name').focus();
  await typeAndTab(page, 'Gita Guest');
  await page.keyboard.type('gita@example.com', { delay: 5 });
  await page.keyboard.press('Enter');  // submits the guest form
  await page.getByRole('region', { name: 'Sign in' }).waitFor({ state: 'hidden', timeout: 15000 });
  assert.ok(await page.locator('#impact-choices').isHidden(), 'guests do not choose who is affected');

  // a validation message, then a ticket online
  await page.getByRole('button', { name: 'Submit ticket' }).click();
  await page.getByRole('alert').filter({ hasText: 'Add a short title' }).waitFor();
  const online = 'Simple version: projector in room 4 shows no signal';
  await fileTicket(page, online, 'The HDMI cable is plugged in; other laptops fail too.');
  const received = page.locator('#ticket-delivery', { hasText: 'Received by the help desk' });
  await received.waitFor({ timeout: 20000 });
  assert.match(await page.locator('#ticket-heading').textContent(), /^#\d+ /, 'the ticket has its number');
  await screenshot(page, 'fallback-received');

  // offline: kept on the device, sent on return
  await context.setOffline(true);
  await page.getByText(/^Offline/).waitFor({ timeout: 15000 });
  const offline = 'Simple version: scanner offline on floor 2';
  await page.getByRole('button', { name: 'Back to my tickets' }).click();
  await fileTicket(page, offline, 'Filed while the help desk is unreachable.');
  await page.locator('#ticket-delivery', { hasText: 'Saved on this device' }).waitFor();
  await page.locator('#ticket-rows tr', { hasText: offline }).waitFor();
  await screenshot(page, 'fallback-saved-offline');
  await context.setOffline(false);
  await page.locator('#ticket-delivery', { hasText: 'Received by the help desk' }).waitFor({ timeout: 30000 });

  // titles are sealed end to end: the server holds exactly the two tickets, each once
  assert.equal((await ticketIdsOnServer(server)).length, 2, 'the online and the offline ticket exist once each on the server');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the plain-HTML portal suggests and searches help articles offline; a solved problem discards the draft', async () => {
  const context = await contextWithoutWebGL2();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForURL(/simple\.html$/);
  await page.getByText(/^Online/).waitFor({ timeout: 15000 });
  await context.setOffline(true);
  await page.getByText(/^Offline/).waitFor({ timeout: 15000 });

  await page.getByLabel('Search help articles').focus();
  await page.keyboard.type('paper jam', { delay: 10 });
  await page.locator('#article-results li').first().filter({ hasText: /jam/i }).waitFor();

  await page.getByLabel('Title').focus();
  await page.keyboard.type('vpn keeps disconnecting', { delay: 10 });
  const suggestion = page.locator('#suggestion-list a', { hasText: 'VPN keeps disconnecting' });
  await suggestion.waitFor();
  await screenshot(page, 'fallback-suggestions-offline');
  await suggestion.click();
  await page.getByRole('heading', { level: 3, name: 'VPN keeps disconnecting' }).waitFor();
  await page.getByRole('button', { name: 'This solved my problem' }).click();
  await page.getByText('Glad that helped. Your draft was discarded; no ticket was filed.').waitFor();
  assert.equal(await page.getByLabel('Title').inputValue(), '');
  const draft = await page.evaluate(() => window.lifebuoySimple.send('get_draft', { form: 'new_ticket' }));
  assert.deepEqual(draft.result.fields, {}, 'the draft is gone on the device too');
  await context.close();
});
