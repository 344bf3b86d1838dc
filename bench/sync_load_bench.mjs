// sync_load_bench.mjs — the sync server under load (issue #5): push throughput with real
// encryption, and many idle devices held on the notify long-poll, against the built
// lifebuoy-server on loopback; and the same tickets replicated by PouchDB to express-pouchdb.
//
// Every call is a sealed envelope (lifebuoy/api_envelope.h) made by bench/sync_load/device.mjs —
// tests/integration/support.mjs's Channel over node:http keep-alive sockets — and ticket text is
// sealed for real as a device seals it (content.h sealed fields under a random per-ticket key, the
// key sealed to the requester's user key as requester_key). Titles and descriptions come from
// shared/data/tickets.jsonl (an empty title: the description's first words).
//
// 1. push throughput: --devices-list devices (requesters enrolled by invite, user keys uploaded),
//    each pushing its own outbox serially: pushes of --tickets-per-push create_ticket batches of 7
//    ops each (status, requester, channel, title, description, urgency, requester_key — what the
//    engine's create_ticket writes). A run is a fixed amount of work (--ops-per-run ops, spread
//    over the devices), sealed before timing (a device seals text when the ticket is written, not
//    when it syncs); timed: first push sent → last answer. Accepted ops/s = ops answered
//    "accepted" / wall time. Runs interleave the concurrencies (the database grows across runs
//    for all alike); medians and p95 over --runs runs, ratio to the goal ≥ 20,000 ops/s. Per run
//    also the server's CPU seconds (/proc/<pid>/stat utime+stime) and this process's
//    (process.cpuUsage), as % of the wall time: which side is the bottleneck on the 2 shared cores.
// 2. idle devices: --idle guests enrolled concurrently (64 in flight, timed) plus --technicians
//    technicians (invites) hold POST /api/v1/notify all at once (wait = the server's
//    max_long_poll_seconds; armed evenly over one such period, the steady state of a fleet —
//    armed at once they would all time out at once; woken → pull from the cursor → wait again, as
//    a device does). Then 8 other technician devices (not waiting; one call in flight each) post
//    --wake-pushes public replies, one every --wake-interval-ms, each on the ticket of another
//    guest (those guests filed one ticket each before the wait). A reply concerns its requester and
//    the help desk, so each push wakes exactly 1 guest + every waiting technician: the fan-out a
//    real reply causes (a guest's push wakes no other guest; 5,000 technicians would take 5,000
//    invite processes, ~3 min — pass --technicians=N for a wider fan-out). Measured: push sent →
//    each woken device's notify answer as this process sees it (its own event loop included),
//    p50/p99 for guests and technicians (goal p99 ≤ 100 ms); the server's RSS with everyone held,
//    after, and its peak (VmRSS/VmHWM, /proc; goal ≤ 300 MB); lifebuoy_live_waiters (/metrics).
// 3. the peer (npm, pure JS): the same tickets as PouchDB 9 documents (one per ticket, the 7
//    field values as they are, sealed text included: the same payload) in one in-memory PouchDB
//    per device, filled before timing, replicated at once (one-shot replicate, batch_size = tickets
//    per push) to express-pouchdb 4.2.0 on PouchDB's memory adapter in its own process
//    (bench/sync_load/pouch_server.mjs: its CPU from /proc, wire bytes counted on its sockets),
//    interleaved with part 1's runs; ratios Lifebuoy/PouchDB ops/s (goal ≥ 10) and PouchDB/Lifebuoy
//    bytes per op (goal ≥ 3). Not like for like on durability: the peer keeps everything in
//    memory, lifebuoy-server commits each push with fsync (SQLite WAL, synchronous=FULL) —
//    --data-parent=/dev/shm puts Lifebuoy's data folder on tmpfs to show the difference.
//
// Setup: a private copy of the server binary (a rebuild during the run does not change it), a fresh
// data folder whose invites are made before it starts (`lifebuoy-server invite`, one process
// each), started by tests/integration/support.mjs's startServer with the example config's
// settings this binary knows, max_connections 20,000, guest_enrolment loopback, and any
// rate_limit_* setting out of reach. File descriptors: the soft limit of this shell (20,000 here)
// covers both processes; raise `ulimit -n` before running with more than ~9,000 idle devices.
// Writes bench/results/sync_load.json.
//
// Usage: node bench/sync_load_bench.mjs [--runs=5] [--devices-list=1,8,64] [--ops-per-run=14000]
//          [--tickets-per-push=16] [--idle=5000] [--technicians=100] [--wake-pushes=200]
//          [--wake-interval-ms=100] [--io-threads=1] [--parts=push,pouch,idle] [--data-parent=DIR]
//          [--push-version=2] (1: batches in the full form, as sent to a server from before the shared form)
// LB_BUILD_DIR: a build with sync-server/, default build/release; LB_SERVER_BIN overrides it;
// LB_SHARED_DATA_DIR: default ../shared/data. Needs `npm install` (libsodium-wrappers; for part 3
// express, express-pouchdb, pouchdb-core, -adapter-memory, -adapter-http, -replication).
//
// Latest (2026-12-05 00:23–00:30 UTC, load 1.4 → 1.2): what a device sends, made smaller — the
// envelope as raw bytes instead of base64url text and pushes answered with each batch's seqs
// instead of {op_id, seq, status} per op (95be129), then batches in the shared form, push version 2
// (entity, entity_id and node once per batch): wire bytes per op 576–589 → 362–372 → 286–295
// (PouchDB/Lifebuoy 0.37–0.39 → 0.59–0.62 → 0.75–0.79). `--runs=3` (all parts): push 1 / 8 / 64
// devices 23,861 / 42,927 / 50,192 ops/s (×1.19 / 2.15 / 2.51 of the goal; 31.4 / 25.0 / 21.4
// server µs/op); 5,100 held, 20,200 wakes, push → notify p99 38.6 ms, RSS 76.3 MB at start, peak
// 101.1 MB; PouchDB 11,467 / 17,589 / 15,929 (Lifebuoy/PouchDB 2.08 / 2.44 / 3.15). The two push
// versions back to back on one binary (`--parts=push --devices-list=1,8 --runs=3
// --push-version=1|2`, 1/2/1/2): 1 device 22,629 / 23,000 / 24,590 / 20,991 ops/s, 8 devices
// 38,738 / 41,504 / 37,454 / 34,009 — the same within noise; 363–372 vs 287–295 B/op.
//
// Before (2026-12-04 21:01–21:10 UTC, load 0.9 → 2.1, 8186998): the store thread's storage work —
// WAL checkpoints on their own thread (393fea3), the 64 MiB page cache reserved at start (12de3c7:
// no malloc and page fault per newly cached page), WAL frames gathered into ~6 writes per push
// instead of ~180 (b94bb19), the statement cache without a key copy per use (8186998); and no
// request JSON copied into the parked push (c576a4c), its answer written as text (605d3b9).
// `--runs=3` (all parts): push 1 / 8 / 64 devices 21,192 / 36,285 / 47,390 ops/s (×1.06 / 1.81 /
// 2.37 of the goal; 35.0 / 30.0 / 25.7 server µs/op); 5,100 held, 20,200 wakes, push → notify p99
// 59.6 ms, RSS 76.3 MB at start, peak 101.6 MB; PouchDB 11,967 / 18,544 / 18,039 (Lifebuoy/PouchDB
// 1.77 / 1.96 / 2.63); bytes per op PouchDB 221–227 vs 576–589 (0.37–0.39). Back to back against
// 9742c2d (before all six), old/new/old/new, `--parts=push`: 1 device (`--runs=5`) 15,931 / 22,482 /
// 15,816 / 22,130 ops/s, server 47.1 / 30.7 / 45.7 / 30.0 µs/op; 8 devices (`--runs=3`) 22,930 /
// 28,452 / 27,876 / 37,829; 64 devices 19,151 / 38,711 / 25,390 / 42,426.
//
// Earlier (2026-12-04 17:20–17:47 UTC, load 0.4–1.7, c7e4db3): less work per op — base64url of the
// envelope by a table decoder (81f5dbe), one automatic note per ticket per pass (de65321: 24 → 16
// rows per filed ticket), each pushed batch decoded from the parsed request (0a5df30), request
// bodies read in chunks of up to 256 KiB instead of ~512 bytes (c7e4db3: ~100 → ~2 recvmsg per
// push). `--runs=3` (all parts): push 1 / 8 / 64 devices 12,405 / 24,342 / 28,519 ops/s (×0.62 /
// 1.22 / 1.43 of the goal; 57.1 / 45.7 / 40.0 server µs/op); 5,100 held, 20,200 wakes, push →
// notify p99 68.4 ms, RSS peak 103.3 MB; PouchDB 7,871 / 15,298 / 14,889 (Lifebuoy/PouchDB 1.58 /
// 1.59 / 1.92); bytes per op PouchDB 221–226 vs 576–589 (0.37–0.39). Back to back against cdc27f5
// (before all four), old/new/old/new, `--parts=push`: 1 device (`--runs=5`) 10,088 / 13,533 /
// 10,372 / 14,237 ops/s, server 72.9 / 51.4 / 71.4 / 48.6 µs/op; 8 devices (`--runs=3`) 16,327 /
// 25,173 / 21,401 / 26,966; 64 devices 16,419 / 27,669 / 20,896 / 30,045.
//
// Before (2026-12-04 14:58 UTC, load 2.6 → 1.5, `--runs=3`, d055895: every call on the call worker,
// sync-server/src/call_worker.h): push 1 / 8 / 64 devices 10,703 / 21,313 / 23,868 ops/s (×0.54 /
// 1.07 / 1.19 of the goal); 5,100 held, 20,200 wakes, push → notify p99 52.7 ms, RSS peak 105.4 MB;
// PouchDB 10,095 / 14,542 / 14,873 ops/s (Lifebuoy/PouchDB 1.06 / 1.47 / 1.60); bytes per op PouchDB
// 221–226 vs 576–589 (0.37–0.39). The call worker against the binary just before it (a5ac59d), back
// to back, old/new/old/new: push 1 device 10,532 / 11,495 / 11,765 / 10,906, 8 devices 20,757 /
// 21,621 / 21,748 / 20,392; `--parts=idle` p99 43.5 / 38.6 / 37.9 / 33.4 ms — the same within noise
// (the same binary's 1-device median spans 10.5–13.4k across today's runs).
//
// Earlier (2026-12-04 02:10–03:05 UTC, load 1.1–3.3): group commit (c1b4 = c1b468f: a store thread
// stores every push queued meanwhile in one transaction, one fsync; the network thread opens,
// parses and seals meanwhile — sync-server/src/push_committer.h) against e436bef (one push per
// transaction on the network thread), each as LB_SERVER_BIN, same session. Accepted ops/s, median
// of 3 runs of 14,000 ops (1 / 8 / 64 devices), goal ≥ 20,000:
//   disk,  `--runs=3 --parts=push`, back to back:  e436bef 10,661 / 11,419 / 11,243
//                                                  c1b4    12,578 / 20,350 / 23,598 (×1.18 / 1.78 / 2.10)
//   disk,  `--runs=3` (all parts), c1b4:           12,801 / 23,422 / 26,242 (×0.64 / 1.17 / 1.31 of goal)
//   tmpfs, `--runs=3 --parts=push --data-parent=/dev/shm`:
//                                                  e436bef 17,530 / 20,482 / 19,502
//                                                  c1b4    16,881 / 31,556 / 31,912 (×0.96 / 1.54 / 1.64)
// With 8 and 64 devices the server now uses 1.25–1.5 cores (it was ≤ 1): the envelope and JSON on
// one thread, SQLite on the other, and one fsync per group. One device gains nothing from grouping
// (it has one push in flight): ×0.64 of the goal on disk, ×0.84 on tmpfs. Same all-parts run: 5,000
// guests + 100 technicians held, 200 replies → 20,200 wakes, none missed, push → notify p99 34.6 ms
// (goal ≤ 100), server RSS peak 103.9 MB (goal ≤ 300); PouchDB → express-pouchdb 12,371 / 18,140 /
// 16,558 ops/s: Lifebuoy/PouchDB 1.03 / 1.29 / 1.58 (goal ≥ 10: not met), bytes per op PouchDB
// 221–226 vs Lifebuoy 576–589 (PouchDB/Lifebuoy 0.37–0.39, goal ≥ 3: not met).
//
// Run of part 1 (2026-12-03 23:28–23:31 UTC, load 1.3–2.0): main's 492a810 binary (before)
// and b3dbf7b–f2c2e08 (after: time-ordered op/batch/entity ids, a buffered SystemRandom, op inserts
// without RETURNING, envelope counters flushed with the push), each passed as LB_SERVER_BIN to
// `node bench/sync_load_bench.mjs --runs=3 --parts=push` (devices making time-ordered ids, as the
// engine now does, for both), then the same with --data-parent=/dev/shm. Accepted ops/s, median of
// 3 runs of 14,000 ops, goal ≥ 20,000; server CPU µs per op in brackets:
//      devices   disk (/tmp, ext4)                          tmpfs (/dev/shm)
//            1   5,019 (120) → 13,725 (51)  ×0.69 of goal      8,775 (108) → 18,442 (49)  ×0.92
//            8   5,643 (121) → 16,210 (51)  ×0.81              9,702 (103) → 20,704 (47)  ×1.04
//           64   5,634 (121) → 15,948 (52)  ×0.80              9,802 (101) → 19,880 (49)  ×0.99
//   What each step gave (tmpfs, 8 devices, one run of 3 each, noisy): random ids on both sides 7,724;
//   devices' ids time-ordered 9,112; the server's too 9,314–13,878 (WAL frames 22 % → 8 % of the
//   server's CPU, the automatic checkpoint from 15 % to out of the profile); SystemRandom buffered
//   and no RETURNING (each insert had opened a statement journal: subjournal copies and savepoint
//   bookkeeping ~15 %) 20,298. On disk the server now waits for one fsync per push (the envelope
//   counter's commit no longer flushes on its own) and is ~80 % busy; what is left of its CPU
//   (perf, tmpfs): the server's own triage ops ~27 % (inserting them 24 %), the device's ops'
//   inserts ~10 %, encode_op (the stored canonical JSON) 10 %, the push JSON and envelope ~12 %,
//   malloc ~12 % across all. Tried and not kept: wal_autocheckpoint 8,000 (no gain beyond noise).
//
// Then e436bef (encode_op writing canonical JSON directly instead of through nlohmann::json, 11 %
// of the server's CPU), same command, the f2c2e08 binary → e436bef's, tmpfs: 16,954 → 18,910 /
// 19,072 → 21,305 / 19,071 → 20,784 ops/s (1 / 8 / 64 devices; 51 → 45 µs/op; ×0.95 / 1.07 / 1.04
// of the goal); on disk with e436bef: 13,560 / 15,142 / 16,162 (×0.68 / 0.76 / 0.81: the fsync per
// push; --io-threads=2 was slower, 10,392 / 13,230 / 13,161, the two threads contend). Left in the
// profile (tmpfs): inserting ops 26 % (the device's and the server's own), the triage's ops 24 %,
// commit (WAL frames) 11 % + checkpoint 6 %, the push JSON 9 %, base64url of the envelope 7.5 %.
//
// All three parts with those changes right after (23:42, load 1.9 → 1.1, `node
// bench/sync_load_bench.mjs --runs=3`, disk): push 13,285 / 13,986 / 14,372 ops/s (1 / 8 / 64
// devices; 58 µs/op); 5,000 guests + 100 technicians held, 200 replies → 20,200 wakes, none missed,
// push → notify p99 30.0 ms (×0.30 of the 100 ms goal), server RSS peak 103.6 MB (×0.35 of 300 MB;
// the 64 MiB page cache filled by part 1 included); PouchDB → express-pouchdb 12,127 / 23,134 /
// 16,362 ops/s: Lifebuoy/PouchDB 1.10 / 0.60 / 0.88 (goal ≥ 10: not met), bytes per op 221–226 vs
// 576–589 (PouchDB/Lifebuoy 0.37–0.39, goal ≥ 3: not met).
//
// The run before those changes (2026-12-03 17:18–17:20 UTC, 2 × AMD EPYC VM shared with another session,
// load 1.1–1.3; branch push-speed: one transaction per push with a savepoint per batch,
// temp_store=MEMORY, 64 MiB page cache), each right after the same command with the binary before
// those changes (main's 9d063bd, copied and passed as LB_SERVER_BIN): `LB_BUILD_DIR=build/release
// node bench/sync_load_bench.mjs --runs=3 --parts=push`, then the same with --data-parent=/dev/shm:
//   1. accepted ops/s, median of 3 runs of 14,000 ops (2,000 tickets, 16 per push), goal ≥ 20,000;
//      before → after, server CPU µs per op in brackets:
//      devices   disk (/tmp, ext4)                        tmpfs (/dev/shm)
//            1   3,472 (179) → 3,672 (168)  ×0.18          6,139 (153) → 6,678 (141)  ×0.33
//            8   3,674 (176) → 3,779 (179)  ×0.19          6,959 (144) → 6,991 (142)  ×0.35
//           64   3,441 (191) → 3,772 (185)  ×0.19          6,224 (160) → 6,832 (146)  ×0.34
//      Earlier the same session, under load 3–6 (the other session building), two passes of the
//      same pair, medians of 6 runs: disk 2,199 → 3,384 / 2,506 → 3,248 / 1,717 → 3,358 (×1.3–2.0:
//      a busy disk makes each fsync slow, and a push now waits for 2 — the envelope counter's and
//      the push's — instead of 17); tmpfs 6,006 → 5,741 / 6,002 → 4,518 / 4,944 → 4,618 (noise:
//      the server got 59–100 % of a core). Server RSS after a run: 14 MB → 78 MB (the page cache).
//      So on a quiet disk the per-batch fsyncs were not what bounded the server: it is CPU-bound
//      on its one io thread (~65 % busy on disk, waiting for its fsyncs and the client the rest),
//      ~140–185 µs of CPU per op before and after; the goal needs ~50. Where it goes (perf, tmpfs,
//      1 device, DWARF call graphs, inclusive): the batches 40 % — inserting ops, the device's and
//      the server's own (number, priority, due dates, assignment, rule comments), 26 %, of which
//      savepoint journals 8 %; triage 24 %, mostly its own ops' inserts —, COMMIT writing WAL
//      frames 22 %, SQLite's automatic checkpoint inside that COMMIT 18 % (both ∝ pages dirtied:
//      the op-id, entity and ticket indexes take random ids, so each op dirties index leaves of
//      its own), envelope open and seal 6 %, the push's JSON ~4 %. Tried and not kept: the
//      checkpoint on a thread of its own (no clear gain, worse p95 on disk); no savepoints
//      (~10 % faster on tmpfs at 8 devices, but the savepoint is what keeps a batch atomic). The
//      client is not the bottleneck (5–8 % of a core).
// Parts 2 and 3 last ran before these changes (2026-12-03, load 0.0 → 0.8, the build/release binary
// of 2026-12-02 22:44; `node bench/sync_load_bench.mjs --runs=3`, then `… --runs=3
// --parts=push,pouch --data-parent=/dev/shm`), when part 1 gave 2,271 / 2,361 / 2,409 ops/s on
// disk and 6,723 / 7,150 / 5,843 on tmpfs for 1 / 8 / 64 devices:
//   2. 5,000 guests enrolled in 7.9 s (631/s; 20–57 s under load earlier), first pull 2.8 s; all
//      5,100 held (lifebuoy_live_waiters 5,100 before and after); 200 replies → 200 guest wakes
//      (none missed) and 20,000 technician wakes: push → notify answer p50 4.1 / p99 43.4 ms
//      (guests), p50 9.5 / p99 60.6 ms (technicians), all p99 60.6 ms = ×0.61 of the 100 ms goal;
//      the push's own answer p50 3.6 ms. Server RSS 7.6 MB idle, 35.7 MB with 5,100 held, peak
//      36.8 MB (×0.12 of the 300 MB goal). With the arming all at once (a first version) the
//      5,000 timeouts came in one burst and pushes waited behind it: push answers p50 1.3 s.
//   3. PouchDB → express-pouchdb (memory), same tickets, ops/s: 11,351 / 17,856 / 15,792 for
//      1 / 8 / 64 devices; Lifebuoy/PouchDB 0.20 / 0.13 / 0.15 on disk, 0.53 / 0.36 / 0.36 on
//      tmpfs (goal ≥ 10: not met). Bytes on the wire per op: PouchDB 222–228, Lifebuoy 576–589
//      (PouchDB/Lifebuoy 0.38–0.39; goal ≥ 3: not met — Lifebuoy sends 2.6× more). Of Lifebuoy's
//      ~580 B/op, 339 are the push JSON (every op repeats op_id, hlc, node, entity, entity_id,
//      field; PouchDB sends the fields once per document), ×4/3 for the envelope's base64url,
//      plus a per-op answer (op_id, status, seq); PouchDB's answers are gzipped.
import { execFile, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { fmt, listArg, median, numberArg, pct } from './browser_bench/node_support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const RUNS = numberArg('runs', 5), OPS_PER_RUN = numberArg('ops-per-run', 14000), TICKETS_PER_PUSH = numberArg('tickets-per-push', 16);
const DEVICES_LIST = listArg('devices-list', ['1', '8', '64']).map(Number);
const IDLE = numberArg('idle', 5000), TECHNICIANS = numberArg('technicians', 100), WAKE_PUSHES = numberArg('wake-pushes', 200);
const WAKE_INTERVAL_MS = numberArg('wake-interval-ms', 100), IO_THREADS = numberArg('io-threads', 1);
const PARTS = listArg('parts', ['push', 'pouch', 'idle']);  // pouch runs inside push's runs
const PUSH_VERSION = numberArg('push-version', 2);  // 2: batches in the shared form (devices); 1: in full
// Where the data folder lives: the default temp folder (disk); /dev/shm (tmpfs) shows what the
// server does when fsync costs nothing.
const DATA_PARENT = (process.argv.find((a) => a.startsWith('--data-parent=')) || '').slice(14) || os.tmpdir();
const PUSHERS = 8;  // technician devices posting the replies (a device has one call in flight)
const GOAL_OPS = 20000, GOAL_P99_MS = 100, GOAL_RSS_MB = 300;
const OPS_PER_TICKET = 7;
const build = path.resolve(process.env.LB_BUILD_DIR || path.join(root, 'build', 'release'));
const serverBinBuilt = process.env.LB_SERVER_BIN || path.join(build, 'sync-server', 'lifebuoy-server');
const dataDir = process.env.LB_SHARED_DATA_DIR || path.resolve(root, '..', 'shared', 'data');
const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stderr.write(line + '\n');

// [SECTION] tickets from the shared data set
const tickets = fs.readFileSync(path.join(dataDir, 'tickets.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
  .map((l) => JSON.parse(l)).filter((t) => (t.body || '').trim())
  .map((t) => ({
    title: (t.title || '').trim() || t.body.trim().split(/\s+/).slice(0, 8).join(' '),
    description: t.body.trim(),
    urgency: t.urgency <= 1 ? 'high' : t.urgency === 2 ? 'medium' : 'low',
  }));
let nextTicket = 0;
const takeTicket = () => tickets[nextTicket++ % tickets.length];

// [SECTION] the server: private binary copy, data folder with invites, config
const work = fs.mkdtempSync(path.join(DATA_PARENT, 'lifebuoy-sync-load-'));
const serverBin = path.join(work, 'lifebuoy-server');
fs.copyFileSync(serverBinBuilt, serverBin);
fs.chmodSync(serverBin, 0o755);
const serverData = path.join(work, 'data');
process.env.LB_SERVER_BIN = serverBin;  // read by support.mjs when imported
const { startServer } = await import('../tests/integration/support.mjs');
const { Device, Wire } = await import('./sync_load/device.mjs');
const example = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'config', 'server.example.json'), 'utf8'));
// Only settings this binary knows (the example may be newer than the build); rate limits out of
// reach (the load is the point): 1,000,000, the most server_config accepts.
const binaryText = fs.readFileSync(serverBin).toString('latin1');
const config = {};
for (const [k, v] of Object.entries(example)) {
  if (['host', 'port', 'data_dir', 'web_root'].includes(k) || !binaryText.includes(k)) continue;
  config[k] = k.startsWith('rate_limit') && typeof v === 'number' ? 1000000 : v;
}
// Guests on loopback: "default" allows them only on a first start's demo; invites made the database.
Object.assign(config, { io_threads: IO_THREADS, max_connections: 20000, guest_enrolment: 'loopback' });

