// support.mjs — the integration harness: the REAL lifebuoy-server binary on 127.0.0.1 with a fresh
// data folder, a small client for the sealed sync API, and builders for wire-format ops and batches.
// The client seals every call as a device does (lifebuoy/api_envelope.h, crypto/envelope.h) with
// its own implementation of the formats on libsodium-wrappers (npm) — so these tests also show
// that a second, independent implementation interoperates with the server's.
//
// Also: a device that is a real engine — lifebuoy-cli on a data folder of its own (LB_CLI_BIN).
// Environment: LB_SERVER_BIN, LB_CLI_BIN (the binaries; set by tests/CMakeLists.txt).
// Not here: assertions (each *.test.mjs has its own), browsers (tests/browser/).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sodiumModule from 'libsodium-wrappers';

const sodium = sodiumModule.default || sodiumModule;
await sodium.ready;

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

// A code for `role` from `invite` on the server's data folder.
export function inviteCode(server, role, name) {
  return runCli(['invite', '--role', role, '--name', name, '--data-dir', server.dataDir]).match(/code: (\S+)/)[1];
}

// --- a device: lifebuoy-cli on its own data folder ------------------------------------------------
// Runs `lifebuoy-cli --data DIR --json … ARGS` (with `--server` when given, `input` on stdin):
// {status, out (the parsed JSON or null), text (stdout and stderr, for messages)}.
export function runDevice(dataDir, args, { server, input = '', timeoutSeconds = 20 } = {}) {
  const cliBin = process.env.LB_CLI_BIN;
  if (!cliBin) throw new Error('LB_CLI_BIN must name the lifebuoy-cli binary');
  const argv = ['--data', dataDir, '--json', '--timeout', String(timeoutSeconds)];
  if (server) argv.push('--server', server.url);
  const r = spawnSync(cliBin, [...argv, ...args], { encoding: 'utf8', timeout: 60000, input });
  let out = null;
  try { out = JSON.parse(r.stdout); } catch { /* the caller shows `text` */ }
  return { status: r.status, out, text: `${r.stdout}${r.stderr}` };
}

// runDevice that must succeed: its result object.
export function onDevice(dataDir, args, options) {
  const r = runDevice(dataDir, args, options);
  if (r.status !== 0 || !r.out?.ok) throw new Error(`lifebuoy-cli ${args.join(' ')} (exit ${r.status}): ${r.text}`);
  return r.out.result;
}

// Every file under `dir`, recursively.
export function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// --- sealed envelopes --------------------------------------------------------------------------
const ENVELOPE_TYPE = 'application/vnd.lifebuoy.envelope';  // base64url text
export const BINARY_ENVELOPE_TYPE = 'application/vnd.lifebuoy.envelope-binary';  // the raw bytes (what devices send)
const HEADER_BYTES = 90;  // version, kind, device key (32), server key id (16), counter, time, nonce (24)

function keyId(publicKey) {
  return sodium.crypto_generichash(16, Buffer.concat([Buffer.from('lifebuoy/key-id/v1'), Buffer.from(publicKey)]));
}

// One device key talking to one server key: seals requests with a rising counter, opens answers.
export class Channel {
  constructor(serverKeyText) {
    this.device = sodium.crypto_box_keypair();
    const serverKey = Buffer.from(serverKeyText, 'base64url');
    const session = sodium.crypto_kx_client_session_keys(this.device.publicKey, this.device.privateKey, serverKey);
    this.rx = session.sharedRx;
    this.tx = session.sharedTx;
    this.serverKeyId = keyId(serverKey);
    this.counter = 0;
  }

  publicKeyText() { return Buffer.from(this.device.publicKey).toString('base64url'); }

  // `bodyText`: the request object's JSON text (tests may pass text that is not JSON at all).
  seal(path, token, bodyText, { counter = ++this.counter, timeMs = Date.now() } = {}) {
    const plaintext = `{"body":${bodyText},"path":${JSON.stringify(path)}` +
      (token !== undefined ? `,"token":${JSON.stringify(token)}` : '') + '}';
    const header = Buffer.alloc(HEADER_BYTES);
    header[0] = 1;
    header[1] = 1;  // a request
    Buffer.from(this.device.publicKey).copy(header, 2);
    Buffer.from(this.serverKeyId).copy(header, 34);
    header.writeBigUInt64BE(BigInt(counter), 50);
    header.writeBigUInt64BE(BigInt(timeMs), 58);
    randomBytes(24).copy(header, 66);
    const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      Buffer.from(plaintext), header, null, header.subarray(66, 90), this.tx);
    const bytes = Buffer.concat([header, Buffer.from(sealed)]);
    return { counter, bytes, text: bytes.toString('base64url') };
  }

  // The answer's plaintext, or throws when it is not the sealed answer to `counter`. `answer`: the
  // body as base64url text, or its raw bytes (a Buffer: the binary form).
  open(answer, counter) {
    const bytes = Buffer.isBuffer(answer) ? answer : Buffer.from(answer, 'base64url');
    if (bytes.length < HEADER_BYTES + 16 || bytes[0] !== 1 || bytes[1] !== 2) throw new Error('not a sealed answer');
    if (bytes.readBigUInt64BE(50) !== BigInt(counter)) throw new Error('an answer to another request');
    const header = bytes.subarray(0, HEADER_BYTES);
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, bytes.subarray(HEADER_BYTES), header, header.subarray(66, 90), this.rx);
    return Buffer.from(plain).toString('utf8');
  }
}

