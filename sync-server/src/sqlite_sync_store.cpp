// sqlite_sync_store.cpp — SyncStore's queries on SQLite. [SECTION] transaction and meta; the op log;
// tickets; invites, users, devices; key directory. Helpers: sqlite_store_helpers.h; the triage
// state: sqlite_triage_store.cpp.
// Not here: the schema (server_storage.cpp migrations).
#include "sqlite_sync_store.h"

#include "lifebuoy/wire.h"
#include "sqlite_store_helpers.h"

namespace lb::server {

using namespace sqlite_store;

// ---------------------------------------------------------------------------------------------
// [SECTION] transaction and meta
// ---------------------------------------------------------------------------------------------

Status SqliteSyncStore::transaction(const std::function<Status()>& body) {
    if (auto s = db_.exec("BEGIN IMMEDIATE"); !s) return s;
    Status result = body();
    if (result) result = db_.exec("COMMIT");
    if (!result) (void)db_.exec("ROLLBACK");  // the error that matters is the first one
    return result;
}

// WAL mode: with synchronous=NORMAL a commit appends to the WAL without fsync; the next FULL
// commit's fsync of the same file makes it durable too.
Status SqliteSyncStore::transaction_flushed_later(const std::function<Status()>& body) {
    if (auto s = db_.exec("PRAGMA synchronous=NORMAL"); !s) return s;
    Status result = transaction(body);
    if (auto s = db_.exec("PRAGMA synchronous=FULL"); !s && result) return s;
    return result;
}

Status SqliteSyncStore::savepoint(const std::function<Status()>& body) {
    if (auto s = db_.exec("SAVEPOINT staged"); !s) return s;
    Status result = body();
    if (!result) {
        if (auto undone = db_.exec("ROLLBACK TO staged"); !undone) return undone;
    }
    if (auto released = db_.exec("RELEASE staged"); !released) return released;
    return result;
}

Result<std::optional<std::string>> SqliteSyncStore::meta(std::string_view key) {
    auto s = query(db_, "SELECT value FROM server_meta WHERE key = ?1", {key});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<std::string>{};
    return std::optional<std::string>(s.value().column_text(0));
}

Status SqliteSyncStore::set_meta(std::string_view key, std::string_view value) {
    return run(db_, "INSERT INTO server_meta(key, value) VALUES (?1, ?2) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", {key, value});
}

// ---------------------------------------------------------------------------------------------
// [SECTION] the op log
// ---------------------------------------------------------------------------------------------

Result<std::optional<StoredOp>> SqliteSyncStore::find_op(const OpId& id) {
    const std::string hex = to_hex(id);
    auto s = query(db_, "SELECT seq, body FROM ops WHERE op_id = ?1", {std::string_view(hex)});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<StoredOp>{};
    auto op = decode_op(s.value().column_text(1));
    if (!op) return corrupt("op " + hex + ": " + op.error().message);
    return std::optional<StoredOp>(StoredOp{s.value().column_int(0), std::move(op).value()});
}

Result<std::vector<Op>> SqliteSyncStore::entity_ops(EntityKind kind, const EntityId& id) {
    const std::string hex = to_hex(id);
    auto s = query(db_, "SELECT body FROM ops WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
                   {entity_kind_name(kind), std::string_view(hex)});
    if (!s) return s.error();
    std::vector<Op> ops;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        auto op = decode_op(s.value().column_text(0));
        if (!op) return corrupt("an op of " + hex + ": " + op.error().message);
        ops.push_back(std::move(op).value());
    }
    return ops;
}

Result<std::int64_t> SqliteSyncStore::append_op(const OpToStore& in) {
    const Op& op = *in.op;
    const std::string op_id = to_hex(op.op_id), entity_id = to_hex(op.entity_id), batch_id = to_hex(in.batch_id);
    std::string ticket, owner, device;
    // No RETURNING: it would make the insert a multi-row write that opens a statement journal inside
    // the push's transaction (a subjournal copy of each page it touches); seq is the rowid.
    if (auto st = run(db_,
                      "INSERT INTO ops(op_id, entity, entity_id, body, ticket_id, owner_id, internal, batch_id, "
                      "device_id, received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                      {std::string_view(op_id), entity_name(op), std::string_view(entity_id), std::string_view(in.body),
                       optional_hex(in.routing.ticket, ticket), optional_hex(in.routing.owner, owner),
                       std::int64_t{in.routing.internal ? 1 : 0}, std::string_view(batch_id),
                       optional_hex(in.device, device), in.received_at_ms});
        !st)
        return st.error();
    return db_.last_insert_rowid();
}

