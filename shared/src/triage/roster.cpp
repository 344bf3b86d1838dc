// triage/roster.cpp — load weights, work modes, out of office, roster → dispatch technicians.
#include "lifebuoy/triage/roster.h"

#include <algorithm>

namespace lb::triage {

const RosterTechnician* DispatchConfig::technician(std::string_view id) const {
    for (const RosterTechnician& t : technicians) {
        if (t.id == id) return &t;
    }
    return nullptr;
}

std::uint32_t priority_load_weight(Priority priority) {
    switch (priority) {
        case Priority::critical: return 8;
        case Priority::high: return 4;
        case Priority::medium: return 2;
        case Priority::low: return 1;
        case Priority::planning: return 1;
        case Priority::unknown: return 2;
    }
    return 2;
}

WorkMode work_mode_for(const DispatchConfig& config, std::string_view category) {
    const auto& onsite = config.onsite_categories;
    return std::find(onsite.begin(), onsite.end(), category) != onsite.end() ? WorkMode::onsite : WorkMode::remote;
}

bool is_out_of_office(const RosterTechnician& technician, const TimeZone& zone, std::int64_t now_utc_ms) {
    const std::int64_t today = day_of_ms(utc_to_local_ms(zone, now_utc_ms));
    return std::any_of(technician.out_of_office.begin(), technician.out_of_office.end(),
                       [&](const AwayPeriod& p) { return p.first_day <= today && today <= p.last_day; });
}

Technician dispatch_technician(const RosterTechnician& technician, const EntityId& user,
                               std::uint32_t weighted_load, bool away) {
    Technician t;
    t.id = user;
    t.skills = technician.skills;
    t.site = technician.site;
    t.works_onsite = technician.works_onsite && !technician.site.empty();
    t.works_remote = technician.works_remote;
    t.available = !away;
    t.load = weighted_load;
    t.max_load = technician.max_load;
    return t;
}

}  // namespace lb::triage
