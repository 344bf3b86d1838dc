// knowledge.test.mjs — knowledge-base suggestions while typing, offline: "vpn keeps
// disconnecting" brings up a VPN article; reading it and answering "This solved my problem"
// records a deflection and discards the draft; "I still need help" keeps the draft.
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