Result<std::int64_t> SqliteSyncStore::high_water() {
    return single_int(db_, "SELECT COALESCE(MAX(seq), 0) FROM ops", {});
}

Result<std::int64_t> SqliteSyncStore::op_count() { return single_int(db_, "SELECT COUNT(*) FROM ops", {}); }

Result<PullPage> SqliteSyncStore::pull(const PullQuery& q) {
    auto top = high_water();
    if (!top) return top.error();
    const auto limit = static_cast<std::int64_t>(q.max_ops) + 1;  // one more: is there another page?
    std::string user;
    auto s = q.only_for_user
                 ? query(db_,
                         "SELECT seq, body FROM ops WHERE seq > ?1 AND ("
                         " (internal = 0 AND ticket_id IN (SELECT ticket_id FROM tickets WHERE requester = ?3))"
                         " OR owner_id = ?3) ORDER BY seq LIMIT ?2",
                         {q.after_seq, limit, optional_hex(q.only_for_user, user)})
                 : query(db_, "SELECT seq, body FROM ops WHERE seq > ?1 ORDER BY seq LIMIT ?2", {q.after_seq, limit});
    if (!s) return s.error();
    PullPage page;
    page.cursor = q.after_seq;
    std::size_t bytes = 0;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        std::string body = s.value().column_text(1);
        if (page.bodies.size() >= q.max_ops || (!page.bodies.empty() && bytes + body.size() > q.max_bytes)) {
            page.more = true;
            break;
        }
        bytes += body.size();
        page.cursor = s.value().column_int(0);
        page.seqs.push_back(page.cursor);
        page.bodies.push_back(std::move(body));
    }
    // Nothing more visible: the caller has seen everything up to the top, visible or not.
    if (!page.more && top.value() > page.cursor) page.cursor = top.value();
    return page;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] tickets
// ---------------------------------------------------------------------------------------------

Status SqliteSyncStore::upsert_ticket(const TicketRow& r) {
    const std::string id = to_hex(r.id), requester = to_hex(r.requester);
    std::string assignee;
    return run(db_,
               "INSERT INTO tickets(ticket_id, number, requester, status, category, impact, urgency, priority, "
               "assignee, team, site, deleted, updated_seq) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) "
               "ON CONFLICT(ticket_id) DO UPDATE SET number=excluded.number, requester=excluded.requester, "
               "status=excluded.status, category=excluded.category, impact=excluded.impact, "
               "urgency=excluded.urgency, priority=excluded.priority, assignee=excluded.assignee, "
               "team=excluded.team, site=excluded.site, deleted=excluded.deleted, updated_seq=excluded.updated_seq",
               {std::string_view(id), r.number ? Arg(*r.number) : Arg(std::monostate{}), std::string_view(requester),
                std::string_view(r.status), std::string_view(r.category), std::string_view(r.impact),
                std::string_view(r.urgency), std::string_view(r.priority), optional_hex(r.assignee, assignee),
                std::string_view(r.team), std::string_view(r.site), std::int64_t{r.deleted ? 1 : 0}, r.updated_seq});
}

