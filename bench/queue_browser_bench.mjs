// queue_browser_bench.mjs — the technician's queue in the browser (issue #10): frame times with
// 10,000 tickets while scrolling and filtering (goal: p95 ≤ 16 ms), and the time to open a ticket
// with 200 comments. Real lifebuoy-server, real headless Chromium (SwiftShader WebGL2) driven with
// mouse and keyboard events through tests/browser/harness.mjs, like the browser tests.
//
// Set-up: a private copy of the web bundle and the server binary (a rebuild during the run changes
// neither); Chromium with an on-disk profile (launchChromiumProcess); a fresh data folder (the demo desk: Tess is its team lead); Tess signs in from a
// technician invite link in the portal, and her browser makes the team key. Then Node seeds the
// desk (bench/queue_browser/seed.mjs): --requesters requesters enrolled by invite push --tickets
// tickets (sealed text from shared/data/tickets.jsonl, ticket keys sealed to the requester and to
// the team key, varied urgency, impact, category and site; the server numbers, triages and
// assigns each) — first --runs tickets with --comments public replies each (titled "Long
// conversation N: …"), then the rest, so a portal that holds the last ticket holds the replies.
// The portal syncs it all; the bench opens the Queue, view All, and waits for every ticket to be
// counted and the titles readable.
//
// Frames: bench/queue_browser/frames.js wraps requestAnimationFrame in the page and records per
// frame the duration of the portal's frame callback (the CPU work of the frame on the page's main
// thread) and the interval between frames (rAF timestamps: a frame the compositor skipped shows as
// a long interval). Phases, each recorded on its own:
//   idle         3 s at rest on the queue (sorted by number, so a row's number is its place)
//   wheel        a mouse wheel turned fast over the table: a notch (deltaY 100) every 50 ms,
//                --scroll-seconds down, then as long up
//   fling        big wheel steps (deltaY --fling-delta every 16 ms, ~45 rows each): down through
//                thousands of rows for --scroll-seconds, then back up
//   filter       typing a word into "Search the queue" key by key (80 ms apart), clearing it with
//                Backspace, the views Open, Mine, Overdue and All, then sorting by Priority (twice),
//                Updated and Title — each waiting for the queue's answer
// Per phase: frames, callback median/p95/max, interval median/p95, frames over 16 ms and the
// ratio of p95 to the 16 ms goal. While scrolling, the frames' UI snapshot also says how many
// rows of the table's body were drawn with their number: fewer than at rest means rows drawn as
// "…" (not fetched from the engine yet). frames.js also times every command the UI sends the
// engine Worker: the `queue` round trips (page → Worker → page) and reply sizes are reported.
// Wheel events are sent at a steady rate without waiting for each (Chromium merges those that
// queue up, adding their deltas).
// Before the phases, a jump to the end of the list (three huge wheel steps): rows drawn after 3 s
// and `queue` commands sent meanwhile — first with the '#' header focused, as the click that
// sorted the table leaves it, then with the focus moved to the All button (the phases run so).
//
// Opening a ticket: the queue searched for "Long conversation", the row of the run's ticket
// clicked (each run a different ticket, never opened before: reopening the same one first shows
// what the portal still holds), timed from the mousedown to the end of the first frame whose
// snapshot shows the ticket screen with all --comments replies in the conversation (also: to the
// ticket screen, to the title); then "< Queue". Median and p95 of --runs.
//
// The build must have the UI test hooks (build/test; release builds report no snapshot, and the
// bench says so and stops). Frames in a hook build include the snapshot the hooks build each
// frame, so they are a little slower than release's.
// Writes bench/results/queue_browser.json and screenshots under bench/results/queue_browser/.
//
// Usage: node bench/queue_browser_bench.mjs [--tickets=10000] [--runs=3] [--comments=200]
//          [--requesters=20] [--scroll-seconds=4] [--fling-delta=1200] [--catch-up-seconds=1200]
//          [--data-parent=DIR]
// LB_BUILD_DIR: a build with dist/ and sync-server/, default build/test; LB_DIST_DIR and
// LB_SERVER_BIN override its parts; LB_SHARED_DATA_DIR: default ../shared/data;
// LB_ARTIFACTS_DIR: where the screenshots go. Needs `npm install` (playwright-core, libsodium-wrappers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, median, numberArg, pct } from './browser_bench/node_support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const TICKETS = numberArg('tickets', 10000), RUNS = numberArg('runs', 3), COMMENTS = numberArg('comments', 200);
const REQUESTERS = numberArg('requesters', 20), SCROLL_S = numberArg('scroll-seconds', 4);
const FLING_DELTA = numberArg('fling-delta', 1200), CATCH_UP_S = numberArg('catch-up-seconds', 1200);
const DATA_PARENT = (process.argv.find((a) => a.startsWith('--data-parent=')) || '').slice(14) || os.tmpdir();
const GOAL_FRAME_MS = 16;
const PER_PUSH = 32;  // the server's max_push_batches (assets/config/server.example.json)
const QUERY = 'laptop';
const build = path.resolve(process.env.LB_BUILD_DIR || path.join(root, 'build', 'test'));
const distBuilt = process.env.LB_DIST_DIR || path.join(build, 'dist');
const serverBuilt = process.env.LB_SERVER_BIN || path.join(build, 'sync-server', 'lifebuoy-server');
const sharedData = process.env.LB_SHARED_DATA_DIR || path.resolve(root, '..', 'shared', 'data');
const resultsDir = path.join(here, 'results');
const log = (line) => process.stderr.write(line + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (RUNS > TICKETS) throw new Error('--runs may not exceed --tickets');
// Hook builds keep the snapshot's field names in ui.wasm (test_hooks.cpp; compiled out of release).
if (!fs.readFileSync(path.join(distBuilt, 'ui.wasm')).includes('wants_text_input')) {
  console.log(`queue_browser_bench: ${distBuilt} has no UI test hooks (a release build); this bench finds widgets ` +
    'through them — run it on a test build: LB_BUILD_DIR=build/test node bench/queue_browser_bench.mjs');
  process.exit(0);
}

// [SECTION] private copies of the bundle and the server; the data folder
const work = fs.mkdtempSync(path.join(DATA_PARENT, 'lifebuoy-queue-bench-'));
fs.cpSync(distBuilt, path.join(work, 'dist'), { recursive: true });
fs.copyFileSync(serverBuilt, path.join(work, 'lifebuoy-server'));
fs.chmodSync(path.join(work, 'lifebuoy-server'), 0o755);
process.env.LB_DIST_DIR = path.join(work, 'dist');
process.env.LB_SERVER_BIN = path.join(work, 'lifebuoy-server');
process.env.LB_ARTIFACTS_DIR ||= path.join(resultsDir, 'queue_browser');
const dataDir = path.join(work, 'data');
fs.mkdirSync(dataDir);
const H = await import('../tests/browser/harness.mjs');  // reads the environment above
const seed = await import('./queue_browser/seed.mjs');

let server = null, chrome = null, wire = null;
const cleanup = async () => {
  await chrome?.close().catch(() => {});
  await server?.stop().catch(() => {});
  wire?.close();
  fs.rmSync(work, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanup().finally(() => process.exit(130)); });

const rows = (s) => JSON.parse(s.values.queue_rows || '[]');
const summaryTotal = (s) => Number(((s.values.queue_summary || '').match(/^(\d+) tickets/) || [])[1] ?? NaN);
const readable = (s) => rows(s).length > 0 && rows(s).every((r) => !r.title.startsWith('(encrypted'));
// Clicks a view's button until the view is chosen: its place moves while the counts before it
// grow (the portal still syncing), so a click found a moment earlier may land on a neighbour.
async function chooseView(page, words, view) {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    await H.hoverAndClick(page, words);
    if (await settle(page, (s) => s.values.queue_view === view, 1500)) return;
  }
  throw new Error(`the view "${words}" could not be chosen`);
}
// Waits for a change without failing: some actions change nothing visible (an empty view).
async function settle(page, predicate, timeout = 3000) {
  try { return await H.waitForSnapshot(page, predicate, { timeout }); } catch { return null; }
}

