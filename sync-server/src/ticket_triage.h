// ticket_triage.h — the server applying the triage rules of lifebuoy/triage/ to ticket metadata:
// priority, SLA due dates, assignment, escalation. Thin glue: the decisions are the shared pure
// functions; this file reads the store, calls them and writes their results as ops authored by the
// server (role `system`); each pass ends with one system_event comment per ticket it decided on,
// a line naming each rule that fired (triage::EventNotes).
//
//   on push (same transaction as the device's batch), per ticket the batch created or changed:
//     priority   when created or impact/urgency changed: the matrix (priority.matrix) unless a
//                person set the priority (priority.override_kept); a person's priority that lost
//                to the server's (an offline edit arriving late) is written again, so it wins.
//     due dates  when created or the priority, site, status or first response changed: first
//                response and resolution on the site's business calendar, from when the device
//                filed the ticket (sla.due_dates), cleared while waiting on the requester (sla.paused).
//     dispatch   when created (or its category/site changed) and nobody is assigned: skills, site
//                for onsite work, weighted load, round robin, out of office (dispatch.*); nobody
//                fits → the team queue, retried by the escalation pass.
//   escalation pass (a timer): tickets whose next check has come; each threshold once (levels
//     recorded in the store): priority raised, team lead notified (named in the comment, woken,
//     counted), reassigned when the assignee is out of office (escalation.reassign_away).
// Never reads ticket text (title, description, comment bodies): it will be end-to-end encrypted.
// Not here: the rules (shared/triage), the transaction and waking devices (SyncService), SQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "automation_context.h"
#include "lifebuoy/triage/automation_ops.h"
#include "lifebuoy/triage/config.h"
#include "lifebuoy/triage/ticket_sla.h"
#include "lifebuoy/views.h"
#include "metrics.h"
#include "sync_store.h"

namespace lb::server {

struct EscalationPassReport {
    std::size_t checked = 0;      // tickets whose time to look had come
    std::size_t escalations = 0;  // thresholds crossed (at risk, breached)
    std::size_t dispatched = 0;   // queued tickets assigned
};

// At most this many tickets per escalation pass (the rest wait for the next tick).
inline constexpr std::size_t kMaxTicketsPerEscalationPass = 256;

class TicketTriage {
public:
    TicketTriage(triage::TriageConfig config, SyncStore& store, Metrics& metrics);

    // At start, in a transaction: every roster technician is a user (a stable id kept in the
    // store, role technician, name, skills, site, team); ops only where the log differs.
    Status sync_roster(AutomationContext& ctx);
    // In a push's transaction, after the device's batch (and ticket numbers) landed.
    Status after_push(AutomationContext& ctx, const Batch& pushed, Role pushed_by);
    // In the escalation pass's transaction.
    Result<EscalationPassReport> escalation_pass(AutomationContext& ctx);

    // The user a roster technician is (after sync_roster); nullopt for an unknown id.
    std::optional<EntityId> roster_user(std::string_view technician) const;
    const triage::TriageConfig& config() const { return config_; }

private:
    struct TicketChange;
    using SlaRows = std::map<EntityId, TicketSlaRow>;

    // Each pass gathers its system_event lines in `notes` and writes them last (write_notes).
    Status triage_ticket(AutomationContext& ctx, const EntityId& id, const TicketChange& change, SlaRows& rows,
                         triage::EventNotes& notes, std::vector<EntityId>& to_dispatch);
    // Assigns what it can; the rest waits in the team queue (queued = true in `rows`). With a
    // reassign_reason (the assignee is away), assignments are escalation.reassign_away and the
    // tickets nobody can take keep their assignee.
    Result<std::size_t> dispatch_tickets(AutomationContext& ctx, std::span<const EntityId> tickets, SlaRows& rows,
                                         triage::EventNotes& notes, const std::string& reassign_reason = {});
    Result<std::vector<triage::Technician>> dispatch_technicians(std::int64_t now_ms);
    Result<std::size_t> escalate_ticket(AutomationContext& ctx, const EntityId& id, SlaRows& rows,
                                        triage::EventNotes& notes);
    Result<triage::TicketSla> read_sla(const AutomationContext& ctx, const EntityId& id, const TicketSlaRow& row,
                                       std::string_view site);
    const triage::BusinessCalendar& calendar_for(std::string_view site) const;
    const triage::RosterTechnician* roster_technician(const EntityId& user) const;
    // Commits the builder; a batch the table refuses is logged and counted, not an error. The
    // lines it added to `notes` are kept when it is stored, dropped when it is not.
    Status commit(AutomationContext& ctx, BatchBuilder& builder, std::string_view what,
                  triage::EventNotes* notes = nullptr);
    // One batch per ticket noted: its system_event comment (the pass's lines for it).
    Status write_notes(AutomationContext& ctx, const triage::EventNotes& notes);
    // The ticket's automation state (from `rows`, the store, or new: `fresh`), kept in `rows`.
    Result<TicketSlaRow*> sla_row(const AutomationContext& ctx, const Ticket& ticket, SlaRows& rows, bool& fresh);

    triage::TriageConfig config_;
    SyncStore& store_;
    Metrics& metrics_;
    std::map<std::string, EntityId, std::less<>> roster_users_;
    triage::BusinessCalendar round_the_clock_;
};

// The status history of a ticket as the SLA clocks read it (the HLC millisecond of each status op).
std::vector<triage::StatusChange> status_history(const Replica& state, const EntityId& ticket);

}  // namespace lb::server
