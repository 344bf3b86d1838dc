// triage.test.mjs — triage and dispatch in the real binary: a ticket filed offline (its ops stamped
// three hours ago on the device, pushed now) is prioritised, given due dates from its filing time
// and assigned in the same push; the requester's next pull shows all of it as server-authored ops
// with the rule names; the escalation timer breaches it once, raises its priority and notifies the
// team lead — and not again after a kill -9 and restart; a bad triage.json stops the server with
// the line at fault; `triage check` and `invite --technician` on the command line; /metrics.
// Not here: the rules in detail (tests/unit/triage_*, tests/server/triage_*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Device, api, enrol, hex, runCli, startServer, tempDir } from './support.mjs';

const HOUR = 3600 * 1000;
const day = (offset) => new Date(Date.now() + offset * 24 * HOUR).toISOString().slice(0, 10);
const allWeek = (hours) => Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, hours]));

// "hq" is open around the clock (so due dates are exact whenever this runs); Kim in Tokyo is away.
const TRIAGE = {
  sla: {
    untriaged_as: 'medium',
    critical: { first_response_minutes: 30, resolution_minutes: 240, clock: 'continuous' },
    high: { first_response_minutes: 60, resolution_minutes: 480, clock: 'business_hours' },
    medium: { first_response_minutes: 240, resolution_minutes: 1440, clock: 'business_hours' },
    low: { first_response_minutes: 480, resolution_minutes: 2400, clock: 'business_hours' },
    planning: { first_response_minutes: 960, resolution_minutes: 4800, clock: 'business_hours' },
  },
  escalation: { at_risk_fraction: 0.75, check_interval_seconds: 1 },
  sites: [
    { site: 'hq', time_zone: 'UTC', hours: allWeek(['00:00-24:00']) },
    { site: 'tokyo', time_zone: 'Asia/Tokyo', hours: allWeek(['09:00-18:00']) },
  ],
  dispatch: {
    team: 'service_desk', team_lead: 'lead', default_site: 'hq',
    technicians: [
      { id: 'ann', name: 'Ann Archer', site: 'hq', skills: ['network_vpn', 'access'] },
      { id: 'lead', name: 'Lee Lund', site: 'hq', skills: ['hr'] },
      { id: 'kim', name: 'Kim Kato', site: 'tokyo', skills: ['network_vpn'],
        out_of_office: [{ from: day(-2), to: day(2) }] },
    ],
  },
};

let root, dataDir, server, lead, ann, rita;

// An HLC of a given wall-clock time (16 hex digits: 48-bit ms, 16-bit counter).
function hlcAt(ms, counter) {
  return ((BigInt(ms) << 16n) | BigInt(counter)).toString(16).padStart(16, '0');
}

// The ticket as a replica of `ops` shows it: last writer per field, comments in order.
function view(ops, ticket) {
  const fields = {};
  const writers = {};
  const comments = new Map();
  for (const op of [...ops].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0))) {
    if (op.entity === 'ticket' && op.entity_id === ticket) { fields[op.field] = op.value; writers[op.field] = op.node; }
    if (op.entity === 'comment') {
      const c = comments.get(op.entity_id) || {};
      c[op.field] = op.value;
      c.node = op.node;
      comments.set(op.entity_id, c);
    }
  }
  // a line "[rule] detail" per decision; one system_event comment per automation pass
  const notes = [...comments.values()].filter((c) => c.ticket === ticket && c.kind === 'system_event');
  const events = notes.flatMap((c) => c.body.split('\n'));
  return { fields, writers, events, notes: notes.length };
}

async function waitFor(what, check, ms = 8000) {
  const until = Date.now() + ms;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > until) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  root = tempDir();
  dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'triage.json'), JSON.stringify(TRIAGE, null, 2));
  server = await startServer({ dataDir });
  assert.match(server.output(), /triage: .*triage\.json — 2 sites, 3 technicians/);
  assert.match(server.output(), /Technician sign-in as Lee Lund \(team lead\)/);
  lead = await enrol(server, { invite: server.invite });
  const annCode = runCli(['invite', '--role', 'technician', '--technician', 'ann', '--data-dir', dataDir]).match(/code: (\S+)/)[1];
  const annEnrolment = await api(server, 'POST', '/api/v1/enroll', { body: { invite: annCode } });
  assert.equal(annEnrolment.status, 200);
  assert.equal(annEnrolment.json.display_name, 'Ann Archer');
  ann = new Device(server, annEnrolment.json);
  const ritaCode = runCli(['invite', '--role', 'requester', '--name', 'Rita', '--data-dir', dataDir]).match(/code: (\S+)/)[1];
  rita = await enrol(server, { invite: ritaCode });
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('roster technicians sign in as themselves, with their skills and site in the log', async () => {
  assert.equal(ann.role, 'technician');
  assert.notEqual(ann.user, lead.user);
  const { ops } = await lead.pullAll();
  const annOps = ops.filter((o) => o.entity === 'user' && o.entity_id === ann.user);
  const value = (field) => annOps.filter((o) => o.field === field).at(-1)?.value;
  assert.equal(value('display_name'), 'Ann Archer');
  assert.deepEqual(value('skills'), ['network_vpn', 'access']);
  assert.equal(value('site'), 'hq');
  assert.equal(value('team'), 'service_desk');
});

