// node_support.mjs — the node half shared by the benches that run in headless Chromium
// (commit_latency_bench.mjs, kb_browser_bench.mjs, crypto_browser_bench.mjs): command-line
// numbers, percentiles, the machine line every report prints, and the bench page itself — bench
// files served by playwright routes under a private prefix with COOP/COEP (a cross-origin-isolated
// page gets a 5 µs timer), so the built dist/ is measured exactly as shipped.
// Not here: starting the server and Chromium (tests/browser/harness.mjs), what a bench measures.
import os from 'node:os';

// --name=N on the command line, else fallback.
export function numberArg(name, fallback) {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
}

// --name=a,b on the command line, else fallback (a list).
export function listArg(name, fallback) {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3).split(',') : fallback;
}

// Nearest-rank percentile (p in [0, 1]) of the finite values; NaN when there are none.
export function pct(values, p) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.round(p * (v.length - 1)))] : NaN;
}
export const median = (values) => pct(values, 0.5);
export const fmt = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

// One line: CPUs, memory, load before and after the run, Chromium, timer resolution, node.
export function machineLine({ loadBefore, browserVersion, isolated }) {
  const cpu = os.cpus();
  const loadAfter = os.loadavg();
  return `${cpu.length} × ${cpu[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ` +
    `${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; Chromium ${browserVersion} headless, ` +
    `cross-origin isolated: ${isolated ? 'yes (5 µs timer)' : 'NO (0.1 ms timer)'}; node ${process.version}`;
}

// Opens `${server.url}${prefix}index.html` in a new page of `chromium` (launchChromiumProcess),
// serving `served` ({name: [contentType, body]}) under the prefix, and waits for
// window[readyGlobal]. evaluate(fn, arg) runs page code and adds the page's console to errors.
export async function openBenchPage({ chromium, server, prefix, served, readyGlobal }) {
  const benchUrl = new URL(prefix, server.url).href;
  await chromium.context.route(`${benchUrl}**`, (route) => {
    const file = served[new URL(route.request().url()).pathname.slice(prefix.length)];
    if (!file) return route.fulfill({ status: 404, body: 'not a bench file' });
    return route.fulfill({ status: 200, contentType: file[0], body: file[1], headers: {
      'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store' } });
  });
  const page = await chromium.context.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  await page.goto(benchUrl + 'index.html');
  await page.waitForFunction((name) => window[name], readyGlobal);
  const isolated = await page.evaluate(() => self.crossOriginIsolated);
  const evaluate = (fn, arg) => page.evaluate(fn, arg).catch((err) => {
    throw new Error(err.message + '\npage console:\n' + consoleLines.join('\n'));
  });
  return { page, evaluate, isolated, browserVersion: chromium.browser.version() };
}

// The page: page_support.js, then the bench's own page script.
export const benchIndexHtml = (title) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  '<script src="page_support.js"></script><script src="page.js"></script>';
