// local_store.cpp — SQL of the engine's sync tables (see local_store.h).
#include "engine/local_store.h"

#include "lifebuoy/id128.h"
#include "lifebuoy/wire.h"

namespace lb::engine {

namespace {

using storage::Statement;

void bind_all(Statement&, int) {}
template <typename First, typename... Rest>
void bind_all(Statement& stmt, int index, const First& first, const Rest&... rest) {
    if constexpr (std::is_same_v<First, std::nullopt_t>) {
        stmt.bind_null(index);
    } else if constexpr (std::is_integral_v<First>) {
        stmt.bind(index, static_cast<std::int64_t>(first));
    } else {
        stmt.bind(index, std::string_view(first));
    }
    bind_all(stmt, index + 1, rest...);
}

template <typename... Args>
Status run(Database& db, std::string_view sql, const Args&... args) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    bind_all(stmt.value(), 1, args...);
    return stmt.value().run();
}

void bind_optional(Statement& stmt, int index, const std::optional<std::string>& text) {
    if (text) stmt.bind(index, *text);
    else stmt.bind_null(index);
}

std::optional<std::string> optional_text(const Statement& stmt, int index) {
    if (stmt.column_is_null(index)) return std::nullopt;
    return stmt.column_text(index);
}

Error corrupt(const std::string& what) { return make_error("storage_error", "sync_state." + what + " unreadable"); }

}  // namespace

Result<Transaction> Transaction::begin(Database& db) {
    if (auto s = db.exec("BEGIN IMMEDIATE"); !s) return s.error();
    return Transaction(&db);
}

Transaction::~Transaction() {
    if (db_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
    Database* db = db_;
    db_ = nullptr;
    if (auto s = db->exec("COMMIT"); !s) {
        (void)db->exec("ROLLBACK");  // a failed COMMIT may leave the transaction open
        return s;
    }
    return Ok{};
}

Status store_draft(Database& db, std::string_view form, std::string_view fields_json, std::int64_t saved_at_ms) {
    auto stmt = db.prepare("INSERT INTO drafts(form, fields, saved_at_ms) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT(form) DO UPDATE SET fields = ?2, saved_at_ms = ?3");
    if (!stmt) return stmt.error();
    return stmt.value().bind(1, form).bind(2, fields_json).bind(3, saved_at_ms).run();
}

Result<std::map<std::string, std::int64_t>> load_ticket_reads(Database& db) {
    auto stmt = db.prepare("SELECT ticket_id, seen_ms FROM ticket_reads");
    if (!stmt) return stmt.error();
    std::map<std::string, std::int64_t> out;
    for (;;) {
        auto row = stmt.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        out.emplace(stmt.value().column_text(0), stmt.value().column_int(1));
    }
    return out;
}

Result<bool> raise_ticket_read(Database& db, std::string_view ticket_id, std::int64_t seen_ms) {
    auto stmt = db.prepare("INSERT INTO ticket_reads(ticket_id, seen_ms) VALUES (?1, ?2) "
                           "ON CONFLICT(ticket_id) DO UPDATE SET seen_ms = ?2 WHERE seen_ms < ?2 "
                           "RETURNING seen_ms");  // a row only when inserted or raised
    if (!stmt) return stmt.error();
    auto row = stmt.value().bind(1, ticket_id).bind(2, seen_ms).step();
    if (!row) return row.error();
    return row.value();
}

Status delete_draft(Database& db, std::string_view form) {
    auto stmt = db.prepare("DELETE FROM drafts WHERE form = ?1");
    if (!stmt) return stmt.error();
    return stmt.value().bind(1, form).run();
}

Result<SyncState> load_sync_state(Database& db, NodeId fresh_node, const EntityId& fresh_user) {
    if (auto s = run(db, "INSERT OR IGNORE INTO sync_state(id, node, local_user) VALUES (1, ?1, ?2)",
                     node_to_hex(fresh_node), to_hex(fresh_user));
        !s)
        return s.error();
    auto stmt = db.prepare("SELECT cursor, node, local_user, device_token, user_id, role, hlc, enroll_request, "
                           "last_sync_ms, last_error, kb_cursor, envelope_counter FROM sync_state WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt.value().step();
    if (!row) return row.error();
    if (!row.value()) return make_error("storage_error", "sync_state row missing");
    Statement& s = stmt.value();
    SyncState state;
    state.cursor = s.column_int(0);
    auto node = node_from_hex(s.column_text(1));
    if (!node || *node == 0) return corrupt("node");
    state.node = *node;
    auto local = id128_from_hex(s.column_text(2));
    if (!local) return corrupt("local_user");
    state.local_user = *local;
    state.device_token = optional_text(s, 3);
    if (auto user = optional_text(s, 4)) {
        auto id = id128_from_hex(*user);
        if (!id) return corrupt("user_id");
        state.user_id = *id;
    }
    if (auto role = optional_text(s, 5)) state.role = role_from_name(*role);
    auto hlc = hlc_from_hex(s.column_text(6));
    if (!hlc) return corrupt("hlc");
    state.hlc = *hlc;
    state.enroll_request = optional_text(s, 7);
    if (!s.column_is_null(8)) state.last_sync_ms = s.column_int(8);
    state.last_error = optional_text(s, 9);
    state.kb_cursor = s.column_int(10);
    state.envelope_counter = s.column_int(11);
    return state;
}

Status save_sync_state(Database& db, const SyncState& state) {
    auto stmt = db.prepare("UPDATE sync_state SET cursor = ?1, device_token = ?2, user_id = ?3, role = ?4, hlc = ?5, "
                           "enroll_request = ?6, last_sync_ms = ?7, last_error = ?8, kb_cursor = ?9, "
                           "envelope_counter = ?10 WHERE id = 1");
    if (!stmt) return stmt.error();
    Statement& s = stmt.value();
    s.bind(1, state.cursor);
    bind_optional(s, 2, state.device_token);
    bind_optional(s, 3, state.user_id ? std::optional<std::string>(to_hex(*state.user_id)) : std::nullopt);
    bind_optional(s, 4, state.role == Role::unknown ? std::nullopt : std::optional<std::string>(to_name(state.role)));
    s.bind(5, hlc_to_hex(state.hlc));
    bind_optional(s, 6, state.enroll_request);
    if (state.last_sync_ms) s.bind(7, *state.last_sync_ms);
    else s.bind_null(7);
    bind_optional(s, 8, state.last_error);
    s.bind(9, state.kb_cursor);
    s.bind(10, state.envelope_counter);
    return s.run();
}

Result<std::vector<std::string>> load_op_bodies(Database& db) {
    auto stmt = db.prepare("SELECT body FROM ops WHERE rejected = 0 ORDER BY rowid");
    if (!stmt) return stmt.error();
    std::vector<std::string> bodies;
    for (;;) {
        auto row = stmt.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        bodies.push_back(stmt.value().column_text(0));
    }
    return bodies;
}

Status insert_local_batch(Database& db, const Batch& batch, const EntityId& ticket, std::string_view action,
                          std::int64_t now_ms) {
    const std::string batch_id = to_hex(batch.batch_id);
    for (const Op& op : batch.ops) {
        if (auto s = run(db, "INSERT INTO ops(op_id, body, batch_id) VALUES (?1, ?2, ?3)", to_hex(op.op_id),
                         encode_op(op), batch_id);
            !s)
            return s;
    }
    return run(db,
               "INSERT INTO outbox(batch_id, body, ticket_id, action, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
               batch_id, encode_batch(batch), to_hex(ticket), action, now_ms);
}

Status insert_pulled_op(Database& db, const Op& op, std::int64_t server_seq) {
    return run(db,
               "INSERT INTO ops(op_id, body, server_seq) VALUES (?1, ?2, ?3) "
               "ON CONFLICT(op_id) DO UPDATE SET server_seq = COALESCE(server_seq, ?3)",
               to_hex(op.op_id), encode_op(op), server_seq);
}

Result<std::vector<PendingBatch>> pending_batches(Database& db, std::size_t limit) {
    auto stmt = db.prepare("SELECT seq, batch_id, body, attempts FROM outbox WHERE state = 'pending' "
                           "ORDER BY seq LIMIT ?1");
    if (!stmt) return stmt.error();
    stmt.value().bind(1, static_cast<std::int64_t>(limit));
    std::vector<PendingBatch> out;
    for (;;) {
        auto row = stmt.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const Statement& s = stmt.value();
        out.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3)});
    }
    return out;
}