async function invites(role, count, prefix) {
  const codes = [];
  const one = async (i) => {
    const { stdout } = await execFileP(serverBin, ['invite', '--role', role, '--name', `${prefix} ${i}`, '--data-dir', serverData]);
    codes[i] = stdout.match(/code: (\S+)/)[1];
  };
  // Two at a time, but the first alone: it creates the database (two creating it at once collide).
  let i = 0;
  if (!fs.existsSync(serverData) && count) await one(i++);
  for (; i < count; i += 2) await Promise.all([one(i), ...(i + 1 < count ? [one(i + 1)] : [])]);
  return codes;
}

function procStat(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuS: (Number(f[11]) + Number(f[12])) / 100 };  // utime + stime, clock ticks (100 Hz)
}
function procMemMB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number((status.match(new RegExp(`${name}:\\s+(\\d+)`)) || [])[1]) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), threads: Number((status.match(/Threads:\s+(\d+)/) || [])[1]) };
}

const maxDevices = Math.max(...DEVICES_LIST);
const loadBefore = os.loadavg();
const tInv = performance.now();
const requesterCodes = PARTS.includes('push') ? await invites('requester', maxDevices, 'Requester') : [];
const techCodes = PARTS.includes('idle') ? await invites('technician', TECHNICIANS + PUSHERS, 'Technician') : [];
const invitesS = (performance.now() - tInv) / 1000;
log(`invites: ${requesterCodes.length + techCodes.length} in ${invitesS.toFixed(1)} s`);

