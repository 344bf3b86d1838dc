// ticket_dashboard.h — the technician's dashboard (issue #10), computed on the device from the
// tickets it holds, so it works offline: open tickets by status and priority, SLA breaches and
// tickets at risk (the queue's SLA marks), an aging histogram of open tickets, tickets per
// technician, first-response and resolution times (median and 90th percentile), tickets opened
// and resolved per day over the last two weeks, and what the knowledge base did (articles
// suggested, linked and marked as the solution on tickets; problems solved by an article on this
// device instead of a ticket).
//
// "Open" = not resolved and not closed. First response = the first public reply or request for
// information by the help desk, after the ticket was filed; resolution = the first time the
// status became resolved (or closed, when it was never resolved). Days are UTC days.
// Pure: the engine hands in the queue rows and the facts it read (engine_dashboard.cpp).
// Not here: the charts (client/ui/dashboard_screen.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/ticket_queue.h"

namespace lb::engine {

// Open statuses shown as the rows of the status × priority table, in this order.
inline constexpr std::array<TicketStatus, 5> kDashboardStatuses{TicketStatus::new_, TicketStatus::triaged, TicketStatus::assigned,
                                                              TicketStatus::in_progress, TicketStatus::waiting_on_requester};
inline constexpr std::array<Priority, 5> kDashboardPriorities{Priority::critical, Priority::high, Priority::medium,
                                                            Priority::low, Priority::planning};
// Upper bounds of the aging buckets (the last bucket has none): < 1 day, 1–3 days, 3–7 days,
// 1–2 weeks, 2–4 weeks, 4 weeks and more.
inline constexpr std::array<std::int64_t, 5> kAgingBoundsMs{86400000LL, 3 * 86400000LL, 7 * 86400000LL, 14 * 86400000LL,
                                                           28 * 86400000LL};
inline constexpr int kTrendDays = 14;

// What the dashboard needs besides the queue rows (whose SLA marks it counts).
struct DashboardFacts {
    std::map<EntityId, std::int64_t> first_response_ms;  // ticket → when the help desk first answered
    std::map<EntityId, std::int64_t> resolved_ms;        // ticket → when it was first resolved (or closed)
    std::size_t kb_suggested = 0, kb_linked = 0, kb_solved = 0;  // article references on tickets
    std::size_t deflections_here = 0;  // "this solved my problem" recorded on this device
    std::int64_t now_ms = 0;
};

struct Durations {
    std::size_t count = 0;
    std::int64_t median_ms = 0, p90_ms = 0;  // 0 when count == 0
};

struct TechnicianLoad {
    std::string name;  // "" = unassigned
    std::size_t open = 0;
    std::size_t resolved_recently = 0;  // in the trend window
};

struct Dashboard {
    std::size_t open = 0, resolved = 0, closed = 0;
    std::array<std::array<std::size_t, kDashboardPriorities.size()>, kDashboardStatuses.size()> open_by_status_priority{};
    std::size_t overdue = 0, at_risk = 0, paused = 0;
    std::vector<QueueRow> most_urgent;  // up to 5 overdue / at-risk open tickets, least time left first
    std::array<std::size_t, kAgingBoundsMs.size() + 1> aging{};
    std::vector<TechnicianLoad> technicians;  // most open first; the unassigned last
    Durations first_response, resolution;
    std::array<std::size_t, kTrendDays> opened_per_day{}, resolved_per_day{};  // oldest day first
    std::int64_t first_trend_day = 0;  // days since 1970-01-01 (UTC) of opened_per_day[0]
    std::size_t kb_suggested = 0, kb_linked = 0, kb_solved = 0, deflections_here = 0;
};

// Percentile by nearest rank (p in (0, 1]); 0 for none.
std::int64_t nearest_rank(std::vector<std::int64_t> values, double p);
Dashboard make_dashboard(const std::vector<QueueRow>& rows, const DashboardFacts& facts);

}  // namespace lb::engine
