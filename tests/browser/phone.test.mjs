// phone.test.mjs — a 360-pixel-wide phone with touch input (device pixel ratio 3): taps focus the
// fields (the on-screen keyboard's text arrives through the hidden text field), text pasted from
// the system clipboard lands in the description, and Submit files the ticket, saved on the device.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPortal, screenshot, startServer, tapWidget, waitForSnapshot } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a phone with touch input files a ticket; a paste from the clipboard lands in the description', async () => {
  const { page } = await openPortal(browser, server.url, {
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 3, device: { hasTouch: true, isMobile: true } });
  await waitForSnapshot(page, (s) => s.values.storage === 'opfs', { what: 'the engine to start', timeout: 15000 });

  const title = 'Phone: Wi-Fi asks for my password again';
  await tapWidget(page, 'Title');
  await waitForSnapshot(page, (s) => s.wants_text_input, { what: 'the tapped field to take text input' });
  await page.keyboard.type(title, { delay: 10 });
  await waitForSnapshot(page, (s) => s.values.Title === title, { what: 'the title typed after a tap' });

  const pasted = 'Error 0x8004 — "authentication failed" at the 3rd floor access point.';
  await tapWidget(page, 'Description');
  await page.keyboard.type('Since Monday. ', { delay: 10 });
  // Headless Chromium's Ctrl+V does not reach a system clipboard, so the paste event a browser
  // fires on the focused element is delivered as the browser would, with the text as its data.
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, pasted);
  const typed = `Since Monday. ${pasted}`;
  await waitForSnapshot(page, (s) => s.values.Description === typed, { what: 'the pasted text in the description' });
  await screenshot(page, 'phone-form');

  await tapWidget(page, 'Submit ticket');
  const snap = await waitForSnapshot(page, (s) => s.screen === 'ticket' && s.values.ticket_title === title,
    { what: 'the ticket to be filed from the phone' });
  assert.match(snap.values.ticket_delivery, /^Saved on this device|^Sent|^Received/);
  await screenshot(page, 'phone-ticket');
});
