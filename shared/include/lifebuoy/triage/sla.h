// triage/sla.h — SLA policies per priority (first response and resolution targets in business
// minutes) and the SLA clock of one ticket: elapsed business time, due date, paused or stopped,
// breached — computed from the ticket's status history, never from a running timer.
//
// Clock rules (the same on the device, for "expected response by …" offline, and on the server):
//  - It starts when the ticket was filed on the device: the millisecond part of the creating op's
//    HLC, within the clock policy of hlc.h — an HLC more than kMaxClockDriftMs ahead of the reader's
//    physical time is not believed and the reader's time is used instead (sla_start_ms). Old
//    timestamps (a device offline for days) are believed: the requester did file it then.
//  - It runs while the ticket is open, pauses while it is waiting_on_requester, stops when it is
//    resolved or closed (and runs again on reopen), and stops for good at `stop_ms` (the first
//    response, for the first-response clock).
//  - Only business time of the site's calendar counts; SlaClockMode::continuous counts every
//    minute (e.g. P1 around the clock).
// Not here: what happens when a clock is at risk or breached (escalation.h), writing due dates as
// ops (automation_ops.h), parsing policies from JSON (config.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "lifebuoy/domain.h"
#include "lifebuoy/hlc.h"
#include "lifebuoy/result.h"
#include "lifebuoy/triage/business_calendar.h"

namespace lb::triage {

enum class SlaClockMode : std::uint8_t { business_hours, continuous };

struct SlaTarget {
    std::int64_t first_response_minutes = 0;  // business minutes (or wall minutes if continuous)
    std::int64_t resolution_minutes = 0;
    SlaClockMode mode = SlaClockMode::business_hours;
    friend bool operator==(const SlaTarget&, const SlaTarget&) = default;
};

inline constexpr std::int64_t kMaxSlaTargetMinutes = 365LL * 24 * 60;

struct SlaPolicy {
    std::array<SlaTarget, 5> by_priority{};  // indexed by Priority (critical … planning)
    // Unknown priority (not triaged yet) is timed as this one.
    Priority untriaged_as = Priority::medium;

    const SlaTarget& target(Priority priority) const;
    friend bool operator==(const SlaPolicy&, const SlaPolicy&) = default;
};

// P1 30 min / 4 h around the clock; P2 1 h / 8 h; P3 4 h / 24 h; P4 8 h / 40 h; P5 16 h / 80 h
// (business hours; 8 business hours = one working day).
SlaPolicy default_sla_policy();

// Targets in (0, kMaxSlaTargetMinutes], response <= resolution. Code: bad_value.
Status validate_sla_policy(const SlaPolicy& policy);

// When the SLA clock of a ticket starts (see the rules above).
std::int64_t sla_start_ms(Hlc created, std::int64_t physical_now_ms,
                          std::uint64_t max_drift_ms = kMaxClockDriftMs);

struct StatusChange {
    std::int64_t at_ms = 0;
    TicketStatus status = TicketStatus::unknown;
};

enum class SlaState : std::uint8_t {
    running,  // counting now
    paused,   // waiting on the requester
    stopped,  // resolved, closed or responded (met, or breached before it stopped)
};

struct SlaClockInput {
    std::int64_t start_ms = 0;                // sla_start_ms
    std::int64_t target_minutes = 0;
    SlaClockMode mode = SlaClockMode::business_hours;
    std::span<const StatusChange> changes;    // any order; changes before start count from start
    std::optional<std::int64_t> stop_ms;      // e.g. the first response
};

struct SlaClockReading {
    std::int64_t target_ms = 0;
    std::int64_t elapsed_ms = 0;              // business time counted up to now
    std::optional<std::int64_t> due_ms;       // nullopt while paused or stopped before the target
    SlaState state = SlaState::running;
    bool breached = false;                    // the target was reached while the clock ran
    double used_fraction = 0.0;               // elapsed / target
};

// Reads the clock at `now_ms`. Code: calendar_never_open.
Result<SlaClockReading> read_sla_clock(const BusinessCalendar& calendar, const SlaClockInput& input,
                                       std::int64_t now_ms);

}  // namespace lb::triage