Result<std::vector<TicketExportRow>> SqliteSyncStore::export_tickets() {
    auto s = query(db_,
                   "SELECT t.ticket_id, t.number, t.status, t.priority, t.category, t.impact, t.urgency, t.team, "
                   "t.site, t.requester, COALESCE(r.display_name, ''), t.assignee, COALESCE(a.display_name, ''), "
                   "sla.filed_at_ms, sla.first_response_ms, t.updated_seq FROM tickets t "
                   "LEFT JOIN users r ON r.user_id = t.requester LEFT JOIN users a ON a.user_id = t.assignee "
                   "LEFT JOIN ticket_sla sla ON sla.ticket_id = t.ticket_id WHERE t.deleted = 0 "
                   "ORDER BY t.number IS NULL, t.number, t.ticket_id",
                   {});
    if (!s) return s.error();
    std::vector<TicketExportRow> rows;
    Status st = each_row(s.value(), [&](const storage::Statement& row) -> Status {
        TicketExportRow r;
        auto id = id_column(row, 0);
        if (!id) return id.error();
        r.id = id.value();
        if (!row.column_is_null(1)) r.number = row.column_int(1);
        r.status = row.column_text(2);
        r.priority = row.column_text(3);
        r.category = row.column_text(4);
        r.impact = row.column_text(5);
        r.urgency = row.column_text(6);
        r.team = row.column_text(7);
        r.site = row.column_text(8);
        auto requester = id_column(row, 9);
        if (!requester) return requester.error();
        r.requester = requester.value();
        r.requester_name = row.column_text(10);
        r.assignee = optional_id_column(row, 11);
        r.assignee_name = row.column_text(12);
        if (!row.column_is_null(13)) r.filed_at_ms = row.column_int(13);
        if (!row.column_is_null(14)) r.first_response_ms = row.column_int(14);
        r.updated_seq = row.column_int(15);
        rows.push_back(std::move(r));
        return Ok{};
    });
    if (!st) return st.error();
    return rows;
}

Result<std::optional<TicketRow>> SqliteSyncStore::ticket(const EntityId& id) {
    const std::string hex = to_hex(id);
    auto s = query(db_,
                   "SELECT number, requester, status, category, impact, urgency, priority, assignee, team, site, "
                   "deleted, updated_seq FROM tickets WHERE ticket_id = ?1", {std::string_view(hex)});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<TicketRow>{};
    const auto& st = s.value();
    TicketRow r;
    r.id = id;
    if (!st.column_is_null(0)) r.number = st.column_int(0);
    auto requester = id_column(st, 1);
    if (!requester) return requester.error();
    r.requester = requester.value();
    r.status = st.column_text(2);
    r.category = st.column_text(3);
    r.impact = st.column_text(4);
    r.urgency = st.column_text(5);
    r.priority = st.column_text(6);
    r.assignee = optional_id_column(st, 7);
    r.team = st.column_text(8);
    r.site = st.column_text(9);
    r.deleted = st.column_int(10) != 0;
    r.updated_seq = st.column_int(11);
    return std::optional<TicketRow>(std::move(r));
}

Result<std::int64_t> SqliteSyncStore::next_ticket_number() {
    return single_int(db_, "SELECT COALESCE(MAX(number), 0) + 1 FROM tickets", {});
}

// ---------------------------------------------------------------------------------------------
// [SECTION] invites, users, devices
// ---------------------------------------------------------------------------------------------

Status SqliteSyncStore::add_invite(const InviteRow& r) {
    std::string user;
    return run(db_,
               "INSERT INTO invites(code_hash, role, display_name, created_at_ms, expires_at_ms, user_id) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
               {std::string_view(r.code_hash), to_name(r.role), std::string_view(r.display_name), r.created_at_ms,
                r.expires_at_ms, optional_hex(r.user, user)});
}

Result<std::optional<InviteRow>> SqliteSyncStore::invite(std::string_view code_hash) {
    auto s = query(db_,
                   "SELECT role, display_name, created_at_ms, expires_at_ms, used_at_ms, user_id FROM invites "
                   "WHERE code_hash = ?1", {code_hash});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<InviteRow>{};
    const auto& st = s.value();
    InviteRow r{std::string(code_hash), role_from_name(st.column_text(0)), st.column_text(1), st.column_int(2),
                st.column_int(3), std::nullopt, optional_id_column(st, 5)};
    if (!st.column_is_null(4)) r.used_at_ms = st.column_int(4);
    return std::optional<InviteRow>(std::move(r));
}

Status SqliteSyncStore::mark_invite_used(std::string_view code_hash, std::int64_t now_ms, const EntityId& device) {
    const std::string hex = to_hex(device);
    return run(db_, "UPDATE invites SET used_at_ms = ?2, used_by_device = ?3 WHERE code_hash = ?1",
               {code_hash, now_ms, std::string_view(hex)});
}