const loadBefore = os.loadavg();
const out = { date: new Date().toISOString(), dist: distBuilt, settings: { tickets: TICKETS, runs: RUNS, comments: COMMENTS,
  requesters: REQUESTERS, scroll_seconds: SCROLL_S, fling_delta: FLING_DELTA, query: QUERY }, goal_frame_ms: GOAL_FRAME_MS };
try {
  // [SECTION] the server, Tess signed in (her browser makes the team key)
  server = await H.startServer({ dataDir });
  // An on-disk profile, like a technician's own browser. (A fresh incognito context, as the browser
  // tests use, keeps OPFS in memory, where each write costs ~2 ms here and grows with the file:
  // catching up on 10,000 tickets there takes hours.)
  chrome = await H.launchChromiumProcess(fs.mkdtempSync(path.join(work, 'profile-')));
  const { browser, context } = chrome;
  await context.addInitScript({ path: path.join(here, 'queue_browser', 'frames.js') });
  const link = execFileSync(process.env.LB_SERVER_BIN, ['invite', '--role', 'technician', '--technician', 'tess',
    '--data-dir', dataDir], { encoding: 'utf8' }).match(/link: (\S+)/)[1];
  const { page, consoleLines } = await H.openPortal(context, new URL(new URL(link).hash, server.url).href);
  await H.waitForSnapshot(page, (s) => s.screen === 'sign_in' && Boolean(s.values['Invite code']), { what: 'the sign-in link' });
  await H.clickWidget(page, 'Sign in with invite code');
  await H.waitForSnapshot(page, (s) => (s.values.sync_line || '').startsWith('Everything is sent'),
    { what: 'Tess signed in', timeout: 30000 });
  log(`server ${server.url}, Tess signed in; Chromium ${browser.version()}`);

  // [SECTION] seeding from Node
  const tickets = seed.loadTickets(sharedData);
  const rand = seed.random(42);
  const t0 = performance.now();
  const desk = await seed.enrolRequesters({ serverBin: process.env.LB_SERVER_BIN, dataDir, url: server.url, count: REQUESTERS });
  wire = desk.wire;
  const enrolS = (performance.now() - t0) / 1000;
  // The long conversations first (their replies come before the bulk in the server's log).
  const outbox = desk.devices.map(() => []);
  const longOnes = [];
  for (let i = 0; i < TICKETS; i += 1) {
    const d = i % REQUESTERS;
    const base = tickets[i % tickets.length];
    const fields = { ...base, ...seed.ticketFields(rand) };
    if (i < RUNS) fields.title = `Long conversation ${i + 1}: ${base.title}`;
    const t = seed.ticketBatch(desk.devices[d], desk.teamPublicKey, fields);
    if (i < RUNS) longOnes.push({ device: d, ...t, title: fields.title });
    else outbox[d].push(t.batch);
  }
  const sealS = (performance.now() - t0) / 1000 - enrolS;
  let pushes = 0, ops = 0;
  const tPush = performance.now();
  for (const [k, long] of longOnes.entries()) {
    const device = desk.devices[long.device];
    const replies = [];
    for (let c = 1; c <= COMMENTS; c += 1) {
      const text = tickets[(k * COMMENTS + c * 13) % tickets.length].description.slice(0, 600);
      replies.push(device.comment(long.ticketId, long.key, `[reply ${c} of ${COMMENTS}] ${text}`));
    }
    for (const batches of [[long.batch], replies]) {
      const r = await seed.pushBatches(device, batches, PER_PUSH);
      pushes += r.pushes;
      ops += r.ops;
    }
  }
  // The rest: four devices pushing at a time (the server commits one batch at a time anyway).
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(4, REQUESTERS) }, async () => {
    while (next < REQUESTERS) {
      const d = next++;
      const r = await seed.pushBatches(desk.devices[d], outbox[d], PER_PUSH);
      pushes += r.pushes;
      ops += r.ops;
    }
  }));
  const pushS = (performance.now() - tPush) / 1000;
  out.seed = { requesters: REQUESTERS, tickets: TICKETS, comments: RUNS * COMMENTS, pushes, ops, enrol_s: enrolS,
    seal_s: sealS, push_s: pushS, ops_per_s: ops / pushS };
  log(`seeded ${TICKETS} tickets + ${RUNS} × ${COMMENTS} replies: ${ops} ops in ${pushes} pushes, ${pushS.toFixed(1)} s ` +
    `(${(ops / pushS).toFixed(0)} ops/s; enrol ${enrolS.toFixed(1)} s, sealing ${sealS.toFixed(1)} s)`);

  // [SECTION] the queue, view All, every ticket counted and readable
  const tCatch = performance.now();
  await H.clickWidget(page, 'Queue');
  await H.waitForSnapshot(page, (s) => s.screen === 'queue', { what: 'the Queue screen' });
  await chooseView(page, 'All', 'all');
  let lastLog = 0;
  await H.waitForSnapshot(page, (s) => {
    if (performance.now() - lastLog > 15000) {
      lastLog = performance.now();
      log(`  catching up: ${s.values.queue_summary} (${((performance.now() - tCatch) / 1000).toFixed(0)} s)`);
    }
    return s.values.queue_view === 'all' && summaryTotal(s) === TICKETS && readable(s);
  }, { what: `the All view with ${TICKETS} readable tickets`, timeout: CATCH_UP_S * 1000 })
    .catch((err) => { throw new Error(`${err.message}\nconsole:\n${consoleLines.slice(-40).join('\n')}`); });
  out.catch_up_s = (performance.now() - tCatch) / 1000;
  log(`the portal shows ${TICKETS} readable tickets ${out.catch_up_s.toFixed(1)} s after the seeding ended`);
  // Sorted by number: a row's number is its place, so the scroll phases can say where they got to.
  await H.hoverAndClick(page, '#');
  await H.waitForSnapshot(page, (s) => s.values.queue_sort === 'number' && rows(s)[0]?.number === 1 && readable(s),
    { what: 'the queue sorted by number', timeout: 20000 });
  await sleep(1000);
  out.console_lines_before_screenshots = consoleLines.length;
  const shot = await H.screenshot(page, 'queue-10000');
  out.screenshots = [shot.path];

  // [SECTION] frames while scrolling and filtering
  const snap0 = await H.snapshot(page);
  const header = snap0.widgets.find((w) => w.label === '#');
  const canvasHeight = await page.evaluate(() => document.getElementById('canvas').clientHeight);
  const body = { top: header.y + header.h, bottom: canvasHeight };
  const overTable = await H.findWidget(page, 'Title');  // the Title header, in page coordinates
  const mouseAt = { x: overTable.x + overTable.w / 2, y: overTable.y + 250 };
  await page.mouse.move(mouseAt.x, mouseAt.y);
  await sleep(300);
  const phases = {};
  let wheelEvents = 0;
  const record = async (name, sampleRows, action) => {
    await page.evaluate((r) => window.__lbFrames.begin(r), sampleRows ? body : null);
    const load0 = os.loadavg()[0], s0 = performance.now();
    wheelEvents = 0;
    await action();
    await sleep(300);
    const frames = await page.evaluate(() => window.__lbFrames.end());
    phases[name] = { ...frames, wall_s: (performance.now() - s0) / 1000, load: [load0, os.loadavg()[0]], wheelEvents };
    log(`  ${name}: ${frames.dur.length} frames, callback p95 ${fmt(pct(frames.dur, 0.95), 1)} ms`);
  };
  // Wheel events at a steady rate, not waiting for each to be taken: Chromium hands wheel events
  // to the page with its frames and merges those that queue up (their deltas add), as with a
  // real wheel turned faster than the page draws.
  const wheel = async (deltaY, periodMs, seconds) => {
    const end = performance.now() + seconds * 1000;
    const sent = [];
    let due = performance.now();
    while (performance.now() < end) {
      sent.push(page.mouse.wheel(0, deltaY));
      wheelEvents += 1;
      due += periodMs;
      await sleep(Math.max(0, due - performance.now()));
    }
    await Promise.all(sent);
  };
  // A jump to the end of the list (three huge wheel steps): how long until its rows are drawn,
  // and how many queue commands the UI sends meanwhile. First with the '#' header focused (the
  // click that sorted the table leaves it so): the clipper then also submits the focused item's
  // range, which maps to row 0 of the scrolled table, and the window of rows the table asks for
  // was seen never to reach the rows in view. Then with the focus on the All button instead.
  const jump = async (label, shot) => {
    await page.mouse.move(mouseAt.x, mouseAt.y);
    await sleep(200);
    await page.evaluate(() => window.__lbFrames.begin(null));
    const t = performance.now();
    await Promise.all([1, 2, 3].map(() => page.mouse.wheel(0, 100000)));
    let drawnAt = null, drawn = 0;
    while (performance.now() - t < 3000) {
      const s = await H.snapshot(page);
      drawn = s.widgets.filter((w) => /^#\d+$/.test(w.label) && w.y >= body.top && w.y < body.bottom).length;
      if (drawn >= restRowsGuess - 1 && drawnAt === null) drawnAt = performance.now() - t;
      await sleep(50);
    }
    const { commands } = await page.evaluate(() => window.__lbFrames.end());
    const last = rows(await H.snapshot(page));
    if (shot) out.screenshots.push((await H.screenshot(page, shot)).path);
    await Promise.all([1, 2, 3].map(() => page.mouse.wheel(0, -100000)));
    await settle(page, (x) => rows(x)[0]?.number === 1, 5000);
    await sleep(500);
    const r = { rows_drawn_after_3s: drawn, ms_to_rows: drawnAt, queue_commands_in_3s: commands.filter((c) => c.cmd === 'queue').length,
      window_first_row: last[0]?.number ?? null };
    log(`  jump to the end (${label}): ${drawn} rows drawn after 3 s (${drawnAt === null ? 'never all' : `all after ${drawnAt.toFixed(0)} ms`}), ` +
      `${r.queue_commands_in_3s} queue commands`);
    return r;
  };
  const restRowsGuess = (await H.snapshot(page)).widgets.filter((w) => /^#\d+$/.test(w.label) && w.y >= body.top && w.y < body.bottom).length;
  out.jump_to_end = { header_focused: await jump('the # header focused', 'queue-end-header-focused') };
  await chooseView(page, 'All', 'all');  // already chosen: only the focus moves to the button
  out.jump_to_end.button_focused = await jump('the All button focused');
  await page.mouse.move(mouseAt.x, mouseAt.y);
  await sleep(300);

  await record('idle', true, () => sleep(3000));
  await record('wheel', true, async () => { await wheel(100, 50, SCROLL_S); await wheel(-100, 50, SCROLL_S); });
  await record('fling', true, async () => {
    await wheel(FLING_DELTA, 16, SCROLL_S);
    await wheel(-FLING_DELTA, 16, SCROLL_S);
  });
  await settle(page, (s) => rows(s)[0]?.number === 1, 5000);
  await record('filter', false, async () => {
    await H.clickWidget(page, 'Search the queue');
    await page.keyboard.type(QUERY, { delay: 80 });
    await settle(page, (s) => s.values['Search the queue'] === QUERY && summaryTotal(s) < TICKETS && readable(s));
    await sleep(300);
    await page.keyboard.press('End');
    for (let i = 0; i < QUERY.length; i += 1) await page.keyboard.press('Backspace', { delay: 40 });
    await page.keyboard.press('Enter');
    await settle(page, (s) => s.values['Search the queue'] === '' && summaryTotal(s) === TICKETS);
    for (const [button, view] of [['Open', 'open'], ['Mine', 'mine'], ['Overdue', 'overdue'], ['All', 'all']]) {
      const before = (await H.snapshot(page)).values.queue_summary;
      await chooseView(page, button, view);
      await settle(page, (s) => s.values.queue_summary !== before, 2000);
      await sleep(300);
    }
    for (const [header, sort] of [['Priority', 'priority'], ['Priority', 'priority descending'], ['Updated', 'updated'],
      ['Title', 'title']]) {
      const before = (await H.snapshot(page)).values.queue_rows;
      await H.hoverAndClick(page, header);
      await settle(page, (s) => s.values.queue_sort === sort && s.values.queue_rows !== before, 3000);
      await sleep(300);
    }
  });

  // [SECTION] opening a ticket with COMMENTS replies
  await H.clickWidget(page, 'Search the queue');
  await page.keyboard.type('Long conversation', { delay: 30 });
  await page.keyboard.press('Enter');
  const found = await H.waitForSnapshot(page, (s) => rows(s).length === RUNS && rows(s).every((r) => r.title.startsWith('Long conversation')),
    { what: `the ${RUNS} long conversations in the queue`, timeout: 20000 });
  const numbers = longOnes.map((l) => rows(found).find((r) => r.title === l.title).number);
  const opens = [];
  const marker = `\\[reply (\\d+) of ${COMMENTS}\\]`;
  for (const [k, number] of numbers.entries()) {
    await H.waitForSnapshot(page, (s) => s.screen === 'queue' && rows(s).length === RUNS, { what: 'the queue again' });
    const w = await H.findWidget(page, `#${number}`);
    await page.mouse.move(w.x + Math.min(w.w / 2, 40), w.y + w.h / 2);
    await sleep(150);  // hovered on the frame before the click (a row spans its columns)
    await page.evaluate(([m, n]) => { window.__lbFrames.watchOpen(m, n); window.__lbFrames.begin(null); }, [marker, COMMENTS]);
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForFunction(() => window.__lbFrames.open.done, null, { polling: 50, timeout: 60000 })
      .catch(async (err) => { throw new Error(`${err.message}: ${JSON.stringify(await page.evaluate(() => window.__lbFrames.open))}`); });
    await sleep(300);
    const frames = await page.evaluate(() => window.__lbFrames.end());
    const o = await page.evaluate(() => { const x = { ...window.__lbFrames.open }; delete x.marker; window.__lbFrames.open = null; return x; });
    const getTicket = frames.commands.filter((c) => c.cmd === 'get_ticket');
    opens.push({ number, to_screen_ms: o.screenAt - o.clickAt, to_title_ms: o.titleAt - o.clickAt, to_all_ms: o.allAt - o.clickAt,
      frames_to_all: o.allFrame, snapshot_bytes: o.bytes, frame_ms: frames.dur, frame_ts: frames.ts,
      get_ticket: getTicket.map((c) => ({ round_trip_ms: c.replied - c.sent, bytes: c.bytes, sent_after_click_ms: c.sent - o.clickAt })),
      commands: frames.commands.map((c) => ({ cmd: c.cmd, sent_after_click_ms: c.sent - o.clickAt, round_trip_ms: c.replied - c.sent, bytes: c.bytes })) });
    log(`  open #${number}: ${(o.allAt - o.clickAt).toFixed(0)} ms to all ${COMMENTS} replies (screen ` +
      `${(o.screenAt - o.clickAt).toFixed(0)} ms, ${o.allFrame} frames)`);
    if (k === 0) out.screenshots.push((await H.screenshot(page, 'queue-ticket-200')).path);
    await H.clickWidget(page, '< Queue');
  }

  // [SECTION] report
  const loadAfter = os.loadavg();
  const cpu = os.cpus();
  out.machine = `${cpu.length} × ${cpu[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ` +
    `${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; Chromium ${browser.version()} headless ` +
    `(SwiftShader WebGL2), on-disk profile, 1280×800, loopback; node ${process.version}`;
  const intervals = (ts) => ts.slice(1).map((t, i) => t - ts[i]);
  // Per command: how many, round trip page → engine Worker → page (ms), reply size (bytes).
  const commandStats = (list) => {
    const by = {};
    for (const c of list) (by[c.cmd] ||= []).push(c);
    return Object.fromEntries(Object.entries(by).map(([cmd, cs]) => {
      const rt = cs.map((c) => c.replied - c.sent);
      return [cmd, { n: cs.length, round_trip_ms: { median: median(rt), p95: pct(rt, 0.95), max: Math.max(...rt) },
        reply_bytes_median: median(cs.map((c) => c.bytes)) }];
    }));
  };
  const restRows = median(phases.idle.rows);
  out.phases = {};
  for (const [name, p] of Object.entries(phases)) {
    const iv = intervals(p.ts);
    const r = { frames: p.dur.length, wall_s: p.wall_s, load_1min: p.load, wheel_events: p.wheelEvents,
      callback_ms: { median: median(p.dur), p95: pct(p.dur, 0.95), max: Math.max(...p.dur) },
      interval_ms: { median: median(iv), p95: pct(iv, 0.95), max: Math.max(...iv) },
      frames_over_16ms: p.dur.filter((d) => d > GOAL_FRAME_MS).length,
      p95_to_goal: pct(p.dur, 0.95) / GOAL_FRAME_MS, interval_p95_to_goal: pct(iv, 0.95) / GOAL_FRAME_MS };
    r.engine_commands = commandStats(p.commands);
    if (p.rows) {
      const missing = p.rows.map((n) => n >= 0 && n < restRows - 1);
      let longest = 0, run = 0;
      for (const [i, m] of missing.entries()) {
        run = m ? run + (i > 0 ? p.ts[i] - p.ts[i - 1] : 0) : 0;
        longest = Math.max(longest, run);
      }
      r.rows = { at_rest: restRows, frames_with_rows_not_drawn: missing.filter(Boolean).length,
        fewest_drawn: Math.min(...p.rows.filter((n) => n >= 0)), longest_stretch_ms: longest,
        deepest_row: Math.max(...p.firstRow) };
    }
    out.phases[name] = r;
    out.phases[name].raw = { commands: p.commands, callback_ms: p.dur.map((x) => +x.toFixed(3)), ts: p.ts.map((x) => +x.toFixed(3)), rows: p.rows, first_row: p.firstRow };
  }
  const allMs = opens.map((o) => o.to_all_ms);
  const openFrames = opens.flatMap((o) => o.frame_ms);
  out.open_ticket = { runs: opens.map(({ frame_ms, frame_ts, ...o }) => ({ ...o, frame_ms_max: Math.max(...frame_ms) })),
    to_all_ms: { median: median(allMs), p95: pct(allMs, 0.95), min: Math.min(...allMs) },
    to_screen_ms: { median: median(opens.map((o) => o.to_screen_ms)) }, to_title_ms: { median: median(opens.map((o) => o.to_title_ms)) },
    frames_while_opening: { frames: openFrames.length, callback_ms: { median: median(openFrames), p95: pct(openFrames, 0.95),
      max: Math.max(...openFrames) } } };
  const problems = consoleLines.filter((l) => /^\[(error|warning|pageerror)\]/.test(l));
  out.console = { lines: consoleLines.length, problems: problems.slice(0, 50) };

  console.log(`queue_browser_bench: ${distBuilt}; ${TICKETS} tickets (${REQUESTERS} requesters), view All sorted by number`);
  console.log(out.machine);
  console.log(`seeding: ${out.seed.ops} ops in ${out.seed.pushes} pushes, ${out.seed.push_s.toFixed(1)} s ` +
    `(${out.seed.ops_per_s.toFixed(0)} ops/s); the portal showed all ${TICKETS} readable ${out.catch_up_s.toFixed(1)} s later`);
  console.log(`${'phase'.padEnd(8)} ${'frames'.padStart(6)} ${'cb med'.padStart(7)} ${'cb p95'.padStart(7)} ${'cb max'.padStart(7)} ` +
    `${'>16ms'.padStart(6)} ${'iv med'.padStart(7)} ${'iv p95'.padStart(7)} ${'p95/16'.padStart(7)} ${'iv95/16'.padStart(7)}  rows`);
  for (const [name, r] of Object.entries(out.phases)) {
    const rowText = r.rows ? `${r.rows.frames_with_rows_not_drawn} frames with "…" rows (longest ${r.rows.longest_stretch_ms.toFixed(0)} ms, ` +
      `fewest ${r.rows.fewest_drawn}/${r.rows.at_rest}), deepest row drawn #${r.rows.deepest_row}` +
      (r.wheel_events ? `, ${r.wheel_events} wheel events` : '') : '';
    console.log(`${name.padEnd(8)} ${String(r.frames).padStart(6)} ${fmt(r.callback_ms.median, 1).padStart(7)} ` +
      `${fmt(r.callback_ms.p95, 1).padStart(7)} ${fmt(r.callback_ms.max, 1).padStart(7)} ${String(r.frames_over_16ms).padStart(6)} ` +
      `${fmt(r.interval_ms.median, 1).padStart(7)} ${fmt(r.interval_ms.p95, 1).padStart(7)} ${fmt(r.p95_to_goal, 2).padStart(7)} ` +
      `${fmt(r.interval_p95_to_goal, 2).padStart(7)}  ${rowText}`);
  }
  console.log('(cb: the frame callback\'s duration, ms; iv: the interval between frames, ms; load average 1 min per phase in the JSON)');
  for (const [name, r] of Object.entries(out.phases)) {
    const q = r.engine_commands.queue;
    if (q) console.log(`  ${name}: ${q.n} queue commands, round trip median ${fmt(q.round_trip_ms.median, 0)} / p95 ` +
      `${fmt(q.round_trip_ms.p95, 0)} / max ${fmt(q.round_trip_ms.max, 0)} ms, reply ${(q.reply_bytes_median / 1000).toFixed(0)} kB`);
  }
  const gt = opens.flatMap((o) => o.get_ticket);
  out.open_ticket.get_ticket = { round_trip_ms: { median: median(gt.map((g) => g.round_trip_ms)) },
    bytes_median: median(gt.map((g) => g.bytes)), per_open: opens.map((o) => o.get_ticket.length) };
  console.log(`open a ticket with ${COMMENTS} replies (${RUNS} runs, a different ticket each): click → all replies shown ` +
    `median ${fmt(out.open_ticket.to_all_ms.median, 0)} ms, p95 ${fmt(out.open_ticket.to_all_ms.p95, 0)} ms ` +
    `(${allMs.map((x) => x.toFixed(0)).join(', ')}); → ticket screen ${fmt(out.open_ticket.to_screen_ms.median, 0)} ms, ` +
    `→ title ${fmt(out.open_ticket.to_title_ms.median, 0)} ms; frames while opening: callback p95 ` +
    `${fmt(out.open_ticket.frames_while_opening.callback_ms.p95, 1)}, max ${fmt(out.open_ticket.frames_while_opening.callback_ms.max, 1)} ms; ` +
    `get_ticket round trip median ${fmt(out.open_ticket.get_ticket.round_trip_ms.median, 0)} ms, ` +
    `reply ${(out.open_ticket.get_ticket.bytes_median / 1000).toFixed(0)} kB`);
  const worst = Math.max(...['wheel', 'fling', 'filter'].map((n) => out.phases[n].callback_ms.p95));
  console.log(`goal (issue #10): frame p95 ≤ ${GOAL_FRAME_MS} ms while scrolling and filtering: callback p95 ` +
    `${['wheel', 'fling', 'filter'].map((n) => `${n} ${fmt(out.phases[n].callback_ms.p95, 1)} ms = ${fmt(out.phases[n].p95_to_goal, 2)}`).join(', ')} ` +
    `(worst ×${fmt(worst / GOAL_FRAME_MS, 2)}); interval p95 ` +
    `${['wheel', 'fling', 'filter'].map((n) => `${n} ${fmt(out.phases[n].interval_ms.p95, 1)} ms`).join(', ')}`);
  for (const [focus, j] of Object.entries(out.jump_to_end)) {
    console.log(`jump to the end of the list, ${focus.replace('_', ' ')}: ${j.rows_drawn_after_3s} rows drawn after 3 s ` +
      `(${j.ms_to_rows === null ? 'never all of them' : `all after ${j.ms_to_rows.toFixed(0)} ms`}); ${j.queue_commands_in_3s} queue commands ` +
      `sent in those 3 s; the window held starts at #${j.window_first_row}`);
  }
  console.log(`console: ${consoleLines.length} lines, ${problems.length} errors/warnings${problems.length ? ':\n  ' + problems.slice(0, 10).join('\n  ') : ''}`);
  console.log(`screenshots: ${out.screenshots.join(', ')}`);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'queue_browser.json'), JSON.stringify(out, null, 1) + '\n');
  console.log('wrote bench/results/queue_browser.json');
} finally {
  await cleanup();
}