test('a ticket filed offline is prioritised, timed from its filing, assigned; the requester sees it all', async () => {
  const filedMs = Date.now() - 3 * HOUR;  // filed on the device three hours ago, pushed now
  const id = hex(16);
  const fields = [['status', 'new'], ['requester', rita.user], ['title', 'sealed: VPN drops every hour'],
    ['channel', 'web'], ['category', 'network_vpn'], ['impact', 'high'], ['urgency', 'medium'], ['site', 'hq']];
  const batch = rita.batch(fields.map(([field, value], i) => ({ ...rita.op('ticket', id, field, value), hlc: hlcAt(filedMs, i) })));
  const pushed = await rita.push(batch);
  assert.equal(pushed.json.results[0].status, 'accepted');

  const { ops } = await rita.pullAll();
  const t = view(ops, id);
  assert.equal(t.fields.priority, 'high', 'ITIL: high impact × medium urgency → P2');
  assert.equal(t.fields.response_due, filedMs + 60 * 60 * 1000, 'first response 60 minutes after filing');
  assert.equal(t.fields.resolution_due, filedMs + 480 * 60 * 1000, 'resolution 480 minutes after filing');
  assert.equal(t.fields.assignee, ann.user, 'the VPN technician who is not away');
  assert.equal(t.fields.status, 'assigned');
  assert.equal(t.fields.team, 'service_desk');
  for (const field of ['priority', 'response_due', 'resolution_due', 'assignee', 'number']) {
    assert.notEqual(t.writers[field], rita.node, `${field} is written by the server`);
  }
  const rules = t.events.map((e) => e.match(/^\[([a-z_.]+)\]/)[1]);
  for (const rule of ['priority.matrix', 'sla.due_dates', 'dispatch.remote_least_load']) {
    assert.ok(rules.includes(rule), `the requester sees the rule ${rule}: ${rules}`);
  }
  assert.ok(t.events.some((e) => e.includes('(filed on the device)')));
  assert.equal(t.notes, 1, 'one system_event comment for the pass that filed it, a line per decision');

  // Three hours after filing, the 60-minute first response is breached: the timer escalates it.
  const escalated = await waitFor('the breach escalation', async () => {
    const v = view((await rita.pullAll()).ops, id);
    return v.events.some((e) => e.startsWith('[sla.first_response.breached]')) ? v : null;
  });
  assert.equal(escalated.fields.priority, 'critical', 'priority raised P2 → P1');
  const breach = escalated.events.find((e) => e.startsWith('[sla.first_response.breached]'));
  assert.match(breach, new RegExp(`team lead ${lead.user} notified`));
  assert.ok(escalated.events.every((e) => !e.startsWith('[sla.resolution.')), 'resolution: 3 of 8 hours, not at risk');

  // The team lead's device sees it too.
  const leadView = view((await lead.pullAll()).ops, id);
  assert.ok(leadView.events.includes(breach));

  const metrics = (await api(server, 'GET', '/metrics')).text;
  assert.match(metrics, /lifebuoy_triage_decisions_total\{rule="priority.matrix"\} 1/);
  assert.match(metrics, /lifebuoy_triage_decisions_total\{rule="dispatch.remote_least_load"\} 1/);
  assert.match(metrics, /lifebuoy_escalations_total\{rule="sla.first_response.breached"\} 1/);
  assert.match(metrics, /lifebuoy_team_lead_notifications_total 1/);
  assert.match(metrics, /lifebuoy_escalation_passes_total [1-9]/);

  // kill -9 and restart: the escalation is recorded, so the passes after it stay quiet.
  await server.kill('SIGKILL');
  server = await startServer({ dataDir });
  for (const device of [lead, ann, rita]) device.server = server;  // a new port
  await waitFor('two passes after the restart', async () => {
    const m = (await api(server, 'GET', '/metrics')).text.match(/lifebuoy_escalation_passes_total (\d+)/);
    return m && Number(m[1]) >= 2;
  });
  const after = view((await rita.pullAll()).ops, id);
  assert.equal(after.events.filter((e) => e.startsWith('[sla.first_response.breached]')).length, 1, 'escalated once');
  assert.doesNotMatch((await api(server, 'GET', '/metrics')).text, /lifebuoy_escalations_total\{/);
});

test('triage check validates the file; a bad triage.json stops the server with the line at fault', async () => {
  const summary = runCli(['triage', 'check', '--data-dir', dataDir]);
  assert.match(summary, /triage\.json: valid/);
  assert.match(summary, /ann \(Ann Archer\) at hq/);

  const badRoot = tempDir();
  const badDir = join(badRoot, 'data');
  mkdirSync(badDir, { recursive: true });
  const bad = structuredClone(TRIAGE);
  bad.dispatch.technicians[0].site = 'paris';
  writeFileSync(join(badDir, 'triage.json'), JSON.stringify(bad, null, 2));
  try {
    await assert.rejects(startServer({ dataDir: badDir }), (err) => {
      assert.match(err.message, /server exited \(1\)/);
      assert.match(err.message, /triage\.json:\d+:\d+: dispatch\.technicians\[0\]\.site: no site 'paris' in sites/);
      return true;
    });
    assert.throws(() => runCli(['triage', 'check', '--data-dir', badDir]), /technicians\[0\]\.site/);
  } finally {
    rmSync(badRoot, { recursive: true, force: true });
  }
});
