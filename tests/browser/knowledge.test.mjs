// knowledge.test.mjs — knowledge-base suggestions while typing, offline: "vpn keeps
// disconnecting" brings up a VPN article; reading it and answering "This solved my problem"
// records a deflection and discards the draft; "I still need help" keeps the draft. Help articles:
// the whole knowledge base searched and browsed by category offline, an article read and left,
// and a deflection while browsing that leaves the draft alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, launchBrowser, openPortal, screenshot, startServer, typeInto, waitForSnapshot } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const vpnTitle = (s) => (s.values.suggestions || '').split('\n').find((t) => /vpn/i.test(t));
// suggestions for exactly what was typed (not for a prefix still on screen from the last keystroke)
const settled = (s) => s.values.suggestions_for === `${s.values.Title}\n${s.values.Description}`;

test('suggestions appear offline while typing, and a solved problem is a deflection', async () => {
  const { page, context } = await openPortal(browser, server.url);
  await waitForSnapshot(page, (s) => s.values.connection === 'Online', { what: 'the portal to be online' });
  await context.setOffline(true);
  await waitForSnapshot(page, (s) => s.values.connection === 'Offline', { what: 'the portal to notice it is offline', timeout: 15000 });

  await typeInto(page, 'Title', 'vpn keeps disconnecting');
  const withVpn = await waitForSnapshot(page, (s) => s.values.Title === 'vpn keeps disconnecting' && settled(s) &&
    Boolean(vpnTitle(s)), { what: 'a VPN article among the suggestions' });
  assert.equal(vpnTitle(withVpn), 'VPN keeps disconnecting', 'the most relevant article comes first');
  await screenshot(page, 'knowledge-suggestions-offline');

  await clickWidget(page, vpnTitle(withVpn));
  await waitForSnapshot(page, (s) => s.screen === 'article' && s.values.article === 'VPN keeps disconnecting',
    { what: 'the article to open' });
  await screenshot(page, 'knowledge-article');

  await clickWidget(page, 'I still need help');
  await waitForSnapshot(page, (s) => s.screen === 'new_ticket' && s.values.Title === 'vpn keeps disconnecting',
    { what: 'the draft to be untouched after "I still need help"' });

  await clickWidget(page, vpnTitle(await waitForSnapshot(page, (s) => settled(s) && Boolean(vpnTitle(s)))));
  await waitForSnapshot(page, (s) => s.screen === 'article' && s.values.article);
  await clickWidget(page, 'This solved my problem');
  const done = await waitForSnapshot(page, (s) => s.screen === 'new_ticket' && Boolean(s.values.deflection),
    { what: 'the deflection to be recorded' });
  assert.equal(done.values.Title, '');
  assert.match(done.values.deflection, /no ticket was filed/);
  await screenshot(page, 'knowledge-deflected');
  await context.close();
});

test('Help articles: search and browse by category offline; a deflection there keeps the draft', async () => {
  const { page, context } = await openPortal(browser, server.url);
  await waitForSnapshot(page, (s) => s.values.connection === 'Online', { what: 'the portal to be online' });
  await context.setOffline(true);
  await waitForSnapshot(page, (s) => s.values.connection === 'Offline', { what: 'the portal to notice it is offline', timeout: 15000 });
  await typeInto(page, 'Title', 'Laptop will not charge');

  await clickWidget(page, 'Help articles');
  const titles = (s) => (s.values.kb_results || '').split('\n').filter(Boolean);
  const all = await waitForSnapshot(page, (s) => s.screen === 'knowledge' && titles(s).length > 0,
    { what: 'every article listed' });
  assert.ok(titles(all).length >= 40, `the starter set is listed (${titles(all).length})`);
  assert.equal(all.values.kb_category, 'All');
  await screenshot(page, 'knowledge-browse');

  await clickWidget(page, 'Printing');
  const printing = await waitForSnapshot(page, (s) => s.values.kb_category === 'Printing' &&
    s.values.kb_results_for === '\x1fPrinting', { what: 'the Printing category' });
  assert.equal(titles(printing).length, 5);
  assert.ok(titles(printing).includes('Clearing a paper jam'), 'only the Printing articles');
  assert.ok(!titles(printing).includes('VPN keeps disconnecting'));

  await clickWidget(page, 'All');
  await typeInto(page, 'Search articles', 'paper jam');
  const found = await waitForSnapshot(page, (s) => s.values.kb_results_for === 'paper jam\x1f' && titles(s).length > 0,
    { what: 'search results for "paper jam"' });
  assert.match(titles(found)[0], /jam/i, 'the paper-jam article comes first');
  await screenshot(page, 'knowledge-search');

  await clickWidget(page, titles(found)[0]);
  await waitForSnapshot(page, (s) => s.screen === 'article' && s.values.article === titles(found)[0], { what: 'the article to open' });
  await clickWidget(page, 'Back to help articles');
  // (a frame that switched screens part-way reports the new screen with the old one's values)
  const back = await waitForSnapshot(page, (s) => s.screen === 'knowledge' && 'Search articles' in s.values,
    { what: 'the list again' });
  assert.equal(back.values['Search articles'], 'paper jam', 'the search is kept');

  await clickWidget(page, titles(found)[0]);
  await waitForSnapshot(page, (s) => s.screen === 'article' && s.values.article);
  await clickWidget(page, 'This solved my problem');
  const thanked = await waitForSnapshot(page, (s) => s.screen === 'knowledge' && Boolean(s.values.deflection),
    { what: 'the deflection to be recorded' });
  assert.match(thanked.values.deflection, /Glad that helped/);
  await clickWidget(page, 'New ticket');
  const form = await waitForSnapshot(page, (s) => s.screen === 'new_ticket', { what: 'the form' });
  assert.equal(form.values.Title, 'Laptop will not charge', 'a deflection while browsing leaves the draft alone');
  await context.close();
});
