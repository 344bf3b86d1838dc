// triage/ticket_decisions.cpp — priority and due-date decisions with their rules and details.
#include "lifebuoy/triage/ticket_decisions.h"

namespace lb::triage {
namespace {

std::string levels_text(Impact impact, Urgency urgency) {
    return "impact " + std::string(to_name(impact)) + " × urgency " + std::string(to_name(urgency));
}

// The due date a clock shows: its due instant while it runs, none while paused, the old one once
// it stopped.
std::optional<std::int64_t> shown_due(const SlaClockReading& reading, std::optional<std::int64_t> current) {
    switch (reading.state) {
        case SlaState::running: return reading.due_ms;
        case SlaState::paused: return std::nullopt;
        case SlaState::stopped: return current;
    }
    return current;
}

}  // namespace

PriorityDecision decide_priority(const PriorityMatrix& matrix, Impact impact, Urgency urgency, Priority current,
                                 bool set_by_person, Priority untriaged_as) {
    PriorityDecision d;
    const Priority computed = matrix.at(impact, urgency);
    if (set_by_person && current != Priority::unknown) {
        d.priority = current;
        d.rule = "priority.override_kept";
        d.explain = computed != Priority::unknown && computed != current;
        d.detail = "the matrix gives " + std::string(priority_label(computed)) + " for " +
                   levels_text(impact, urgency) + "; the help desk's " + std::string(priority_label(current)) +
                   " stays";
        return d;
    }
    if (computed == Priority::unknown) {
        d.priority = current;
        d.rule = "priority.untriaged";
        d.explain = current == Priority::unknown;
        d.detail = "impact or urgency not set: timed as " + std::string(priority_label(untriaged_as)) +
                   " until the help desk sets them";
        return d;
    }
    d.priority = computed;
    d.write = computed != current;
    d.explain = d.write;
    d.rule = "priority.matrix";
    d.detail = levels_text(impact, urgency) + " → " + std::string(priority_label(computed));
    return d;
}

DueDatesDecision decide_due_dates(const TicketSla& sla, Priority priority, const BusinessCalendar& calendar,
                                  std::int64_t start_ms, std::optional<std::int64_t> current_response_due_ms,
                                  std::optional<std::int64_t> current_resolution_due_ms) {
    DueDatesDecision d;
    d.response_due_ms = shown_due(sla.first_response, current_response_due_ms);
    d.resolution_due_ms = shown_due(sla.resolution, current_resolution_due_ms);
    d.write = d.response_due_ms != current_response_due_ms || d.resolution_due_ms != current_resolution_due_ms;
    const bool paused = sla.resolution.state == SlaState::paused;
    d.rule = paused ? "sla.paused" : "sla.due_dates";
    std::string detail = std::string(priority_label(priority));
    detail += sla.target.mode == SlaClockMode::continuous ? ", around the clock" : ", business hours";
    detail += " at " + calendar.site + " (" + calendar.zone.name + ")";
    if (paused) {
        detail += ": waiting on the requester, the clock is paused; due dates return when they answer";
    } else {
        const auto when = [&](std::optional<std::int64_t> ms) {
            return ms ? format_local_minute(calendar.zone, *ms) : std::string("-");
        };
        detail += ": first response by " + when(d.response_due_ms);
        if (sla.first_response.state == SlaState::stopped) detail += " (responded)";
        detail += ", resolution by " + when(d.resolution_due_ms);
    }
    detail += "; clock from " + format_local_minute(calendar.zone, start_ms) + " (filed on the device)";
    d.detail = std::move(detail);
    return d;
}

Priority raised_priority(Priority priority, Priority untriaged_as) {
    const Priority from = priority == Priority::unknown ? untriaged_as : priority;
    if (from == Priority::critical || from == Priority::unknown) return Priority::critical;
    return static_cast<Priority>(static_cast<int>(from) - 1);
}

}  // namespace lb::triage
