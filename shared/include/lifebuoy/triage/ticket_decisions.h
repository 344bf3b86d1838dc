// triage/ticket_decisions.h — what the help desk's automation decides for one ticket, as data
// with the rule that fired and a detail for people: its priority, its due dates, how far an
// escalation raises it. The server turns decisions into ops (automation_ops.h); a device can run
// the same functions to show what the server will do.
//
// Rules:
//  - priority.matrix         impact × urgency through the matrix; written when it differs.
//  - priority.override_kept  a person (technician, admin) set the priority: it wins, the matrix
//                            value is only mentioned.
//  - priority.untriaged      impact or urgency missing: no priority yet; the SLA times the ticket
//                            as `untriaged_as`.
//  - sla.due_dates           the due dates of the clocks that run (first response, resolution).
//  - sla.paused              the ticket waits on the requester: due dates cleared until they answer.
// A clock that stopped (responded, resolved, closed) keeps the due date it had.
// Not here: the clocks (ticket_sla.h), the matrix (priority.h), the ops (automation_ops.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lifebuoy/domain.h"
#include "lifebuoy/triage/business_calendar.h"
#include "lifebuoy/triage/priority.h"
#include "lifebuoy/triage/ticket_sla.h"

namespace lb::triage {

struct PriorityDecision {
    Priority priority = Priority::unknown;  // the ticket's priority after the decision
    bool write = false;                     // the server writes `priority`
    bool explain = false;                   // worth a system event (written, or an override kept)
    std::string rule;
    std::string detail;                     // e.g. "impact high × urgency medium → P2 High"
};

// `current` is the ticket's priority now; `set_by_person` whether a person wrote it.
PriorityDecision decide_priority(const PriorityMatrix& matrix, Impact impact, Urgency urgency, Priority current,
                                 bool set_by_person, Priority untriaged_as);

struct DueDatesDecision {
    bool write = false;
    std::optional<std::int64_t> response_due_ms;    // nullopt: cleared
    std::optional<std::int64_t> resolution_due_ms;
    std::string rule;
    std::string detail;  // "P3 Medium, business hours at london: first response by 2025-06-16 10:59 UTC+01:00, …"
};

// `current_*` are the ticket's due dates now; `sla` was read for `priority` on `calendar`.
DueDatesDecision decide_due_dates(const TicketSla& sla, Priority priority, const BusinessCalendar& calendar,
                                  std::int64_t start_ms, std::optional<std::int64_t> current_response_due_ms,
                                  std::optional<std::int64_t> current_resolution_due_ms);

// One step more urgent (planning → low … high → critical); critical stays; unknown counts as
// `untriaged_as` first.
Priority raised_priority(Priority priority, Priority untriaged_as);

}  // namespace lb::triage
