// api_routes.h — the sync API over HTTP: paths, sealed envelopes, JSON shapes, status codes.
//
// Every call but /api/v1/info and /metrics is `POST` with a sealed envelope as its body
// (lifebuoy/api_envelope.h: crypto/envelope.h's format, as raw bytes or base64url text; the
// plaintext names the path, carries the device token — none when enrolling — and the request
// object). The envelope is opened with the server key; its counter must be above the last one
// accepted from that device key (stored before acting: envelope_replayed otherwise) and its time
// within 5 minutes of the server's clock (envelope_clock_skew; the plain answer carries
// server_time_ms so the device can correct its envelope clock); a device's envelopes must come from
// the key it enrolled with. The answer — data or error — is sealed to the request's counter, in the
// request's form (Content-Type application/vnd.lifebuoy.envelope-binary or
// application/vnd.lifebuoy.envelope). What fails before the envelope opened is answered in plain
// JSON: not_an_envelope, server_key_changed (another server key: the device pinned a key this
// server does not have), envelope_* (tampered, replayed, truncated, clock skew).
//
//   GET  /api/v1/info    {"v","version","server_key","guest_enrolment","limits":{…}}  public, plain
//   /api/v1/enroll       {"invite":"…"} | {"guest":true} | {"sign_in":{"name","proof"}} |
//                        {"recover":{"id","proof"}}, optional display_name, device_label,
//                        platform, public_key (= the envelope's key when given), enrolment_id
//                     →  {"v","device_token","user_id","device_id","role","node","display_name",
//                         "server_key","limits":{…},"key_backup"? (signing in: the wrapped key)}
//   /api/v1/sign_in/login {"name"} → {"v","name","login"}  unauthenticated: the Argon2id
//                        parameters and salt of a sign-in name (a decoy for unknown names)
//   /api/v1/push         {"v":1|2,"batches":[<wire batch>…],"answer"?:"ops"|"seqs"}  v2: batches in
//                        the shared form (wire.h: members every op repeats written once)
//                     →  {"v","high_water","results":[{"batch_id","status","error"?:{code,message},
//                         "ops":[{"op_id","status","seq"?}]}]}       status: accepted|duplicate|rejected
//                        with "answer":"seqs" (devices), "seqs":[seq…] in the batch's op order
//                        (0: rejected) instead of "ops"
//   /api/v1/pull         {"cursor":N,"max_ops"?,"max_bytes"?} → {"v","cursor":N,"more":bool,"ops":[…]}
//   /api/v1/notify       {"cursor":N,"wait"?:S,"keys_version"?:K} long-poll: answers {"v","changed":bool,
//                        "cursor":N} as soon as an op the caller may see lies after N (or the key
//                        directory's keys_version is above K), or after S seconds
//                        (≤ max_long_poll_seconds) with changed=false
//   /api/v1/keys         {"user_public_key"?,"team_public_key"?,"team_key_wraps"?} (all optional:
//                        {} only reads) → the key directory {"v","server_key","keys_version","users":[…],
//                        "team_keys":[…],"current_team_key","team_key_wraps":[…],
//                        "team_key_holders"?:[…]} after the upload
//   /api/v1/keys/backup  {"kind":"passphrase","sign_in_name"|"kind":"recovery","recovery_id",
//                        "wrap","proof"} → {"v","kind","stored":true,"sign_in_name"?}
//                        (sync_key_backup.cpp)
//   /api/v1/kb/pull      {"cursor":N,"max_articles"?,"max_bytes"?}
//                     →  {"v","cursor":N,"more":bool,"articles":[<article>|<tombstone>…]}
//                        article {"id","version","title","tags","category","audience","markdown"},
//                        tombstone {"id","version","retired":true} (kb_catalog.h); any enrolled
//                        device, guests included; help-desk-only audiences: technicians, admins
//   /api/v1/kb/deflections {"v":1,"deflections":[{"id","article_id","article_version","at_ms"}…]}
//                     →  {"v","results":[{"id","status","error"?:{code,message}}]}  in request
//                        order; status accepted|duplicate|rejected (kb_api_codec.h)
//   /api/v1/desk         {"version"?} → {"v","version","settings":{"triage":{…},"default_site"?}} or
//                        {"v","version","unchanged":true} when the caller holds that version: the
//                        catalogue, sites, calendars, matrix and SLA a device needs offline (any
//                        enrolled device; desk_settings_document.h)
//   GET  /metrics        Prometheus text (metrics.h)
// Pushes, with a PushCommitter attached (the server binary): opened and parsed here, then stored
// by the committer's store thread with the other pushes queued meanwhile (one transaction, one
// fsync); their counter and token are checked in that transaction, with the same answers.
// The call worker (when attached: the server binary): every call to these routes — opening the
// envelope, the service, sealing the answer — runs on its thread while the session waits parked,
// so the network thread never waits for storage; not done within storage_wait_seconds, the call
// is answered 503 `unavailable` (plain JSON, Retry-After) and, if it had not started, never run.
// A woken long-poll's check runs there too.
// Per-device rate limit (when attached): checked right after the envelope opened, keyed by the
// device key it was sealed with (enrolling included); over it, 429 rate_limited sealed to the
// request's counter like any answer, with Retry-After as a plain HTTP header, counted in /metrics.
// Errors: {"error":{"code","message"}} with the status of api_http_status() — never a crash.
// Not here: what each call does (sync_service.h), sockets (http_server.h).
#pragma once

