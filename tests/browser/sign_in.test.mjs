// sign_in.test.mjs — one person, several browsers (issue #4), with real mouse and keyboard events
// against the real server: Rita signs in with an invite, files a ticket, chooses a sign-in name
// and passphrase under Account (Argon2id in the engine's Worker) and, in a second browser with
// nothing on it, a wrong passphrase is refused in plain words and the right one signs her in —
// her ticket is there and readable. A guest's Account screen shows a recovery link; opened in a
// third browser it offers "Recover my tickets" (the secret is cleared from the address bar) and
// brings the guest's ticket. Screenshots: account-passphrase-set, sign-in-wrong-passphrase,
// sign-in-second-browser, account-recovery-link, recovery-link-opened, recovery-tickets-back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickWidget, fileTicket, launchBrowser, openPortal, screenshot, signInAsGuest, startServer, typeInto,
  waitForSnapshot } from './harness.mjs';

let server, dataDir, browser;
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lifebuoy-data-'));
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const tickets = (s) => JSON.parse(s.values.tickets || '[]');
const everythingSent = (s) => (s.values.sync_line || '').startsWith('Everything is sent');

function invite(role, name) {
  return execFileSync(process.env.LB_SERVER_BIN, ['invite', '--role', role, '--name', name, '--data-dir', dataDir],
    { encoding: 'utf8' }).match(/code: (\S+)/)[1];
}

test('a passphrase chosen under Account signs a second browser in; a wrong one is refused', async () => {
  const title = 'Laptop dock does not charge';
  const passphrase = 'lantern orbit pickle meadow';
  const { page } = await openPortal(browser, server.url);
  await clickWidget(page, 'Sign in');
  await typeInto(page, 'Invite code', invite('requester', 'Rita'));
  await clickWidget(page, 'Sign in with invite code');
  await waitForSnapshot(page, everythingSent, { what: 'the invite enrolment', timeout: 15000 });
  await fileTicket(page, title, 'The USB-C dock on desk 4.12 no longer charges my laptop.');
  await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk',
    { what: 'the ticket received', timeout: 15000 });

  await clickWidget(page, 'Account');
  await waitForSnapshot(page, (s) => s.screen === 'sign_in' && s.values.passphrase_state === 'none',
    { what: 'the Account screen with no passphrase yet' });
  await typeInto(page, 'Sign-in name', 'Rita.R');
  await typeInto(page, 'Passphrase', passphrase);
  await typeInto(page, 'Repeat passphrase', 'lantern orbit pickle');  // a slip
  await clickWidget(page, 'Save passphrase');
  await waitForSnapshot(page, (s) => s.values.account_error === 'The two passphrases are not the same.',
    { what: 'the mismatch to be caught on the device' });
  await clickWidget(page, 'Repeat passphrase');
  await page.keyboard.press('End');  // the click put the cursor where it landed
  await page.keyboard.type(' meadow', { delay: 15 });
  await clickWidget(page, 'Save passphrase');
  const set = await waitForSnapshot(page, (s) => s.values.passphrase_state === 'stored',
    { what: 'the passphrase backup stored at the help desk', timeout: 20000 });
  assert.equal(set.values['Sign-in name'], 'Rita.R');
  await screenshot(page, 'account-passphrase-set');

  const second = (await openPortal(browser, server.url)).page;  // another browser profile: nothing on it
  await clickWidget(second, 'Sign in');
  await clickWidget(second, 'Use my passphrase');
  await typeInto(second, 'Sign-in name', 'rita.r');
  await typeInto(second, 'Passphrase', 'lantern orbit pickle meadows');
  await clickWidget(second, 'Sign in with passphrase');
  const refused = await waitForSnapshot(second, (s) => (s.values.sign_in_error || '').includes('do not match'),
    { what: 'the wrong passphrase refused in plain words', timeout: 20000 });
  assert.match(refused.values.sign_in_error, /^That sign-in name and passphrase do not match/);
  await screenshot(second, 'sign-in-wrong-passphrase');

  await typeInto(second, 'Passphrase', passphrase);
  await clickWidget(second, 'Sign in with passphrase');
  const inside = await waitForSnapshot(second, (s) => everythingSent(s) && tickets(s).some((t) => t.title === title),
    { what: "Rita's ticket, readable, in the second browser", timeout: 20000 });
  assert.ok(inside.widgets.some((w) => w.label === 'Account'), 'the second browser is signed in');
  await clickWidget(second, 'My tickets (1)');
  await waitForSnapshot(second, (s) => s.screen === 'my_tickets', { what: 'My tickets' });
  await screenshot(second, 'sign-in-second-browser');
  await second.context().close();
  await page.context().close();
});

test("a guest's recovery link opens their tickets in another browser", async () => {
  const title = 'Cannot open the invoice PDF';
  const { page } = await openPortal(browser, server.url);
  await signInAsGuest(page);
  await fileTicket(page, title, 'The download link in the e-mail shows an error page.');
  await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk',
    { what: 'the guest ticket received', timeout: 15000 });
  await clickWidget(page, 'Account');
  const account = await waitForSnapshot(page, (s) => s.values.recovery_state === 'stored' &&
    /#recover=[A-Za-z0-9_-]{43}$/.test(s.values['Recovery link'] || ''),
  { what: 'the recovery link, stored at the help desk', timeout: 20000 });
  const link = account.values['Recovery link'];
  assert.ok(link.startsWith(server.url.replace(/\/$/, '')), link);
  await screenshot(page, 'account-recovery-link');

  const other = (await openPortal(browser, link)).page;
  await waitForSnapshot(other, (s) => s.screen === 'sign_in' && s.widgets.some((w) => w.label === 'Recover my tickets'),
    { what: 'the recovery link to open Sign in with "Recover my tickets"' });
  assert.ok(!other.url().includes('#recover='), 'the secret is cleared from the address bar');
  await screenshot(other, 'recovery-link-opened');
  await clickWidget(other, 'Recover my tickets');
  await waitForSnapshot(other, (s) => everythingSent(s) && tickets(s).some((t) => t.title === title),
    { what: "the guest's ticket in the other browser", timeout: 20000 });
  await clickWidget(other, 'My tickets (1)');
  await waitForSnapshot(other, (s) => s.screen === 'my_tickets', { what: 'My tickets' });
  await screenshot(other, 'recovery-tickets-back');
  await other.context().close();
  await page.context().close();
});