Status SqliteSyncStore::add_user(const UserRow& r, std::int64_t now_ms) {
    const std::string id = to_hex(r.id);
    return run(db_, "INSERT INTO users(user_id, role, display_name, public_key, created_at_ms) VALUES (?1,?2,?3,?4,?5)",
               {std::string_view(id), to_name(r.role), std::string_view(r.display_name),
                std::string_view(r.public_key), now_ms});
}

Result<std::optional<UserRow>> SqliteSyncStore::user(const EntityId& id) {
    const std::string hex = to_hex(id);
    auto s = query(db_, "SELECT role, display_name, public_key, disabled_at_ms IS NOT NULL FROM users WHERE user_id = ?1",
                   {std::string_view(hex)});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<UserRow>{};
    const auto& st = s.value();
    return std::optional<UserRow>(
        UserRow{id, role_from_name(st.column_text(0)), st.column_text(1), st.column_text(2), st.column_int(3) != 0});
}

Status SqliteSyncStore::add_device(const DeviceRow& r, std::string_view token_hash, std::int64_t now_ms) {
    const std::string id = to_hex(r.id), user = to_hex(r.user);
    return run(db_, "INSERT INTO devices(device_id, user_id, token_hash, revoked, created_at_ms, public_key) "
                    "VALUES (?1,?2,?3,?4,?5,?6)",
               {std::string_view(id), std::string_view(user), token_hash, std::int64_t{r.revoked ? 1 : 0}, now_ms,
                std::string_view(r.public_key)});
}

Result<std::optional<DeviceRow>> SqliteSyncStore::device_by_token(std::string_view token_hash) {
    auto s = query(db_,
                   "SELECT d.device_id, d.user_id, u.role, d.revoked, d.public_key FROM devices d "
                   "JOIN users u ON u.user_id = d.user_id WHERE d.token_hash = ?1", {token_hash});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<DeviceRow>{};
    const auto& st = s.value();
    auto device = id_column(st, 0);
    auto user = id_column(st, 1);
    if (!device || !user) return corrupt("device");
    return std::optional<DeviceRow>(DeviceRow{device.value(), user.value(), role_from_name(st.column_text(2)),
                                              st.column_int(3) != 0, st.column_text(4)});
}

Result<std::uint64_t> SqliteSyncStore::envelope_counter(std::string_view device_key) {
    auto s = query(db_, "SELECT last_counter FROM envelope_counters WHERE device_key = ?1", {device_key});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::uint64_t{0};
    return static_cast<std::uint64_t>(s.value().column_int(0));
}

Result<bool> SqliteSyncStore::raise_envelope_counter(std::string_view device_key, std::uint64_t counter) {
    auto last = envelope_counter(device_key);
    if (!last) return last.error();
    if (counter <= last.value()) return false;
    if (auto s = run(db_, "INSERT INTO envelope_counters(device_key, last_counter) VALUES (?1, ?2) "
                          "ON CONFLICT(device_key) DO UPDATE SET last_counter = excluded.last_counter",
                     {device_key, static_cast<std::int64_t>(counter)});
        !s)
        return s.error();
    return true;
}

Result<std::optional<DeviceRow>> SqliteSyncStore::device(const EntityId& id) {
    const std::string hex = to_hex(id);
    auto s = query(db_,
                   "SELECT d.user_id, u.role, d.revoked, d.public_key FROM devices d "
                   "JOIN users u ON u.user_id = d.user_id WHERE d.device_id = ?1", {std::string_view(hex)});
    if (!s) return s.error();
    auto row = s.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<DeviceRow>{};
    const auto& st = s.value();
    auto user = id_column(st, 0);
    if (!user) return corrupt("device");
    return std::optional<DeviceRow>(
        DeviceRow{id, user.value(), role_from_name(st.column_text(1)), st.column_int(2) != 0, st.column_text(3)});
}

Result<std::int64_t> SqliteSyncStore::device_count() {
    return single_int(db_, "SELECT COUNT(*) FROM devices WHERE revoked = 0", {});
}

// ---------------------------------------------------------------------------------------------
// [SECTION] key directory
// ---------------------------------------------------------------------------------------------

