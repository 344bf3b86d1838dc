// due_estimate.cpp — the device's SLA estimate for a ticket the server has not triaged yet
// (due_estimate.h).
#include "lifebuoy/triage/due_estimate.h"

#include "lifebuoy/triage/ticket_decisions.h"
#include "lifebuoy/triage/ticket_sla.h"

namespace lb::triage {

Result<DueEstimate> estimate_due_dates(const TriageConfig& config, Impact impact, Urgency urgency,
                                       std::string_view site, std::int64_t filed_ms) {
    const PriorityDecision priority =
        decide_priority(config.matrix, impact, urgency, Priority::unknown, false, config.sla.untriaged_as);
    const BusinessCalendar& calendar = config.calendar_for(site);
    TicketSlaInput input;
    input.priority = priority.priority;
    input.start_ms = filed_ms;
    auto sla = read_ticket_sla(config.sla, config.escalation, calendar, input, EscalationLevels{}, filed_ms);
    if (!sla) return sla.error();
    const DueDatesDecision due =
        decide_due_dates(sla.value(), priority.priority, calendar, filed_ms, std::nullopt, std::nullopt);
    return DueEstimate{priority.priority, due.response_due_ms, due.resolution_due_ms};
}

}  // namespace lb::triage
