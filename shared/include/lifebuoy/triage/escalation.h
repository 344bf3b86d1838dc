// triage/escalation.h — at-risk and breached detection on SLA clock readings, with the name of the
// rule that fired, so the server can record every escalation in the ticket's history.
//
// A clock is at risk once `at_risk_fraction` (default 75 %) of its business-time window is used
// and it still runs; breached once its due instant has passed while it ran. Each level fires once
// per ticket and target: the caller passes the level already recorded (from the history), and
// only a higher level is returned.
// Rule names: "sla.first_response.at_risk", "sla.first_response.breached",
//             "sla.resolution.at_risk", "sla.resolution.breached".
// Not here: reading the clocks (sla.h), the ops (automation_ops.h), notifying people.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lifebuoy/id128.h"
#include "lifebuoy/result.h"
#include "lifebuoy/triage/sla.h"

namespace lb::triage {

enum class SlaTargetKind : std::uint8_t { first_response, resolution };
enum class EscalationLevel : std::uint8_t { none, at_risk, breached };

inline constexpr std::int64_t kMaxEscalationCheckSeconds = 24 * 60 * 60;

struct EscalationPolicy {
    double at_risk_fraction = 0.75;         // (0, 1)
    std::optional<EntityId> escalate_to;    // e.g. the duty manager, told on breach
    std::int64_t check_interval_seconds = 60;  // how often the server looks for clocks at risk
    bool raise_priority = true;             // each escalation raises the priority one step
};

// at_risk_fraction in (0, 1); check_interval_seconds in [1, kMaxEscalationCheckSeconds].
// Code: bad_value.
Status validate_escalation_policy(const EscalationPolicy& policy);

struct Escalation {
    EntityId ticket;
    std::optional<EntityId> assignee;       // the current assignee (who is at risk of missing it)
    std::optional<EntityId> escalate_to;    // set on breach when the policy names someone
    SlaTargetKind target = SlaTargetKind::resolution;
    EscalationLevel level = EscalationLevel::none;
    std::string rule;                       // see the list above
    std::string detail;                     // e.g. "78% of 480 business minutes used; due ..."
};

// The escalation this reading calls for beyond `already`, or nullopt.
std::optional<Escalation> check_escalation(const EntityId& ticket, const std::optional<EntityId>& assignee,
                                           SlaTargetKind target, const SlaClockReading& reading,
                                           EscalationLevel already, const EscalationPolicy& policy);

std::string_view to_name(SlaTargetKind target);     // "first_response", "resolution"
std::string_view to_name(EscalationLevel level);    // "none", "at_risk", "breached"

}  // namespace lb::triage
