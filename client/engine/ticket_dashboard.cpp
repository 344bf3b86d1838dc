// ticket_dashboard.cpp — the dashboard's figures from the queue rows and facts (ticket_dashboard.h).
#include "engine/ticket_dashboard.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "lifebuoy/triage/civil_time.h"

namespace lb::engine {
namespace {

template <std::size_t N, typename T>
std::size_t index_of(const std::array<T, N>& list, T value) {
    return static_cast<std::size_t>(std::find(list.begin(), list.end(), value) - list.begin());  // N: not listed
}

Durations durations(std::vector<std::int64_t> values) {
    Durations d;
    d.count = values.size();
    d.median_ms = nearest_rank(values, 0.5);
    d.p90_ms = nearest_rank(std::move(values), 0.9);
    return d;
}

}  // namespace

std::int64_t nearest_rank(std::vector<std::int64_t> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

Dashboard make_dashboard(const std::vector<QueueRow>& rows, const DashboardFacts& facts) {
    Dashboard d;
    d.kb_suggested = facts.kb_suggested;
    d.kb_linked = facts.kb_linked;
    d.kb_solved = facts.kb_solved;
    d.deflections_here = facts.deflections_here;
    const std::int64_t today = triage::day_of_ms(facts.now_ms);
    d.first_trend_day = today - (kTrendDays - 1);
    auto trend_day = [&](std::int64_t ms) -> std::optional<std::size_t> {  // its place in the trend, if in it
        const std::int64_t day = triage::day_of_ms(ms) - d.first_trend_day;
        if (day < 0 || day >= kTrendDays) return std::nullopt;
        return static_cast<std::size_t>(day);
    };

    std::map<std::string, TechnicianLoad> load;  // by name; "" = unassigned
    std::vector<std::int64_t> response_times, resolution_times;
    for (const QueueRow& row : rows) {
        const Ticket& t = row.ticket;
        const auto filed = static_cast<std::int64_t>(t.created.ms());
        if (auto day = trend_day(filed)) ++d.opened_per_day[*day];
        if (auto r = facts.first_response_ms.find(t.id); r != facts.first_response_ms.end() && r->second >= filed)
            response_times.push_back(r->second - filed);
        if (auto r = facts.resolved_ms.find(t.id); r != facts.resolved_ms.end() && r->second >= filed) {
            resolution_times.push_back(r->second - filed);
            if (auto day = trend_day(r->second)) {
                ++d.resolved_per_day[*day];
                if (t.assignee) ++load[row.assignee_name].resolved_recently;
            }
        }
        if (!is_open(t.status)) {
            ++(t.status == TicketStatus::resolved ? d.resolved : d.closed);
            continue;
        }
        ++d.open;
        const std::size_t s = index_of(kDashboardStatuses, t.status), p = index_of(kDashboardPriorities, shown_priority(t));
        if (s < kDashboardStatuses.size() && p < kDashboardPriorities.size()) ++d.open_by_status_priority[s][p];
        if (row.sla == SlaMark::overdue) ++d.overdue;
        if (row.sla == SlaMark::at_risk) ++d.at_risk;
        if (row.sla == SlaMark::paused) ++d.paused;
        if (row.sla == SlaMark::overdue || row.sla == SlaMark::at_risk) d.most_urgent.push_back(row);
        const std::int64_t age = facts.now_ms - filed;
        std::size_t bucket = 0;
        while (bucket < kAgingBoundsMs.size() && age >= kAgingBoundsMs[bucket]) ++bucket;
        ++d.aging[bucket];
        ++load[t.assignee ? row.assignee_name : std::string()].open;
    }
    std::sort(d.most_urgent.begin(), d.most_urgent.end(), [](const QueueRow& a, const QueueRow& b) {
        return a.left_ms != b.left_ms ? a.left_ms < b.left_ms : a.ticket.id < b.ticket.id;
    });
    if (d.most_urgent.size() > 5) d.most_urgent.resize(5);
    for (auto& [name, l] : load) {
        l.name = name;
        d.technicians.push_back(l);
    }
    std::sort(d.technicians.begin(), d.technicians.end(), [](const TechnicianLoad& a, const TechnicianLoad& b) {
        if (a.name.empty() != b.name.empty()) return b.name.empty();  // the unassigned last
        return a.open != b.open ? a.open > b.open : a.name < b.name;
    });
    d.first_response = durations(std::move(response_times));
    d.resolution = durations(std::move(resolution_times));
    return d;
}

}  // namespace lb::engine
