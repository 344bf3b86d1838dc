// api_codec.h — the bytes of a sync API request in, the bytes of its response out, and the typed
// requests in between. Every function here is pure and total on hostile input (fuzzed by
// tests/fuzz/api_request_fuzz.cpp, which compiles api_codec.cpp directly: keep it free of server
// state and of anything but lb::shared and nlohmann/json).
//
// Requests arrive in sealed envelopes (lifebuoy/api_envelope.h; opened in api_routes.cpp); the
// decoders here read what was sealed: the request's JSON object. open_request() is the bounded
// parse of a plain JSON body (kept for tools and tests that hold a body as text).
//
// Shapes (JSON; ids are lowercase hex as in wire.h):
//   enroll  {"invite":"<code>"} | {"guest":true}, optional "display_name","device_label",
//           "platform","public_key","enrolment_id" (32 lowercase hex, made on the device: the
//           enrolment's idempotency key, see SyncService::enroll)
//   push    {"v":1,"batches":[<wire batch>, …]} or {"v":2,…} with batches in the shared form (wire.h)
//   pull    {"cursor":<seq ≥ 0>, optional "max_ops", "max_bytes"}
//   notify  {"cursor":<seq ≥ 0>, optional "wait" (seconds)}
//   keys    {"user_public_key"?:"<43 b64url>","team_public_key"?:"<43 b64url>",
//            "team_key_wraps"?:[{"team_key_id":"<32 hex>","user_id":"<32 hex>","wrap":"<b64url>"}]}
// Errors are lb::Error with a code from api_http_status()'s table, messages naming the member.
// Not here: authentication, authorisation, storage (sync_service.h), HTTP routing (api_routes.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifebuoy/op.h"
#include "lifebuoy/result.h"

namespace lb::server {

inline constexpr int kApiVersion = 1;
inline constexpr std::size_t kMaxApiTextBytes = 256;  // display names, labels, platforms, codes
inline constexpr std::size_t kMaxKeyWrapBytes = 1024;     // one team-key wrap (base64url text)
inline constexpr std::size_t kMaxKeyWrapsPerUpload = 256;

struct OpenedRequest {
    nlohmann::json body;
};

// Bounded parse (size, then nesting depth, before parsing) of a request body that must be a JSON
// object. Codes: too_large, too_deep, malformed_json, bad_request.
Result<OpenedRequest> open_request(std::string_view bytes, std::size_t max_bytes);

// {"error":{"code":…,"message":…}}
std::string error_json(const Error& error);
// The HTTP status of an API error code: 400 bad input, 401, 403, 404, 405, 409, 413, 500, 503.
unsigned api_http_status(std::string_view code);

// Signing in as an existing user on another device: which user-key backup, and the proof that the
// device knows its passphrase or recovery secret (crypto/passphrase.h).
struct SignInCredential {
    std::string lookup;  // "name:<normalised sign-in name>" or "recovery:<32 hex>"
    std::string proof;   // base64url of the 32-byte login key
};

struct EnrollRequest {
    std::string invite;  // normalised (lowercase, no separators); empty for a guest
    bool guest = false;
    std::optional<SignInCredential> sign_in;  // {"sign_in": {name, proof}} or {"recover": {id, proof}}
    std::string display_name, device_label, platform, public_key;
    std::optional<std::string> enrolment_id;  // 32 lowercase hex when given
};
// Exactly one of invite, guest, sign_in, recover. Codes: bad_request, too_long, invite_invalid,
// bad_enrolment_id, bad_sign_in_name.
Result<EnrollRequest> parse_enroll_request(const nlohmann::json& body);

// POST /api/v1/keys/backup: the caller's user key wrapped for another device.
struct KeyBackupUpload {
    std::string kind;           // "passphrase" or "recovery"
    std::string lookup;         // as in SignInCredential
    std::string sign_in_name;   // passphrase: the normalised name
    std::string wrap;           // base64url (crypto/passphrase.h)
    std::string proof;          // base64url
};
// Codes: bad_request, too_long, bad_sign_in_name.
Result<KeyBackupUpload> parse_key_backup_upload(const nlohmann::json& body);
// POST /api/v1/sign_in/login {"name"} → the normalised name. Codes: bad_request, bad_sign_in_name.
Result<std::string> parse_sign_in_login_request(const nlohmann::json& body);
// POST /api/v1/desk {"version"?} → the settings version the device holds ("" for none). Codes:
// bad_request, too_long.
Result<std::string> parse_desk_request(const nlohmann::json& body);

// How a push's answer lists each batch's ops (the request's "answer"): "ops" (the default) as
// {op_id, seq, status} each; "seqs" as only their seqs, in the batch's op order (0: none) — what
// devices ask for: they know which ops they sent, in which order, and ~70 bytes per op stay home.
// Another text is taken as "ops" (a later form this server does not know: the full answer).
enum class PushAnswerForm { ops, seqs };

struct PushRequest {
    // One entry per batch, in order: a batch that does not decode is refused on its own.
    std::vector<Result<Batch>> batches;
    PushAnswerForm answer_form = PushAnswerForm::ops;
};
// Codes: unsupported_version, bad_request (answer not text, too), too_many_batches (over max_batches).
Result<PushRequest> parse_push_request(const nlohmann::json& body, std::size_t max_batches);

struct PullRequest {
    std::int64_t cursor = 0;
    std::optional<std::size_t> max_ops, max_bytes;  // the caller may ask for less than the limits
};
Result<PullRequest> parse_pull_request(const nlohmann::json& body);
// "?cursor=12&wait=5" of GET /api/v1/notify; a missing cursor is 0, a missing wait is nullopt.
struct NotifyQuery {
    std::int64_t cursor = 0;
    std::optional<int> wait_seconds;
    std::optional<std::int64_t> keys_version;  // the sealed form: the directory version the device holds
};
Result<NotifyQuery> parse_notify_query(std::string_view query);
Result<NotifyQuery> parse_notify_request(const nlohmann::json& body);  // the sealed form

struct TeamKeyWrap {
    std::string team_key_id;  // 32 hex
    std::string user_id;      // 32 hex
    std::string wrap;         // base64url, opaque to the server
};
struct KeysUpload {
    std::optional<std::string> user_public_key, team_public_key;
    std::vector<TeamKeyWrap> team_key_wraps;
};
Result<KeysUpload> parse_keys_upload(const nlohmann::json& body);

// "Bearer <64 hex>" → the token; nullopt for anything else.
std::optional<std::string> bearer_token(std::string_view authorization);

}  // namespace lb::server
