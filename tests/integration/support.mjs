// support.mjs — the integration harness: the REAL lifebuoy-server binary on 127.0.0.1 with a fresh
// data folder, a small JSON client for the sync API, and builders for wire-format ops and batches.
//
// Environment: LB_SERVER_BIN (the binary; set by tests/CMakeLists.txt).
// Not here: assertions (each *.test.mjs has its own), browsers (tests/browser/).
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SERVER_BIN = process.env.LB_SERVER_BIN;

export function tempDir(prefix = 'lifebuoy-it-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

// Starts the server; resolves once it prints its URL. `config` (an object) is written to a file
// and passed with --config; `webFiles` ({relative path: text}) are added to its web root (e.g. the
// bundle's kb/articles.json). Returns { url, dataDir, output(), invite, kill(signal), stop() }.
export async function startServer({ dataDir, config, args = [], webFiles = {} } = {}) {
  if (!SERVER_BIN) throw new Error('LB_SERVER_BIN must name the lifebuoy-server binary');
  const ownDataDir = !dataDir;
  dataDir = dataDir || join(tempDir(), 'data');
  const webRoot = tempDir('lifebuoy-web-');
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>test</title>');
  for (const [path, text] of Object.entries(webFiles)) {
    mkdirSync(join(webRoot, path, '..'), { recursive: true });
    writeFileSync(join(webRoot, path), text);
  }
  const argv = ['--port', '0', '--data-dir', dataDir, '--web-root', webRoot, ...args];
  if (config) {
    const file = join(webRoot, 'config.json');
    writeFileSync(file, JSON.stringify(config));
    argv.push('--config', file);
  }
  const child = spawn(SERVER_BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + output)), 15000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const m = output.match(/running: (http:\/\/\S+)/);
      if (m && (output.includes('Ctrl+C'))) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
    child.on('error', (err) => { clearTimeout(timer); reject(new Error(`cannot start ${SERVER_BIN}: ${err.message}`)); });
  });
  // The demo invite lines come right after the URL line.
  await new Promise((r) => setTimeout(r, 50));
  const invite = (output.match(/invite code ([a-z0-9-]+)/) || [])[1];
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    rmSync(webRoot, { recursive: true, force: true });  // however it ended (kill -9 included)
    resolve({ code, signal });
  }));
  return {
    url, dataDir, invite, pid: child.pid, output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async stop() {
      const r = await this.kill('SIGTERM');
      if (ownDataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
      return r;
    },
  };
}

// Runs a one-shot subcommand (init, invite) and returns its stdout.
export function runCli(args) {
  return execFileSync(SERVER_BIN, args, { encoding: 'utf8', timeout: 15000, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function api(server, method, path, { body, token, raw, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(server.url + path, {
    method, headers: h, body: raw !== undefined ? raw : (body !== undefined ? JSON.stringify(body) : undefined),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON: left null */ }
  return { status: res.status, json, text, headers: res.headers };
}

export async function enrol(server, request) {
  const r = await api(server, 'POST', '/api/v1/enroll', { body: request });
  if (r.status !== 200) throw new Error(`enrol failed ${r.status}: ${r.text}`);
  return new Device(server, r.json);
}

export function hex(bytes) { return randomBytes(bytes).toString('hex'); }

// Ticket text is sealed on devices and the server refuses plaintext (content_not_sealed). These
// tests speak the sync API without a device's keys, so `op()` turns text into a value of the
// sealed format's shape (crypto/sealed_text.h: "sealed:" + base64url of version 1, a key id, a
// nonce, one padded block and a tag) — the server cannot open sealed text either way; what a
// real device seals is tested through lifebuoy-cli (cli.test.mjs, e2e_content.test.mjs).
const SEALED_FIELDS = { ticket: ['title', 'description', 'resolution_note', 'satisfaction_comment'], comment: ['body'] };
export function isSealedField(entity, field) { return (SEALED_FIELDS[entity] || []).includes(field); }
export function sealedShape(text) {
  const blocks = Math.floor(Buffer.byteLength(text) / 128) + 1;
  return 'sealed:' + Buffer.concat([Buffer.from([1]), randomBytes(16 + 24 + blocks * 128 + 16)]).toString('base64url');
}

// One enrolled device with its own hybrid clock.
export class Device {
  constructor(server, enrolment) {
    this.server = server;
    this.token = enrolment.device_token;
    this.user = enrolment.user_id;
    this.role = enrolment.role;
    this.node = enrolment.node;
    this.lastMs = 0;
    this.counter = 0;
  }

  hlc() {
    const now = Date.now();
    if (now > this.lastMs) { this.lastMs = now; this.counter = 0; } else { this.counter += 1; }
    return ((BigInt(this.lastMs) << 16n) | BigInt(this.counter)).toString(16).padStart(16, '0');
  }

  op(entity, entityId, field, value) {
    if (typeof value === 'string' && isSealedField(entity, field)) value = sealedShape(value);
    return this.plainOp(entity, entityId, field, value);
  }

  // An op exactly as given (text left in the clear: what the server must refuse).
  plainOp(entity, entityId, field, value) {
    return { op_id: hex(16), hlc: this.hlc(), node: this.node, entity, entity_id: entityId, field, value };
  }

  batch(ops) { return { v: 1, batch_id: hex(16), ops }; }

  newTicket(title = 'VPN drops every hour', id = hex(16)) {
    return this.batch([
      this.op('ticket', id, 'status', 'new'),
      this.op('ticket', id, 'requester', this.user),
      this.op('ticket', id, 'title', title),
      this.op('ticket', id, 'channel', 'web'),
    ]);
  }

  comment(ticket, kind, body) {
    const id = hex(16);
    return this.batch([
      this.op('comment', id, 'ticket', ticket),
      this.op('comment', id, 'kind', kind),
      this.op('comment', id, 'author', this.user),
      this.op('comment', id, 'body', body),
    ]);
  }

  set(ticket, field, value) { return this.batch([this.op('ticket', ticket, field, value)]); }

  push(...batches) { return api(this.server, 'POST', '/api/v1/push', { token: this.token, body: { v: 1, batches } }); }

  pull(cursor = 0, extra = {}) {
    return api(this.server, 'POST', '/api/v1/pull', { token: this.token, body: { cursor, ...extra } });
  }

  async pullAll(cursor = 0, extra = {}) {
    const ops = [];
    for (let page = 0; page < 10000; page++) {
      const r = await this.pull(cursor, extra);
      if (r.status !== 200) throw new Error(`pull failed ${r.status}: ${r.text}`);
      ops.push(...r.json.ops);
      cursor = r.json.cursor;
      if (!r.json.more) return { ops, cursor };
    }
    throw new Error('pull did not finish');
  }

  notify(cursor, wait) {
    return api(this.server, 'GET', `/api/v1/notify?cursor=${cursor}&wait=${wait}`, { token: this.token });
  }
}
