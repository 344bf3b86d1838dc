// triage/automation_ops.h — turns triage decisions into ops, so that every change is in the
// ticket's history with who made it and why.
//
// Features:
//  - a technician's priority override: the priority write plus an internal note with the reason
//    ("Priority override: P3 Medium → P1 Critical. Reason: …"), in one batch;
//  - the server's automatic changes (role `system`): an assignment (status new/triaged → assigned
//    on the way), an escalation (with the priority raised and the team lead told), SLA due dates
//    (or their pause), a computed priority, the team queue — each with a line naming the rule that
//    fired ("[dispatch.onsite_same_site] …") in the pass's one system_event comment per ticket
//    (EventNotes).
// The ops go through BatchBuilder (fresh op ids and clock ticks) and must still pass
// authorize_batch at the edge like any other batch. Comment bodies are plain text here; the engine
// seals a technician's note like any comment. System events carry only metadata (rule names,
// priorities, counts), which the server may see anyway.
// Not here: deciding anything (priority.h, dispatch.h, escalation.h, sla.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/op.h"
#include "lifebuoy/result.h"
#include "lifebuoy/triage/dispatch.h"
#include "lifebuoy/triage/escalation.h"
#include "lifebuoy/triage/priority.h"
#include "lifebuoy/triage/ticket_decisions.h"

namespace lb::triage {

// The system_event notes of one automation pass, gathered per ticket: each decision adds a line
// "[rule] detail", and the pass writes ONE comment per ticket when it ends (append_event_note), its
// lines in the order decided — a new ticket's priority, due dates and dispatch are one note of three
// lines (4 ops), not three notes (12 ops). A line waits with its decision's batch: kept when the
// batch is stored, dropped when it is refused (no note for a change that did not happen).
class EventNotes {
public:
    struct Note {
        EntityId ticket;
        std::string body;  // lines "[rule] detail", joined by '\n'
    };
    void add(const EntityId& ticket, std::string_view rule, std::string_view detail);  // pending
    void keep();  // the pending lines join their tickets' notes
    void drop();  // the pending lines are forgotten
    const std::vector<Note>& notes() const { return notes_; }  // kept; tickets in the order first kept

private:
    std::vector<Note> pending_;  // one line each
    std::vector<Note> notes_;    // a pass notes few tickets: found by a linear search
};

// Adds the system_event comment `body` on `ticket` by `system_user`.
void append_event_note(BatchBuilder& builder, const EntityId& ticket, std::string body, const EntityId& system_user);

// Adds the priority write and the internal note by `author`. Codes: validate_override's.
Status append_priority_override(BatchBuilder& builder, const EntityId& ticket, const EntityId& author,
                                const PriorityOverride& override_);

// The body of a system_event line: "[rule] detail".
std::string system_event_body(std::string_view rule, std::string_view detail);

// The lines of a system_event comment (EventNotes joins a pass's lines with '\n'); no empty lines.
std::vector<std::string_view> system_event_lines(std::string_view body);

// --- the server's decisions (ticket_decisions.h, dispatch.h, escalation.h), each with its line ---

// Adds assignee and the status steps from `current` to assigned (new → triaged → assigned; none if
// already past triaged); the line names the rule and the technician ("assigned to <user id>; …").
void append_assignment(BatchBuilder& builder, const Assignment& assignment, TicketStatus current, EventNotes& notes);

// The priority write (when decided) and a line naming the rule (when worth explaining).
void append_priority_decision(BatchBuilder& builder, const EntityId& ticket, const PriorityDecision& decision,
                              EventNotes& notes);

// response_due / resolution_due (null when cleared) and a line "[sla.due_dates] …".
void append_due_dates_decision(BatchBuilder& builder, const EntityId& ticket, const DueDatesDecision& decision,
                               EventNotes& notes);

// Nobody could take the ticket: it waits in `team`'s queue (team written, new → triaged) with a
// line naming the dispatch rule that failed ("[dispatch.no_skill] …; waiting in the queue of …").
void append_team_queue(BatchBuilder& builder, const Unassigned& unassigned, std::string_view team,
                       TicketStatus current, EventNotes& notes);

// An escalation and what it does: the priority raised (when `raised_to` is set) and the team lead
// named as notified, in its line ("[sla.resolution.breached] …").
void append_escalation_actions(BatchBuilder& builder, const Escalation& escalation, Priority current,
                               std::optional<Priority> raised_to, const std::optional<EntityId>& team_lead,
                               EventNotes& notes);

}  // namespace lb::triage
