// resolution.test.mjs — the end of a ticket on the requester's screen. A technician (their own
// device: lifebuoy-cli, the same engine, so the note is sealed with the ticket's key) resolves it with a note; the requester sees the note and answers
// "No, reopen it" (the technician's device sees it in progress again); resolved once more, the
// requester confirms ("Yes, close the ticket") and rates the help desk 4 of 5 with a comment —
// all of which reach the technician's device. While the requester looks at My tickets, the
// resolved ticket carries the unread marker until it is opened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, fileTicket, launchBrowser, openPortal, screenshot, signInAsGuest, startServer, technicianDevice,
  typeInto, waitForSnapshot } from './harness.mjs';

let server, browser, tech;
// The desk's technician is enrolled first: their device makes the team key tickets are sealed to.
before(async () => { server = await startServer(); browser = await launchBrowser(); tech = technicianDevice(server, 'Tess'); });
after(async () => { tech?.remove(); await browser?.close(); await server?.stop(); });

// The ticket as the technician's device reads it after a sync.
const latest = (tech, number) => tech.run(['show', String(number)]).ticket;

const row = (s, title) => JSON.parse(s.values.tickets || '[]').find((t) => t.title === title);

// Walks the ticket to resolved from wherever triage left it (steps it is already past are skipped).
function resolve(tech, number, note) {
  const order = ['new', 'triaged', 'assigned', 'in_progress'];
  const at = order.indexOf(latest(tech, number).status);
  for (const status of order.slice(Math.max(at, 0) + 1)) tech.run(['update', String(number), '--status', status]);
  tech.run(['update', String(number), '--status', 'resolved', '--resolution-note', note]);
}

test('a resolved ticket: the requester reopens it, then confirms it and rates the help desk', async () => {
  const { page, context } = await openPortal(browser, server.url);
  await signInAsGuest(page);
  const title = 'Headset microphone is silent in calls';
  await fileTicket(page, title, 'Others cannot hear me since this morning; the headset works on my phone.');
  await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk',
    { what: 'the ticket to be received', timeout: 15000 });

  const number = tech.run(['list']).rows.find((r) => r.title === title)?.number;
  assert.ok(Number.isInteger(number), "the technician's device reads the sealed ticket");

  // the requester is looking at the list when the help desk resolves it: the row is marked
  await clickWidget(page, '< My tickets');
  await waitForSnapshot(page, (s) => s.screen === 'my_tickets' && row(s, title) && !row(s, title).unread,
    { what: 'the list, nothing new yet' });
  resolve(tech, number, 'The headset was muted in the meeting app; unmuted it in Settings → Audio.');
  await waitForSnapshot(page, (s) => row(s, title) && row(s, title).unread === true,
    { what: 'the unread marker on the resolved ticket', timeout: 10000 });
  await screenshot(page, 'resolution-unread');
  await clickWidget(page, title);
  await waitForSnapshot(page, (s) => (s.values.resolution_note || '').startsWith('The headset was muted'),
    { what: 'the resolution note on the requester\'s screen', timeout: 10000 });
  await screenshot(page, 'resolution-resolved');

  await clickWidget(page, 'No, reopen it');
  await waitForSnapshot(page, (s) => /^Reopened/.test(s.values.resolution_message || ''), { what: 'the reopen to be saved' });
  await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk', { what: 'the reopen to be sent', timeout: 15000 });
  assert.equal(latest(tech, number).status, 'in_progress', 'the technician sees it reopened');

  resolve(tech, number, 'Replaced the headset.');
  await waitForSnapshot(page, (s) => s.values.resolution_note === 'Replaced the headset.', { what: 'resolved again', timeout: 10000 });
  await clickWidget(page, 'Yes, close the ticket');
  await waitForSnapshot(page, (s) => /closed/.test(s.values.resolution_message || ''), { what: 'the confirmation to be saved' });

  await clickWidget(page, 'Good');  // 4 of 5
  await typeInto(page, 'Rating comment', 'Fixed the same day');
  await clickWidget(page, 'Send rating');
  await waitForSnapshot(page, (s) => s.values.rating === 'Your rating: 4 of 5 (Good)', { what: 'the rating to be saved' });
  await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk', { what: 'the rating to be sent', timeout: 15000 });
  await screenshot(page, 'resolution-rated');
  const closed = latest(tech, number);
  assert.equal(closed.status, 'closed');
  assert.equal(closed.satisfaction_rating, 4);
  assert.equal(closed.satisfaction_comment, 'Fixed the same day', 'the rating comment, sealed, opened by the technician');
  await clickWidget(page, '< My tickets');
  await waitForSnapshot(page, (s) => s.screen === 'my_tickets' && row(s, title) && row(s, title).unread === false,
    { what: 'the marker gone once the ticket was read' });
  await context.close();
});