#include <memory>

#include "api_codec.h"
#include "call_worker.h"
#include "desk_settings_document.h"
#include "lifebuoy/api_envelope.h"
#include "lifebuoy/crypto/envelope.h"
#include "lifebuoy/crypto/init.h"
#include "metrics.h"
#include "push_committer.h"
#include "rate_limiter.h"
#include "routes.h"
#include "sync_service.h"

namespace lb::server {

// The answer to a push (shape above) as JSON text, written directly — a push of 16 batches answers
// ~250 ops, and a JSON tree of them cost a map per op. Members in the order nlohmann/json writes
// them (sorted), so the text is what a tree would dump (tests/server/push_answer_json_test.cpp).
std::string push_answer_json(const PushResult& result, PushAnswerForm form = PushAnswerForm::ops);

class ApiRoutes {
public:
    ApiRoutes(SyncService& service, Metrics& metrics, crypto::KeyPair server_key)
        : service_(service), metrics_(metrics), server_key_(std::move(server_key)) {}
    // The per-device limit (server_config.h); it must outlive the routes. None: no limit.
    void attach_device_limiter(RateLimiter* limiter) { device_limiter_ = limiter; }
    // What /api/v1/desk answers; it must outlive the routes. None: 404 unknown_endpoint.
    void attach_desk_settings(const DeskSettingsDocument* settings) { desk_settings_ = settings; }
    // Group commit (push_committer.h); it must outlive the routes. Attached, a push is opened and
    // parsed on the network thread, then parks its session (a Deferred) until the store thread has
    // committed it with whatever else was queued; its envelope counter and token are checked in
    // that transaction. None: each push is stored on the network thread, alone.
    void attach_push_committer(PushCommitter* committer) { committer_ = committer; }
    // Where calls run (call_worker.h); it must outlive the routes. None: on the network thread.
    void attach_call_worker(CallWorker* worker) { worker_ = worker; }
    Reply handle(const RequestView& request) const;

    // An opened sealed call: who sealed it, its counter, what it says.
    struct SealedCall {
        std::shared_ptr<const crypto::ServerChannel> channel;
        std::uint64_t counter = 0;
        crypto::PublicKey device;
        EnvelopeForm form = EnvelopeForm::text;  // how it came, and so how its answer goes
        ApiRequestPlaintext request;
        // What answering it takes (the request's body left out): for replies computed later, so a
        // parked session does not keep — or copy — the whole request.
        SealedCall for_answer() const { return {channel, counter, device, form, {}}; }
    };

private:
    Reply route(const RequestView& request, std::string_view path, Endpoint endpoint) const;
    // `job`'s reply, computed on the call worker while the session waits (see above); with no
    // worker attached, computed here and now.
    Reply on_call_worker(std::function<Reply()> job) const;
    Reply info() const;
    // Opens the body of a sealed call to `path`; the plain error reply when it does not open.
    // `counter_checked_later`: the envelope counter is left to the caller (a grouped push).
    Result<SealedCall> open_call(const RequestView& request, std::string_view path, Reply& refusal,
                                 bool counter_checked_later = false) const;
    // The plain JSON refusal of a call whose envelope is not accepted (with server_time_ms).
    Reply envelope_refusal(const Error& error) const;
    // The answer to `call`, sealed to its counter.
    Reply sealed_reply(const SealedCall& call, unsigned status, std::string json_text) const;
    Reply sealed_error(const SealedCall& call, const Error& error) const;
    Reply enroll(const SealedCall& call, bool from_loopback) const;
    Reply push(const Caller& caller, const SealedCall& call) const;
    Reply push_grouped(const SealedCall& call) const;
    Reply push_answer(const SealedCall& call, const PushResult& result, PushAnswerForm form) const;
    Reply pull(const Caller& caller, const SealedCall& call) const;
    Reply notify(const Caller& caller, const SealedCall& call) const;
    Reply keys(const Caller& caller, const SealedCall& call) const;
    Reply key_backup(const Caller& caller, const SealedCall& call) const;
    Reply sign_in_login(const SealedCall& call) const;
    Reply desk(const SealedCall& call) const;
    Reply kb_pull(const Caller& caller, const SealedCall& call) const;
    Reply kb_deflections(const Caller& caller, const SealedCall& call) const;
    Reply metrics() const;

    SyncService& service_;
    Metrics& metrics_;
    crypto::KeyPair server_key_;
    RateLimiter* device_limiter_ = nullptr;
    const DeskSettingsDocument* desk_settings_ = nullptr;
    PushCommitter* committer_ = nullptr;
    CallWorker* worker_ = nullptr;
    mutable crypto::SystemRandom random_;  // nonces (libsodium's generator is thread-safe)
};

}  // namespace lb::server
