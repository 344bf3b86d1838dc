// sync_service.h — what the sync API does, independent of HTTP: enrol devices, authenticate them,
// accept pushed batches, answer pulls with what the caller may see, the key directory, invites.
//
// Push, in ONE store transaction per request (one commit, one fsync; answered only once it is
// durable), each batch in a savepoint of its own so it stays atomic: dedupe by op id (a replay of
// accepted ops answers `duplicate` with their server_seq; an op id reused with other content is refused,
// op_id_conflict) → clamp far-future HLCs (clamp_future_op, the server clock) → load the state of
// every entity the batch touches (and the tickets its comments and KB references hang on) from
// the store into a Replica → authorize_batch() as the device's role → store each op with a fresh
// server_seq and its routing (ticket, owner, internal) → give each ticket the batch creates its
// number, as an op authored by role `system` (authorised by the same table) → triage what the batch
// changed (priority, due dates, assignment: more `system` ops, ticket_triage.h) → update ticket
// metadata → after the commit, wake live waiters the change concerns. A refused batch rolls back to
// its savepoint (it stores nothing, the request's other batches still commit) and every op in it
// comes back `rejected` with the stable code of the first failure (lifebuoy/errors.h). Storage
// trouble rolls the whole request back (nothing was answered; a retry redoes it).
// The escalation pass (run_escalation_pass, called by a timer) is the same kind of transaction
// with only the server's own ops.
// Pull visibility: technicians and admins see every op; requesters and guests see their own
// tickets with their comments (never internal notes) and KB references, their user and devices.
// Enrolment, repeated enrolments and authentication: sync_enrolment.cpp.
// Every call is serialised by one mutex (the store is one SQLite connection).
// Not here: JSON and HTTP (api_codec.h, api_routes.h), SQL (sqlite_sync_store.h).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api_codec.h"
#include "credentials.h"
#include "kb_api_codec.h"
#include "kb_catalog.h"
#include "lifebuoy/hlc.h"
#include "lifebuoy/lifecycle.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"
#include "live_notifier.h"
#include "metrics.h"
#include "server_config.h"
#include "sync_store.h"

namespace lb::server {

using WallClock = std::function<std::uint64_t()>;  // Unix milliseconds

// A repeated enrolment (the same enrolment_id and credential) answers as the first did for this
// long after the first (sync_enrolment.cpp); later the id is forgotten.
inline constexpr std::int64_t kEnrolmentRepeatWindowMs = std::int64_t{24} * 3600 * 1000;
// Tokens of one device issued by repeats and not used yet, at most (the newest are kept).
inline constexpr std::size_t kMaxReissuedTokens = 8;
// Wrong sign-in proofs in a row before each further one locks the backup (sync_key_backup.cpp),
// and the longest lock.
inline constexpr std::int64_t kFreeSignInFailures = 5;
inline constexpr std::int64_t kMaxSignInLockMs = std::int64_t{24} * 3600 * 1000;

struct Caller {
    EntityId device;
    EntityId user;
    Role role = Role::unknown;
    std::string device_key;  // base64url: the key the device's envelopes must come from
};
bool sees_everything(Role role);  // technician, admin, system
// An envelope whose counter is not above the last one accepted from its device key.
inline Error envelope_replayed_error() {
    return make_error("envelope_replayed", "this request's counter was already used");
}

struct Enrolment {
    std::string device_token;  // shown once; only its hash is stored
    EntityId user, device;
    Role role = Role::unknown;
    NodeId node = 0;           // a fresh node id for the device's clock
    std::string display_name;
    std::string key_backup;    // signing in: the user's wrapped secret key (base64url), else ""
};

enum class OpOutcome : std::uint8_t { accepted, duplicate, rejected };
std::string_view outcome_name(OpOutcome outcome);

struct OpResult {
    OpId op_id;
    OpOutcome outcome = OpOutcome::rejected;
    std::int64_t seq = 0;  // accepted and duplicate
};

struct BatchResult {
    std::optional<Id128> batch_id;  // nullopt when the batch did not decode
    OpOutcome outcome = OpOutcome::rejected;  // accepted: something new landed; duplicate: all known
    std::optional<Error> error;               // rejected: why
    std::vector<OpResult> ops;
};

struct PushResult {
    std::vector<BatchResult> batches;
    std::int64_t high_water = 0;
};

// The answer to one pushed deflection event.
struct DeflectionResult {
    std::string id;                         // "" when the entry had no readable id
    OpOutcome outcome = OpOutcome::rejected;
    std::optional<Error> error;             // rejected: why
};

// A device as the admin sees it (`lifebuoy-server list-devices`).
struct DeviceListing {
    EntityId id, user;
    std::string display_name;  // the owner's
    Role role = Role::unknown;
    std::string label, platform;  // as the device named itself at enrolment ("" when it did not)
    std::int64_t created_at_ms = 0;
    bool revoked = false;
};

// `user disable` / `user enable`: whom it concerned, and whether they were so already.
struct UserToggle {
    UserRow user;
    bool already = false;  // nothing changed
};

struct RevokedDevice {
    DeviceListing device;
    bool already = false;  // it was signed out before: nothing changed
};

// A push as a network thread hands it to the store thread (push_committer.h): the sealed
// envelope opened and its request parsed; its counter and token are checked with the group.
struct SealedPush {
    std::string device_token;
    std::string device_key;  // base64url: the key the envelope was sealed with
    std::uint64_t envelope_counter = 0;
    PushRequest request;
};

class TicketTriage;
struct EscalationPassReport;  // ticket_triage.h

class SyncService {
public:
    SyncService(SyncStore& store, const ServerConfig& config, WallClock now_ms, RandomSource& random,
                LiveNotifier& notifier, Metrics& metrics, std::string server_public_key);

