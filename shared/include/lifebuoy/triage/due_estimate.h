// triage/due_estimate.h — "expected response by …" on the device, before the help desk has seen
// the ticket: the same decisions the server makes on arrival (ticket_decisions.h) for a ticket
// filed at `filed_ms` with this impact, urgency and site, under a desk's configuration (the one
// the device synced, or the defaults a server without a triage file also uses). Nothing is paused
// or answered yet, so the clocks run from the filing time.
// Not here: what the server writes (automation_ops.h), showing it (the UI).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "lifebuoy/domain.h"
#include "lifebuoy/triage/config.h"

namespace lb::triage {

struct DueEstimate {
    Priority priority = Priority::unknown;  // what the matrix gives (unknown: untriaged)
    std::optional<std::int64_t> response_due_ms;
    std::optional<std::int64_t> resolution_due_ms;
};

// Code: calendar_never_open (a configuration the server would refuse at start).
Result<DueEstimate> estimate_due_dates(const TriageConfig& config, Impact impact, Urgency urgency,
                                       std::string_view site, std::int64_t filed_ms);

}  // namespace lb::triage
