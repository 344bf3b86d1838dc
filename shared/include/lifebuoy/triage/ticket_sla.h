// triage/ticket_sla.h — both SLA clocks of one ticket (first response and resolution) read at an
// instant, the escalations they call for, and when they must be looked at again.
//
// Features: read_ticket_sla (the two readings of sla.h for the ticket's priority, site calendar,
// filing time, status history and first response); next_check_ms, the earliest instant at which a
// clock that runs can cross a threshold not escalated yet — so a server only looks at tickets
// whose time has come, and a paused or stopped ticket costs nothing until it changes; the
// escalations due now, each threshold once (the caller records the levels); what counts as the
// first response.
// Not here: thresholds and rule names (escalation.h), writing ops (automation_ops.h), storage.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/id128.h"
#include "lifebuoy/result.h"
#include "lifebuoy/schema.h"
#include "lifebuoy/triage/business_calendar.h"
#include "lifebuoy/triage/escalation.h"
#include "lifebuoy/triage/sla.h"

namespace lb::triage {

struct TicketSlaInput {
    Priority priority = Priority::unknown;       // whose targets apply (unknown → untriaged_as)
    std::int64_t start_ms = 0;                   // sla_start_ms of the creating op
    std::span<const StatusChange> changes;       // the status history
    std::optional<std::int64_t> first_response_ms;
};

// The escalation levels already recorded for a ticket.
struct EscalationLevels {
    EscalationLevel first_response = EscalationLevel::none;
    EscalationLevel resolution = EscalationLevel::none;
    friend bool operator==(const EscalationLevels&, const EscalationLevels&) = default;
};

struct TicketSla {
    SlaTarget target;                    // the policy row used
    SlaClockReading first_response;
    SlaClockReading resolution;
    std::optional<std::int64_t> next_check_ms;  // nullopt: nothing can happen until the ticket changes
};

// Code: calendar_never_open.
Result<TicketSla> read_ticket_sla(const SlaPolicy& policy, const EscalationPolicy& escalation,
                                  const BusinessCalendar& calendar, const TicketSlaInput& input,
                                  const EscalationLevels& levels, std::int64_t now_ms);

// The escalations `sla` calls for beyond `levels` (first response before resolution). Only clocks
// that still run escalate: a late first response that already happened is not escalated after
// the fact.
std::vector<Escalation> due_escalations(const EntityId& ticket, const std::optional<EntityId>& assignee,
                                        const TicketSla& sla, const EscalationLevels& levels,
                                        const EscalationPolicy& policy);

// `levels` with the given escalations recorded.
EscalationLevels record_escalations(EscalationLevels levels, std::span<const Escalation> escalations);

// Whether a change by someone of `role` answers the requester for the first time: a public reply
// or a request for information by the help desk, or the help desk moving the ticket to
// in_progress, waiting_on_requester, resolved or closed.
bool is_first_response(Role role, CommentKind posted);
bool is_first_response(Role role, TicketStatus moved_to);

}  // namespace lb::triage
