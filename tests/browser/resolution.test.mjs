// resolution.test.mjs — the end of a ticket on the requester's screen. A technician (another
// device, through the sync API) resolves it with a note; the requester sees the note and answers
// "No, reopen it" (the technician's device sees it in progress again); resolved once more, the
// requester confirms ("Yes, close the ticket") and rates the help desk 4 of 5 with a comment —
// all of which reach the technician's device. While the requester looks at My tickets, the
// resolved ticket carries the unread marker until it is opened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, fileTicket, launchBrowser, openPortal, screenshot, signInAsGuest, startServer, typeInto,
  waitForSnapshot } from './harness.mjs';
import { enrol, runCli } from '../integration/support.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

// The ticket's latest value of `field` as the technician's device pulls it.
async function latest(tech, ticketId, field) {
  const { ops } = await tech.pullAll();
  const mine = ops.filter((op) => op.entity === 'ticket' && op.entity_id === ticketId && op.field === field);
  return mine.length ? mine.sort((a, b) => (a.hlc < b.hlc ? -1 : 1)).at(-1).value : undefined;
}

const row = (s, title) => JSON.parse(s.values.tickets || '[]').find((t) => t.title === title);

// Walks the ticket to resolved from wherever triage left it (steps it is already past are refused).
async function resolve(tech, ticketId, note) {
  for (const status of ['triaged', 'assigned', 'in_progress']) await tech.push(tech.set(ticketId, 'status', status));
  const pushed = await tech.push(tech.batch([tech.op('ticket', ticketId, 'status', 'resolved'),
    tech.op('ticket', ticketId, 'resolution_note', note)]));
  assert.equal(pushed.json.results[0].status, 'accepted', JSON.stringify(pushed.json));
}

test('a resolved ticket: the requester reopens it, then confirms it and rates the help desk', async () => {
  const { page, context } = await openPortal(browser, server.url);
  await signInAsGuest(page);
  const title = 'Headset microphone is silent in calls';
  await fileTicket(page, title, 'Others cannot hear me since this morning; the headset works on my phone.');
  await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk',
    { what: 'the ticket to be received', timeout: 15000 });

  const invite = runCli(['invite', '--role', 'technician', '--name', 'Tess', '--data-dir', server.dataDir])
    .match(/code: (\S+)/)[1];
  const tech = await enrol({ url: server.url.replace(/\/$/, '') }, { invite });
  const { ops } = await tech.pullAll();
  const ticketId = ops.find((op) => op.entity === 'ticket' && op.field === 'title' && op.value === title).entity_id;

  // the requester is looking at the list when the help desk resolves it: the row is marked
  await clickWidget(page, '< My tickets');
  await waitForSnapshot(page, (s) => s.screen === 'my_tickets' && row(s, title) && !row(s, title).unread,
    { what: 'the list, nothing new yet' });
  await resolve(tech, ticketId, 'The headset was muted in the meeting app; unmuted it in Settings → Audio.');
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
  assert.equal(await latest(tech, ticketId, 'status'), 'in_progress', 'the technician sees it reopened');

  await resolve(tech, ticketId, 'Replaced the headset.');
  await waitForSnapshot(page, (s) => s.values.resolution_note === 'Replaced the headset.', { what: 'resolved again', timeout: 10000 });
  await clickWidget(page, 'Yes, close the ticket');
  await waitForSnapshot(page, (s) => /closed/.test(s.values.resolution_message || ''), { what: 'the confirmation to be saved' });

  await clickWidget(page, 'Good');  // 4 of 5
  await typeInto(page, 'Rating comment', 'Fixed the same day');
  await clickWidget(page, 'Send rating');
  await waitForSnapshot(page, (s) => s.values.rating === 'Your rating: 4 of 5 (Good)', { what: 'the rating to be saved' });
  await waitForSnapshot(page, (s) => s.values.ticket_delivery === 'Received by the help desk', { what: 'the rating to be sent', timeout: 15000 });
  await screenshot(page, 'resolution-rated');
  assert.equal(await latest(tech, ticketId, 'status'), 'closed');
  assert.equal(await latest(tech, ticketId, 'satisfaction_rating'), 4);
  assert.equal(await latest(tech, ticketId, 'satisfaction_comment'), 'Fixed the same day');
  await clickWidget(page, '< My tickets');
  await waitForSnapshot(page, (s) => s.screen === 'my_tickets' && row(s, title) && row(s, title).unread === false,
    { what: 'the marker gone once the ticket was read' });
  await context.close();
});
