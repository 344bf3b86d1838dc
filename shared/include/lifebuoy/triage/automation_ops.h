// triage/automation_ops.h — turns triage decisions into ops, so that every change is in the
// ticket's history with who made it and why.
//
// Features:
//  - a technician's priority override: the priority write plus an internal note with the reason
//    ("Priority override: P3 Medium → P1 Critical. Reason: …"), in one batch;
//  - the server's automatic changes (role `system`): an assignment (status new/triaged → assigned
//    on the way), an escalation (with the priority raised and the team lead told), SLA due dates
//    (or their pause), a computed priority, the team queue — each with a system_event comment
//    naming the rule that fired ("[dispatch.onsite_same_site] …").
// The ops go through BatchBuilder (fresh op ids and clock ticks) and must still pass
// authorize_batch at the edge like any other batch. Comment bodies are plain text here; the engine
// seals a technician's note like any comment. System events carry only metadata (rule names,
// priorities, counts), which the server may see anyway.
// Not here: deciding anything (priority.h, dispatch.h, escalation.h, sla.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lifebuoy/domain.h"
#include "lifebuoy/op.h"
#include "lifebuoy/result.h"
#include "lifebuoy/triage/dispatch.h"
#include "lifebuoy/triage/escalation.h"
#include "lifebuoy/triage/priority.h"
#include "lifebuoy/triage/ticket_decisions.h"

namespace lb::triage {

// Adds the priority write and the internal note by `author`. Codes: validate_override's.
Status append_priority_override(BatchBuilder& builder, const EntityId& ticket, const EntityId& author,
                                const PriorityOverride& override_);

// Adds assignee, the status steps from `current` to assigned (new → triaged → assigned; none if
// already past triaged) and a system_event comment by `system_user`.
void append_assignment(BatchBuilder& builder, const Assignment& assignment, TicketStatus current,
                       const EntityId& system_user);

// Adds a system_event comment "[sla.resolution.breached] …".
void append_escalation(BatchBuilder& builder, const Escalation& escalation, const EntityId& system_user);

// Adds response_due / resolution_due and a system_event comment with `rule` (e.g. "sla.due_dates").
void append_due_dates(BatchBuilder& builder, const EntityId& ticket, std::int64_t response_due_ms,
                      std::int64_t resolution_due_ms, std::string_view rule, std::string_view detail,
                      const EntityId& system_user);

// The body of a system_event comment: "[rule] detail".
std::string system_event_body(std::string_view rule, std::string_view detail);

// --- the server's decisions (ticket_decisions.h), each with its system_event comment ---

// The priority write (when decided) and a comment naming the rule (when worth explaining).
void append_priority_decision(BatchBuilder& builder, const EntityId& ticket, const PriorityDecision& decision,
                              const EntityId& system_user);

// response_due / resolution_due (null when cleared) and a comment "[sla.due_dates] …".
void append_due_dates_decision(BatchBuilder& builder, const EntityId& ticket, const DueDatesDecision& decision,
                               const EntityId& system_user);

// Nobody could take the ticket: it waits in `team`'s queue (team written, new → triaged) with a
// comment naming the dispatch rule that failed ("[dispatch.no_skill] …; waiting in the queue of …").
void append_team_queue(BatchBuilder& builder, const Unassigned& unassigned, std::string_view team,
                       TicketStatus current, const EntityId& system_user);

// An escalation and what it does: the priority raised (when `raised_to` is set) and the team lead
// named as notified, in its system_event comment.
void append_escalation_actions(BatchBuilder& builder, const Escalation& escalation, Priority current,
                               std::optional<Priority> raised_to, const std::optional<EntityId>& team_lead,
                               const EntityId& system_user);

}  // namespace lb::triage