    // Before start(): the triage automation to run on every push and in the escalation pass
    // (none: tickets are stored as they come). It must outlive the service.
    void attach_triage(TicketTriage* triage) { triage_ = triage; }
    // Loads (or creates on first start) the server's node id, user id and clock; with triage,
    // brings the roster's technicians into the log as users.
    Status start();
    // Escalations of clocks at risk or breached, and dispatch of queued tickets, at now_ms(). One
    // transaction; idempotent (each threshold of each ticket fires once, recorded in the store).
    Result<EscalationPassReport> run_escalation_pass();

    // Codes: guest_enrolment_disabled, invite_invalid, invite_used, invite_expired, bad_key,
    // enrolment_id_conflict, device_revoked (a repeat for a revoked device), sign_in_failed,
    // sign_in_locked, user_disabled (a sign-in or an invite of a person the admin disabled),
    // storage_error. Signing in (request.sign_in) enrols another device of the
    // user the backup belongs to, with their current role, and answers their key_backup.
    // With an enrolment_id, a repeat of the same enrolment within kEnrolmentRepeatWindowMs answers
    // the same user and device with a fresh token (sync_enrolment.cpp).
    Result<Enrolment> enroll(const EnrollRequest& request, bool from_loopback);
    // Codes: unauthenticated, device_revoked. The first use of a token a repeated enrolment
    // issued (or of the device's own, while such tokens wait) revokes the device's other tokens.
    Result<Caller> authenticate(std::string_view device_token);
    // Sealed envelopes: the last counter accepted from a device key, and accepting a new one
    // (stored before the request is acted on). Error envelope_replayed when not above the last.
    Result<std::uint64_t> envelope_counter(std::string_view device_key);
    Status accept_envelope_counter(std::string_view device_key, std::uint64_t counter);
    // Codes (whole request): batch_too_large, storage_error.
    Result<PushResult> push(const Caller& caller, PushRequest request);
    // Group commit: every push in ONE transaction (one fsync), in order, each answered as if it came
    // alone — its envelope counter raised (envelope_replayed when it is not above the last), its
    // token authenticated (authenticate's codes) and matched to the envelope's key, its batches
    // stored as push() does. A refused push changes nothing but its counter and leaves the others
    // be; when the group's transaction fails, each push is retried in a transaction of its own.
    std::vector<Result<PushResult>> push_sealed_group(std::vector<SealedPush>& pushes);
    // The highest envelope counter a push group accepted from a device key since start (0: none):
    // a lower bound of the stored one, read without waiting for a group to commit. The network
    // thread refuses an envelope at or below it as replayed before anything else (the per-device
    // rate limit included: a replayed envelope never spends the device's budget).
    std::uint64_t push_counter_seen(std::string_view device_key);
    Result<PullPage> pull(const Caller& caller, const PullRequest& request);
    // Whether an op visible to the caller lies after `cursor`, or (given the keys_version the
    // device last read in the key directory) the directory changed since.
    Result<bool> has_changes(const Caller& caller, std::int64_t cursor,
                             std::optional<std::int64_t> keys_version = std::nullopt);
    // Knowledge base (sync_kb.cpp). Article changes after a kb cursor for any enrolled device,
    // guests included (help-desk-only articles: technicians and admins), paged like pull.
    Result<KbPullPage> kb_pull(const Caller& caller, const KbPullRequest& request);
    // Deflection events, each stored once by its device-made id (a replay answers duplicate; the
    // id with other content is rejected, deflection_id_conflict). Counted in /metrics.
    Result<std::vector<DeflectionResult>> push_deflections(const Caller& caller, const DeflectionPush& push);
    // Admin (`lifebuoy-server kb import`, the demo's starter set): see kb_catalog.h.
    Result<KbImportSummary> import_kb(const std::vector<engine::KbArticle>& articles, bool retire_missing);
    Result<std::vector<KbCurrentRow>> kb_articles();
    Result<std::vector<DeflectionTally>> deflection_tallies();
    Result<nlohmann::json> key_directory(const Caller& caller);
    Status upload_keys(const Caller& caller, const KeysUpload& upload);
    // User-key backups (sync_key_backup.cpp). Codes: bad_key (not a wrap of the caller's published
    // user key), forbidden (a guest's passphrase), bad_request, sign_in_name_taken, storage_error.
    Status store_key_backup(const Caller& caller, const KeyBackupUpload& upload);
    // The login (base64url, crypto/passphrase.h) to derive a sign-in name's proof with; a decoy
    // for a name nobody holds.
    Result<std::string> sign_in_login(const std::string& sign_in_name);

