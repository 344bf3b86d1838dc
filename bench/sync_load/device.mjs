// device.mjs — a load client for sync_load_bench.mjs: many devices speaking the sealed sync API of
// the real lifebuoy-server over node:http keep-alive sockets (one Agent, every socket's bytes
// counted), with ticket text sealed as a device seals it.
//
// - envelopes: tests/integration/support.mjs's Channel (an independent implementation of
//   lifebuoy/api_envelope.h on libsodium-wrappers): a rising counter per device key, answers opened;
//   sent as raw bytes, the form devices use;
// - content: crypto/content.h's sealed field v1 for real — a random ticket key per ticket, its key
//   id (keyed BLAKE2b-128 over "lifebuoy/ticket-key-id/v1"), sodium_pad to 128-byte blocks,
//   XChaCha20-Poly1305 with the additional data binding ticket id, op id, key id and field name —
//   as "sealed:" + base64url (crypto/sealed_text.h); the ticket key sealed to the requester's own
//   user key (crypto/key_wrap.h sealed key v1: header ‖ crypto_box_seal(header ‖ key)) as
//   requester_key. The server cannot open either (it only checks the shape); the client pays the
//   real cost, and the bytes on the wire are the real sizes.
// Not here: the measurements (sync_load_bench.mjs).
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import sodiumModule from 'libsodium-wrappers';
import { BINARY_ENVELOPE_TYPE, Channel, sharedForm } from '../../tests/integration/support.mjs';

const sodium = sodiumModule.default || sodiumModule;
await sodium.ready;

// [SECTION] HTTP: one keep-alive agent; bytes on the wire summed over every socket it opened
export class Wire {
  constructor(url) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 100000 });
    this.sockets = new Set();
    this.closedBytes = 0;
    this.retries = 0;  // calls re-sent on a fresh socket (Device.call)
  }

  // Bytes read + written by every socket so far (TCP payload: HTTP headers and bodies).
  bytes() {
    let n = this.closedBytes;
    for (const s of this.sockets) n += s.bytesRead + s.bytesWritten;
    return n;
  }

  request(method, path, body, contentType) {
    return new Promise((resolve, reject) => {
      const headers = { Host: `${this.host}:${this.port}` };
      if (body !== undefined) {
        headers['Content-Type'] = contentType;
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] || '',
          body: Buffer.concat(chunks), get text() { return this.body.toString('utf8'); } }));
        res.on('error', reject);
      });
      req.on('socket', (s) => {
        if (this.sockets.has(s)) return;
        this.sockets.add(s);
        s.once('close', () => { this.closedBytes += s.bytesRead + s.bytesWritten; this.sockets.delete(s); });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  close() { this.agent.destroy(); }
}

// [SECTION] ids, content sealing
export const hex = (bytes) => randomBytes(bytes).toString('hex');
// An op, batch or entity id as the engine makes it (id128.h time_ordered_id128): 48 bits of
// milliseconds, then 80 random bits.
export const timeOrderedId = () => Date.now().toString(16).padStart(12, '0') + hex(10);
const TICKET_KEY_ID_LABEL = Buffer.from('lifebuoy/ticket-key-id/v1');
const KEY_ID_LABEL = Buffer.from('lifebuoy/key-id/v1');
const CONTENT_AD_LABEL = Buffer.from('lifebuoy/content/v1');
const SEALED_FIELDS = { ticket: ['title', 'description', 'resolution_note', 'satisfaction_comment'], comment: ['body'] };

export const keyIdOf = (publicKey) => Buffer.from(sodium.crypto_generichash(16, Buffer.concat([KEY_ID_LABEL, Buffer.from(publicKey)])));

export function newTicketKey() {
  const key = randomBytes(32);
  return { key, id: Buffer.from(sodium.crypto_generichash(16, TICKET_KEY_ID_LABEL, key)) };
}

// content.h seal_field, as sealed_text.h's text.
export function sealText(ticketKey, ticketIdHex, field, opIdHex, plaintext) {
  const padded = sodium.pad(Buffer.from(plaintext, 'utf8'), 128);
  const nonce = randomBytes(24);
  const ad = Buffer.concat([CONTENT_AD_LABEL, Buffer.from([1]), Buffer.from(ticketIdHex, 'hex'), Buffer.from(opIdHex, 'hex'),
    ticketKey.id, Buffer.from([field.length]), Buffer.from(field)]);
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, ad, null, nonce, ticketKey.key);
  return 'sealed:' + Buffer.concat([Buffer.from([1]), ticketKey.id, nonce, Buffer.from(sealed)]).toString('base64url');
}

// key_wrap.h sealed key v1 (kind 0x01, a ticket key) to `recipient` (a user public key).
export function sealTicketKey(ticketKey, recipient) {
  const header = Buffer.concat([Buffer.from([1, 1]), keyIdOf(recipient), ticketKey.id]);
  const box = sodium.crypto_box_seal(Buffer.concat([header, ticketKey.key]), recipient);
  return Buffer.concat([header, Buffer.from(box)]).toString('base64url');
}

