// queue.test.mjs — the technician's queue (issue #10) with real mouse and keyboard: Tess (the demo
// desk's team lead, signed in from an invite link) sees the tickets a requester filed from her own
// device (lifebuoy-cli, sealed to the team key Tess's browser made), with counts per view; narrows
// by view and search, sorts by clicking a header, exports the rows as CSV, opens a ticket and comes
// back; with the server gone the queue still answers from the device, and the dashboard draws its
// charts from the same data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickWidget, setPriority, hoverAndClick, launchBrowser, screenshot, signInTechnicianFromLink, startServer, typeInto, waitForSnapshot } from './harness.mjs';
import { inviteCode, onDevice } from '../integration/support.mjs';

let server, browser, dataDir, rita;
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lifebuoy-data-'));
  rita = mkdtempSync(join(tmpdir(), 'lifebuoy-rita-'));
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rita, { recursive: true, force: true });
});

const rows = (s) => JSON.parse(s.values.queue_rows || '[]');

test('the queue: views with counts, search, sort, CSV, open a ticket, offline', async () => {
  const { page } = await signInTechnicianFromLink(browser, server, 'tess');

  // Rita files three tickets from her own device (sealed to the team key Tess's browser made).
  const url = server.url.replace(/\/$/, '');
  onDevice(rita, ['enroll', '--invite', inviteCode({ dataDir }, 'requester', 'Rita Requester'), '--name', 'Rita Requester'],
    { server: { url } });
  for (const [title, urgency, impact, site, category] of [
    ['Printer on floor 2 jams every page', 'medium', 'low', 'london', 'printing'],
    ['VPN drops every hour for the whole team', 'high', 'medium', 'new_york', 'network_vpn'],
    ['New starter needs a laptop', 'low', 'low', 'london', 'hardware']]) {
    onDevice(rita, ['file', '--title', title, '--description', 'details', '--urgency', urgency, '--impact', impact,
      '--site', site, '--category', category], { server: { url } });
  }

  await clickWidget(page, 'Queue');
  let snap = await waitForSnapshot(page, (s) => s.screen === 'queue' && rows(s).length === 3 &&
    rows(s).every((r) => !r.title.startsWith('(encrypted')), { what: 'the three tickets, readable, in the queue', timeout: 20000 });
  assert.match(snap.values.queue_summary, /^3 tickets/);
  await screenshot(page, 'queue-open');

  // Sort by priority: the VPN outage (P2 High) first.
  await hoverAndClick(page, 'Priority');
  snap = await waitForSnapshot(page, (s) => s.values.queue_sort === 'priority' && rows(s)[0]?.title.startsWith('VPN'),
    { what: 'the queue sorted by priority' });
  await hoverAndClick(page, 'Priority');  // again: the other way round
  await waitForSnapshot(page, (s) => s.values.queue_sort === 'priority descending' && rows(s)[2]?.title.startsWith('VPN'),
    { what: 'the queue sorted by priority, descending' });

  await typeInto(page, 'Search the queue', 'printer');
  snap = await waitForSnapshot(page, (s) => rows(s).length === 1 && rows(s)[0].title.startsWith('Printer'),
    { what: 'the search to narrow the queue' });
  await clickWidget(page, 'Export CSV');
  snap = await waitForSnapshot(page, (s) => (s.values.queue_csv || '').startsWith('number,title,requester'),
    { what: 'the CSV export' });
  const csv = snap.values.queue_csv.trim().split('\r\n');
  assert.equal(csv.length, 2, snap.values.queue_csv);
  assert.match(csv[1], /Printer on floor 2 jams every page,Rita Requester,printing,/);
  assert.match(snap.values.queue_summary, /Exported 1 ticket as CSV/);

  const number = rows(snap)[0].number;
  await hoverAndClick(page, `#${number}`);
  await waitForSnapshot(page, (s) => s.screen === 'ticket' && s.values.ticket_title === 'Printer on floor 2 jams every page',
    { what: 'the ticket opened from the queue' });

  // Work on it: start, an internal note, a question for Rita, a priority with a reason, resolve.
  await clickWidget(page, 'Start work');
  await waitForSnapshot(page, (s) => s.values.ticket_status === 'in_progress', { what: 'work started' });
  await clickWidget(page, 'Internal note');
  await typeInto(page, 'Reply', 'Fuser looks worn; part ordered.');
  await clickWidget(page, 'Add internal note');
  await waitForSnapshot(page, (s) => (s.values.conversation || '').includes('internal note: Fuser looks worn'),
    { what: 'the internal note in the conversation' });
  await clickWidget(page, 'Ask for information');
  await typeInto(page, 'Reply', 'Which tray do you print from?');
  await clickWidget(page, 'Ask the requester');
  await waitForSnapshot(page, (s) => s.values.ticket_status === 'waiting_on_requester',
    { what: 'the ticket to wait on Rita', timeout: 10000 });
  await setPriority(page, 'P2 High', 'high', 'The whole floor prints on it');
  await waitForSnapshot(page, (s) => s.values.ticket_priority === 'high', { what: 'the new priority' });
  await clickWidget(page, 'Resolve…');
  await typeInto(page, 'Resolution note', 'Replaced the fuser unit; test page prints cleanly.');
  await clickWidget(page, 'Resolve the ticket');
  await waitForSnapshot(page, (s) => s.values.ticket_status === 'resolved' && (s.values.sync_line || '').startsWith('Everything is sent'),
    { what: 'resolved and sent', timeout: 15000 });
  await screenshot(page, 'queue-ticket-work');
  // Rita's device: the question and the resolution, not the internal note.
  onDevice(rita, ['sync'], { server: { url } });
  const seen = onDevice(rita, ['show', String(number)]);
  assert.equal(seen.ticket.status, 'resolved');
  assert.equal(seen.ticket.priority, 'high');
  assert.equal(seen.ticket.resolution_note, 'Replaced the fuser unit; test page prints cleanly.');
  assert.ok(seen.comments.some((c) => c.kind === 'request_for_information' && c.body === 'Which tray do you print from?'));
  assert.ok(!seen.comments.some((c) => c.body.includes('Fuser looks worn')), 'internal notes stay with the help desk');
  assert.ok(!seen.comments.some((c) => c.body.includes('whole floor')), 'the priority reason is an internal note');

  await clickWidget(page, '< Queue');
  await waitForSnapshot(page, (s) => s.screen === 'queue', { what: 'back to the queue' });

  // Views: nobody's ticket stays unassigned in the demo (dispatch assigns on arrival).
  await clickWidget(page, 'Search the queue');
  await page.keyboard.press('End');  // the click put the cursor where it landed
  for (let i = 0; i < 7; i += 1) await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');  // done with the search box
  await waitForSnapshot(page, (s) => !s.wants_text_input && rows(s).length === 2, { what: 'the search cleared (two still open)' });
  await hoverAndClick(page, 'All');
  await waitForSnapshot(page, (s) => s.values.queue_view === 'all' && rows(s).length === 3, { what: 'the All view' });

  // Offline: the queue answers from the device.
  await server.stop();
  await waitForSnapshot(page, (s) => s.values.connection === 'Offline', { what: 'the portal to notice', timeout: 15000 });
  await hoverAndClick(page, 'Open');
  await waitForSnapshot(page, (s) => s.values.queue_view === 'open' && rows(s).length === 2, { what: 'the queue offline (two open)' });
  await screenshot(page, 'queue-offline');

  // The dashboard, offline too: figures from the device's own data, drawn as charts.
  await clickWidget(page, 'Dashboard');
  snap = await waitForSnapshot(page, (s) => s.screen === 'dashboard' && Boolean(s.values.dashboard),
    { what: 'the dashboard' });
  const d = JSON.parse(snap.values.dashboard);
  assert.equal(d.open, 2);
  assert.equal(d.resolved, 1);
  assert.equal(d.first_response.count, 1, 'the question to Rita was the first response');
  assert.equal(d.resolution.count, 1);
  const sum = (list) => list.reduce((a, b) => a + b, 0);
  assert.equal(sum(d.trend.opened), 3);
  assert.equal(sum(d.trend.resolved), 1);
  assert.equal(sum(d.aging), 2, 'every open ticket in one age bucket');
  assert.equal(d.open_by_status_priority.flat().reduce((a, b) => a + b, 0), 2);
  assert.equal(sum(d.technicians.map((t) => t.open)), 2);
  for (const chart of ['Open tickets by status and priority', 'Age of open tickets', 'Opened and resolved per day (last 14 days)',
    'Open tickets per technician']) {
    assert.ok(snap.widgets.some((w) => w.label === chart), `${chart} is on the dashboard`);
  }
  await screenshot(page, 'queue-dashboard');
});
