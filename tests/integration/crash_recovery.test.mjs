// crash_recovery.test.mjs — kill -9 of the real server while devices push, then a restart on the
// same data folder, three times over: every op the server acknowledged is still there, every batch is all or
// nothing, server_seq keeps increasing, and replays of the in-flight batches are deduplicated.
// Not here: client-side crashes (the engine's tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { enrol, startServer, tempDir } from './support.mjs';

test('no acknowledged op is lost across kill -9 and restart, three times over', async () => {
  const root = tempDir();
  const dataDir = join(root, 'data');
  let server = await startServer({ dataDir });
  const tech = await enrol(server, { invite: server.invite });
  const guests = await Promise.all([0, 1, 2, 3].map(() => enrol(server, { guest: true })));

  const acknowledged = new Map();  // op_id → seq
  const sent = [];                 // every batch sent, acknowledged or not
  const tickets = new Map();       // device → its ticket once one was acknowledged
  // Checks the restarted server's log: every acknowledged op there, every batch whole or absent.
  const checkLog = async (round) => {
    const { ops } = await tech.pullAll();
    const present = new Set(ops.map((o) => o.op_id));
    const lost = [...acknowledged.keys()].filter((id) => !present.has(id));
    assert.deepEqual(lost, [], `round ${round}: acknowledged ops lost`);
    for (const { batch } of sent) {
      const n = batch.ops.filter((o) => present.has(o.op_id)).length;
      assert.ok(n === 0 || n === batch.ops.length, `round ${round}: a batch landed half`);
    }
  };
  try {
    for (let round = 1; round <= 3; round++) {
      let stop = false;
      const pusher = async (device) => {
        while (!stop) {
          const ticket = tickets.get(device);
          const batch = ticket ? device.comment(ticket, 'public_reply', 'still broken ' + Date.now())
            : device.newTicket('Crash test ticket');
          sent.push({ device, batch });
          try {
            const r = await device.push(batch);
            if (r.status !== 200) continue;
            const res = r.json.results[0];
            if (res.status === 'accepted' || res.status === 'duplicate') {
              for (const o of res.ops) acknowledged.set(o.op_id, o.seq);
              if (!ticket) tickets.set(device, batch.ops[0].entity_id);
            }
          } catch {
            return;  // the server is gone
          }
        }
      };
      const before = acknowledged.size;
      const pushers = guests.map(pusher);  // four devices at once: the server commits their pushes in groups
      await new Promise((r) => setTimeout(r, 700));
      const killed = await server.kill('SIGKILL');
      stop = true;
      await Promise.all(pushers);
      assert.equal(killed.signal, 'SIGKILL');
      assert.ok(acknowledged.size > before + 20, `round ${round}: only ${acknowledged.size - before} ops acknowledged before the kill`);

      server = await startServer({ dataDir });
      for (const d of [tech, ...guests]) d.server = server;
      await checkLog(round);
    }
    // The devices retry what they never heard back about: the server dedupes, seqs keep growing.
    const top = Math.max(...acknowledged.values());
    for (const { device, batch } of sent.slice(-8)) {
      const r = await device.push(batch);
      assert.equal(r.status, 200);
      const res = r.json.results[0];
      assert.ok(['accepted', 'duplicate'].includes(res.status), JSON.stringify(res));
      for (const o of res.ops) {
        if (acknowledged.has(o.op_id)) assert.equal(o.seq, acknowledged.get(o.op_id));
        else assert.ok(o.seq > top);
      }
    }
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