// [SECTION] a device
export class Device {
  constructor(wire, serverKeyText) {
    this.wire = wire;
    this.channel = new Channel(serverKeyText);
    this.userKey = sodium.crypto_box_keypair();  // the person's user key (requester_key is sealed to it)
    this.lastMs = 0;
    this.hlcCounter = 0;
  }

  // One sealed call; resolves {status, json, text}.
  // A keep-alive socket the server closed as it was reused (ECONNRESET, EPIPE) is retried with a
  // fresh envelope (a new counter: the old one may have been seen); pushes are idempotent (op ids).
  async call(path, body) {
    const bodyText = typeof body === 'string' ? body : JSON.stringify(body);
    let sealed, r;
    for (let attempt = 0; ; attempt++) {
      sealed = this.channel.seal(path, this.token, bodyText);
      try {
        r = await this.wire.request('POST', path, sealed.bytes, BINARY_ENVELOPE_TYPE);  // as devices send
        break;
      } catch (e) {
        if (attempt >= 2 || !['ECONNRESET', 'EPIPE'].includes(e.code)) throw e;
        this.wire.retries++;
      }
    }
    const text = r.type.startsWith(BINARY_ENVELOPE_TYPE) ? this.channel.open(r.body, sealed.counter) : r.body.toString('utf8');
    let json = null;
    try { json = JSON.parse(text); } catch { /* left null */ }
    return { status: r.status, json, text };
  }

  async enrol(request) {
    const r = await this.call('/api/v1/enroll', { ...request, public_key: this.channel.publicKeyText(), device_label: 'sync_load_bench' });
    if (r.status !== 200) throw new Error(`enrol failed ${r.status}: ${r.text}`);
    this.token = r.json.device_token;
    this.user = r.json.user_id;
    this.node = r.json.node;
    this.role = r.json.role;
    return this;
  }

  // The user key's public half in the key directory (as a device does after enrolling).
  uploadUserKey() {
    return this.call('/api/v1/keys', { user_public_key: Buffer.from(this.userKey.publicKey).toString('base64url') });
  }

  hlc() {
    const now = Date.now();
    if (now > this.lastMs) { this.lastMs = now; this.hlcCounter = 0; } else { this.hlcCounter += 1; }
    return ((BigInt(this.lastMs) << 16n) | BigInt(this.hlcCounter)).toString(16).padStart(16, '0');
  }

  op(entity, entityId, field, value, ticketKey, ticketId = entityId) {
    const opId = timeOrderedId();
    if (typeof value === 'string' && (SEALED_FIELDS[entity] || []).includes(field)) value = sealText(ticketKey, ticketId, field, opId, value);
    return { op_id: opId, hlc: this.hlc(), node: this.node, entity, entity_id: entityId, field, value };
  }

  // create_ticket as the engine builds it (engine_tickets.cpp): status, requester, channel, sealed
  // title and description, urgency, the ticket key sealed to the requester — one batch.
  newTicket({ title, description, urgency }) {
    const id = timeOrderedId(), key = newTicketKey();
    const ops = [
      this.op('ticket', id, 'status', 'new'),
      this.op('ticket', id, 'requester', this.user),
      this.op('ticket', id, 'channel', 'web'),
      this.op('ticket', id, 'title', title, key),
      this.op('ticket', id, 'description', description, key),
      this.op('ticket', id, 'urgency', urgency),
      this.op('ticket', id, 'requester_key', sealTicketKey(key, this.userKey.publicKey)),
    ];
    return { batch: { v: 1, batch_id: timeOrderedId(), ops }, ticketId: id, key };
  }

  // A public reply on a ticket (comment: ticket, kind, author, sealed body), sealed under its key.
  comment(ticketId, key, body) {
    const id = timeOrderedId();
    const ops = [
      this.op('comment', id, 'ticket', ticketId),
      this.op('comment', id, 'kind', 'public_reply'),
      this.op('comment', id, 'author', this.user),
      this.op('comment', id, 'body', body, key, ticketId),
    ];
    return { v: 1, batch_id: timeOrderedId(), ops };
  }

  // The push body's JSON text for `batches` (built before timing: the device's outbox) as the
  // engine sends it: version 2, batches in the shared form (wire.h), asking for the short answer
  // (each batch's seqs in op order, api_routes.h).
  // version 1: the full form, as a device sends to a server from before the shared form.
  static pushBody(batches, version = 2) {
    return JSON.stringify({ answer: 'seqs', v: version, batches: version === 2 ? batches.map(sharedForm) : batches });
  }
  push(bodyText) { return this.call('/api/v1/push', bodyText); }
  pull(cursor, extra = {}) { return this.call('/api/v1/pull', { cursor, ...extra }); }
  notify(cursor, wait) { return this.call('/api/v1/notify', { cursor, wait }); }
}