const server = await startServer({ dataDir: serverData, config });  // tests/integration/support.mjs, on the copy
const url = server.url;
const stopServer = () => server.kill('SIGTERM');
process.on('exit', () => { try { process.kill(server.pid, 'SIGKILL'); } catch { /* gone */ } fs.rmSync(work, { recursive: true, force: true }); });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));  // runs the 'exit' cleanup

const wire = new Wire(url);
const info = JSON.parse((await wire.request('GET', '/api/v1/info')).text);
const serverKey = info.server_key;
const maxWaitS = (info.limits && info.limits.max_long_poll_seconds) || config.max_long_poll_seconds;
const memAtStart = procMemMB(server.pid);
log(`server ${info.version} at ${url}, pid ${server.pid}, RSS ${memAtStart.rss.toFixed(1)} MB, long-poll max ${maxWaitS} s`);

async function metric(name) {
  const text = (await wire.request('GET', '/metrics')).text;
  const m = text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm'));
  return m ? Number(m[1]) : NaN;
}

// Runs `fn` over `items` with at most `limit` in flight.
async function pool(items, limit, fn) {
  let i = 0;
  const worker = async () => { while (i < items.length) { const k = i++; await fn(items[k], k); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const results = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0].model,
  memGiB: os.totalmem() / 2 ** 30, node: process.version }, server: { version: info.version, config }, invitesS, dataParent: DATA_PARENT };

