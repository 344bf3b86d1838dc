// triage/sla.cpp — SLA policies and the SLA clock: running segments from the status history, then
// business time over them.
#include "lifebuoy/triage/sla.h"

#include <algorithm>
#include <vector>

#include "lifebuoy/triage/errors.h"

namespace lb::triage {
namespace {

bool counts(TicketStatus status) {
    return status != TicketStatus::waiting_on_requester && status != TicketStatus::resolved &&
           status != TicketStatus::closed;
}

struct Segment {
    std::int64_t begin;
    std::int64_t end;  // exclusive; the last segment may be open-ended (kOpen)
};
constexpr std::int64_t kOpen = INT64_MAX;

std::int64_t elapsed(const BusinessCalendar& calendar, SlaClockMode mode, std::int64_t a, std::int64_t b) {
    if (b <= a) return 0;
    return mode == SlaClockMode::continuous ? b - a : business_ms_between(calendar, a, b);
}

Result<std::int64_t> add(const BusinessCalendar& calendar, SlaClockMode mode, std::int64_t a, std::int64_t ms) {
    if (mode == SlaClockMode::continuous) return a + ms;
    return add_business_ms(calendar, a, ms);
}

}  // namespace

const SlaTarget& SlaPolicy::target(Priority priority) const {
    const Priority p = priority == Priority::unknown ? untriaged_as : priority;
    return by_priority[std::min<std::size_t>(static_cast<std::size_t>(p), by_priority.size() - 1)];
}

SlaPolicy default_sla_policy() {
    SlaPolicy p;
    p.by_priority = {{
        {30, 4 * 60, SlaClockMode::continuous},
        {60, 8 * 60, SlaClockMode::business_hours},
        {4 * 60, 24 * 60, SlaClockMode::business_hours},
        {8 * 60, 40 * 60, SlaClockMode::business_hours},
        {16 * 60, 80 * 60, SlaClockMode::business_hours},
    }};
    return p;
}

Status validate_sla_policy(const SlaPolicy& policy) {
    for (std::size_t i = 0; i < policy.by_priority.size(); ++i) {
        const SlaTarget& t = policy.by_priority[i];
        const std::string where = "sla." + std::string(to_name(static_cast<Priority>(i)));
        for (const std::int64_t m : {t.first_response_minutes, t.resolution_minutes}) {
            if (m <= 0 || m > kMaxSlaTargetMinutes) {
                return triage_error(TriageError::bad_value, where + ": targets must be 1.." +
                                                                std::to_string(kMaxSlaTargetMinutes) +
                                                                " minutes");
            }
        }
        if (t.first_response_minutes > t.resolution_minutes) {
            return triage_error(TriageError::bad_value, where + ": first response after resolution");
        }
    }
    if (policy.untriaged_as == Priority::unknown) {
        return triage_error(TriageError::bad_value, "sla.untriaged_as: not a priority");
    }
    return Ok{};
}

std::int64_t sla_start_ms(Hlc created, std::int64_t physical_now_ms, std::uint64_t max_drift_ms) {
    const std::uint64_t now = physical_now_ms > 0 ? static_cast<std::uint64_t>(physical_now_ms) : 0;
    if (created.is_zero() || hlc_too_far_ahead(created, now, max_drift_ms)) return physical_now_ms;
    return static_cast<std::int64_t>(created.ms());
}

Result<SlaClockReading> read_sla_clock(const BusinessCalendar& calendar, const SlaClockInput& input,
                                       std::int64_t now_ms) {
    std::vector<StatusChange> changes(input.changes.begin(), input.changes.end());
    // Changes after `now` have not happened yet for this reading.
    std::erase_if(changes, [&](const StatusChange& c) { return c.at_ms > now_ms; });
    std::stable_sort(changes.begin(), changes.end(),
                     [](const StatusChange& a, const StatusChange& b) { return a.at_ms < b.at_ms; });
    const std::int64_t stop = std::min(input.stop_ms.value_or(kOpen), kOpen);

    // Running segments from start; the last one is open-ended if the clock runs now.
    std::vector<Segment> segments;
    bool running = true;  // a ticket with no status history is new, so open
    std::int64_t since = input.start_ms;
    auto close_segment = [&](std::int64_t at) {
        if (running && at > since) segments.push_back({since, at});
    };
    for (const StatusChange& c : changes) {
        const std::int64_t at = std::max(c.at_ms, input.start_ms);
        const bool next = counts(c.status);
        if (next == running) continue;
        if (running) close_segment(at);
        else since = at;
        running = next;
    }
    const bool running_now = running && stop > now_ms;
    if (running) {
        if (stop <= now_ms) close_segment(stop);
        else segments.push_back({since, kOpen});
    }
    if (stop <= now_ms) {  // nothing after the stop counts (a stop after now has not happened yet)
        for (Segment& s : segments) s.end = std::min(s.end, stop);
    }

    SlaClockReading r;
    r.target_ms = input.target_minutes * kMsPerMinute;
    if (running_now) r.state = SlaState::running;
    else if (running || stop <= now_ms) r.state = SlaState::stopped;  // responded, or stop passed
    else r.state = changes.back().status == TicketStatus::waiting_on_requester ? SlaState::paused
                                                                               : SlaState::stopped;

    std::int64_t remaining = r.target_ms;
    for (const Segment& s : segments) {
        const std::int64_t end = std::min(s.end, now_ms);
        if (!r.due_ms) {
            // Where would the target be reached if this segment ran long enough?
            if (s.end == kOpen || elapsed(calendar, input.mode, s.begin, s.end) >= remaining) {
                auto due = add(calendar, input.mode, s.begin, remaining);
                if (!due) return due.error();
                if (s.end == kOpen || due.value() <= s.end) r.due_ms = due.value();
            }
            if (!r.due_ms) remaining -= elapsed(calendar, input.mode, s.begin, s.end);
        }
        r.elapsed_ms += elapsed(calendar, input.mode, s.begin, end);
    }
    r.breached = r.due_ms.has_value() && *r.due_ms <= now_ms;
    r.used_fraction = r.target_ms > 0 ? static_cast<double>(r.elapsed_ms) / static_cast<double>(r.target_ms) : 0.0;
    return r;
}

}  // namespace lb::triage
