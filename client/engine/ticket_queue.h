// ticket_queue.h — the technician's work queue (issue #10): every ticket on the device as a row
// of the queue table (number, title, requester, category, priority, status, assignee, site, SLA
// due, last update), narrowed by a view (open, mine, my team, unassigned, overdue, at risk,
// waiting on the requester, closed, all), a site, a category and search words, sorted by any
// column — plus the counts each view would show, and the rows as CSV.
//
// The SLA mark of a row: the clock that runs now is the first response until the help desk has
// answered (a public reply or request for information by a technician, or the ticket moved to in
// progress or beyond), then the resolution; "overdue" once its due date passed, "at risk" when
// the time left is under (1 − escalation.at_risk_fraction) of that target's length (wall-clock
// time against the target's minutes: the server's escalation pass counts business time, so it
// may mark a ticket a little later), "paused" while waiting on the requester (the server clears
// due dates then), "none" without a due date, "done" once resolved or closed.
// Pure: the engine hands in the tickets (opened), the people and the comments' facts.
// Not here: the engine command (engine_queue.cpp), the table (client/ui/queue_screen.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lifebuoy/result.h"
#include "lifebuoy/triage/config.h"
#include "lifebuoy/views.h"

namespace lb::engine {

enum class SlaMark : std::uint8_t { none, ok, at_risk, overdue, paused, done };
std::string_view to_name(SlaMark mark);

struct QueueFilter {
    std::string view = "open";  // open|mine|team|unassigned|overdue|at_risk|waiting|closed|all
    std::string site;           // "" = every site
    std::string category;       // "" = every category
    std::string query;          // words in the title, number, requester or assignee (case-insensitive)
};

struct QueueSort {
    std::string column = "due";  // number|title|requester|category|priority|status|assignee|site|due|updated
    bool descending = false;
};

struct QueueRow {
    Ticket ticket;  // its text opened (or "(encrypted…)" when the device lacks the key)
    std::string requester_name, assignee_name;
    std::optional<std::int64_t> due_ms;  // of the clock that runs now
    bool response_due = true;            // that clock is the first response (else the resolution)
    SlaMark sla = SlaMark::none;
    std::int64_t left_ms = 0;  // due − now (negative: overdue by)
};

// What the queue needs to know besides the tickets.
struct QueueContext {
    EntityId me;
    std::string my_team;                              // "" = the default team
    std::map<EntityId, std::string> names;            // user → display name
    std::map<EntityId, std::int64_t> answered;        // ticket → when the help desk first answered it
    const triage::TriageConfig* desk = nullptr;       // the SLA targets and at-risk fraction
    std::int64_t now_ms = 0;
};

// The priority a ticket shows: the help desk's, else the matrix's from impact and urgency.
Priority shown_priority(const Ticket& t);

// Codes: bad_arguments (an unknown view or column).
Status check_queue_request(const QueueFilter& filter, const QueueSort& sort);

QueueRow queue_row(Ticket ticket, const QueueContext& context);
bool in_view(const QueueRow& row, const std::string& view, const QueueContext& context);
// Applies the filter (view, site, category, words) and sorts; ties by number, then id.
std::vector<QueueRow> select_queue(std::vector<QueueRow> rows, const QueueFilter& filter, const QueueSort& sort,
                                   const QueueContext& context);
// How many of `rows` each view holds (site, category and words applied): {"open": n, …}.
std::map<std::string, std::size_t> view_counts(const std::vector<QueueRow>& rows, const QueueFilter& filter,
                                               const QueueContext& context);
// The rows as CSV (RFC 4180: a header line, fields quoted when needed, CRLF line ends; times in
// UTC ISO 8601) — what the table shows, for a spreadsheet.
std::string queue_csv(const std::vector<QueueRow>& rows);

}  // namespace lb::engine