export async function serverKey(server) {
  if (!server.serverKey) server.serverKey = (await (await fetch(server.url + '/api/v1/info')).json()).server_key;
  return server.serverKey;
}

export async function newChannel(server) { return new Channel(await serverKey(server)); }

// A public key of no server (for a request sealed to the wrong server).
export function strangerKeyText() { return Buffer.from(sodium.crypto_box_keypair().publicKey).toString('base64url'); }

const channelsByToken = new Map();       // device token → the channel that enrolled it
const channelsByEnrolment = new Map();   // enrolment_id → the channel (a retry is the same device)

// One API call. Sync calls (POST /api/v1/… but info) are sealed: with `channel`, else the channel
// that enrolled `token`, else (enrolling) the enrolment's own or a new one; their answers are
// opened. Anything else (info, healthz, metrics, the web bundle, wrong methods) is plain.
// `raw` is sealed as the request body's text as it is. Returns {status, json, text, headers, sealed}.
export async function api(server, method, path, { body, token, raw, headers = {}, channel } = {}) {
  const sealedCall = method === 'POST' && path.startsWith('/api/v1/') && path !== '/api/v1/info';
  let request = { method, headers: { ...headers } };
  let counter = 0;
  if (sealedCall) {
    const enrolmentId = body && body.enrolment_id;
    channel = channel || (token && channelsByToken.get(token)) || (enrolmentId && channelsByEnrolment.get(enrolmentId)) ||
      await newChannel(server);
    if (enrolmentId && path === '/api/v1/enroll') channelsByEnrolment.set(enrolmentId, channel);
    const sealed = channel.seal(path, token, raw !== undefined ? raw : JSON.stringify(body === undefined ? {} : body));
    counter = sealed.counter;
    request = { method, headers: { 'Content-Type': ENVELOPE_TYPE, ...headers }, body: sealed.text };
  } else if (body !== undefined || raw !== undefined) {
    request.headers['Content-Type'] = 'application/json';
    request.body = raw !== undefined ? raw : JSON.stringify(body);
  }
  const res = await fetch(server.url + path, request);
  let text = await res.text();
  const sealedAnswer = (res.headers.get('content-type') || '').startsWith(ENVELOPE_TYPE);
  if (sealedAnswer) text = channel.open(text, counter);
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON: left null */ }
  if (sealedCall && path === '/api/v1/enroll' && json && json.device_token) channelsByToken.set(json.device_token, channel);
  return { status: res.status, json, text, headers: res.headers, sealed: sealedAnswer, channel };
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
const SEALED_FIELDS = { ticket: ['title', 'description', 'resolution_note', 'satisfaction_comment', 'contact_detail'], comment: ['body'] };
export function isSealedField(entity, field) { return (SEALED_FIELDS[entity] || []).includes(field); }
export function sealedShape(text) {
  const blocks = Math.floor(Buffer.byteLength(text) / 128) + 1;
  return 'sealed:' + Buffer.concat([Buffer.from([1]), randomBytes(16 + 24 + blocks * 128 + 16)]).toString('base64url');
}

// One enrolled device with its own hybrid clock.
// A batch in the shared form (lifebuoy/wire.h; a push with "v":2): the first op's entity,
// entity_id and node written once in "shared", left out of every op that has the same.
export function sharedForm(batch) {
  const [first] = batch.ops;
  const shared = { entity: first.entity, entity_id: first.entity_id, node: first.node };
  const ops = batch.ops.map((op) => {
    const own = { ...op };
    for (const key of Object.keys(shared)) if (own[key] === shared[key]) delete own[key];
    return own;
  });
  return { ...batch, shared, ops };
}

export class Device {
  constructor(server, enrolment) {
    this.server = server;
    this.token = enrolment.device_token;
    this.channel = channelsByToken.get(this.token);  // the device key its calls are sealed with
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
    return api(this.server, 'POST', '/api/v1/notify', { token: this.token, body: { cursor, wait } });
  }
}
