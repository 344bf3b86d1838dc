// measure.mjs — one run of bench/portal_load_bench.mjs: the real lifebuoy-server (fresh data
// folder) and Debian's Chromium with a fresh on-disk profile (no HTTP cache, no service worker,
// no OPFS data), started with the helpers of tests/browser/harness.mjs, and four loads of the portal:
//   cold     first visit: navigate, wait for the milestones of probe.js, then for the service
//            worker to be active and control the page (it claims its clients on activate)
//   warm     that tab closed, a new tab opens the portal: served by the service worker
//   reload   that tab reloaded
//   restart  Chromium closed and started again on the same profile, a new tab: "the next
//            morning" (the service worker starts, compiled code comes from the disk caches)
//   offline  the server stopped, a new tab of that browser opens the portal from the service
//            worker alone
// Each load returns probe.js's milestones and `files`: every response the page, its engine Worker
// and (cold only) the service worker received, from their own resource timing, times relative to
// the page's navigation start. `wire` = compressed body bytes that came over the network
// (encodedBodySize of a network response; 0 for a 304 revalidation, an HTTP-cache hit or a
// response from the service worker).
// Needs LB_SERVER_BIN and LB_DIST_DIR set before it is imported (harness.mjs reads them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromiumProcess, startServer } from '../../tests/browser/harness.mjs';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe.js');

// Opens (or reloads) a tab and waits for interactive, engine answering and (with test hooks) the
// draft shown.
async function load(context, url, { page = null, reload = false } = {}) {
  if (!page) {
    page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  if (reload) await page.reload(); else await page.goto(url);
  await page.waitForFunction(() => {
    const t = window.__lbLoad;
    return t && t.interactive !== undefined && t.engineReady !== undefined && (t.hooks === false || t.dataShown !== undefined);
  }, null, { polling: 50, timeout: 60000 }).catch((err) => { throw new Error(`${err.message}\n${problems.join('\n')}`); });
  const marks = await page.evaluate(() => ({ ...window.__lbLoad, timeOrigin: performance.timeOrigin,
    controlled: Boolean(navigator.serviceWorker && navigator.serviceWorker.controller) }));
  return { page, marks };
}

const readTimings = () => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .map((r) => ({ path: new URL(r.name).pathname, start: performance.timeOrigin + r.startTime,
    end: performance.timeOrigin + r.responseEnd, body: r.encodedBodySize, transfer: r.transferSize,
    delivery: r.deliveryType || '', viaServiceWorker: r.workerStart > 0 }));
async function timings(where, target, origin) {
  return (await target.evaluate(readTimings)).map((e) => ({ ...e, where, start: e.start - origin, end: e.end - origin,
    wire: e.transfer > 0 && e.delivery !== 'cache' && !e.viaServiceWorker ? e.body : 0 }));
}
async function pageTimings(page, origin) {
  const lists = [await timings('page', page, origin)];
  for (const worker of page.workers()) lists.push(await timings('engine Worker', worker, origin));
  return lists.flat();
}

export async function measureRun() {
  const server = await startServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lifebuoy-load-bench-'));
  let chrome = await launchChromiumProcess(profile);
  const out = { browser: chrome.browser.version() };
  try {
    let { context } = chrome;
    await context.addInitScript({ path: PROBE });
    let { page, marks } = await load(context, server.url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller ||
      new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }))));
    marks.swReady = await page.evaluate(() => window.__lbLoad.swReady);
    await page.waitForTimeout(500);  // the engine Worker's first fetches (articles, /healthz) done
    marks.files = await pageTimings(page, marks.timeOrigin);
    for (const sw of context.serviceWorkers()) marks.files.push(...await timings('service worker', sw, marks.timeOrigin));
    out.cold = marks;
    for (const kind of ['warm', 'reload', 'restart', 'offline']) {
      if (kind !== 'reload') await page.close();
      if (kind === 'restart') {
        await chrome.close();
        chrome = await launchChromiumProcess(profile);
        context = chrome.context;
        await context.addInitScript({ path: PROBE });
      }
      if (kind === 'offline') await server.stop();
      ({ page, marks } = await load(context, server.url, kind === 'reload' ? { page, reload: true } : {}));
      if (!marks.controlled) throw new Error(`${kind} load was not controlled by the service worker`);
      marks.files = await pageTimings(page, marks.timeOrigin);
      out[kind] = marks;
    }
  } finally {
    await chrome.close();
    await server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return out;
}