Status count_attempt(Database& db, const std::string& batch_id) {
    return run(db, "UPDATE outbox SET attempts = attempts + 1 WHERE batch_id = ?1", batch_id);
}

Status mark_op_accepted(Database& db, const std::string& op_id, std::int64_t server_seq) {
    return run(db, "UPDATE ops SET server_seq = ?2 WHERE op_id = ?1", op_id, server_seq);
}

Status mark_batch_accepted(Database& db, const std::string& batch_id, std::int64_t now_ms) {
    return run(db, "UPDATE outbox SET state = 'accepted', answered_at_ms = ?2, error_code = NULL, "
                   "error_message = NULL WHERE batch_id = ?1 AND state = 'pending'",
               batch_id, now_ms);
}

Status mark_batch_rejected(Database& db, const std::string& batch_id, const Error& why, std::int64_t now_ms) {
    if (auto s = run(db, "UPDATE outbox SET state = 'rejected', answered_at_ms = ?2, error_code = ?3, "
                         "error_message = ?4 WHERE batch_id = ?1",
                     batch_id, now_ms, why.code, why.message);
        !s)
        return s;
    return run(db, "UPDATE ops SET rejected = 1, error_code = ?2, error_message = ?3 "
                   "WHERE batch_id = ?1 AND server_seq IS NULL",
               batch_id, why.code, why.message);
}

Status rewrite_pending_batch(Database& db, const Batch& batch) {
    const std::string batch_id = to_hex(batch.batch_id);
    for (const Op& op : batch.ops) {
        if (auto s = run(db, "UPDATE ops SET body = ?2 WHERE op_id = ?1 AND server_seq IS NULL", to_hex(op.op_id),
                         encode_op(op));
            !s)
            return s;
    }
    return run(db, "UPDATE outbox SET body = ?2 WHERE batch_id = ?1 AND state = 'pending'", batch_id,
               encode_batch(batch));
}

}  // namespace lb::engine
