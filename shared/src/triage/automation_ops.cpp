// triage/automation_ops.cpp — decisions → ops (priority override, assignment, escalation, due dates).
#include "lifebuoy/triage/automation_ops.h"

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

Status append_priority_override(BatchBuilder& builder, const EntityId& ticket, const EntityId& author,
                                const PriorityOverride& override_) {
    if (auto ok = validate_override(override_); !ok) return ok;
    builder.set(EntityKind::ticket, ticket, Field::ticket_priority, std::string(to_name(override_.chosen)));
    add_comment(builder, ticket, CommentKind::internal_note, author, override_note(override_));
    return Ok{};
}

void append_assignment(BatchBuilder& builder, const Assignment& assignment, TicketStatus current,
                       const EntityId& system_user) {
    builder.set(EntityKind::ticket, assignment.ticket, Field::ticket_assignee, assignment.assignee);
    if (current == TicketStatus::new_) {
        builder.set(EntityKind::ticket, assignment.ticket, Field::ticket_status,
                    std::string(to_name(TicketStatus::triaged)));
    }
    if (current == TicketStatus::new_ || current == TicketStatus::triaged) {
        builder.set(EntityKind::ticket, assignment.ticket, Field::ticket_status,
                    std::string(to_name(TicketStatus::assigned)));
    }
    add_comment(builder, assignment.ticket, CommentKind::system_event, system_user,
                system_event_body(assignment.rule, "assigned to " + to_hex(assignment.assignee) + "; " +
                                                       assignment.detail));
}

void append_escalation(BatchBuilder& builder, const Escalation& escalation, const EntityId& system_user) {
    std::string detail = escalation.detail;
    if (escalation.escalate_to) detail += "; escalated to " + to_hex(*escalation.escalate_to);
    add_comment(builder, escalation.ticket, CommentKind::system_event, system_user,
                system_event_body(escalation.rule, detail));
}

void append_due_dates(BatchBuilder& builder, const EntityId& ticket, std::int64_t response_due_ms,
                      std::int64_t resolution_due_ms, std::string_view rule, std::string_view detail,
                      const EntityId& system_user) {
    builder.set(EntityKind::ticket, ticket, Field::ticket_response_due, response_due_ms)
        .set(EntityKind::ticket, ticket, Field::ticket_resolution_due, resolution_due_ms);
    add_comment(builder, ticket, CommentKind::system_event, system_user, system_event_body(rule, detail));
}

}  // namespace lb::triage
