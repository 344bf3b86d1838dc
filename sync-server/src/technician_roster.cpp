// technician_roster.cpp — TicketTriage and the roster of the triage config: each technician as a
// user of the log (sync_roster), and as a dispatch candidate with a weighted load and whether
// they are out of office now (dispatch_technicians).
#include <algorithm>
#include <map>

#include "lifebuoy/triage/automation_ops.h"
#include "lifebuoy/triage/roster.h"
#include "ticket_triage.h"

namespace lb::server {

Status TicketTriage::sync_roster(AutomationContext& ctx) {
    const Replica& state = ctx.changes.state();
    for (const triage::RosterTechnician& tech : config_.dispatch.technicians) {
        auto known = store_.roster_user(tech.id);
        if (!known) return known.error();
        EntityId user;
        if (known.value()) {
            user = *known.value();
        } else {  // first sight: a stable user for this technician, kept in the store
            user = random_id128(ctx.random);
            if (auto st = store_.set_roster_user(tech.id, user); !st) return st;
            if (auto st = store_.add_user(UserRow{user, Role::technician, tech.name, ""}, ctx.now()); !st) return st;
        }
        roster_users_[tech.id] = user;
        if (auto st = ctx.changes.load(EntityKind::user, user); !st) return st;
        BatchBuilder builder = ctx.builder();
        const auto set_if_different = [&](Field field, Value value) {
            const Value* current = state.get(EntityKind::user, user, field);
            if (!current || *current != value) builder.set(EntityKind::user, user, field, std::move(value));
        };
        set_if_different(Field::user_display_name, tech.name);
        if (!state.get(EntityKind::user, user, Field::user_role)) {  // an admin may have promoted them since
            builder.set(EntityKind::user, user, Field::user_role, std::string(to_name(Role::technician)));
        }
        set_if_different(Field::user_skills, TextList(tech.skills));
        set_if_different(Field::user_site, tech.site.empty() ? Value() : Value(tech.site));
        set_if_different(Field::user_team, config_.dispatch.team);
        if (auto st = commit(ctx, builder, "roster"); !st) return st;
    }
    return Ok{};
}

Result<std::vector<triage::Technician>> TicketTriage::dispatch_technicians(std::int64_t now_ms) {
    auto counts = store_.open_assignments();
    if (!counts) return counts.error();
    std::map<EntityId, std::uint32_t> loads;
    for (const AssignedCount& c : counts.value()) {
        loads[c.assignee] += static_cast<std::uint32_t>(c.tickets) * triage::priority_load_weight(priority_from_name(c.priority));
    }
    auto disabled = store_.disabled_users();
    if (!disabled) return disabled.error();
    std::vector<triage::Technician> out;
    for (const triage::RosterTechnician& tech : config_.dispatch.technicians) {
        const auto user = roster_user(tech.id);
        if (!user) continue;
        if (std::find(disabled.value().begin(), disabled.value().end(), *user) != disabled.value().end())
            continue;  // `user disable`: never a candidate
        const bool away = triage::is_out_of_office(tech, calendar_for(tech.site).zone, now_ms);
        out.push_back(triage::dispatch_technician(tech, *user, loads[*user], away));
    }
    return out;
}

}  // namespace lb::server
