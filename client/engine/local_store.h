// local_store.h — the engine's sync tables in SQLite (schema v3, v4): the op log, the outbox and the
// one-row sync state, plus a RAII transaction. Every function is one or a few statements; callers
// group them in ONE Transaction so that what a user or the server acknowledged lands all or nothing.
//
// Features: Transaction (BEGIN IMMEDIATE … COMMIT; rolls back when dropped uncommitted);
// SyncState load/save; insert a local batch with its outbox row; record push results (accepted
// with server seqs, or rejected with the server's reason — kept, never dropped); insert pulled ops.
// Not here: deciding what to send or when (sync_machine.h), the in-memory Replica (engine.h), JSON
// of the sync API (sync_api.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/op.h"
#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

using storage::Database;

class Transaction {
public:
    static Result<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    // Returns once the transaction is durable (synchronous=FULL). On failure it was rolled back.
    Status commit();

private:
    explicit Transaction(Database* db) : db_(db) {}
    Database* db_;
};

struct SyncState {
    std::int64_t cursor = 0;
    NodeId node = 0;
    EntityId local_user;                  // acts before enrolment
    std::optional<std::string> device_token;
    std::optional<EntityId> user_id;      // the server's id for this user
    Role role = Role::unknown;            // the server's role (unknown before enrolment)
    Hlc hlc;                              // the clock's last value
    std::optional<std::string> enroll_request;  // JSON body of a pending enrolment
    std::optional<std::int64_t> last_sync_ms;   // last complete pull
    std::optional<std::string> last_error;
    std::int64_t kb_cursor = 0;           // the knowledge base's pull resumes here (schema v4)
    std::int64_t envelope_counter = 0;    // sealed requests' counters are reserved up to here (v7)
    bool enrolled() const { return device_token.has_value() && user_id.has_value(); }
};

// Creates the row (with `fresh_node` and `fresh_user`) when absent, then reads it.
// A form's draft (fields: a JSON object of texts), replaced whole; and its removal.
Status store_draft(Database& db, std::string_view form, std::string_view fields_json, std::int64_t saved_at_ms);
Status delete_draft(Database& db, std::string_view form);

Result<SyncState> load_sync_state(Database& db, NodeId fresh_node, const EntityId& fresh_user);

// The unread marker's memory: per ticket (32 hex), the latest activity by others already shown.
Result<std::map<std::string, std::int64_t>> load_ticket_reads(Database& db);
// Raises the ticket's seen mark to seen_ms (never lowers it); true when it changed.
Result<bool> raise_ticket_read(Database& db, std::string_view ticket_id, std::int64_t seen_ms);
Status save_sync_state(Database& db, const SyncState& state);

// Every op not rejected, as stored (wire JSON), in insertion order.
Result<std::vector<std::string>> load_op_bodies(Database& db);

// One user action: its ops (server_seq null) and its outbox row.
Status insert_local_batch(Database& db, const Batch& batch, const EntityId& ticket, std::string_view action,
                          std::int64_t now_ms);
// Pulled ops: inserted if new; an op already here (our own) gets its server seq.
Status insert_pulled_op(Database& db, const Op& op, std::int64_t server_seq);

struct PendingBatch {
    std::int64_t seq = 0;
    std::string batch_id;
    std::string body;
    std::int64_t attempts = 0;
};
// The oldest pending outbox rows, oldest first.
Result<std::vector<PendingBatch>> pending_batches(Database& db, std::size_t limit);
Status count_attempt(Database& db, const std::string& batch_id);
Status mark_op_accepted(Database& db, const std::string& op_id, std::int64_t server_seq);
Status mark_batch_accepted(Database& db, const std::string& batch_id, std::int64_t now_ms);
// The batch and each of its ops become rejected with the server's code and message.
Status mark_batch_rejected(Database& db, const std::string& batch_id, const Error& why, std::int64_t now_ms);
// Replaces the stored bodies of a pending batch and its ops (enrolment re-stamps them).
Status rewrite_pending_batch(Database& db, const Batch& batch);

}  // namespace lb::engine
