// sqlite_triage_store.cpp — SqliteSyncStore's queries for the triage automation: per-ticket SLA
// state, the tickets due for an escalation check, the team queue, open assignments (loads) and
// the roster's users. Schema: migration 3 in server_storage.cpp.
#include "sqlite_store_helpers.h"
#include "sqlite_sync_store.h"

namespace lb::server {

using namespace sqlite_store;

namespace {

std::optional<std::int64_t> optional_int(const storage::Statement& s, int col) {
    if (s.column_is_null(col)) return std::nullopt;
    return s.column_int(col);
}

}  // namespace

Result<std::optional<TicketSlaRow>> SqliteSyncStore::ticket_sla(const EntityId& ticket) {
    const std::string hex = to_hex(ticket);
    auto found = first_row(db_,
                           "SELECT filed_at_ms, sla_priority, first_response_ms, first_response_level, "
                           "resolution_level, next_check_ms, queued FROM ticket_sla WHERE ticket_id = ?1",
                           {std::string_view(hex)});
    if (!found) return found.error();
    if (!found.value()) return std::optional<TicketSlaRow>{};
    const auto& st = *found.value();
    TicketSlaRow r;
    r.ticket = ticket;
    r.filed_at_ms = st.column_int(0);
    r.sla_priority = st.column_text(1);
    r.first_response_ms = optional_int(st, 2);
    r.first_response_level = static_cast<int>(st.column_int(3));
    r.resolution_level = static_cast<int>(st.column_int(4));
    r.next_check_ms = optional_int(st, 5);
    r.queued = st.column_int(6) != 0;
    return std::optional<TicketSlaRow>(std::move(r));
}

Status SqliteSyncStore::put_ticket_sla(const TicketSlaRow& r) {
    const std::string hex = to_hex(r.ticket);
    return run(db_,
               "INSERT INTO ticket_sla(ticket_id, filed_at_ms, sla_priority, first_response_ms, first_response_level, "
               "resolution_level, next_check_ms, queued) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) "
               "ON CONFLICT(ticket_id) DO UPDATE SET filed_at_ms=excluded.filed_at_ms, "
               "sla_priority=excluded.sla_priority, first_response_ms=excluded.first_response_ms, "
               "first_response_level=excluded.first_response_level, resolution_level=excluded.resolution_level, "
               "next_check_ms=excluded.next_check_ms, queued=excluded.queued",
               {std::string_view(hex), r.filed_at_ms, std::string_view(r.sla_priority),
                optional_arg(r.first_response_ms), std::int64_t{r.first_response_level},
                std::int64_t{r.resolution_level}, optional_arg(r.next_check_ms), std::int64_t{r.queued ? 1 : 0}});
}

Result<std::vector<EntityId>> SqliteSyncStore::sla_checks_due(std::int64_t now_ms, std::size_t limit) {
    auto s = query(db_,
                   "SELECT ticket_id FROM ticket_sla WHERE next_check_ms IS NOT NULL AND next_check_ms <= ?1 "
                   "ORDER BY next_check_ms, ticket_id LIMIT ?2",
                   {now_ms, static_cast<std::int64_t>(limit)});
    if (!s) return s.error();
    return id_list(s.value());
}

Result<std::vector<EntityId>> SqliteSyncStore::queued_tickets(std::size_t limit) {
    auto s = query(db_, "SELECT ticket_id FROM ticket_sla WHERE queued = 1 ORDER BY filed_at_ms, ticket_id LIMIT ?1",
                   {static_cast<std::int64_t>(limit)});
    if (!s) return s.error();
    return id_list(s.value());
}

Result<std::vector<AssignedCount>> SqliteSyncStore::open_assignments() {
    auto s = query(db_,
                   "SELECT assignee, priority, COUNT(*) FROM tickets WHERE assignee IS NOT NULL AND deleted = 0 "
                   "AND status NOT IN ('resolved', 'closed') GROUP BY assignee, priority ORDER BY assignee, priority",
                   {});
    if (!s) return s.error();
    std::vector<AssignedCount> out;
    Status st = each_row(s.value(), [&](const storage::Statement& row) -> Status {
        auto id = id_column(row, 0);
        if (!id) return id.error();
        out.push_back(AssignedCount{id.value(), row.column_text(1), row.column_int(2)});
        return Ok{};
    });
    if (!st) return st.error();
    return out;
}

Result<std::optional<EntityId>> SqliteSyncStore::roster_user(std::string_view technician) {
    auto found = first_row(db_, "SELECT user_id FROM roster_users WHERE technician = ?1", {technician});
    if (!found) return found.error();
    if (!found.value()) return std::optional<EntityId>{};
    auto id = id_column(*found.value(), 0);
    if (!id) return id.error();
    return std::optional<EntityId>(id.value());
}

Status SqliteSyncStore::set_roster_user(std::string_view technician, const EntityId& user) {
    const std::string hex = to_hex(user);
    return run(db_, "INSERT INTO roster_users(technician, user_id) VALUES (?1, ?2)", {technician, std::string_view(hex)});
}

}  // namespace lb::server
