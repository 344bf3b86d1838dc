// triage/escalation.cpp — thresholds on SLA clock readings, named rules.
#include "lifebuoy/triage/escalation.h"

#include <cstdio>
#include <string>

#include "lifebuoy/triage/errors.h"

namespace lb::triage {

std::string_view to_name(SlaTargetKind target) {
    return target == SlaTargetKind::first_response ? "first_response" : "resolution";
}

std::string_view to_name(EscalationLevel level) {
    switch (level) {
        case EscalationLevel::none: return "none";
        case EscalationLevel::at_risk: return "at_risk";
        case EscalationLevel::breached: return "breached";
    }
    return "none";
}

Status validate_escalation_policy(const EscalationPolicy& policy) {
    if (!(policy.at_risk_fraction > 0.0 && policy.at_risk_fraction < 1.0)) {
        return triage_error(TriageError::bad_value, "escalation.at_risk_fraction: must be in (0, 1)");
    }
    if (policy.check_interval_seconds < 1 || policy.check_interval_seconds > kMaxEscalationCheckSeconds) {
        return triage_error(TriageError::bad_value, "escalation.check_interval_seconds: must be 1.." +
                                                        std::to_string(kMaxEscalationCheckSeconds));
    }
    return Ok{};
}

std::optional<Escalation> check_escalation(const EntityId& ticket, const std::optional<EntityId>& assignee,
                                           SlaTargetKind target, const SlaClockReading& reading,
                                           EscalationLevel already, const EscalationPolicy& policy) {
    EscalationLevel level = EscalationLevel::none;
    if (reading.breached) {
        level = EscalationLevel::breached;
    } else if (reading.state == SlaState::running && reading.used_fraction >= policy.at_risk_fraction) {
        level = EscalationLevel::at_risk;
    }
    if (level <= already) return std::nullopt;

    Escalation e;
    e.ticket = ticket;
    e.assignee = assignee;
    e.target = target;
    e.level = level;
    if (level == EscalationLevel::breached) e.escalate_to = policy.escalate_to;
    e.rule = "sla.";
    e.rule += to_name(target);
    e.rule += '.';
    e.rule += to_name(level);
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%.0f%% of %lld minutes used (threshold %.0f%%)",
                  reading.used_fraction * 100.0, static_cast<long long>(reading.target_ms / 60'000),
                  policy.at_risk_fraction * 100.0);
    e.detail = buffer;
    return e;
}

}  // namespace lb::triage