Result<std::optional<EntityId>> SqliteSyncStore::node_owner(NodeId node) {
    const std::string hex = node_to_hex(node);
    auto found = first_row(db_, "SELECT user_id FROM op_nodes WHERE node = ?1", {std::string_view(hex)});
    if (!found) return found.error();
    if (!found.value()) return std::optional<EntityId>{};
    auto id = id_column(*found.value(), 0);
    if (!id) return id.error();
    return std::optional<EntityId>(id.value());
}

Status SqliteSyncStore::bind_node(NodeId node, const EntityId& user, const EntityId& device, std::int64_t now_ms) {
    const std::string hex = node_to_hex(node), user_hex = to_hex(user), device_hex = to_hex(device);
    return run(db_, "INSERT INTO op_nodes(node, user_id, device_id, first_seen_ms) VALUES (?1, ?2, ?3, ?4)",
               {std::string_view(hex), std::string_view(user_hex), std::string_view(device_hex), now_ms});
}

Result<std::vector<NodeOwnerRow>> SqliteSyncStore::node_owners() {
    auto s = query(db_, "SELECT node, user_id FROM op_nodes ORDER BY node", {});
    if (!s) return s.error();
    std::vector<NodeOwnerRow> out;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        auto node = node_from_hex(s.value().column_text(0));
        auto user = id_column(s.value(), 1);
        if (!node || !user) return corrupt("op_nodes");
        out.push_back(NodeOwnerRow{*node, user.value()});
    }
    return out;
}

Status SqliteSyncStore::set_user_public_key(const EntityId& user, std::string_view public_key) {
    const std::string hex = to_hex(user);
    return run(db_, "UPDATE users SET public_key = ?2 WHERE user_id = ?1", {std::string_view(hex), public_key});
}

namespace {
// Users rows of `where` (a condition on the users table), by user id.
Result<std::vector<UserRow>> users_where(storage::Database& db, std::string_view where) {
    auto s = query(db, "SELECT user_id, role, display_name, public_key FROM users WHERE " + std::string(where) +
                           " ORDER BY user_id", {});
    if (!s) return s.error();
    std::vector<UserRow> out;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const auto& st = s.value();
        auto id = id_column(st, 0);
        if (!id) return id.error();
        out.push_back(UserRow{id.value(), role_from_name(st.column_text(1)), st.column_text(2), st.column_text(3)});
    }
    return out;
}
}  // namespace

Result<std::vector<UserRow>> SqliteSyncStore::users_with_keys() { return users_where(db_, "public_key <> ''"); }

Result<std::vector<UserRow>> SqliteSyncStore::help_desk_users() {
    return users_where(db_, "role IN ('technician', 'admin')");
}

Status SqliteSyncStore::set_user_role(const EntityId& user, Role role) {
    const std::string id = to_hex(user);
    return run(db_, "UPDATE users SET role = ?2 WHERE user_id = ?1",
               {std::string_view(id), std::string_view(to_name(role))});
}

Status SqliteSyncStore::revoke_user_devices(const EntityId& user) {
    const std::string id = to_hex(user);
    return run(db_, "UPDATE devices SET revoked = 1 WHERE user_id = ?1", {std::string_view(id)});
}

Result<std::vector<UserListing>> SqliteSyncStore::list_users() {
    auto s = query(db_,
                   "SELECT u.user_id, u.role, u.display_name, u.public_key, u.created_at_ms, u.disabled_at_ms, "
                   "(SELECT COUNT(*) FROM devices d WHERE d.user_id = u.user_id), "
                   "(SELECT COUNT(*) FROM devices d WHERE d.user_id = u.user_id AND d.revoked = 0) "
                   "FROM users u ORDER BY u.created_at_ms, u.user_id",
                   {});
    if (!s) return s.error();
    std::vector<UserListing> out;
    Status st = each_row(s.value(), [&](const storage::Statement& row) -> Status {
        auto id = id_column(row, 0);
        if (!id) return id.error();
        UserListing l;
        l.user = UserRow{id.value(), role_from_name(row.column_text(1)), row.column_text(2), row.column_text(3),
                         !row.column_is_null(5)};
        l.created_at_ms = row.column_int(4);
        if (!row.column_is_null(5)) l.disabled_at_ms = row.column_int(5);
        l.devices = row.column_int(6);
        l.active_devices = row.column_int(7);
        out.push_back(std::move(l));
        return Ok{};
    });
    if (!st) return st.error();
    return out;
}

