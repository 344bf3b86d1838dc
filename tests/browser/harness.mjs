// harness.mjs — the browser test harness: the real lifebuoy-server, real headless Chromium
// (Debian's, driven by playwright-core), and helpers that act like a person: find a widget by its
// label, click it with the mouse, type with the keyboard, take screenshots.
//
// Environment (set by tests/CMakeLists.txt): LB_SERVER_BIN, LB_DIST_DIR, LB_ARTIFACTS_DIR.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { enrol } from '../integration/support.mjs';

const SERVER_BIN = process.env.LB_SERVER_BIN;
const DIST_DIR = process.env.LB_DIST_DIR;
export const ARTIFACTS_DIR = process.env.LB_ARTIFACTS_DIR || join(process.cwd(), 'artifacts');
const CHROMIUM = process.env.LB_CHROMIUM || '/usr/bin/chromium';

// Flags for a closed network and a root user; SwiftShader gives WebGL2 without a GPU.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-dev-shm-usage'];

// Starts lifebuoy-server on a free loopback port with a fresh data folder.
// distDir: another web bundle to serve than LB_DIST_DIR (e.g. a "new version").
export async function startServer({ dataDir, port = 0, distDir = DIST_DIR } = {}) {
  if (!SERVER_BIN || !DIST_DIR) throw new Error('LB_SERVER_BIN and LB_DIST_DIR must be set');
  const ownDataDir = !dataDir;
  dataDir = dataDir || mkdtempSync(join(tmpdir(), 'lifebuoy-data-'));
  const child = spawn(SERVER_BIN, ['--port', String(port), '--data-dir', dataDir, '--web-root', distDir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + output)), 15000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/running: (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    url, dataDir, port: Number(new URL(url).port), output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// Starts Chromium as a process of its own with an on-disk profile (so OPFS and the service worker
// persist) and connects over CDP; kill() ends it with SIGKILL, like a crash or a killed tab.
export async function launchChromiumProcess(userDataDir) {
  const child = spawn(CHROMIUM, [...CHROMIUM_ARGS, '--headless', '--remote-debugging-port=0',
    '--window-size=1280,800', `--user-data-dir=${userDataDir}`, 'about:blank'],
  { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Chromium did not start:\n' + stderr)), 20000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = stderr.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Chromium exited (${code}):\n${stderr}`)); });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    browser,
    context: browser.contexts()[0],
    async kill() { process.kill(-child.pid, 'SIGKILL'); await exited; },
    async close() { await browser.close().catch(() => {}); process.kill(-child.pid, 'SIGTERM'); await exited; },
  };
}

// Opens the portal and waits until the UI has drawn a frame with labelled widgets. `target` is
// a Browser (a fresh context is made) or a BrowserContext (e.g. a persistent profile's).
// `device`: extra context options, e.g. { hasTouch: true, isMobile: true } for a phone.
export async function openPortal(target, url, { viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, device = {} } = {}) {
  const context = target.newContext ? await target.newContext({ viewport, deviceScaleFactor, ...device }) : target;
  const page = await context.newPage();
  if (!target.newContext) await page.setViewportSize(viewport);
  const consoleLines = [];
  page.on('console', (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (err) => consoleLines.push(`[pageerror] ${err.message}`));
  await page.goto(url);
  await waitForSnapshot(page, (s) => s.enabled && s.widgets.length > 0, { what: 'a first frame with widgets' })
    .catch((err) => { throw new Error(err.message + '\nconsole:\n' + consoleLines.join('\n')); });
  return { context, page, consoleLines };
}

export async function snapshot(page) {
  return page.evaluate(() => (window.lifebuoy && window.lifebuoy.snapshot ? window.lifebuoy.snapshot() : null));
}

// Polls the UI snapshot until `predicate(snapshot)` holds.
export async function waitForSnapshot(page, predicate, { timeout = 10000, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  while (Date.now() < deadline) {
    last = await snapshot(page).catch(() => null);  // null while the page (re)loads
    let holds = false;
    try { holds = Boolean(last && last.enabled && last.frame && predicate(last)); } catch { holds = false; }
    if (holds) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(last)}`);
}

// The rectangle (CSS pixels, page coordinates) of the widget a person knows by `label`.
export async function findWidget(page, label, { timeout = 5000 } = {}) {
  const s = await waitForSnapshot(page, (snap) => snap.widgets.some((w) => w.label === label),
    { timeout, what: `a widget labelled "${label}"` });
  const w = s.widgets.find((x) => x.label === label);
  const canvas = await page.locator('#canvas').boundingBox();
  return { ...w, x: w.x + canvas.x, y: w.y + canvas.y };
}

export async function clickWidget(page, label) {
  const w = await findWidget(page, label);
  await page.mouse.click(w.x + Math.min(w.w / 2, 40), w.y + w.h / 2);
  return w;
}

// Scrolls the area under the widget labelled `over` with the mouse wheel, like a person, until the
// widget labelled `label` is drawn whole above the widget labelled `above` (e.g. a form's fields
// above its Submit button). Returns that widget's rectangle.
export async function scrollIntoView(page, label, { over, above, maxSteps = 30 } = {}) {
  const anchor = await findWidget(page, over);
  await page.mouse.move(anchor.x + Math.min(anchor.w / 2, 40), anchor.y + anchor.h / 2);
  for (let step = 0; step <= maxSteps; step += 1) {
    const s = await snapshot(page);
    const w = s?.widgets.find((x) => x.label === label);
    const limit = above ? s?.widgets.find((x) => x.label === above) : null;
    if (w && (!limit || w.y + w.h <= limit.y - 30)) return w;  // clear of the separator above it
    await page.mouse.wheel(0, 80);
    await page.waitForTimeout(60);
  }
  throw new Error(`"${label}" did not scroll into view over "${over}"`);
}

// Rests the mouse on the widget for a few frames, then clicks: for widgets that share their space
// with others (table headers, rows that span columns — ImGui's "allow overlap" items), which take
// a click only once they were hovered on the frame before, as under a person's hand.
export async function hoverAndClick(page, label) {
  const w = await findWidget(page, label);
  await page.mouse.move(w.x + Math.min(w.w / 2, 40), w.y + w.h / 2);
  await page.waitForTimeout(100);
  await page.mouse.move(w.x + Math.min(w.w / 2, 40) + 2, w.y + w.h / 2);  // a hand is never still
  await page.waitForTimeout(50);
  await page.mouse.down();
  await page.mouse.up();
  return w;
}

// Taps the widget with a finger (the context needs hasTouch).
export async function tapWidget(page, label) {
  const w = await findWidget(page, label);
  await page.touchscreen.tap(w.x + Math.min(w.w / 2, 40), w.y + w.h / 2);
  return w;
}

// Clicks into a text field and types like a person, one key at a time, without waiting for the
// UI to catch up between the click and the first key.
export async function typeInto(page, label, text) {
  await clickWidget(page, label);
  await page.keyboard.type(text, { delay: 15 });
}

// On an open ticket, as a technician: Priority…, a priority's button (its words, e.g.
// 'P1 Critical', and the engine's name, e.g. 'critical'), a reason, Set priority. Waits for the
// choice and the reason to register before it sets them; the caller waits for the result.
export async function setPriority(page, words, name, reason) {
  await clickWidget(page, 'Priority…');
  await clickWidget(page, words);
  await waitForSnapshot(page, (s) => s.values.new_priority === name, { what: 'the priority chosen' }).catch(async (err) => {
    await screenshot(page, 'set-priority-failed');
    throw err;
  });
  await typeInto(page, 'Priority reason', reason);
  await waitForSnapshot(page, (s) => s.values['Priority reason'] === reason, { what: 'the reason typed' });
  await clickWidget(page, 'Set priority');
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  const buffer = await page.screenshot({ path });
  return { path, buffer };
}

export function saveText(name, text) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(join(ARTIFACTS_DIR, name), text);
}

// Every ticket id on the server, as the help desk's log holds it: a technician enrolled with a
// fresh invite (made with the server binary on `server`'s data folder) pulls everything. Titles
// are sealed end to end (the server cannot read them), so tests count tickets, not titles.
export async function ticketIdsOnServer(server) {
  const invite = execFileSync(SERVER_BIN, ['invite', '--role', 'technician', '--name', 'Checker',
    '--data-dir', server.dataDir], { encoding: 'utf8' }).match(/code: (\S+)/)[1];
  // A device of its own: the sync API is sealed (tests/integration/support.mjs seals like a device).
  const checker = await enrol({ url: server.url.replace(/\/$/, '') }, { invite });
  const { ops } = await checker.pullAll();
  const ids = new Set();
  for (const op of ops) if (op.entity === 'ticket' && op.field === 'status' && op.value === 'new') ids.add(op.entity_id);
  return [...ids];
}

// A technician's own device: lifebuoy-cli (the same engine, natively) on a data folder of its own,
// enrolled with a fresh invite. Its first sync publishes its key and, for the desk's first
// technician, creates the team key that requesters' devices seal ticket keys to.
// `run(args)` returns the command's result (throws with the output when it fails).
export function technicianDevice(server, name = 'Tess') {
  const cliBin = process.env.LB_CLI_BIN;
  if (!cliBin) throw new Error('LB_CLI_BIN must name the lifebuoy-cli binary');
  const dataDir = mkdtempSync(join(tmpdir(), 'lifebuoy-tech-'));
  const run = (args) => {
    const out = execFileSync(cliBin, ['--data', dataDir, '--json', '--server', server.url.replace(/\/$/, ''), ...args],
      { encoding: 'utf8' });
    const parsed = JSON.parse(out);
    if (!parsed.ok) throw new Error(`lifebuoy-cli ${args.join(' ')}: ${out}`);
    return parsed.result;
  };
  const invite = execFileSync(SERVER_BIN, ['invite', '--role', 'technician', '--name', name,
    '--data-dir', server.dataDir], { encoding: 'utf8' }).match(/code: (\S+)/)[1];
  run(['enroll', '--invite', invite, '--name', name]);
  return { dataDir, run, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

// Opens the portal from a technician's sign-in link (`lifebuoy-server invite --role technician
// --technician ID` on server.dataDir: the code in the link's fragment), signs in and waits until the
// device has synced (the desk's first technician's browser creates the team key). {page, context}.
export async function signInTechnicianFromLink(browser, server, technician) {
  const link = execFileSync(SERVER_BIN, ['invite', '--role', 'technician', '--technician', technician,
    '--data-dir', server.dataDir], { encoding: 'utf8' }).match(/link: (\S+)/)[1];
  const opened = await openPortal(browser, new URL(new URL(link).hash, server.url).href);
  await waitForSnapshot(opened.page, (s) => s.screen === 'sign_in' && Boolean(s.values['Invite code']), { what: 'the sign-in link' });
  await clickWidget(opened.page, 'Sign in with invite code');
  await waitForSnapshot(opened.page, (s) => (s.values.sync_line || '').startsWith('Everything is sent'),
    { what: `${technician} signed in`, timeout: 15000 });
  return opened;
}

// Signs the portal in as a guest (Sign in tab, name and e-mail) and waits for the enrolment.
export async function signInAsGuest(page) {
  await clickWidget(page, 'Sign in');
  await typeInto(page, 'Your name', 'Sam Rivera');
  await typeInto(page, 'E-mail', 'sam@example.com');
  await clickWidget(page, 'Continue as guest');
  await waitForSnapshot(page, (s) => (s.values.sync_line || '').startsWith('Everything is sent'),
    { what: 'the guest enrolment to complete', timeout: 15000 });
}

// Files a ticket from the New ticket form and waits for its ticket view.
export async function fileTicket(page, title, description) {
  await clickWidget(page, 'New ticket');
  await waitForSnapshot(page, (s) => s.screen === 'new_ticket', { what: 'the New ticket form' });
  await typeInto(page, 'Title', title);
  await typeInto(page, 'Description', description);
  await waitForSnapshot(page, (s) => s.values.Title === title && s.values.Description === description,
    { what: 'the form to hold what was typed' });
  await clickWidget(page, 'Submit ticket');
  return waitForSnapshot(page, (s) => s.screen === 'ticket' && s.values.ticket_title === title,
    { what: `the ticket "${title}" to open after Submit` });
}