    // Takes someone off the help desk (a technician leaving): their role becomes requester — a
    // `system` op in the log and the users table —, and every device of theirs is signed out. The
    // team keys their devices held stay with them; the next help-desk device to sync makes a new
    // team key for everyone else (engine_keys.cpp), so tickets filed from then on are closed to
    // them. `who`: a user id (32 hex) or the display name of exactly one help-desk member.
    // Codes: not_found, ambiguous_name, storage_error.
    Result<UserRow> remove_from_help_desk(const std::string& who);
    // Admin (sync_devices.cpp): every device, oldest first, with its owner, role, label and platform
    // (read from the device's ops in the log).
    Result<std::vector<DeviceListing>> list_devices();
    // Signs one device out (a lost phone): `device` is its id (32 hex) or a prefix of at least 8
    // hex digits that names one device. Its tokens — re-issued ones too — then answer
    // device_revoked (403); the person's other devices keep working. When the device is in the log
    // (it enrolled with a key) the revocation is also a `system` op (device revoked) that the
    // owner's other devices and the help desk pull. Revoking again changes nothing (already).
    // Codes: not_found, ambiguous_id, bad_request, storage_error.
    Result<RevokedDevice> revoke_device(const std::string& device);
    // Admin (sync_users.cpp): every person, oldest first, with their device counts.
    Result<std::vector<UserListing>> list_users();
    // Disables a person (`who`: a user id, 32 hex, or the display name of exactly one person):
    // every device of theirs is signed out (device_revoked) and their sign-ins, invites made for
    // them and repeats of their enrolments are refused (user_disabled, 403) until enabled again.
    // Enabling lets them enrol again (a new invite, or a sign-in); the old devices stay signed
    // out. The people's roles and tickets are unchanged (a technician also leaves triage.json's
    // roster by hand: the file is the admin's). Codes: not_found, ambiguous_name, storage_error.
    Result<UserToggle> set_user_disabled(const std::string& who, bool disabled);
    // Admin (`lifebuoy-server export`): every ticket's metadata (ticket_export.h; no ticket text).
    Result<std::vector<TicketExportRow>> export_tickets();

    // Admin: a single-use invite for role requester, technician or admin; with `for_user`, the
    // device enrols as that existing user (a technician of the triage roster).
    Result<InviteCode> create_invite(Role role, const std::string& display_name,
                                     const std::optional<EntityId>& for_user = std::nullopt);
    // "off", "loopback" or "on", stored in the database (the config's guest_enrolment overrides).
    Status set_guest_policy(std::string_view policy);
    Result<std::string> guest_policy();

    ScrapeGauges gauges();
    LiveNotifier& notifier() { return notifier_; }
    const ServerConfig& config() const { return config_; }
    const std::string& server_public_key() const { return server_public_key_; }
    std::uint64_t now_ms() const { return now_ms_(); }

private:
    struct BatchWork;
    struct PushWake;
    Result<BatchResult> push_batch(const Caller& caller, Batch& batch, PushWake& wake);
    Status store_push(const Caller& caller, PushRequest& request, PushResult& out, PushWake& wake);
    Status store_sealed_push(SealedPush& push, Result<PushResult>& answer, PushWake& wake);
    Status finish_push_transaction(const PushWake& wake, std::int64_t& high_water);
    void after_push_commit(const std::vector<const PushResult*>& stored, const PushWake& wake);
    Result<Caller> authenticate_locked(std::string_view device_token, bool in_transaction);
    Status stage_batch(const Caller& caller, BatchWork& work);
    Result<std::string> guest_policy_locked();
    Result<std::int64_t> keys_version_locked();  // 0 before the first upload
    // The answer to a repeat of a known enrolment within the window; nullopt: not a repeat.
    Result<std::optional<Enrolment>> repeat_enrolment_locked(const std::string& enrolment_id,
                                                             const std::string& credential, std::int64_t now_ms);
    // The backup a sign-in proof opens; counts and locks wrong proofs. Codes: sign_in_failed,
    // sign_in_locked, storage_error.
    Result<KeyBackupRow> check_sign_in_locked(const SignInCredential& credential, std::int64_t now_ms);
    Status save_clock();
    Result<std::vector<DeviceListing>> list_devices_locked();
    Actor system_actor() const { return Actor{server_user_, Role::system}; }

    SyncStore& store_;
    const ServerConfig& config_;
    WallClock now_ms_;
    RandomSource& random_;
    LiveNotifier& notifier_;
    Metrics& metrics_;
    std::string server_public_key_;
    std::mutex mutex_;
    std::mutex counters_seen_mutex_;  // guards counters_seen_ alone: held for a lookup, never while waiting
    std::unordered_map<std::string, std::uint64_t> counters_seen_;
    HybridClock clock_{1};
    EntityId server_user_;
    TicketTriage* triage_ = nullptr;
};

}  // namespace lb::server
