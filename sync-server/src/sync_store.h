// sync_store.h — SyncStore, the storage interface of the sync server: the op log (ops stored as
// received, content still sealed, each with a monotonic server_seq), ticket metadata for routing
// and queries, the triage automation's state, invites, users, devices, the key directory, and the
// knowledge base (versioned articles, deflections).
//
// The SQLite implementation is sqlite_sync_store.h; a PostgreSQL backend implements the same class.
// Contracts every implementation keeps:
//  - transaction(body) runs body in ONE write transaction: all of it commits, or none of it (a
//    failed Status or a storage error rolls back). Calls outside a transaction are autocommit.
//  - transaction_flushed_later(body): the same, but its commit does not wait for the disk: it is
//    durable once a later transaction() commits (the log is flushed in order) and survives a
//    process crash, but a power cut before that may undo it. For the envelope counters only: a
//    request that changes anything commits its change with transaction(), which flushes the counter
//    before the answer goes out (one flush per push instead of two).
//  - savepoint(body), inside a transaction: a failed Status rolls back what body wrote (and is
//    returned), the transaction goes on; a success keeps it, to commit with the transaction.
//  - append_op gives strictly increasing server_seq values that are never reused, even after a
//    rollback or a restart; an op id is stored at most once.
//  - Every call returns a typed error (code storage_error) instead of throwing.
//  - Not thread-safe: the caller (SyncService) serialises access.
// Not here: deciding what may be stored (sync_service.h), JSON of the API (api_codec.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/id128.h"
#include "lifebuoy/op.h"
#include "lifebuoy/result.h"
#include "ticket_export.h"

