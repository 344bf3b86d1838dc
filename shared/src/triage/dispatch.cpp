// triage/dispatch.cpp — skills → site → availability/capacity → least load → round robin.
#include "lifebuoy/triage/dispatch.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>

namespace lb::triage {
namespace {

bool more_urgent(const DispatchTicket& a, const DispatchTicket& b) {
    // Priority::unknown (not triaged yet) has the highest enum value: dispatched last.
    if (a.priority != b.priority) return a.priority < b.priority;
    const std::int64_t da = a.due_ms.value_or(std::numeric_limits<std::int64_t>::max());
    const std::int64_t db = b.due_ms.value_or(std::numeric_limits<std::int64_t>::max());
    if (da != db) return da < db;
    if (a.created_ms != b.created_ms) return a.created_ms < b.created_ms;
    return a.id < b.id;
}

// Indices of technicians (sorted by id) who have a skill, per category; computed once per category.
class SkillIndex {
public:
    explicit SkillIndex(const std::vector<Technician>& technicians) : technicians_(technicians) {}

    const std::vector<std::uint32_t>& candidates(const std::string& category) {
        auto it = by_category_.find(category);
        if (it != by_category_.end()) return it->second;
        std::vector<std::uint32_t> list;
        for (std::uint32_t i = 0; i < technicians_.size(); ++i) {
            for (const std::string& skill : technicians_[i].skills) {
                if (skill == kAnySkill || (!category.empty() && skill == category)) {
                    list.push_back(i);
                    break;
                }
            }
        }
        return by_category_.emplace(category, std::move(list)).first->second;
    }

private:
    const std::vector<Technician>& technicians_;
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_category_;
};

std::string describe(const DispatchTicket& t) {
    std::string s = "skill ";
    s += t.category.empty() ? std::string(kAnySkill) : t.category;
    if (t.mode == WorkMode::onsite) {
        s += "; onsite at ";
        s += t.site;
    } else {
        s += "; remote";
    }
    return s;
}

}  // namespace

DispatchResult dispatch(std::span<const DispatchTicket> tickets, std::vector<Technician> technicians,
                        DispatchState& state) {
    std::sort(technicians.begin(), technicians.end(),
              [](const Technician& a, const Technician& b) { return a.id < b.id; });
    std::vector<const DispatchTicket*> order;
    order.reserve(tickets.size());
    for (const DispatchTicket& t : tickets) order.push_back(&t);
    std::sort(order.begin(), order.end(),
              [](const DispatchTicket* a, const DispatchTicket* b) { return more_urgent(*a, *b); });

    DispatchResult result;
    result.assigned.reserve(tickets.size());
    SkillIndex skills(technicians);
    std::vector<std::uint32_t> ties;
    for (const DispatchTicket* ticket : order) {
        const auto& candidates = skills.candidates(ticket->category);
        if (candidates.empty()) {
            result.unassigned.push_back({ticket->id, "dispatch.no_skill", describe(*ticket) + ": nobody has it"});
            continue;
        }
        std::size_t site_ok = 0;
        std::size_t available = 0;
        std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
        ties.clear();
        for (const std::uint32_t i : candidates) {
            const Technician& tech = technicians[i];
            if (ticket->mode == WorkMode::onsite ? !(tech.works_onsite && tech.site == ticket->site)
                                                 : !tech.works_remote) {
                continue;
            }
            ++site_ok;
            if (!tech.available) continue;
            ++available;
            if (tech.max_load != 0 && tech.load >= tech.max_load) continue;
            if (tech.load < best) {
                best = tech.load;
                ties.clear();
            }
            if (tech.load == best) ties.push_back(i);
        }
        if (ties.empty()) {
            const char* rule = site_ok == 0     ? "dispatch.no_site_match"
                               : available == 0 ? "dispatch.none_available"
                                                : "dispatch.all_at_capacity";
            result.unassigned.push_back({ticket->id, rule,
                                         describe(*ticket) + "; " + std::to_string(candidates.size()) +
                                             " skilled, " + std::to_string(site_ok) + " at site/mode, " +
                                             std::to_string(available) + " available"});
            continue;
        }
        // Round robin: the first tied technician after the last one chosen (ids ascending, wrapping).
        std::uint32_t chosen = ties.front();
        for (const std::uint32_t i : ties) {
            if (state.last_assigned < technicians[i].id) {
                chosen = i;
                break;
            }
        }
        Technician& tech = technicians[chosen];
        state.last_assigned = tech.id;
        std::string detail = describe(*ticket);
        detail += "; load ";
        detail += std::to_string(tech.load);
        detail += " -> ";
        detail += std::to_string(tech.load + ticket->load_weight);
        detail += ", lowest of ";
        detail += std::to_string(available);
        detail += ties.size() > 1 ? "; round robin among " + std::to_string(ties.size()) : std::string();
        tech.load += ticket->load_weight;
        result.assigned.push_back({ticket->id, tech.id,
                                   ticket->mode == WorkMode::onsite ? "dispatch.onsite_same_site"
                                                                    : "dispatch.remote_least_load",
                                   std::move(detail)});
    }
    result.technicians = std::move(technicians);
    return result;
}

}  // namespace lb::triage
