// tabs.test.mjs — one writer across tabs: the first tab's engine owns the database (Web Lock),
// a second tab attaches to it (BroadcastChannel) instead of opening a store of its own; tickets
// filed in either tab show in both; when the owner's tab closes, the other takes over on the
// same OPFS database with nothing lost, and a new tab attaches to it in turn.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, launchBrowser, openPortal, screenshot, startServer, typeInto, waitForSnapshot } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const titles = (s) => JSON.parse(s.values.tickets || '[]').map((t) => t.title).sort();

// A person works in the tab in front; background tabs draw no frames.
async function fileTicket(page, title) {
  await page.bringToFront();
  await clickWidget(page, 'New ticket');
  await typeInto(page, 'Title', title);
  await typeInto(page, 'Description', `Filed from a tab: ${title}.`);
  await waitForSnapshot(page, (s) => s.values.Title === title, { what: 'the title to be typed' });
  await clickWidget(page, 'Submit ticket');
  await waitForSnapshot(page, (s) => s.screen === 'ticket' && s.values.ticket_title === title,
    { what: `"${title}" to be saved` });
}

const hasAll = (expected) => (s) => JSON.stringify(titles(s)) === JSON.stringify([...expected].sort());

test('two tabs share one engine; closing the owner hands the database to the other', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const a = await openPortal(context, server.url);
  await waitForSnapshot(a.page, (s) => s.values.engine_mode === 'owner' && s.values.storage === 'opfs',
    { what: 'the first tab to own the engine on OPFS', timeout: 15000 });
  const b = await openPortal(context, server.url);
  await waitForSnapshot(b.page, (s) => s.values.engine_mode === 'attached' && s.values.storage === 'opfs',
    { what: 'the second tab to attach to the first one\'s engine', timeout: 15000 });

  await fileTicket(a.page, 'Monitor flickers (tab A)');
  await fileTicket(b.page, 'Keyboard missing keys (tab B)');
  const both = ['Monitor flickers (tab A)', 'Keyboard missing keys (tab B)'];
  await a.page.bringToFront();
  await waitForSnapshot(a.page, hasAll(both), { what: 'tab A to list both tickets' });
  await b.page.bringToFront();
  await waitForSnapshot(b.page, hasAll(both), { what: 'tab B to list both tickets' });
  await clickWidget(b.page, 'My tickets (2)');
  await screenshot(b.page, 'tabs-attached-tab');

  await a.page.close();  // the owner goes away: B takes over the same database
  await waitForSnapshot(b.page, (s) => s.values.engine_mode === 'owner' && s.values.storage === 'opfs',
    { what: 'tab B to take the engine over', timeout: 15000 });
  await fileTicket(b.page, 'Headset crackles (tab B, owner now)');
  const three = [...both, 'Headset crackles (tab B, owner now)'];
  await waitForSnapshot(b.page, hasAll(three), { what: 'tab B to list all three' });

  const c = await openPortal(context, server.url);
  const snap = await waitForSnapshot(c.page, (s) => s.values.engine_mode === 'attached' && hasAll(three)(s),
    { what: 'a new tab to attach to B and show the same tickets', timeout: 15000 });
  assert.deepEqual(titles(snap), [...three].sort());
  await context.close();
});
