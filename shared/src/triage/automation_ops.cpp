// triage/automation_ops.cpp — decisions → ops (priority override, assignment, escalation, due dates)
// and the pass's system_event notes, one per ticket.
#include "lifebuoy/triage/automation_ops.h"

#include <algorithm>
#include <string>

namespace lb::triage {
namespace {

void add_comment(BatchBuilder& b, const EntityId& ticket, CommentKind kind, const EntityId& author,
                 std::string body) {
    const EntityId c = b.new_entity_id();
    b.set(EntityKind::comment, c, Field::comment_ticket, ticket)
        .set(EntityKind::comment, c, Field::comment_kind, std::string(to_name(kind)))
        .set(EntityKind::comment, c, Field::comment_author, author)
        .set(EntityKind::comment, c, Field::comment_body, std::move(body));
}

}  // namespace

std::string system_event_body(std::string_view rule, std::string_view detail) {
    std::string body = "[";
    body += rule;
    body += "] ";
    body += detail;
    return body;
}

std::vector<std::string_view> system_event_lines(std::string_view body) {
    std::vector<std::string_view> lines;
    while (!body.empty()) {
        const std::size_t end = body.find('\n');
        if (end != 0) lines.push_back(body.substr(0, end));
        body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    }
    return lines;
}

void EventNotes::add(const EntityId& ticket, std::string_view rule, std::string_view detail) {
    pending_.push_back(Note{ticket, system_event_body(rule, detail)});
}

void EventNotes::keep() {
    for (Note& line : pending_) {
        auto same = [&line](const Note& n) { return n.ticket == line.ticket; };
        auto it = std::find_if(notes_.rbegin(), notes_.rend(), same);  // the latest ticket, usually
        if (it == notes_.rend()) {
            notes_.push_back(std::move(line));
            continue;
        }
        it->body += '\n';
        it->body += line.body;
    }
    pending_.clear();
}

void EventNotes::drop() { pending_.clear(); }

void append_event_note(BatchBuilder& builder, const EntityId& ticket, std::string body, const EntityId& system_user) {
    add_comment(builder, ticket, CommentKind::system_event, system_user, std::move(body));
}

Status append_priority_override(BatchBuilder& builder, const EntityId& ticket, const EntityId& author,
                                const PriorityOverride& override_) {
    if (auto ok = validate_override(override_); !ok) return ok;
    builder.set(EntityKind::ticket, ticket, Field::ticket_priority, std::string(to_name(override_.chosen)));
    add_comment(builder, ticket, CommentKind::internal_note, author, override_note(override_));
    return Ok{};
}

void append_assignment(BatchBuilder& builder, const Assignment& assignment, TicketStatus current, EventNotes& notes) {
    builder.set(EntityKind::ticket, assignment.ticket, Field::ticket_assignee, assignment.assignee);
    if (current == TicketStatus::new_) {
        builder.set(EntityKind::ticket, assignment.ticket, Field::ticket_status,
                    std::string(to_name(TicketStatus::triaged)));
    }
    if (current == TicketStatus::new_ || current == TicketStatus::triaged) {
        builder.set(EntityKind::ticket, assignment.ticket, Field::ticket_status,
                    std::string(to_name(TicketStatus::assigned)));
    }
    notes.add(assignment.ticket, assignment.rule, "assigned to " + to_hex(assignment.assignee) + "; " + assignment.detail);
}

void append_priority_decision(BatchBuilder& builder, const EntityId& ticket, const PriorityDecision& decision,
                              EventNotes& notes) {
    if (decision.write) {
        builder.set(EntityKind::ticket, ticket, Field::ticket_priority, std::string(to_name(decision.priority)));
    }
    if (decision.explain) notes.add(ticket, decision.rule, decision.detail);
}

void append_due_dates_decision(BatchBuilder& builder, const EntityId& ticket, const DueDatesDecision& decision,
                               EventNotes& notes) {
    const auto value = [](std::optional<std::int64_t> ms) { return ms ? Value(*ms) : Value(); };
    builder.set(EntityKind::ticket, ticket, Field::ticket_response_due, value(decision.response_due_ms))
        .set(EntityKind::ticket, ticket, Field::ticket_resolution_due, value(decision.resolution_due_ms));
    notes.add(ticket, decision.rule, decision.detail);
}

void append_team_queue(BatchBuilder& builder, const Unassigned& unassigned, std::string_view team,
                       TicketStatus current, EventNotes& notes) {
    builder.set(EntityKind::ticket, unassigned.ticket, Field::ticket_team, std::string(team));
    if (current == TicketStatus::new_) {
        builder.set(EntityKind::ticket, unassigned.ticket, Field::ticket_status,
                    std::string(to_name(TicketStatus::triaged)));
    }
    notes.add(unassigned.ticket, unassigned.rule, unassigned.detail + "; waiting in the queue of team " + std::string(team));
}

void append_escalation_actions(BatchBuilder& builder, const Escalation& escalation, Priority current,
                               std::optional<Priority> raised_to, const std::optional<EntityId>& team_lead,
                               EventNotes& notes) {
    std::string detail = escalation.detail;
    if (raised_to) {
        builder.set(EntityKind::ticket, escalation.ticket, Field::ticket_priority, std::string(to_name(*raised_to)));
        detail += "; priority " + std::string(priority_label(current)) + " → " + std::string(priority_label(*raised_to));
    }
    if (team_lead) detail += "; team lead " + to_hex(*team_lead) + " notified";
    if (escalation.escalate_to) detail += "; escalated to " + to_hex(*escalation.escalate_to);
    notes.add(escalation.ticket, escalation.rule, detail);
}

}  // namespace lb::triage
