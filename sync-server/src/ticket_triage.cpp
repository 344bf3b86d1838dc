// ticket_triage.cpp — TicketTriage on push: [SECTION] helpers; [SECTION] what a pushed batch
// changed; [SECTION] priority and due dates of one ticket; [SECTION] dispatch.
// Not here: the roster (technician_roster.cpp), the escalation pass (escalation_pass.cpp).
#include "ticket_triage.h"

#include <algorithm>
#include <cstdio>

#include "lifebuoy/triage/automation_ops.h"
#include "lifebuoy/triage/roster.h"
#include "lifebuoy/triage/ticket_decisions.h"
#include "lifebuoy/views.h"

namespace lb::server {

namespace {

constexpr const char* kMetaDispatchCursor = "dispatch_cursor";

}  // namespace

// What one pushed batch did to one ticket.
struct TicketTriage::TicketChange {
    bool priority_inputs = false;              // impact or urgency
    bool routing = false;                      // category or site
    bool status = false;
    std::optional<Priority> person_priority;   // a technician or admin set the priority
    std::optional<std::int64_t> response_ms;   // the help desk answered (the op's HLC millisecond)
};

// ---------------------------------------------------------------------------------------------
// [SECTION] helpers
// ---------------------------------------------------------------------------------------------

std::vector<triage::StatusChange> status_history(const Replica& state, const EntityId& ticket) {
    std::vector<triage::StatusChange> out;
    for (const Op* op : state.history(EntityKind::ticket, ticket, Field::ticket_status)) {
        if (const auto* name = std::get_if<std::string>(&op->value)) {
            out.push_back({static_cast<std::int64_t>(op->hlc.ms()), status_from_name(*name)});
        }
    }
    return out;
}

TicketTriage::TicketTriage(triage::TriageConfig config, SyncStore& store, Metrics& metrics)
    : config_(std::move(config)), store_(store), metrics_(metrics), round_the_clock_(triage::round_the_clock_calendar()) {}

std::optional<EntityId> TicketTriage::roster_user(std::string_view technician) const {
    const auto it = roster_users_.find(technician);
    return it == roster_users_.end() ? std::nullopt : std::optional<EntityId>(it->second);
}

const triage::RosterTechnician* TicketTriage::roster_technician(const EntityId& user) const {
    for (const auto& [id, mapped] : roster_users_) {
        if (mapped == user) return config_.dispatch.technician(id);
    }
    return nullptr;
}

// The ticket's site, else the configured default site, else the first site, else 24×7 in UTC.
const triage::BusinessCalendar& TicketTriage::calendar_for(std::string_view site) const {
    if (const auto* c = config_.site(site)) return *c;
    if (const auto* c = config_.site(config_.dispatch.default_site)) return *c;
    return config_.sites.empty() ? round_the_clock_ : config_.sites.front();
}

Status TicketTriage::commit(AutomationContext& ctx, BatchBuilder& builder, std::string_view what,
                            triage::EventNotes* notes) {
    auto st = ctx.commit(builder);
    if (notes) {
        if (st) notes->keep();
        else notes->drop();
    }
    if (st || st.error().code != kAutomationRefused) return st;
    metrics_.count_automation_refused();
    std::fprintf(stderr, "lifebuoy-server: %.*s: the lifecycle table refused the server's own batch: %s\n",
                 static_cast<int>(what.size()), what.data(), st.error().message.c_str());
    return Ok{};
}

Status TicketTriage::write_notes(AutomationContext& ctx, const triage::EventNotes& notes) {
    for (const triage::EventNotes::Note& note : notes.notes()) {
        BatchBuilder builder = ctx.builder();
        triage::append_event_note(builder, note.ticket, note.body, ctx.system.user);
        if (auto st = commit(ctx, builder, "notes"); !st) return st;
    }
    return Ok{};
}

Result<TicketSlaRow*> TicketTriage::sla_row(const AutomationContext& ctx, const Ticket& ticket, SlaRows& rows,
                                            bool& fresh) {
    fresh = false;
    if (auto it = rows.find(ticket.id); it != rows.end()) return &it->second;
    auto stored = store_.ticket_sla(ticket.id);
    if (!stored) return stored.error();
    TicketSlaRow row;
    if (stored.value()) {
        row = *stored.value();
    } else {
        fresh = true;  // the first time the automation sees this ticket
        row.ticket = ticket.id;
        row.filed_at_ms = triage::sla_start_ms(ticket.created, ctx.now());  // the device's filing time
    }
    return &rows.emplace(ticket.id, std::move(row)).first->second;
}

Result<triage::TicketSla> TicketTriage::read_sla(const AutomationContext& ctx, const EntityId& id,
                                                 const TicketSlaRow& row, std::string_view site) {
    const auto history = status_history(ctx.changes.state(), id);
    triage::TicketSlaInput input;
    input.priority = priority_from_name(row.sla_priority);
    input.start_ms = row.filed_at_ms;
    input.changes = history;
    input.first_response_ms = row.first_response_ms;
    const triage::EscalationLevels levels{static_cast<triage::EscalationLevel>(row.first_response_level),
                                          static_cast<triage::EscalationLevel>(row.resolution_level)};
    return triage::read_ticket_sla(config_.sla, config_.escalation, calendar_for(site), input, levels, ctx.now());
}

// ---------------------------------------------------------------------------------------------
// [SECTION] what a pushed batch changed
// ---------------------------------------------------------------------------------------------

Status TicketTriage::after_push(AutomationContext& ctx, const Batch& pushed, Role pushed_by) {
    std::map<EntityId, TicketChange> changes;  // ordered: the same batches give the same ops
    for (const Op& op : pushed.ops) {
        const auto at = static_cast<std::int64_t>(op.hlc.ms());
        const auto* text = std::get_if<std::string>(&op.value);
        const auto responded = [&](TicketChange& c) { c.response_ms = std::min(c.response_ms.value_or(at), at); };
        if (op.entity == EntityKind::ticket) {
            TicketChange& c = changes[op.entity_id];
            switch (op.field) {
                case Field::ticket_impact:
                case Field::ticket_urgency: c.priority_inputs = true; break;
                case Field::ticket_category:
                case Field::ticket_site: c.routing = true; break;
                case Field::ticket_priority:
                    if (text) c.person_priority = priority_from_name(*text);
                    break;
                case Field::ticket_status:
                    c.status = true;
                    if (text && triage::is_first_response(pushed_by, status_from_name(*text))) responded(c);
                    break;
                default: break;
            }
        } else if (op.entity == EntityKind::comment && op.field == Field::comment_kind && text) {
            const auto ticket = parent_ticket(ctx.changes.state(), op.entity, op.entity_id);
            if (ticket && triage::is_first_response(pushed_by, comment_kind_from_name(*text))) responded(changes[*ticket]);
        }
    }
    SlaRows rows;
    triage::EventNotes notes;
    std::vector<EntityId> to_dispatch;
    for (const auto& [id, change] : changes) {
        if (auto st = triage_ticket(ctx, id, change, rows, notes, to_dispatch); !st) return st;
    }
    if (!to_dispatch.empty()) {
        if (auto assigned = dispatch_tickets(ctx, to_dispatch, rows, notes); !assigned) return assigned.error();
    }
    if (auto st = write_notes(ctx, notes); !st) return st;
    for (const auto& [id, row] : rows) {
        if (auto st = store_.put_ticket_sla(row); !st) return st;
    }
    return Ok{};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] priority and due dates of one ticket
// ---------------------------------------------------------------------------------------------

Status TicketTriage::triage_ticket(AutomationContext& ctx, const EntityId& id, const TicketChange& change,
                                   SlaRows& rows, triage::EventNotes& notes, std::vector<EntityId>& to_dispatch) {
    const Replica& state = ctx.changes.state();
    const auto ticket = read_ticket(state, id);
    if (!ticket || ticket->deleted) return Ok{};
    bool fresh = false;
    auto found = sla_row(ctx, *ticket, rows, fresh);
    if (!found) return found.error();
    TicketSlaRow& row = *found.value();
    if (change.response_ms && (!row.first_response_ms || *change.response_ms < *row.first_response_ms)) {
        row.first_response_ms = change.response_ms;
    }
    if (!is_open(ticket->status) && ticket->status != TicketStatus::resolved) {  // closed: read-only
        row.next_check_ms.reset();
        row.queued = false;
        return Ok{};
    }
    BatchBuilder builder = ctx.builder();
    bool priority_changed = false;
    if (fresh || change.priority_inputs || change.person_priority) {
        const Op* winner = state.winner(EntityKind::ticket, id, Field::ticket_priority);
        const bool by_person = winner && winner->node != ctx.server_node();
        triage::PriorityDecision decision;
        if (change.person_priority && *change.person_priority != Priority::unknown && !by_person) {
            // A person's priority lost to an earlier-stamped server write (an offline edit that
            // arrived late): written again by the server, so the person's choice wins.
            decision.priority = *change.person_priority;
            decision.write = decision.explain = decision.priority != ticket->priority;
            decision.rule = "priority.override_kept";
            decision.detail = "the help desk chose " + std::string(triage::priority_label(decision.priority)) +
                              " on a device before the server's last change; it stays";
        } else {
            decision = triage::decide_priority(config_.matrix, ticket->impact, ticket->urgency, ticket->priority,
                                               by_person, config_.sla.untriaged_as);
        }
        triage::append_priority_decision(builder, id, decision, notes);
        if (decision.write || decision.explain) metrics_.count_triage_decision(decision.rule);
        const std::string name(to_name(decision.priority));  // "" while untriaged
        priority_changed = fresh || name != row.sla_priority;
        row.sla_priority = name;
    }
    if (priority_changed || change.routing || change.status || change.response_ms) {
        auto sla = read_sla(ctx, id, row, ticket->site);
        if (!sla) return sla.error();
        const auto decision = triage::decide_due_dates(sla.value(), priority_from_name(row.sla_priority),
                                                       calendar_for(ticket->site), row.filed_at_ms,
                                                       ticket->response_due_ms, ticket->resolution_due_ms);
        if (decision.write) {
            triage::append_due_dates_decision(builder, id, decision, notes);
            metrics_.count_triage_decision(decision.rule);
        }
        row.next_check_ms = sla.value().next_check_ms;
    }
    if (auto st = commit(ctx, builder, "triage", &notes); !st) return st;
    const bool waiting = ticket->status == TicketStatus::new_ || ticket->status == TicketStatus::triaged;
    if (!ticket->assignee && waiting && (fresh || change.routing)) to_dispatch.push_back(id);
    return Ok{};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] dispatch
// ---------------------------------------------------------------------------------------------

Result<std::size_t> TicketTriage::dispatch_tickets(AutomationContext& ctx, std::span<const EntityId> ids,
                                                   SlaRows& rows, triage::EventNotes& notes,
                                                   const std::string& reassign_reason) {
    const Replica& state = ctx.changes.state();
    std::vector<triage::DispatchTicket> tickets;
    for (const EntityId& id : ids) {
        const auto t = read_ticket(state, id);
        const auto row = rows.find(id);
        if (!t || row == rows.end()) continue;
        triage::DispatchTicket d;
        d.id = id;
        d.category = t->category;
        d.site = t->site.empty() ? calendar_for(t->site).site : t->site;
        d.priority = t->priority != Priority::unknown ? t->priority : priority_from_name(row->second.sla_priority);
        d.mode = triage::work_mode_for(config_.dispatch, t->category);
        d.created_ms = row->second.filed_at_ms;
        d.due_ms = t->resolution_due_ms;
        d.load_weight = triage::priority_load_weight(d.priority);
        tickets.push_back(std::move(d));
    }
    auto technicians = dispatch_technicians(ctx.now());
    if (!technicians) return technicians.error();
    triage::DispatchState cursor;
    auto saved = store_.meta(kMetaDispatchCursor);
    if (!saved) return saved.error();
    if (saved.value()) cursor.last_assigned = id128_from_hex(*saved.value()).value_or(EntityId{});
    const auto result = triage::dispatch(tickets, std::move(technicians).value(), cursor);
    if (auto st = store_.set_meta(kMetaDispatchCursor, to_hex(cursor.last_assigned)); !st) return st.error();

    std::size_t assigned = 0;
    for (triage::Assignment a : result.assigned) {
        const auto t = read_ticket(state, a.ticket);
        if (!reassign_reason.empty()) {
            a.detail = reassign_reason + "; " + a.rule + ": " + a.detail;
            a.rule = "escalation.reassign_away";
        }
        BatchBuilder builder = ctx.builder();
        triage::append_assignment(builder, a, t->status, notes);
        if (t->team != config_.dispatch.team) {
            builder.set(EntityKind::ticket, a.ticket, Field::ticket_team, config_.dispatch.team);
        }
        if (auto st = commit(ctx, builder, "dispatch", &notes); !st) return st.error();
        metrics_.count_triage_decision(a.rule);
        rows[a.ticket].queued = false;
        ++assigned;
    }
    if (!reassign_reason.empty()) return assigned;  // nobody to take over: the assignee keeps it
    for (const triage::Unassigned& u : result.unassigned) {
        const auto t = read_ticket(state, u.ticket);
        TicketSlaRow& row = rows[u.ticket];
        if (!row.queued || t->team != config_.dispatch.team) {  // say it once, not on every retry
            BatchBuilder builder = ctx.builder();
            triage::append_team_queue(builder, u, config_.dispatch.team, t->status, notes);
            if (auto st = commit(ctx, builder, "dispatch", &notes); !st) return st.error();
            metrics_.count_triage_decision(u.rule);
        }
        row.queued = true;
    }
    return assigned;
}

}  // namespace lb::server
