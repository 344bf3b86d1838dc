// sync_machine.h — the vocabulary of the engine's sync state machine, which the platform drives.
//
// The engine never opens a socket. The platform loop is:
//     while (auto request = engine.sync_next_request(now)) {
//         auto [status, body] = http(request->method, request->path, request->body, request->bearer);
//         engine.sync_on_response(*request, status, body, now);   // status 0: no answer at all
//     }
//     sleep until engine.sync_due_at() (or until the notify long-poll says changed → sync_wake()).
// While the platform reports the server unreachable (observe_connectivity(false)) nothing is
// sent; the report that it is reachable again wakes the machine. One request is in flight at a time; steps run in this order: the server's key (GET
// /api/v1/info, pinned: the one plain call, only before enrolling) → enrol (when not enrolled and an
// enrolment is pending) → push the oldest pending outbox batches (up to kSyncPushBatches) → pull
// from the cursor until the server says no more → the key directory (engine_keys.cpp) → pull
// knowledge-base article changes from the kb
// cursor until no more (kb_pull: articles and tombstones applied with the new kb cursor in ONE
// transaction) → push deflections the server has not answered for (deflections; marked sent) →
// idle until kSyncPollIntervalMs or a wake. A server without the knowledge-base endpoints (404)
// skips those two steps for the round.
// A failure (no answer, 5xx, 429, a body that does not decode) backs off exponentially with jitter:
// min(kSyncBackoffMaxMs, kSyncBackoffBaseMs · 2^(failures-1)) · [1 - kSyncBackoffJitter, 1]; a
// failed knowledge-base step starts the next attempt from the op pull again.
// Enrolment is idempotent: the stored request carries the enrolment_id the enroll command made,
// and a failure (no answer, 5xx, 429) sends the very same body again, so a server that used the
// invite but lost its answer recognises the retry and answers the same user and device with a
// fresh token (the server's README). A 4xx answer to enrol (invite_used, invite_invalid,
// enrolment_id_conflict, guest_enrolment_disabled, …) ends that enrolment; the user must act.
// 401/403 stop syncing until the user acts (enrol again); the error is kept in sync_status.
// Signing in on another device (engine_sign_in.cpp) adds a step before enrol: the name's login
// (POST /api/v1/sign_in/login), then Argon2id on the device; a waiting key backup is sent after the
// key directory (POST /api/v1/keys/backup). Then the help desk's settings (POST /api/v1/desk with
// the version held: categories, sites, SLA rules; engine_desk.cpp), once a round; a server without
// the endpoint (404) is skipped.
// Every request but the server's key is sealed by the engine (engine_envelope.cpp) — the platform
// sends `body` with `content_type` as it is and hands back the answer's body as it came.
// Not here: HTTP itself (the platform; natively engine/platform/native_http_client.h), what the server does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lb::engine {

inline constexpr std::int64_t kSyncBackoffBaseMs = 1'000;
inline constexpr std::int64_t kSyncBackoffMaxMs = 5 * 60 * 1'000;
inline constexpr double kSyncBackoffJitter = 0.5;            // up to half the delay is taken off
inline constexpr std::int64_t kSyncPollIntervalMs = 60'000;  // pull at least this often when idle
inline constexpr std::size_t kSyncPushBatches = 16;          // batches per push request
inline constexpr std::size_t kSyncPullMaxOps = 500;          // ops asked for per pull page
inline constexpr std::size_t kMaxSyncResponseBytes = 16 * 1024 * 1024;

enum class SyncStep : std::uint8_t {
    server_info, enroll, push, pull, kb_pull, deflections, keys, keys_upload, notify, sign_in_login, key_backup, desk
};

struct SyncRequest {
    SyncStep step = SyncStep::pull;
    std::string method;                 // "POST" (a sealed call) or "GET" (server_info)
    std::string path;                   // "/api/v1/enroll", "/api/v1/push", "/api/v1/pull",
                                        // "/api/v1/kb/pull", "/api/v1/kb/deflections"
    std::string body;                   // sealed: the envelope's bytes (lifebuoy/api_envelope.h)
    std::string content_type;           // what `body` is (the envelope type, or empty for none)
    std::optional<std::string> bearer;  // the device token, sealed inside the envelope (never a header)
    std::uint64_t counter = 0;          // the envelope's counter: its answer is sealed to it (0: plain)
    std::vector<std::string> batch_ids; // push: the outbox batches it carries; deflections: their ids
    std::vector<std::vector<std::string>> batch_op_ids;  // push: each batch's op ids, in the order sent
    bool shared_form = false;           // push: batches in the shared form (wire.h; "v":2)
    std::int64_t cursor = 0;            // pull, kb_pull: the cursor it asked from
};

}  // namespace lb::engine