namespace lb::server {

// Who may see an op, decided once when it is accepted.
struct OpRouting {
    std::optional<EntityId> ticket;  // the ticket it is about (ticket, comment, kb_ref ops)
    std::optional<EntityId> owner;   // the user it belongs to (user and device ops)
    bool internal = false;           // part of an internal note: the help desk only
};

struct OpToStore {
    const Op* op = nullptr;
    std::string body;                // canonical wire JSON (encode_op), as served on pull
    OpRouting routing;
    Id128 batch_id;
    std::optional<EntityId> device;  // the device that pushed it; nullopt: the server authored it
    std::int64_t received_at_ms = 0;
};

struct StoredOp {
    std::int64_t seq = 0;
    Op op;
};

// Metadata of one ticket (no content: titles and descriptions stay sealed in the op log).
struct TicketRow {
    EntityId id;
    std::optional<std::int64_t> number;
    EntityId requester;
    std::string status, category, impact, urgency, priority, team, site;
    std::optional<EntityId> assignee;
    bool deleted = false;
    std::int64_t updated_seq = 0;
};

struct PullQuery {
    std::int64_t after_seq = 0;
    std::optional<EntityId> only_for_user;  // nullopt: everything (help desk); else what the user may see
    std::size_t max_ops = 1;
    std::size_t max_bytes = 1;  // the first op of a page is always included, whatever its size
};

struct PullPage {
    std::vector<std::string> bodies;  // op JSON, in server_seq order
    std::vector<std::int64_t> seqs;   // each body's server_seq
    std::int64_t cursor = 0;          // resume after this seq
    bool more = false;                // another page is waiting
};

struct InviteRow {
    std::string code_hash;  // hex; the code itself is never stored
    Role role = Role::unknown;
    std::string display_name;
    std::int64_t created_at_ms = 0;
    std::int64_t expires_at_ms = 0;
    std::optional<std::int64_t> used_at_ms;
    std::optional<EntityId> user;  // set: the device signs in as this existing user (a roster technician)
};

struct UserRow {
    EntityId id;
    Role role = Role::unknown;
    std::string display_name;
    std::string public_key;  // "" until the user's device publishes one
    bool disabled = false;   // `user disable`: no device, no sign-in, no invite for them
};

// A person as the admin sees them (`lifebuoy-server user list`).
struct UserListing {
    UserRow user;
    std::int64_t created_at_ms = 0;
    std::optional<std::int64_t> disabled_at_ms;
    std::int64_t devices = 0, active_devices = 0;  // enrolled; not revoked
};

struct NodeOwnerRow {
    NodeId node = 0;
    EntityId user;
};

struct DeviceRow {
    EntityId id;
    EntityId user;
    Role role = Role::unknown;
    bool revoked = false;
    std::string public_key;  // base64url: the key its sealed envelopes come from ("" before migration 6)
};

// A device as `lifebuoy-server list-devices` shows it (with its owner's name).
struct DeviceSummaryRow {
    DeviceRow device;
    std::string display_name;   // the owner's
    std::int64_t created_at_ms = 0;
};

// One enrolment a device asked for with its own enrolment_id (the idempotency key of enrol): what
// it created, so that the same enrolment repeated within the window answers the same.
struct EnrolmentRow {
    std::string enrolment_id;        // 32 hex, made on the device
    std::string credential;          // "invite:<code hash>" or "guest:<name hash>" (sync_enrolment.cpp)
    EntityId user, device;
    NodeId node = 0;                 // the node id the first answer gave
    std::int64_t created_at_ms = 0;
    std::int64_t repeats = 0;        // answers given again
};

// A user's secret key wrapped for another device (migration 7; crypto/passphrase.h).
struct KeyBackupRow {
    std::string lookup;              // "name:<sign-in name>" or "recovery:<32 hex>"
    EntityId user;
    std::string kind;                // "passphrase" or "recovery"
    std::string verifier;            // 64 hex: login_verifier_hex of the device's proof
    std::string wrap;                // base64url
    std::int64_t updated_at_ms = 0;
    std::int64_t failures = 0;       // wrong proofs in a row
    std::int64_t locked_until_ms = 0;
};

struct TeamKeyRow {
    std::string key_id;      // 32 hex
    std::string public_key;  // base64url
};

// The server's automation state of one ticket (metadata only; the decisions are ops in the log).
struct TicketSlaRow {
    EntityId ticket;
    std::int64_t filed_at_ms = 0;                 // when the SLA clocks start (the device's filing time)
    std::string sla_priority;                     // whose targets apply ("" = not triaged yet)
    std::optional<std::int64_t> first_response_ms;
    int first_response_level = 0;                 // escalations recorded: 0 none, 1 at risk, 2 breached
    int resolution_level = 0;
    std::optional<std::int64_t> next_check_ms;    // when the escalation pass looks again (nullopt: never)
    bool queued = false;                          // waiting in the team queue for automatic dispatch
};

// Open tickets per assignee and priority: the input of weighted loads.
struct AssignedCount {
    EntityId assignee;
    std::string priority;
    std::int64_t tickets = 0;
};

struct TeamKeyWrapRow {
    std::string key_id;
    EntityId user;
    std::string wrap;  // base64url, opaque
};

// --- knowledge base ---
// One version of an article as stored (kb_versions); a retired article's last version is a
// tombstone: no content, devices remove the article.
struct KbVersionRow {
    std::string article_id;
    std::int64_t version = 0;
    bool retired = false;
    bool restricted = false;          // the help desk only (its audience), see kb_catalog.h
    std::string title, audience;
    std::string body;                 // the JSON devices receive (kb_catalog.h)
    std::int64_t imported_at_ms = 0;
};

// An article's current version (kb_articles joined to kb_versions).
struct KbCurrentRow {
    KbVersionRow current;
    std::int64_t seq = 0;             // its place in the kb cursor
    bool was_public = false;          // some version reached everyone
};

struct KbPullQuery {
    std::int64_t after_seq = 0;
    bool help_desk = false;           // technicians and admins: restricted articles too
    std::size_t max_articles = 1;
    std::size_t max_bytes = 1;        // the first article of a page is always included
};

struct KbPullPage {
    std::vector<std::string> bodies;  // article JSON (or tombstones), in kb cursor order
    std::int64_t cursor = 0;
    bool more = false;
};

struct DeflectionRow {
    std::string deflection_id;        // 32 hex, made on the device: the idempotency key
    std::string article_id;
    std::int64_t article_version = 0;
    std::int64_t at_ms = 0;           // the device's time of "this solved my problem"
    std::int64_t received_at_ms = 0;
    EntityId device;
};

// added: new; duplicate: the same id with the same content again; conflict: the id with other content.
enum class DeflectionStored : std::uint8_t { added, duplicate, conflict };

// Deflections per article and version, for reporting.
struct DeflectionTally {
    std::string article_id;
    std::int64_t article_version = 0;
    std::string title;                // of that version; "" when the server never had it
    std::int64_t deflections = 0;
    std::int64_t last_at_ms = 0;
};

class SyncStore {
public:
    virtual ~SyncStore() = default;

