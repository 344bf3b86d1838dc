// io_counters.js — bench-only prelude of both bench/commit_latency Workers (served by
// bench/commit_latency_bench.mjs, never part of dist/): wraps the methods of
// FileSystemSyncAccessHandle.prototype so every OPFS call either SQLite build makes (Lifebuoy's
// slot VFS, the official opfs-sahpool VFS) is counted and timed. ioSnapshot() returns the totals so
// far; ioDelta(a, b) what happened between two snapshots (per commit, per fill).
'use strict';

const IO_METHODS = ['read', 'write', 'flush', 'truncate', 'getSize'];
const ioTotals = Object.fromEntries(IO_METHODS.map((m) => [m, { calls: 0, ms: 0, bytes: 0 }]));

(function wrapSyncAccessHandle() {
  const proto = self.FileSystemSyncAccessHandle && self.FileSystemSyncAccessHandle.prototype;
  if (!proto || proto.__lbBenchWrapped) return;
  for (const name of IO_METHODS) {
    const original = proto[name];
    proto[name] = function counted(...args) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const total = ioTotals[name];
        total.calls += 1;
        total.ms += performance.now() - t0;
        if ((name === 'read' || name === 'write') && args[0]) total.bytes += args[0].byteLength;
      }
    };
  }
  proto.__lbBenchWrapped = true;
})();

function ioSnapshot() {
  return Object.fromEntries(IO_METHODS.map((m) => [m, { ...ioTotals[m] }]));
}

function ioDelta(before, after) {
  return Object.fromEntries(IO_METHODS.map((m) => [m, {
    calls: after[m].calls - before[m].calls, ms: after[m].ms - before[m].ms, bytes: after[m].bytes - before[m].bytes }]));
}

// ~300 characters of description, different per ticket (the number goes into the text).
function benchDescription(i) {
  const base = `Ticket ${i}: since this morning my laptop drops off the office Wi-Fi every few minutes ` +
    'and the VPN client reconnects each time; Outlook then asks for my password again and Teams calls ' +
    'freeze. Colleagues on the same floor are fine. I restarted twice and forgot the network, no change. ' +
    'Model: ThinkPad T14, Windows 11, dock on desk 4.12.';
  return base.padEnd(300, '.').slice(0, 300);
}
