// draft.test.mjs — what a person types into the New ticket form is kept on the device (OPFS):
// it survives a reload and a SIGKILL of the whole browser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromiumProcess, openPortal, screenshot, startServer, typeInto, waitForSnapshot } from './harness.mjs';

let server, profile;
before(async () => {
  server = await startServer();
  profile = mkdtempSync(join(tmpdir(), 'lifebuoy-profile-'));
});
after(async () => {
  await server?.stop();
  rmSync(profile, { recursive: true, force: true });
});

test('a draft survives a reload and a SIGKILL of Chromium', async () => {
  const title = 'Printer on floor 3 jams — Zoë Núñez';
  let chrome = await launchChromiumProcess(profile);
  try {
    const { page } = await openPortal(chrome.context, server.url);
    await waitForSnapshot(page, (s) => s.values.storage === 'opfs', { what: 'the engine to keep its database in OPFS' });
    await typeInto(page, 'Title', title);
    await waitForSnapshot(page, (s) => s.values.draft === 'Draft saved on this device.', { what: 'the draft to be saved' });

    await page.reload();
    await waitForSnapshot(page, (s) => s.values.Title === title, { what: 'the draft to come back after a reload' });
    await chrome.kill();

    chrome = await launchChromiumProcess(profile);
    const again = await openPortal(chrome.context, server.url);
    const snap = await waitForSnapshot(again.page, (s) => s.values.Title === title,
      { what: 'the draft to come back after SIGKILL', timeout: 15000 });
    assert.equal(snap.values.draft, 'Draft saved on this device.');
    await screenshot(again.page, 'draft-after-sigkill');
  } finally {
    await chrome.close();
  }
});