// [SECTION] 1. push throughput
const devices = [];
if (PARTS.includes('push')) {
  await pool(requesterCodes, 16, async (code, i) => {
    const d = await new Device(wire, serverKey).enrol({ invite: code, display_name: `Requester ${i}` });
    const k = await d.uploadUserKey();
    if (k.status !== 200) throw new Error(`keys upload failed ${k.status}: ${k.text}`);
    devices[i] = d;
  });

  // The outbox of one run: ceil(ops / 7) tickets, in pushes of TICKETS_PER_PUSH, dealt round-robin.
  function prepare(n, totalOps) {
    const t0 = performance.now();
    const ticketsN = Math.ceil(totalOps / OPS_PER_TICKET);
    const outbox = Array.from({ length: n }, () => []);
    let made = 0, bodyBytes = 0, p = 0;
    while (made < ticketsN) {
      const d = devices[p % n];
      const count = Math.min(TICKETS_PER_PUSH, ticketsN - made);
      const batches = Array.from({ length: count }, () => d.newTicket(takeTicket()).batch);
      const body = Device.pushBody(batches, PUSH_VERSION);
      bodyBytes += Buffer.byteLength(body);
      outbox[p % n].push({ body, ops: count * OPS_PER_TICKET });
      made += count;
      p++;
    }
    return { outbox, ops: ticketsN * OPS_PER_TICKET, pushes: p, prepareMs: performance.now() - t0, bodyBytes };
  }

  async function run(n, totalOps) {
    const { outbox, ops, pushes, prepareMs, bodyBytes } = prepare(n, totalOps);
    const latencies = [];
    let accepted = 0, rejected = 0, duplicate = 0, failed = 0, tooMany = 0;
    const firstError = [];
    const cpu0 = procStat(server.pid).cpuS, client0 = process.cpuUsage(), bytes0 = wire.bytes();
    const t0 = performance.now();
    await Promise.all(outbox.map(async (queue, i) => {
      for (const item of queue) {
        const s = performance.now();
        const r = await devices[i].push(item.body);
        latencies.push(performance.now() - s);
        if (r.status !== 200) {
          failed += item.ops;
          if (r.status === 429) tooMany++;
          if (!firstError.length) firstError.push(`${r.status} ${r.text.slice(0, 200)}`);
          continue;
        }
        // The seqs form (Device.pushBody): a batch's ops share its status here — each batch is a
        // new ticket, or all of it known again after a retried call.
        for (const b of r.json.results) {
          if (b.status === 'rejected' && !firstError.length) firstError.push(JSON.stringify(b.error));
          const n = b.seqs ? b.seqs.length : OPS_PER_TICKET;
          if (b.status === 'accepted') accepted += n;
          else if (b.status === 'duplicate') duplicate += n;
          else rejected += n;
        }
      }
    }));
    const wallS = (performance.now() - t0) / 1000;
    const serverCpuS = procStat(server.pid).cpuS - cpu0;
    const c = process.cpuUsage(client0);
    const clientCpuS = (c.user + c.system) / 1e6;
    return { devices: n, ops, pushes, accepted, rejected, duplicate, failed, tooMany, firstError: firstError[0],
      wallS, opsPerS: accepted / wallS, serverCpuPct: (100 * serverCpuS) / wallS, clientCpuPct: (100 * clientCpuS) / wallS,
      serverCpuUsPerOp: (serverCpuS * 1e6) / Math.max(1, accepted), wireBytesPerOp: (wire.bytes() - bytes0) / ops,
      pushBodyBytesPerOp: bodyBytes / ops, prepareUsPerTicket: (prepareMs * 1000 * OPS_PER_TICKET) / ops,
      pushP50Ms: pct(latencies, 0.5), pushP95Ms: pct(latencies, 0.95) };
  }

  // [SECTION] 3. the peer: the same tickets as PouchDB documents, replicated to express-pouchdb
  // One document per ticket holding the create_ticket batch's field values as they are (sealed
  // text included: the same payload); one in-memory PouchDB per device, filled before timing;
  // timed: every device's one-shot replicate(local → remote) at once, batch_size = tickets per push.
  let pouch = null;
  if (PARTS.includes('pouch')) {
    const require = createRequire(path.join(root, 'package.json'));
    const PouchDB = require('pouchdb-core').plugin(require('pouchdb-adapter-memory')).plugin(require('pouchdb-adapter-http'))
      .plugin(require('pouchdb-replication'));
    const child = fork(path.join(here, 'sync_load', 'pouch_server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise((resolve) => child.once('message', (m) => resolve(m.port)));
    const stats = () => new Promise((resolve) => { child.once('message', (m) => resolve(m)); child.send('stats'); });
    let dbSeq = 0;
    pouch = { child, PouchDB, remote: `http://127.0.0.1:${port}/helpdesk`, stats, version: require('pouchdb-core/package.json').version,
      serverVersion: require('express-pouchdb/package.json').version, newLocal: () => new PouchDB(`device_${dbSeq++}`, { adapter: 'memory' }) };
    process.on('exit', () => { try { child.kill('SIGKILL'); } catch { /* gone */ } });
  }
  async function pouchRun(n, totalOps) {
    const ticketsN = Math.ceil(totalOps / OPS_PER_TICKET);
    const locals = Array.from({ length: n }, () => pouch.newLocal());
    const docs = Array.from({ length: n }, () => []);
    for (let t = 0; t < ticketsN; t++) {
      const d = devices[t % n];
      const made = d.newTicket(takeTicket());
      docs[t % n].push({ _id: made.ticketId, type: 'ticket', ...Object.fromEntries(made.batch.ops.map((o) => [o.field, o.value])) });
    }
    await Promise.all(locals.map((db, i) => db.bulkDocs(docs[i])));
    const cpu0 = procStat(pouch.child.pid).cpuS, client0 = process.cpuUsage(), bytes0 = (await pouch.stats()).bytes;
    const t0 = performance.now();
    const written = await Promise.all(locals.map((db) => pouch.PouchDB.replicate(db, pouch.remote, { batch_size: TICKETS_PER_PUSH })
      .then((r) => r.docs_written)));
    const wallS = (performance.now() - t0) / 1000;
    const serverCpuS = procStat(pouch.child.pid).cpuS - cpu0;
    const c = process.cpuUsage(client0);
    const bytes = (await pouch.stats()).bytes - bytes0;
    await Promise.all(locals.map((db) => db.destroy()));
    const ops = written.reduce((a, b) => a + b, 0) * OPS_PER_TICKET;
    return { devices: n, ops, wallS, opsPerS: ops / wallS, serverCpuPct: (100 * serverCpuS) / wallS,
      clientCpuPct: (100 * (c.user + c.system) / 1e6) / wallS, wireBytesPerOp: bytes / ops };
  }

  log('push: warm-up run (64 devices or the most listed, 1/4 of a run)');
  await run(maxDevices, Math.ceil(OPS_PER_RUN / 4));
  if (pouch) await pouchRun(maxDevices, Math.ceil(OPS_PER_RUN / 4));
  const runs = Object.fromEntries(DEVICES_LIST.map((n) => [n, []]));
  const pouchRuns = Object.fromEntries(DEVICES_LIST.map((n) => [n, []]));
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 ? [...DEVICES_LIST].reverse() : DEVICES_LIST;
    for (const n of order) {
      const x = await run(n, OPS_PER_RUN);
      runs[n].push(x);
      log(`  run ${r + 1}, ${n} device(s): ${x.accepted} accepted in ${x.wallS.toFixed(2)} s = ${x.opsPerS.toFixed(0)} ops/s; ` +
        `server CPU ${x.serverCpuPct.toFixed(0)} %, client CPU ${x.clientCpuPct.toFixed(0)} %` +
        (x.failed || x.rejected ? `; failed ${x.failed}, rejected ${x.rejected}: ${x.firstError}` : ''));
      if (pouch) {
        const y = await pouchRun(n, OPS_PER_RUN);
        pouchRuns[n].push(y);
        log(`           PouchDB: ${y.ops} ops in ${y.wallS.toFixed(2)} s = ${y.opsPerS.toFixed(0)} ops/s; ` +
          `server CPU ${y.serverCpuPct.toFixed(0)} %, client CPU ${y.clientCpuPct.toFixed(0)} %, ${y.wireBytesPerOp.toFixed(0)} B/op`);
      }
    }
  }
  const med = (xs, k) => median(xs.map((x) => x[k]));
  results.push = { opsPerRun: OPS_PER_RUN, ticketsPerPush: TICKETS_PER_PUSH, opsPerTicket: OPS_PER_TICKET, runs: RUNS,
    byDevices: DEVICES_LIST.map((n) => ({ devices: n, medianOpsPerS: med(runs[n], 'opsPerS'), p95Low: pct(runs[n].map((x) => x.opsPerS), 0.05),
      min: Math.min(...runs[n].map((x) => x.opsPerS)), max: Math.max(...runs[n].map((x) => x.opsPerS)),
      ratioToGoal: med(runs[n], 'opsPerS') / GOAL_OPS, serverCpuPct: med(runs[n], 'serverCpuPct'),
      clientCpuPct: med(runs[n], 'clientCpuPct'), serverCpuUsPerOp: med(runs[n], 'serverCpuUsPerOp'),
      wireBytesPerOp: med(runs[n], 'wireBytesPerOp'), pushBodyBytesPerOp: med(runs[n], 'pushBodyBytesPerOp'),
      prepareUsPerTicket: med(runs[n], 'prepareUsPerTicket'), pushP50Ms: med(runs[n], 'pushP50Ms'), pushP95Ms: pct(runs[n].map((x) => x.pushP95Ms), 0.95),
      notAccepted: runs[n].reduce((a, x) => a + x.failed + x.rejected + x.duplicate, 0), runs: runs[n] })) };
  results.push.serverMemAfter = procMemMB(server.pid);
  results.push.retriedCalls = wire.retries;
  if (pouch) {
    results.pouch = { pouchdb: pouch.version, expressPouchdb: pouch.serverVersion, adapter: 'memory (memdown)', batchSize: TICKETS_PER_PUSH,
      byDevices: DEVICES_LIST.map((n) => {
        const lb = results.push.byDevices.find((x) => x.devices === n);
        const y = { devices: n, medianOpsPerS: med(pouchRuns[n], 'opsPerS'), serverCpuPct: med(pouchRuns[n], 'serverCpuPct'),
          clientCpuPct: med(pouchRuns[n], 'clientCpuPct'), wireBytesPerOp: med(pouchRuns[n], 'wireBytesPerOp'), runs: pouchRuns[n] };
        y.speedRatio = lb.medianOpsPerS / y.medianOpsPerS;  // Lifebuoy ÷ PouchDB (goal ≥ 10)
        y.bytesRatio = y.wireBytesPerOp / lb.wireBytesPerOp;  // PouchDB ÷ Lifebuoy (goal ≥ 3)
        return y;
      }) };
    pouch.child.disconnect();
  }
}

// [SECTION] 2. idle devices on the notify long-poll
if (PARTS.includes('idle')) {
  const pushers = [];
  await pool(techCodes.slice(TECHNICIANS), 8, async (code, i) => {
    pushers[i] = await new Device(wire, serverKey).enrol({ invite: code, display_name: `Replying technician ${i}` });
  });
  const techs = [];
  await pool(techCodes.slice(0, TECHNICIANS), 16, async (code, i) => {
    techs[i] = await new Device(wire, serverKey).enrol({ invite: code, display_name: `Technician ${i}` });
  });
  const tEnrol = performance.now();
  const guests = [];
  let enrolFailures = 0;
  await pool(Array.from({ length: IDLE }), 64, async (_, i) => {
    for (let attempt = 0; attempt < 3 && !guests[i]; attempt++) {
      try { guests[i] = await new Device(wire, serverKey).enrol({ guest: true, display_name: `Guest ${i}` }); } catch (e) {
        enrolFailures++;
        if (attempt === 2) throw e;
      }
    }
  });
  const enrolS = (performance.now() - tEnrol) / 1000;
  log(`idle: ${IDLE} guests enrolled in ${enrolS.toFixed(1)} s (${(IDLE / enrolS).toFixed(0)}/s, 64 in flight), ${TECHNICIANS} technicians`);

  // The guests a reply will wake file a ticket each first; their cursor is what they pulled.
  const targets = guests.slice(0, WAKE_PUSHES);
  await pool(targets, 16, async (g) => {
    const t = g.newTicket(takeTicket());
    const r = await g.push(Device.pushBody([t.batch]));
    if (r.status !== 200 || r.json.results[0].status !== 'accepted') throw new Error(`guest ticket refused: ${r.text.slice(0, 300)}`);
    g.ticket = t;
  });
  const pullAll = async (d) => {  // from the device's cursor to the end
    let cursor = d.cursor || 0;
    for (;;) {
      const r = await d.pull(cursor);
      if (r.status !== 200) throw new Error(`pull failed ${r.status}: ${r.text}`);
      cursor = r.json.cursor;
      if (!r.json.more) return cursor;
    }
  };
  // Every waiting device starts from what it has pulled (as after a sync round): each guest pulls
  // its own; the technicians see every op (the whole history of part 1), so one of them pulls
  // and all start from its cursor.
  const tPull = performance.now();
  await pool(guests, 64, async (d) => { d.cursor = await pullAll(d); });
  const pullS = (performance.now() - tPull) / 1000;
  const techCursor = await pullAll(pushers[0]);
  for (const t of techs) t.cursor = techCursor;
  log(`  first pull of ${guests.length} guests: ${pullS.toFixed(1)} s`);

  // Every waiting device: notify → (answered) record → re-arm, until stopped.
  const waiters = [...guests.map((d) => ({ d, kind: 'guest' })), ...techs.map((d) => ({ d, kind: 'technician' }))];
  let stopping = false, armErrors = 0, timeouts = 0;
  const wakes = [];  // {w, at}
  const loops = waiters.map(async (w, i) => {
    // Armed evenly over one long-poll period: the steady state of devices that came online at
    // random times (all armed at once would time out at once, a burst no real fleet makes).
    await sleep((i / waiters.length) * maxWaitS * 1000);
    while (!stopping) {
      let r;
      try { r = await w.d.notify(w.d.cursor, maxWaitS); } catch { if (!stopping) armErrors++; await sleep(100); continue; }
      if (stopping) return;
      if (r.status !== 200) { armErrors++; if (armErrors < 3) log(`  notify ${r.status}: ${r.text.slice(0, 200)}`); await sleep(100); continue; }
      if (!r.json.changed) { timeouts++; continue; }
      // Woken: as a device does, pull what changed, then wait again from there.
      wakes.push({ w, at: performance.now() });
      try { w.d.cursor = await pullAll(w.d); } catch { if (!stopping) armErrors++; }
    }
  });
  const want = waiters.length;
  let held = 0;
  for (let i = 0; i < 5 * (maxWaitS + 20); i++) {
    await sleep(200);
    held = await metric('lifebuoy_live_waiters');
    if (held >= want) break;
  }
  await sleep(1000);
  const earlyWakes = wakes.length;
  wakes.length = 0;
  held = await metric('lifebuoy_live_waiters');
  const memHeld = procMemMB(server.pid);
  log(`  held: ${held} of ${want} waiting; server RSS ${memHeld.rss.toFixed(1)} MB (peak ${memHeld.hwm.toFixed(1)}), ${earlyWakes} wakes while arming`);

  // The replies: one every WAKE_INTERVAL_MS, each on the next target's ticket.
  const pushes = [];
  const cpu0 = procStat(server.pid).cpuS;
  const tWake = performance.now();
  for (let k = 0; k < targets.length; k++) {
    const g = targets[k];
    const body = Device.pushBody([pushers[k % PUSHERS].comment(g.ticket.ticketId, g.ticket.key, `Reply ${k}: ${takeTicket().description.slice(0, 120)}`)]);
    const replier = pushers[k % PUSHERS];
    await replier.busy;  // one call in flight per device (envelope counters rise in order)
    const at = performance.now();
    const p = { k, at, guest: g };
    pushes.push(p);
    replier.busy = replier.push(body).then((r) => {
      p.answeredMs = performance.now() - at;
      if (r.status !== 200 || r.json.results[0].status !== 'accepted') p.error = r.text.slice(0, 300);
    });
    await sleep(Math.max(0, at + WAKE_INTERVAL_MS - performance.now()));
  }
  await sleep(2000);
  const wakeCpuS = procStat(server.pid).cpuS - cpu0;
  const wakeWallS = (performance.now() - tWake) / 1000;
  const memAfter = procMemMB(server.pid);
  const heldAfter = await metric('lifebuoy_live_waiters');
  stopping = true;

  // Attribution: a target guest's wake to its own push; a technician's to the latest push before it.
  const guestLat = [], techLat = [];
  let strayGuestWakes = 0;
  const byGuest = new Map(pushes.map((p) => [p.guest, p]));
  for (const { w, at } of wakes) {
    if (w.kind === 'guest') {
      const p = byGuest.get(w.d);
      if (p && at >= p.at && p.woken === undefined) { p.woken = at - p.at; guestLat.push(p.woken); } else strayGuestWakes++;
    } else {
      let p = null;
      for (const q of pushes) if (q.at <= at) p = q;
      if (p) techLat.push(at - p.at);
    }
  }
  const missed = pushes.filter((p) => p.woken === undefined).length;
  const pushErrors = pushes.filter((p) => p.error);
  if (pushErrors.length) log(`  ${pushErrors.length} reply pushes failed: ${pushErrors[0].error}`);
  const dist = (xs) => ({ n: xs.length, p50: pct(xs, 0.5), p95: pct(xs, 0.95), p99: pct(xs, 0.99), max: pct(xs, 1) });
  results.idle = { guests: IDLE, technicians: TECHNICIANS, replyingTechnicians: PUSHERS, enrolS, pullS, enrolPerS: IDLE / enrolS, enrolConcurrency: 64, enrolFailures,
    held, heldAfter, wanted: want, maxWaitS, wakePushes: WAKE_PUSHES, wakeIntervalMs: WAKE_INTERVAL_MS,
    guestWake: dist(guestLat), technicianWake: dist(techLat), allWake: dist([...guestLat, ...techLat]),
    expectedTechWakes: WAKE_PUSHES * TECHNICIANS, missedGuestWakes: missed, strayGuestWakes, earlyWakes, timeouts, armErrors,
    pushAnswer: dist(pushes.map((p) => p.answeredMs).filter(Number.isFinite)), pushErrors: pushErrors.length,
    serverCpuPctDuringWakes: (100 * wakeCpuS) / wakeWallS,
    rssMB: { start: memAtStart.rss, held: memHeld.rss, afterWakes: memAfter.rss, peak: memAfter.hwm }, serverThreads: memHeld.threads,
    ratioP99ToGoal: pct([...guestLat, ...techLat], 0.99) / GOAL_P99_MS, ratioRssToGoal: memAfter.hwm / GOAL_RSS_MB };
  await stopServer();
  wire.close();
  await Promise.allSettled(loops);
} else {
  await stopServer();
  wire.close();
}

// [SECTION] report
results.loadAverage = { before: loadBefore, after: os.loadavg() };
const out = [];
out.push(`sync_load_bench — lifebuoy-server ${info.version} on loopback, io_threads ${IO_THREADS}, data folder in ${DATA_PARENT}; ` +
  `${os.cpus().length} × ${os.cpus()[0].model}; ` +
  `load ${loadBefore[0].toFixed(2)} → ${os.loadavg()[0].toFixed(2)}; node ${process.version}`);
if (results.push) {
  const p = results.push;
  out.push('', `1. push throughput, sealed envelopes + sealed content; push version ${PUSH_VERSION}; ${p.opsPerRun} ops per run (${p.opsPerTicket}-op create_ticket batches, ` +
    `${p.ticketsPerPush} per push), median of ${p.runs} runs; goal ≥ ${GOAL_OPS} accepted ops/s`);
  out.push('  devices   ops/s median   min–max          ×goal   push p50/p95 ms   server CPU   client CPU   server µs/op   wire B/op');
  for (const x of p.byDevices) {
    out.push(`  ${String(x.devices).padStart(7)}   ${fmt(x.medianOpsPerS, 0).padStart(12)}   ${`${fmt(x.min, 0)}–${fmt(x.max, 0)}`.padEnd(15)}  ` +
      `${fmt(x.ratioToGoal, 2).padStart(5)}   ${`${fmt(x.pushP50Ms, 1)}/${fmt(x.pushP95Ms, 1)}`.padStart(15)}   ${fmt(x.serverCpuPct, 0).padStart(8)} %  ` +
      `${fmt(x.clientCpuPct, 0).padStart(9)} %   ${fmt(x.serverCpuUsPerOp, 1).padStart(12)}   ${fmt(x.wireBytesPerOp, 0).padStart(9)}` +
      (x.notAccepted ? `   (${x.notAccepted} not accepted)` : ''));
  }
  out.push(`  client sealing before timing: ${fmt(median(p.byDevices.map((x) => x.prepareUsPerTicket)), 0)} µs per ticket (2 content fields + requester_key); ` +
    `server RSS after: ${fmt(p.serverMemAfter.rss, 1)} MB`);
  out.push(`  of the wire bytes per op: ${fmt(median(p.byDevices.map((x) => x.pushBodyBytesPerOp)), 0)} B are the push's JSON before sealing ` +
    `(sent as the envelope's raw bytes: +106 B per call; the rest: the answer — each batch's seqs — and HTTP headers); ` +
    `calls retried on a reset socket: ${p.retriedCalls}`);
}
if (results.idle) {
  const x = results.idle;
  out.push('', `2. ${x.guests} idle guests + ${x.technicians} technicians on POST /api/v1/notify (wait ${x.maxWaitS} s); ` +
    `${x.wakePushes} technician replies, one per ${x.wakeIntervalMs} ms, each waking its guest + every technician`);
  out.push(`  enrolment: ${x.guests} guests in ${fmt(x.enrolS, 1)} s (${fmt(x.enrolPerS, 0)}/s, ${x.enrolConcurrency} in flight); ` +
    `held: ${x.held} of ${x.wanted} (lifebuoy_live_waiters), ${x.heldAfter} after the replies`);
  const row = (name, d) => `  ${name.padEnd(22)} n=${String(d.n).padStart(6)}  p50 ${fmt(d.p50, 1).padStart(6)}  p95 ${fmt(d.p95, 1).padStart(6)}  ` +
    `p99 ${fmt(d.p99, 1).padStart(6)}  max ${fmt(d.max, 1).padStart(6)} ms`;
  out.push('  push sent → notify answered:');
  out.push(row('woken guest', x.guestWake), row('technicians', x.technicianWake), row('all woken', x.allWake),
    row('(the push\'s own answer)', x.pushAnswer));
  out.push(`  goal p99 ≤ ${GOAL_P99_MS} ms: p99/goal ${fmt(x.ratioP99ToGoal, 2)}; missed guest wakes ${x.missedGuestWakes}, ` +
    `technician wakes ${x.technicianWake.n} of ${x.expectedTechWakes}; server CPU during replies ${fmt(x.serverCpuPctDuringWakes, 0)} %`);
  out.push(`  server RSS: ${fmt(x.rssMB.start, 1)} MB at start, ${fmt(x.rssMB.held, 1)} MB with all held, ${fmt(x.rssMB.afterWakes, 1)} MB after, ` +
    `peak ${fmt(x.rssMB.peak, 1)} MB (goal ≤ ${GOAL_RSS_MB} MB: ×${fmt(x.ratioRssToGoal, 2)})`);
}
if (results.pouch) {
  const q = results.pouch;
  out.push('', `3. the same tickets replicated by PouchDB ${q.pouchdb} (memory) to express-pouchdb ${q.expressPouchdb} (memory), ` +
    `batch_size ${q.batchSize}; goal: Lifebuoy ≥ 10× the ops/s and ≥ 3× fewer bytes`);
  out.push('  devices   PouchDB ops/s   Lifebuoy ops/s   Lifebuoy/PouchDB   PouchDB B/op   Lifebuoy B/op   PouchDB/Lifebuoy bytes   PouchDB server/client CPU');
  for (const y of q.byDevices) {
    const lb = results.push.byDevices.find((x) => x.devices === y.devices);
    out.push(`  ${String(y.devices).padStart(7)}   ${fmt(y.medianOpsPerS, 0).padStart(13)}   ${fmt(lb.medianOpsPerS, 0).padStart(14)}   ` +
      `${fmt(y.speedRatio, 2).padStart(16)}   ${fmt(y.wireBytesPerOp, 0).padStart(12)}   ${fmt(lb.wireBytesPerOp, 0).padStart(13)}   ` +
      `${fmt(y.bytesRatio, 2).padStart(22)}   ${fmt(y.serverCpuPct, 0).padStart(10)} % / ${fmt(y.clientCpuPct, 0)} %`);
  }
}
console.log(out.join('\n'));
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results', 'sync_load.json'), JSON.stringify(results, null, 2));
process.exit(0);
