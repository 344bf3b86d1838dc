// new_ticket_choices.test.mjs — the New ticket form's site and contact choices (issues #7, #9),
// with real mouse and keyboard against the real server's demo desk: Rita (invite) sees the desk's
// sites (synced from triage.json), picks New York and "Call me"; submitting without a number is
// caught with words she can act on; her choices survive a reload (the draft); filed with the
// server stopped, the ticket shows "Expected response by … (estimate …)" and how she will be
// reached; when the server is back, the help desk sets due dates equal to the estimate, and the
// technician's device reads the call-back number (sealed: the server cannot).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickWidget, launchBrowser, openPortal, screenshot, scrollIntoView, startServer, technicianDevice, typeInto,
  waitForSnapshot } from './harness.mjs';

let server, browser, dataDir;
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

const everythingSent = (s) => (s.values.sync_line || '').startsWith('Everything is sent');

test('site and contact: picked, kept in the draft, checked, estimated offline, sealed', async () => {
  const tess = technicianDevice(server, 'Tess');  // first at the desk: the team key
  try {
    const { page } = await openPortal(browser, server.url);
    await clickWidget(page, 'Sign in');
    const code = execFileSync(process.env.LB_SERVER_BIN, ['invite', '--role', 'requester', '--name', 'Rita',
      '--data-dir', dataDir], { encoding: 'utf8' }).match(/code: (\S+)/)[1];
    await typeInto(page, 'Invite code', code);
    await clickWidget(page, 'Sign in with invite code');
    await waitForSnapshot(page, everythingSent, { what: 'the invite enrolment', timeout: 15000 });

    await clickWidget(page, 'New ticket');
    // The demo desk's sites arrived with the first sync; its default is preselected.
    await waitForSnapshot(page, (s) => s.screen === 'new_ticket' && s.values.Site === 'London',
      { what: 'the Site choice with the desk default', timeout: 10000 });
    const title = 'Docking station dead at desk 12';
    await typeInto(page, 'Title', title);
    await typeInto(page, 'Description', 'No power light, nothing charges; tried another socket.');
    // The choices are below the description: scroll the form like a person.
    await scrollIntoView(page, 'Call me', { over: 'Title', above: 'Submit ticket' });
    await clickWidget(page, 'Site');
    await clickWidget(page, 'New York  (America/New_York)');
    await waitForSnapshot(page, (s) => s.values.Site === 'New York' &&
      !s.widgets.some((w) => w.label === 'New York  (America/New_York)'), { what: 'the site list to close' });
    await clickWidget(page, 'Call me');
    await waitForSnapshot(page, (s) => s.values.Site === 'New York' && s.values.contact === 'Call me',
      { what: 'New York and "Call me" chosen' });
    await clickWidget(page, 'Submit ticket');
    await waitForSnapshot(page, (s) => s.values.form_error === 'Add the phone number to call',
      { what: 'a call without a number to be refused in plain words' });
    await screenshot(page, 'choices-phone-number-missing');
    await scrollIntoView(page, 'Contact detail', { over: 'Here in the portal', above: 'Submit ticket' });
    await screenshot(page, 'choices-form');
    await typeInto(page, 'Contact detail', '+1 212 555 0147');

    // A reload keeps the typed words and the choices (the draft).
    await waitForSnapshot(page, (s) => s.values.draft === 'Draft saved on this device.' &&
      s.values['Contact detail'] === '+1 212 555 0147', { what: 'the draft saved', timeout: 10000 });
    await page.reload();
    await clickWidget(page, 'New ticket');
    await waitForSnapshot(page, (s) => s.values.Title === title && s.values.Site === 'New York' &&
      s.values.contact === 'Call me' && s.values['Contact detail'] === '+1 212 555 0147',
      { what: 'the draft with its choices after a reload', timeout: 15000 });

    // Filed offline: the estimate from the synced calendar, labelled as one.
    await server.stop();
    await waitForSnapshot(page, (s) => s.values.connection === 'Offline', { what: 'the portal to notice', timeout: 15000 });
    await clickWidget(page, 'Submit ticket');
    const offline = await waitForSnapshot(page, (s) => s.screen === 'ticket' && s.values.ticket_title === title &&
      /^Expected response by .+\(estimate until the help desk has it\)$/.test(s.values.ticket_due || ''),
      { what: 'the estimate on the offline ticket', timeout: 10000 });
    assert.equal(offline.values.ticket_contact, 'Site: New York  ·  Call back on +1 212 555 0147');
    await screenshot(page, 'choices-offline-estimate');

    server = await startServer({ dataDir, port: server.port });
    const received = await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk' &&
      /^Expected response by /.test(s.values.ticket_due || '') && !s.values.ticket_due.includes('estimate'),
      { what: 'the help desk\'s due dates', timeout: 30000 });
    assert.equal(received.values.ticket_due, offline.values.ticket_due.replace('  (estimate until the help desk has it)', ''),
      'the server set the due dates the device estimated');
    await screenshot(page, 'choices-received-due-dates');

    tess.run(['sync']);
    const row = tess.run(['list']).rows.find((r) => r.title === title);
    const seen = tess.run(['show', String(row.number)]).ticket;
    assert.equal(seen.site, 'new_york');
    assert.equal(seen.contact, 'phone');
    assert.equal(seen.contact_detail, '+1 212 555 0147');
  } finally {
    tess.remove();
  }
});