Status SqliteSyncStore::set_user_disabled(const EntityId& user, std::optional<std::int64_t> at_ms) {
    const std::string id = to_hex(user);
    return run(db_, "UPDATE users SET disabled_at_ms = ?2 WHERE user_id = ?1",
               {std::string_view(id), optional_arg(at_ms)});
}

Result<std::vector<EntityId>> SqliteSyncStore::disabled_users() {
    auto s = query(db_, "SELECT user_id FROM users WHERE disabled_at_ms IS NOT NULL", {});
    if (!s) return s.error();
    return id_list(s.value());
}

Status SqliteSyncStore::revoke_device(const EntityId& device) {
    const std::string id = to_hex(device);
    return run(db_, "UPDATE devices SET revoked = 1 WHERE device_id = ?1", {std::string_view(id)});
}

Result<std::vector<DeviceSummaryRow>> SqliteSyncStore::device_summaries() {
    auto s = query(db_,
                   "SELECT d.device_id, d.user_id, u.role, d.revoked, d.public_key, u.display_name, d.created_at_ms "
                   "FROM devices d JOIN users u ON u.user_id = d.user_id ORDER BY d.created_at_ms, d.device_id", {});
    if (!s) return s.error();
    std::vector<DeviceSummaryRow> out;
    if (auto st = each_row(s.value(), [&](const storage::Statement& row) -> Status {
            auto device = id_column(row, 0);
            auto user = id_column(row, 1);
            if (!device || !user) return corrupt("device");
            out.push_back(DeviceSummaryRow{DeviceRow{device.value(), user.value(), role_from_name(row.column_text(2)),
                                                     row.column_int(3) != 0, row.column_text(4)},
                                           row.column_text(5), row.column_int(6)});
            return Ok{};
        });
        !st)
        return st.error();
    return out;
}

Status SqliteSyncStore::add_team_key(const TeamKeyRow& r, std::int64_t now_ms) {
    return run(db_, "INSERT INTO team_keys(key_id, public_key, created_at_ms) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT(key_id) DO NOTHING",
               {std::string_view(r.key_id), std::string_view(r.public_key), now_ms});
}

Result<std::vector<TeamKeyRow>> SqliteSyncStore::team_keys() {
    auto s = query(db_, "SELECT key_id, public_key FROM team_keys ORDER BY seq", {});
    if (!s) return s.error();
    std::vector<TeamKeyRow> out;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        out.push_back(TeamKeyRow{s.value().column_text(0), s.value().column_text(1)});
    }
    return out;
}

Status SqliteSyncStore::put_team_key_wrap(const TeamKeyWrapRow& r) {
    const std::string user = to_hex(r.user);
    return run(db_, "INSERT INTO team_key_wraps(key_id, user_id, wrap) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT(key_id, user_id) DO UPDATE SET wrap = excluded.wrap",
               {std::string_view(r.key_id), std::string_view(user), std::string_view(r.wrap)});
}

Result<std::vector<TeamKeyWrapRow>> SqliteSyncStore::team_key_wraps(const EntityId& user) {
    const std::string hex = to_hex(user);
    auto s = query(db_, "SELECT key_id, wrap FROM team_key_wraps WHERE user_id = ?1 ORDER BY key_id",
                   {std::string_view(hex)});
    if (!s) return s.error();
    std::vector<TeamKeyWrapRow> out;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        out.push_back(TeamKeyWrapRow{s.value().column_text(0), user, s.value().column_text(1)});
    }
    return out;
}

Result<std::vector<TeamKeyWrapRow>> SqliteSyncStore::all_team_key_wraps() {
    auto s = query(db_, "SELECT key_id, user_id, wrap FROM team_key_wraps ORDER BY key_id, user_id", {});
    if (!s) return s.error();
    std::vector<TeamKeyWrapRow> out;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        auto user = id128_from_hex(s.value().column_text(1));
        if (!user) return make_error("storage_error", "team_key_wraps: a bad user id");
        out.push_back(TeamKeyWrapRow{s.value().column_text(0), *user, s.value().column_text(2)});
    }
    return out;
}

}  // namespace lb::server