    virtual Status transaction(const std::function<Status()>& body) = 0;
    virtual Status transaction_flushed_later(const std::function<Status()>& body) = 0;
    virtual Status savepoint(const std::function<Status()>& body) = 0;

    // Small named settings (server node id, clock, guest policy, …).
    virtual Result<std::optional<std::string>> meta(std::string_view key) = 0;
    virtual Status set_meta(std::string_view key, std::string_view value) = 0;

    // --- the op log ---
    virtual Result<std::optional<StoredOp>> find_op(const OpId& id) = 0;
    // Every op about one entity, in server_seq order.
    virtual Result<std::vector<Op>> entity_ops(EntityKind kind, const EntityId& id) = 0;
    virtual Result<std::int64_t> append_op(const OpToStore& op) = 0;  // → its server_seq
    virtual Result<std::int64_t> high_water() = 0;                    // greatest seq (0: none)
    virtual Result<PullPage> pull(const PullQuery& query) = 0;
    virtual Result<std::int64_t> op_count() = 0;

    // --- ticket metadata ---
    virtual Status upsert_ticket(const TicketRow& row) = 0;
    virtual Result<std::optional<TicketRow>> ticket(const EntityId& id) = 0;
    // Every ticket not deleted, numbered ones first by number, with the people's names and the
    // SLA clock's start and first response (`lifebuoy-server export`).
    virtual Result<std::vector<TicketExportRow>> export_tickets() = 0;
    virtual Result<std::int64_t> next_ticket_number() = 0;  // 1 + the greatest given so far

    // --- invites, users, devices ---
    virtual Status add_invite(const InviteRow& row) = 0;
    virtual Result<std::optional<InviteRow>> invite(std::string_view code_hash) = 0;
    virtual Status mark_invite_used(std::string_view code_hash, std::int64_t now_ms, const EntityId& device) = 0;
    virtual Status add_user(const UserRow& row, std::int64_t now_ms) = 0;
    virtual Result<std::optional<UserRow>> user(const EntityId& id) = 0;
    virtual Status add_device(const DeviceRow& row, std::string_view token_hash, std::int64_t now_ms) = 0;
    virtual Result<std::optional<DeviceRow>> device_by_token(std::string_view token_hash) = 0;
    // The last envelope counter accepted from a device key (0: none yet), and its raise: false when
    // `counter` is not above it (a replay that raced another request).
    virtual Result<std::uint64_t> envelope_counter(std::string_view device_key) = 0;
    virtual Result<bool> raise_envelope_counter(std::string_view device_key, std::uint64_t counter) = 0;
    virtual Result<std::optional<DeviceRow>> device(const EntityId& id) = 0;
    virtual Result<std::int64_t> device_count() = 0;

    // --- user-key backups (sign-in on another device) ---
    virtual Result<std::optional<KeyBackupRow>> key_backup(std::string_view lookup) = 0;
    // Replaces the user's backup of the same kind (whatever its lookup). The caller has checked
    // that no other user holds the lookup.
    virtual Status put_key_backup(const KeyBackupRow& row) = 0;
    virtual Status set_key_backup_failures(std::string_view lookup, std::int64_t failures,
                                           std::int64_t locked_until_ms) = 0;

    // --- repeated enrolments (the enrolment_id of enrol) ---
    virtual Result<std::optional<EnrolmentRow>> enrolment(std::string_view enrolment_id) = 0;
    // Inserts the row, or replaces the one with the same id (one past the repeat window).
    virtual Status put_enrolment(const EnrolmentRow& row) = 0;
    virtual Status count_enrolment_repeat(std::string_view enrolment_id) = 0;
    // A token issued again for an enrolled device by a repeat: valid beside the device's token
    // until one of them is used (settle_device_token). Keeps the newest `keep` of the device.
    virtual Status add_reissued_token(const EntityId& device, std::string_view token_hash, std::int64_t now_ms,
                                      std::size_t keep) = 0;
    virtual Result<std::optional<DeviceRow>> device_by_reissued_token(std::string_view token_hash) = 0;
    virtual Result<bool> has_reissued_tokens(const EntityId& device) = 0;
    // token_hash becomes the device's one token: every other token of the device (its previous
    // one, the other reissued ones) stops working.
    virtual Status settle_device_token(const EntityId& device, std::string_view token_hash) = 0;

