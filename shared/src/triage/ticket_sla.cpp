// triage/ticket_sla.cpp — a ticket's two SLA clocks, its due escalations and its next check.
#include "lifebuoy/triage/ticket_sla.h"

#include <algorithm>
#include <cmath>

namespace lb::triage {
namespace {

Result<std::int64_t> later_by(const BusinessCalendar& calendar, SlaClockMode mode, std::int64_t from_ms,
                              std::int64_t ms) {
    if (mode == SlaClockMode::continuous) return from_ms + ms;
    return add_business_ms(calendar, from_ms, ms);
}

// The earliest instant at which `reading` (a running clock) crosses a threshold above `level`.
Result<std::optional<std::int64_t>> next_threshold(const BusinessCalendar& calendar, SlaClockMode mode,
                                                   const SlaClockReading& reading, EscalationLevel level,
                                                   const EscalationPolicy& policy, std::int64_t now_ms) {
    if (reading.state != SlaState::running || level == EscalationLevel::breached) return std::optional<std::int64_t>{};
    std::optional<std::int64_t> next;
    if (reading.due_ms) next = std::max(*reading.due_ms, now_ms);
    if (level < EscalationLevel::at_risk) {
        const auto at_risk_ms =
            static_cast<std::int64_t>(std::ceil(policy.at_risk_fraction * static_cast<double>(reading.target_ms)));
        std::int64_t at = now_ms;
        if (reading.elapsed_ms < at_risk_ms) {
            auto later = later_by(calendar, mode, now_ms, at_risk_ms - reading.elapsed_ms);
            if (!later) return later.error();
            at = later.value();
        }
        next = next ? std::min(*next, at) : at;
    }
    return next;
}

}  // namespace

Result<TicketSla> read_ticket_sla(const SlaPolicy& policy, const EscalationPolicy& escalation,
                                  const BusinessCalendar& calendar, const TicketSlaInput& input,
                                  const EscalationLevels& levels, std::int64_t now_ms) {
    TicketSla out;
    out.target = policy.target(input.priority);
    SlaClockInput clock;
    clock.start_ms = input.start_ms;
    clock.mode = out.target.mode;
    clock.changes = input.changes;
    clock.target_minutes = out.target.first_response_minutes;
    clock.stop_ms = input.first_response_ms;
    auto response = read_sla_clock(calendar, clock, now_ms);
    if (!response) return response.error();
    clock.target_minutes = out.target.resolution_minutes;
    clock.stop_ms.reset();
    auto resolution = read_sla_clock(calendar, clock, now_ms);
    if (!resolution) return resolution.error();
    out.first_response = response.value();
    out.resolution = resolution.value();

    auto a = next_threshold(calendar, clock.mode, out.first_response, levels.first_response, escalation, now_ms);
    if (!a) return a.error();
    auto b = next_threshold(calendar, clock.mode, out.resolution, levels.resolution, escalation, now_ms);
    if (!b) return b.error();
    if (a.value() && b.value()) out.next_check_ms = std::min(*a.value(), *b.value());
    else out.next_check_ms = a.value() ? a.value() : b.value();
    return out;
}

std::vector<Escalation> due_escalations(const EntityId& ticket, const std::optional<EntityId>& assignee,
                                        const TicketSla& sla, const EscalationLevels& levels,
                                        const EscalationPolicy& policy) {
    std::vector<Escalation> out;
    const std::pair<SlaTargetKind, const SlaClockReading*> clocks[] = {
        {SlaTargetKind::first_response, &sla.first_response}, {SlaTargetKind::resolution, &sla.resolution}};
    for (const auto& [kind, reading] : clocks) {
        if (reading->state != SlaState::running) continue;
        const EscalationLevel already =
            kind == SlaTargetKind::first_response ? levels.first_response : levels.resolution;
        if (auto e = check_escalation(ticket, assignee, kind, *reading, already, policy)) out.push_back(std::move(*e));
    }
    return out;
}

EscalationLevels record_escalations(EscalationLevels levels, std::span<const Escalation> escalations) {
    for (const Escalation& e : escalations) {
        EscalationLevel& level = e.target == SlaTargetKind::first_response ? levels.first_response : levels.resolution;
        level = std::max(level, e.level);
    }
    return levels;
}

bool is_first_response(Role role, CommentKind posted) {
    return (role == Role::technician || role == Role::admin) &&
           (posted == CommentKind::public_reply || posted == CommentKind::request_for_information);
}

bool is_first_response(Role role, TicketStatus moved_to) {
    return (role == Role::technician || role == Role::admin) &&
           (moved_to == TicketStatus::in_progress || moved_to == TicketStatus::waiting_on_requester ||
            moved_to == TicketStatus::resolved || moved_to == TicketStatus::closed);
}

}  // namespace lb::triage
