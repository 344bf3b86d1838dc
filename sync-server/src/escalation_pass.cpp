// escalation_pass.cpp — TicketTriage's periodic pass: the tickets whose next check has come are
// escalated at most once per threshold (priority raised, team lead notified, reassigned when the
// assignee is out of office), then the team queue is offered to dispatch again (someone may be
// back). Runs inside SyncService::run_escalation_pass's transaction.
#include "lifebuoy/triage/automation_ops.h"
#include "lifebuoy/triage/roster.h"
#include "lifebuoy/triage/ticket_decisions.h"
#include "ticket_triage.h"

namespace lb::server {

Result<EscalationPassReport> TicketTriage::escalation_pass(AutomationContext& ctx) {
    metrics_.count_escalation_pass();
    EscalationPassReport report;
    SlaRows rows;
    triage::EventNotes notes;  // written last, one comment per ticket
    auto due = store_.sla_checks_due(ctx.now(), kMaxTicketsPerEscalationPass);
    if (!due) return due.error();
    for (const EntityId& id : due.value()) {
        auto escalated = escalate_ticket(ctx, id, rows, notes);
        if (!escalated) return escalated.error();
        report.escalations += escalated.value();
        ++report.checked;
    }

    auto queued = store_.queued_tickets(kMaxTicketsPerEscalationPass);
    if (!queued) return queued.error();
    std::vector<EntityId> waiting;
    for (const EntityId& id : queued.value()) {
        if (auto st = ctx.changes.load(EntityKind::ticket, id); !st) return st.error();
        const auto t = read_ticket(ctx.changes.state(), id);
        if (!rows.count(id)) {
            auto row = store_.ticket_sla(id);
            if (!row) return row.error();
            if (!row.value()) continue;
            rows.emplace(id, *row.value());
        }
        const bool still_waiting = t && !t->deleted && !t->assignee &&
                                   (t->status == TicketStatus::new_ || t->status == TicketStatus::triaged);
        if (still_waiting) waiting.push_back(id);
        else rows[id].queued = false;  // someone took it, or it is over
    }
    if (!waiting.empty()) {
        auto assigned = dispatch_tickets(ctx, waiting, rows, notes);
        if (!assigned) return assigned.error();
        report.dispatched = assigned.value();
    }
    if (auto st = write_notes(ctx, notes); !st) return st.error();
    for (const auto& [id, row] : rows) {
        if (auto st = store_.put_ticket_sla(row); !st) return st.error();
    }
    return report;
}

Result<std::size_t> TicketTriage::escalate_ticket(AutomationContext& ctx, const EntityId& id, SlaRows& rows,
                                                  triage::EventNotes& notes) {
    auto stored = store_.ticket_sla(id);
    if (!stored) return stored.error();
    if (!stored.value()) return std::size_t{0};
    TicketSlaRow& row = rows.emplace(id, *stored.value()).first->second;
    if (auto st = ctx.changes.load(EntityKind::ticket, id); !st) return st.error();
    const auto ticket = read_ticket(ctx.changes.state(), id);
    if (!ticket || ticket->deleted || !is_open(ticket->status)) {
        row.next_check_ms.reset();
        return std::size_t{0};
    }
    auto sla = read_sla(ctx, id, row, ticket->site);
    if (!sla) return sla.error();
    const triage::EscalationLevels levels{static_cast<triage::EscalationLevel>(row.first_response_level),
                                          static_cast<triage::EscalationLevel>(row.resolution_level)};
    const auto escalations = triage::due_escalations(id, ticket->assignee, sla.value(), levels, config_.escalation);
    if (!escalations.empty()) {
        std::optional<Priority> raised;
        if (config_.escalation.raise_priority) {
            const Priority up = triage::raised_priority(ticket->priority, config_.sla.untriaged_as);
            if (up != ticket->priority) raised = up;
        }
        const auto lead = config_.dispatch.team_lead.empty() ? std::nullopt : roster_user(config_.dispatch.team_lead);
        BatchBuilder builder = ctx.builder();
        Priority current = ticket->priority;
        for (const triage::Escalation& e : escalations) {
            triage::append_escalation_actions(builder, e, current, raised, lead, notes);
            if (raised) current = *raised;
            raised.reset();  // once per pass, however many thresholds it crossed
            metrics_.count_escalation(e.rule);
            if (lead) metrics_.count_team_lead_notification();
        }
        if (auto st = commit(ctx, builder, "escalation", &notes); !st) return st.error();
        if (lead) ctx.changes.users_to_wake().push_back(*lead);
        const auto recorded = triage::record_escalations(levels, escalations);
        row.first_response_level = static_cast<int>(recorded.first_response);
        row.resolution_level = static_cast<int>(recorded.resolution);

        // Reassignment when the assignee is out of office.
        const triage::RosterTechnician* assignee = ticket->assignee ? roster_technician(*ticket->assignee) : nullptr;
        if (assignee && triage::is_out_of_office(*assignee, calendar_for(assignee->site).zone, ctx.now())) {
            const EntityId ids[] = {id};
            auto moved = dispatch_tickets(ctx, ids, rows, notes, to_hex(*ticket->assignee) + " is out of office");
            if (!moved) return moved.error();
        }
        sla = read_sla(ctx, id, row, ticket->site);  // the next threshold, with the new levels
        if (!sla) return sla.error();
    }
    row.next_check_ms = sla.value().next_check_ms;
    return escalations.size();
}

}  // namespace lb::server
