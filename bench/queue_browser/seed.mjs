// seed.mjs — fills a help desk for bench/queue_browser_bench.mjs from Node, fast: requesters
// enrolled by invite as bench/sync_load/device.mjs's Device (the sealed sync API, ticket text
// sealed as a device seals it), each pushing its tickets in pushes of up to max_push_batches
// create_ticket batches. Each ticket is what the engine's create_ticket writes
// (client/engine/engine_tickets.cpp) when the desk has a team key: status, requester, channel,
// sealed title and description, urgency, requester_key, then team_key — the ticket key sealed to
// the team's current public key (device_keys.cpp make_ticket_key), so the technician's device can
// read it —, impact, category, site. Titles and descriptions from shared/data/tickets.jsonl;
// urgency, impact, site from a seeded generator, category from the row's topic_group.
// Not here: the browser, the measurements (queue_browser_bench.mjs).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Device, Wire, sealTicketKey } from '../sync_load/device.mjs';

const execFileP = promisify(execFile);

// A small seeded generator (mulberry32): the same desk every run.
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// topic_group → the desk's categories (shared/src/triage/category_catalogue.cpp); unlabelled rows
// get one of the categories no label maps to.
const TOPIC_CATEGORY = { Hardware: 'hardware', Access: 'access', 'Administrative rights': 'access', 'HR Support': 'hr',
  Purchase: 'purchase', Storage: 'storage', Miscellaneous: 'other', 'Internal Project': 'business_apps' };
const UNLABELLED = ['account_password', 'network_vpn', 'email', 'printing', 'software'];

// The data set's rows with a body: {title, description, category}.
export function loadTickets(sharedDataDir) {
  return fs.readFileSync(path.join(sharedDataDir, 'tickets.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l)).filter((t) => (t.body || '').trim())
    .map((t, i) => ({
      title: (t.title || '').trim() || t.body.trim().split(/\s+/).slice(0, 8).join(' '),
      description: t.body.trim(),
      category: TOPIC_CATEGORY[t.topic_group] || UNLABELLED[i % UNLABELLED.length],
    }));
}

const pick = (rand, weighted) => {
  let x = rand();
  for (const [value, weight] of weighted) { if ((x -= weight) < 0) return value; }
  return weighted[weighted.length - 1][0];
};

// Tickets as a desk sees them: urgency and impact mostly medium/low, two sites.
export function ticketFields(rand) {
  return {
    urgency: pick(rand, [['high', 0.15], ['medium', 0.45], ['low', 0.4]]),
    impact: pick(rand, [['high', 0.1], ['medium', 0.4], ['low', 0.5]]),
    site: pick(rand, [['london', 0.6], ['new_york', 0.4]]),
  };
}

const FIRST = ['Rita', 'Sam', 'Noor', 'Jonas', 'Aiko', 'Mateo', 'Chloe', 'Kwame', 'Ines', 'Pavel', 'Leah', 'Omid',
  'Grace', 'Tariq', 'Mei', 'Lukas', 'Zara', 'Diego', 'Hana', 'Felix'];
const LAST = ['Requester', 'Alvarez', 'Berg', 'Chen', 'Dubois', 'Eze', 'Fischer', 'Gupta', 'Haddad', 'Ito', 'Jensen',
  'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okoro', 'Petrov', 'Quinn', 'Rossi', 'Silva'];
export const requesterName = (i) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]}`;

// `count` requesters enrolled by invite (made with the server binary on its data folder, two at a
// time), their user keys uploaded. Returns { wire, devices, teamPublicKey } — the team's current
// public key from the key directory (the technician's browser must have made it already).
export async function enrolRequesters({ serverBin, dataDir, url, count }) {
  const codes = [];
  for (let i = 0; i < count; i += 2) {
    await Promise.all([i, i + 1].filter((k) => k < count).map(async (k) => {
      const { stdout } = await execFileP(serverBin, ['invite', '--role', 'requester', '--name', requesterName(k),
        '--data-dir', dataDir]);
      codes[k] = stdout.match(/code: (\S+)/)[1];
    }));
  }
  const wire = new Wire(url);
  const info = JSON.parse((await wire.request('GET', '/api/v1/info')).text);
  const devices = [];
  let directory = null;
  for (const [k, code] of codes.entries()) {
    const d = await new Device(wire, info.server_key).enrol({ invite: code, display_name: requesterName(k) });
    const r = await d.uploadUserKey();
    if (r.status !== 200) throw new Error(`keys upload failed ${r.status}: ${r.text}`);
    directory = r.json;
    devices.push(d);
  }
  const current = (directory.team_keys || []).find((k) => k.key_id === directory.current_team_key);
  if (!current) throw new Error(`the desk has no team key yet: ${JSON.stringify(directory)}`);
  return { wire, devices, info, teamPublicKey: Buffer.from(current.public_key, 'base64url') };
}

// One create_ticket batch, as the engine builds it on a device that knows the team key.
export function ticketBatch(device, teamPublicKey, { title, description, urgency, impact, category, site }) {
  const t = device.newTicket({ title, description, urgency });
  const id = t.ticketId;
  t.batch.ops.push(device.op('ticket', id, 'team_key', sealTicketKey(t.key, teamPublicKey)),
    device.op('ticket', id, 'impact', impact), device.op('ticket', id, 'category', category),
    device.op('ticket', id, 'site', site));
  return t;
}

// Pushes `batches` in pushes of `perPush`, one after another (a device has one call in flight);
// a 429 waits its Retry-After. Throws on a refused batch. Returns { pushes, ops }.
export async function pushBatches(device, batches, perPush) {
  let pushes = 0, ops = 0;
  for (let i = 0; i < batches.length; i += perPush) {
    const part = batches.slice(i, i + perPush);
    const body = Device.pushBody(part);
    for (;;) {
      const r = await device.push(body);
      if (r.status === 429) { await new Promise((ok) => setTimeout(ok, 1000)); continue; }
      if (r.status !== 200) throw new Error(`push failed ${r.status}: ${r.text.slice(0, 500)}`);
      const bad = r.json.results.find((b) => b.status === 'rejected');
      if (bad) throw new Error(`batch refused: ${JSON.stringify(bad).slice(0, 500)}`);
      break;
    }
    pushes += 1;
    ops += part.reduce((n, b) => n + b.ops.length, 0);
  }
  return { pushes, ops };
}
