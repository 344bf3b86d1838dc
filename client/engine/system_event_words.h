// system_event_words.h — the help desk's automatic events (system_event comments: "[rule] detail",
// from shared/triage/automation_ops) as a requester reads them; get_ticket answers requesters and
// guests with these words (both portals show what the engine gives). Technicians see the rule and its detail
// (which technician, load, thresholds); a requester sees one plain sentence for what changes
// anything for them — a technician assigned, the ticket queued, the clock paused while the help
// desk waits for them, the priority raised — and nothing for the rest (due dates and priority are
// shown in the ticket's header already).
// Pure. Unknown rules are hidden from requesters.
#pragma once

#include <string>
#include <string_view>

namespace lb::engine {

// The rule of an event body "[rule] detail", or "" when the body has no rule.
inline std::string_view event_rule(std::string_view body) {
    if (body.size() < 3 || body.front() != '[') return {};
    const auto end = body.find(']');
    return end == std::string_view::npos ? std::string_view{} : body.substr(1, end - 1);
}

// What a requester is told of an automatic event; "" hides it.
inline std::string requester_words_for_event(std::string_view body) {
    const std::string_view rule = event_rule(body);
    auto starts = [rule](std::string_view prefix) { return rule.substr(0, prefix.size()) == prefix; };
    if (starts("dispatch.")) {
        if (body.find("assigned to ") != std::string_view::npos) return "A technician has been assigned to your ticket.";
        return "Your ticket is in the help desk's queue; the next free technician takes it.";
    }
    if (rule == "sla.paused") return "The help desk is waiting for your answer; its clock is paused until you reply.";
    if (starts("sla.") && rule.find(".breached") != std::string_view::npos)
        return "Your ticket is taking longer than the help desk's target; it has been escalated.";
    if (starts("escalation.")) return "Your ticket has been passed to another technician.";
    return {};
}

}  // namespace lb::engine
