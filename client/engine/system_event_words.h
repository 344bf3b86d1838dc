// system_event_words.h — the help desk's automatic events (system_event comments: a line
// "[rule] detail" per decision of one pass, from shared/triage/automation_ops) as a requester reads
// them; get_ticket answers requesters and guests with these words (both portals show what the
// engine gives). Technicians see the rule and its detail
// (which technician, load, thresholds); a requester sees one plain sentence for what changes
// anything for them — a technician assigned, the ticket queued, the clock paused while the help
// desk waits for them, the priority raised — and nothing for the rest (due dates and priority are
// shown in the ticket's header already).
// The help desk reads the rule and its detail, with the people it names ("assigned to <user id>",
// "escalated to <user id>") by the names this device knows (help_desk_words_for_event).
// Pure. Unknown rules are hidden from requesters.
#pragma once

#include <cctype>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "lifebuoy/triage/automation_ops.h"

namespace lb::engine {

// The rule of an event body "[rule] detail", or "" when the body has no rule.
inline std::string_view event_rule(std::string_view body) {
    if (body.size() < 3 || body.front() != '[') return {};
    const auto end = body.find(']');
    return end == std::string_view::npos ? std::string_view{} : body.substr(1, end - 1);
}

// What a requester is told of one line "[rule] detail"; "" hides it.
inline std::string requester_words_for_line(std::string_view body) {
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

// What a requester is told of an automatic note (one line per decision of a pass: "[rule] detail"
// lines joined by '\n'): the sentences of its lines, each once, joined by a space; "" hides it.
inline std::string requester_words_for_event(std::string_view body) {
    std::string out;
    for (std::string_view line : triage::system_event_lines(body)) {
        const std::string words = requester_words_for_line(line);
        if (words.empty() || out.find(words) != std::string::npos) continue;
        if (!out.empty()) out += ' ';
        out += words;
    }
    return out;
}

// What the help desk reads of an automatic event: the body as written, with each user id after
// "assigned to " or "escalated to " (32 lowercase hex digits) replaced by `name_of(id)` when that
// is not empty (a name this device does not know leaves the id as it is).
inline std::string help_desk_words_for_event(std::string_view body,
                                             const std::function<std::string(std::string_view)>& name_of) {
    constexpr std::size_t kIdLength = 32;
    auto is_id = [](std::string_view text) {
        if (text.size() != kIdLength) return false;
        for (char c : text)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        return true;
    };
    std::string out;
    out.reserve(body.size());
    std::size_t at = 0;
    while (at < body.size()) {
        std::size_t found = std::string_view::npos, marker_length = 0;
        for (std::string_view marker : {std::string_view("assigned to "), std::string_view("escalated to ")}) {
            const std::size_t i = body.find(marker, at);
            if (i < found) {
                found = i;
                marker_length = marker.size();
            }
        }
        if (found == std::string_view::npos) break;
        const std::size_t id_at = found + marker_length;
        out.append(body.substr(at, id_at - at));
        at = id_at;
        const std::string_view id = body.substr(id_at, kIdLength);
        if (!is_id(id)) continue;  // (then id_at + kIdLength <= body.size())
        const bool id_ends =
            id_at + kIdLength == body.size() || !std::isxdigit(static_cast<unsigned char>(body[id_at + kIdLength]));
        if (!id_ends) continue;
        const std::string name = name_of(id);
        out.append(name.empty() ? id : std::string_view(name));
        at = id_at + kIdLength;
    }
    out.append(body.substr(at));
    return out;
}

}  // namespace lb::engine
