// triage/priority.cpp — the impact × urgency matrix, its validation, labels, and overrides.
#include "lifebuoy/triage/priority.h"

#include <array>

#include "lifebuoy/triage/errors.h"

namespace lb::triage {
namespace {

constexpr std::array<std::string_view, 6> kLabels{"P1 Critical", "P2 High", "P3 Medium",
                                                  "P4 Low",      "P5 Planning", "Unknown"};

bool is_concrete(Priority p) { return p != Priority::unknown; }

bool is_blank(std::string_view text) {
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    }
    return true;
}

}  // namespace

Priority PriorityMatrix::at(Impact impact, Urgency urgency) const {
    const auto i = static_cast<std::size_t>(impact);
    const auto u = static_cast<std::size_t>(urgency);
    if (i >= kLevels || u >= kLevels) return Priority::unknown;
    return cells[i][u];
}

PriorityMatrix default_priority_matrix() {
    PriorityMatrix m;
    for (std::size_t i = 0; i < kLevels; ++i) {
        for (std::size_t u = 0; u < kLevels; ++u) {
            m.cells[i][u] = default_priority(static_cast<Impact>(i), static_cast<Urgency>(u));
        }
    }
    return m;
}

Status validate_priority_matrix(const PriorityMatrix& matrix) {
    static constexpr std::array<std::string_view, 3> kLevelNames{"high", "medium", "low"};
    for (std::size_t i = 0; i < kLevels; ++i) {
        for (std::size_t u = 0; u < kLevels; ++u) {
            const std::string where =
                "priority_matrix." + std::string(kLevelNames[i]) + "." + std::string(kLevelNames[u]);
            if (!is_concrete(matrix.cells[i][u])) {
                return triage_error(TriageError::bad_value, where + ": not a priority");
            }
            // Lower enum value = more important. Less impact (i+1) or less urgency (u+1) must never
            // be more important than this cell.
            if (i + 1 < kLevels && matrix.cells[i + 1][u] < matrix.cells[i][u]) {
                return triage_error(TriageError::non_monotonic,
                                    where + ": lower impact gives a higher priority");
            }
            if (u + 1 < kLevels && matrix.cells[i][u + 1] < matrix.cells[i][u]) {
                return triage_error(TriageError::non_monotonic,
                                    where + ": lower urgency gives a higher priority");
            }
        }
    }
    return Ok{};
}

std::string_view priority_label(Priority priority) {
    const auto i = static_cast<std::size_t>(priority);
    return i < kLabels.size() ? kLabels[i] : kLabels.back();
}

int priority_rank(Priority priority) {
    return priority == Priority::unknown ? 0 : static_cast<int>(priority) + 1;
}

Status validate_override(const PriorityOverride& override_) {
    if (!is_concrete(override_.chosen)) {
        return triage_error(TriageError::bad_value, "override.chosen: not a priority");
    }
    if (is_blank(override_.reason)) {
        return triage_error(TriageError::missing_reason, "override.reason: a reason is required");
    }
    if (override_.reason.size() > kMaxOverrideReasonBytes) {
        return triage_error(TriageError::too_long, "override.reason: over " +
                                                       std::to_string(kMaxOverrideReasonBytes) +
                                                       " bytes");
    }
    return Ok{};
}

std::string override_note(const PriorityOverride& override_) {
    std::string note = "Priority override: ";
    note += priority_label(override_.computed);
    note += " \u2192 ";
    note += priority_label(override_.chosen);
    note += ". Reason: ";
    note += override_.reason;
    return note;
}

}  // namespace lb::triage