    // --- triage: the server's automation state (SLA clocks, escalation levels, queue, roster) ---
    virtual Result<std::optional<TicketSlaRow>> ticket_sla(const EntityId& ticket) = 0;
    virtual Status put_ticket_sla(const TicketSlaRow& row) = 0;
    // Tickets whose next_check_ms is at or before now, earliest first.
    virtual Result<std::vector<EntityId>> sla_checks_due(std::int64_t now_ms, std::size_t limit) = 0;
    virtual Result<std::vector<EntityId>> queued_tickets(std::size_t limit) = 0;  // oldest first
    virtual Result<std::vector<AssignedCount>> open_assignments() = 0;  // not resolved, closed or deleted
    // Which user a technician of the triage config is (a stable mapping made on first sight).
    virtual Result<std::optional<EntityId>> roster_user(std::string_view technician) = 0;
    virtual Status set_roster_user(std::string_view technician, const EntityId& user) = 0;

    // --- op authors: which person a node belongs to (bound by the first push that names it) ---
    virtual Result<std::optional<EntityId>> node_owner(NodeId node) = 0;
    virtual Status bind_node(NodeId node, const EntityId& user, const EntityId& device, std::int64_t now_ms) = 0;
    virtual Result<std::vector<NodeOwnerRow>> node_owners() = 0;  // by node

    // --- key directory ---
    virtual Status set_user_public_key(const EntityId& user, std::string_view public_key) = 0;
    virtual Result<std::vector<UserRow>> users_with_keys() = 0;
    virtual Result<std::vector<UserRow>> help_desk_users() = 0;  // technicians and admins, keys or not
    // Removing someone from the help desk: their role, and every device of theirs signed out.
    virtual Status set_user_role(const EntityId& user, Role role) = 0;
    virtual Status revoke_user_devices(const EntityId& user) = 0;
    // Every user, oldest first, with their device counts; and (re-)enabling or disabling one
    // (at_ms: when; nullopt enables).
    virtual Result<std::vector<UserListing>> list_users() = 0;
    virtual Status set_user_disabled(const EntityId& user, std::optional<std::int64_t> at_ms) = 0;
    virtual Result<std::vector<EntityId>> disabled_users() = 0;  // (an index of the few: cheap per dispatch)
    // One device signed out (its tokens stop working: device_revoked).
    virtual Status revoke_device(const EntityId& device) = 0;
    // Every device, oldest enrolment first.
    virtual Result<std::vector<DeviceSummaryRow>> device_summaries() = 0;
    virtual Status add_team_key(const TeamKeyRow& row, std::int64_t now_ms) = 0;  // newest is current
    virtual Result<std::vector<TeamKeyRow>> team_keys() = 0;                      // oldest first
    virtual Status put_team_key_wrap(const TeamKeyWrapRow& row) = 0;
    virtual Result<std::vector<TeamKeyWrapRow>> team_key_wraps(const EntityId& user) = 0;
    virtual Result<std::vector<TeamKeyWrapRow>> all_team_key_wraps() = 0;  // who holds which team key

    // --- knowledge base: versioned articles and deflections ---
    // Every article's current version (retired ones included), by id.
    virtual Result<std::vector<KbCurrentRow>> kb_current() = 0;
    // Appends a version (a new kb seq) and makes it the article's current one.
    virtual Status kb_put_version(const KbVersionRow& row) = 0;
    // Current versions after the cursor, paged; for callers without help-desk access a restricted
    // version is left out, or sent as a tombstone where an earlier version reached everyone. When
    // nothing more is visible the cursor jumps to the newest seq.
    virtual Result<KbPullPage> kb_pull(const KbPullQuery& query) = 0;
    virtual Result<std::int64_t> kb_live_count() = 0;  // articles not retired
    virtual Result<DeflectionStored> add_deflection(const DeflectionRow& row) = 0;
    virtual Result<std::vector<DeflectionTally>> deflection_tallies() = 0;  // most deflections first
    virtual Result<std::int64_t> deflection_count() = 0;
};

}  // namespace lb::server
