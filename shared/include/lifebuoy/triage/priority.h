// triage/priority.h — priority = impact × urgency through a configurable 3×3 matrix, and the
// technician's override of the computed priority.
//
// Features: PriorityMatrix (default = the ITIL matrix of domain.h's default_priority: high×high →
// P1 critical … low×low → P5 planning); validation (every cell a known priority, monotonic: more
// impact or more urgency never gives a lower priority); "P1 Critical" labels; PriorityOverride,
// the technician's choice with its reason, which automation_ops.h turns into ops (the priority
// write plus an internal note with the reason, so both stay in the ticket's history).
// Not here: parsing the matrix from JSON (config.h), the ops themselves (automation_ops.h).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "lifebuoy/domain.h"
#include "lifebuoy/result.h"

namespace lb::triage {

inline constexpr std::size_t kLevels = 3;  // high, medium, low (Impact and Urgency alike)
inline constexpr std::size_t kMaxOverrideReasonBytes = 2000;

struct PriorityMatrix {
    // cells[impact][urgency], both indexed by the enum value (0 = high … 2 = low).
    std::array<std::array<Priority, kLevels>, kLevels> cells{};

    // unknown impact or urgency → Priority::unknown (the ticket waits for a technician).
    Priority at(Impact impact, Urgency urgency) const;
    friend bool operator==(const PriorityMatrix&, const PriorityMatrix&) = default;
};

// The ITIL default, built from lb::default_priority.
PriorityMatrix default_priority_matrix();

// Every cell is critical..planning, and the matrix is monotonic. Codes: bad_value, non_monotonic.
Status validate_priority_matrix(const PriorityMatrix& matrix);

// "P1 Critical", "P2 High", "P3 Medium", "P4 Low", "P5 Planning"; "Unknown" for unknown.
std::string_view priority_label(Priority priority);
// 1..5 for critical..planning; 0 for unknown.
int priority_rank(Priority priority);

// A technician sets a priority other than the matrix's. The reason is required.
struct PriorityOverride {
    Priority computed = Priority::unknown;  // what the matrix said (may be unknown)
    Priority chosen = Priority::unknown;    // what the technician sets
    std::string reason;                     // why; shown in the history
};

// chosen is critical..planning; reason is non-blank and at most kMaxOverrideReasonBytes.
// Codes: bad_value, missing_reason, too_long.
Status validate_override(const PriorityOverride& override_);

// The text of the internal note that records an override, e.g.
// "Priority override: P3 Medium → P1 Critical. Reason: CEO's laptop before the board meeting".
std::string override_note(const PriorityOverride& override_);

}  // namespace lb::triage
