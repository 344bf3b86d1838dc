// engine_dashboard.cpp — the dashboard command for technicians (issue #10; the figures are
// ticket_dashboard.h): the queue rows (with their SLA marks), when the help desk first answered
// each ticket, when each was first resolved (its status history), the knowledge-base references
// on tickets and this device's deflections — all from local data, so it answers offline.
// Not here: the charts (client/ui/dashboard_screen.cpp).
#include "engine/engine.h"
#include "engine/ticket_dashboard.h"

namespace lb::engine {

using nlohmann::json;

namespace {

json durations_json(const Durations& d) { return {{"count", d.count}, {"median_ms", d.median_ms}, {"p90_ms", d.p90_ms}}; }

template <std::size_t N>
json counts_json(const std::array<std::size_t, N>& counts) { return json(std::vector<std::size_t>(counts.begin(), counts.end())); }

json dashboard_json(const Dashboard& d, std::int64_t now_ms) {
    json statuses = json::array(), priorities = json::array(), by_status = json::array();
    for (TicketStatus s : kDashboardStatuses) statuses.push_back(to_name(s));
    for (Priority p : kDashboardPriorities) priorities.push_back(to_name(p));
    for (const auto& row : d.open_by_status_priority) by_status.push_back(counts_json(row));
    json urgent = json::array();
    for (const QueueRow& r : d.most_urgent)
        urgent.push_back({{"id", to_hex(r.ticket.id)},
                          {"number", r.ticket.number ? json(*r.ticket.number) : json(nullptr)},
                          {"title", r.ticket.title},
                          {"sla", to_name(r.sla)},
                          {"left_ms", r.left_ms},
                          {"assignee", r.assignee_name}});
    json technicians = json::array();
    for (const TechnicianLoad& t : d.technicians)
        technicians.push_back({{"name", t.name}, {"open", t.open}, {"resolved_recently", t.resolved_recently}});
    return {{"now_ms", now_ms},
            {"open", d.open},
            {"resolved", d.resolved},
            {"closed", d.closed},
            {"statuses", std::move(statuses)},
            {"priorities", std::move(priorities)},
            {"open_by_status_priority", std::move(by_status)},
            {"sla", {{"overdue", d.overdue}, {"at_risk", d.at_risk}, {"paused", d.paused}, {"most_urgent", std::move(urgent)}}},
            {"aging", counts_json(d.aging)},
            {"technicians", std::move(technicians)},
            {"first_response", durations_json(d.first_response)},
            {"resolution", durations_json(d.resolution)},
            {"trend", {{"first_day_ms", d.first_trend_day * 86400000LL},
                       {"opened", counts_json(d.opened_per_day)},
                       {"resolved", counts_json(d.resolved_per_day)}}},
            {"knowledge", {{"suggested", d.kb_suggested}, {"linked", d.kb_linked}, {"solved", d.kb_solved},
                           {"deflections_here", d.deflections_here}}}};
}

}  // namespace

commands::Response Engine::dashboard(const commands::Request& request) {
    QueueContext context;
    auto rows = queue_rows(context);
    if (!rows) return commands::error_response(request.id, rows.error().code, rows.error().message);
    DashboardFacts facts;
    facts.now_ms = context.now_ms;
    facts.first_response_ms = context.answered;  // read once, with the rows
    for (const QueueRow& row : rows.value()) {
        std::int64_t resolved = -1, closed = -1;
        for (const Op* op : replica_.history(EntityKind::ticket, row.ticket.id, Field::ticket_status)) {
            const auto* word = std::get_if<std::string>(&op->value);
            if (!word) continue;
            const auto at = static_cast<std::int64_t>(op->hlc.ms());
            if (*word == "resolved" && (resolved < 0 || at < resolved)) resolved = at;
            if (*word == "closed" && (closed < 0 || at < closed)) closed = at;
        }
        if (resolved >= 0 || closed >= 0) facts.resolved_ms[row.ticket.id] = resolved >= 0 ? resolved : closed;
    }
    for (const EntityId& id : replica_.entity_ids(EntityKind::kb_ref)) {
        auto ref = read_kb_ref(replica_, id);
        if (!ref || ref->deleted) continue;
        if (ref->relation == KbRelation::suggested) ++facts.kb_suggested;
        if (ref->relation == KbRelation::linked) ++facts.kb_linked;
        if (ref->relation == KbRelation::solved) ++facts.kb_solved;
    }
    auto deflections = db_.query_int("SELECT count(*) FROM kb_deflections");
    if (!deflections) return commands::error_response(request.id, deflections.error().code, deflections.error().message);
    facts.deflections_here = static_cast<std::size_t>(deflections.value());
    return commands::ok_response(request.id, dashboard_json(make_dashboard(rows.value(), facts), facts.now_ms));
}

}  // namespace lb::engine
