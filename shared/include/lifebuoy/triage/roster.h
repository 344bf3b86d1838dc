// triage/roster.h — the help desk's people for automatic dispatch: the team (its queue and its
// lead), the technicians (skills, site, onsite/remote work, capacity, out-of-office periods) and
// which categories are onsite work. Read from the "dispatch" section of the triage config.
//
// Features: RosterTechnician → dispatch.h's Technician (with its weighted load and whether it is
// away now); out of office as local dates of the technician's site; load weights per priority
// (a P1 weighs 8 P4s, so "least load" means least work, not fewest tickets); the work mode of a
// category (onsite or remote).
//   "dispatch": {"team": "service_desk", "team_lead": "tess", "default_site": "london",
//                "onsite_categories": ["hardware", "printing"],
//                "technicians": [{"id": "tess", "name": "Tess Tran", "site": "london",
//                                 "skills": ["*"], "onsite": true, "remote": true, "max_load": 0,
//                                 "out_of_office": [{"from": "2025-08-04", "to": "2025-08-15"}]}]}
// Not here: choosing the assignee (dispatch.h), which user entity a technician is (the server
// keeps that mapping), reading the JSON (config.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/id128.h"
#include "lifebuoy/triage/dispatch.h"
#include "lifebuoy/triage/time_zone.h"

namespace lb::triage {

inline constexpr std::size_t kMaxTechnicians = 1000;
inline constexpr std::size_t kMaxAwayPeriods = 64;
inline constexpr std::size_t kMaxRosterIdBytes = 48;      // a token: [a-z][a-z0-9_]*
inline constexpr std::size_t kMaxRosterNameBytes = 128;
inline constexpr std::uint32_t kMaxTechnicianLoad = 100000;

// A run of local dates of the technician's site, both ends included (day numbers, civil_time.h).
struct AwayPeriod {
    std::int64_t first_day = 0;
    std::int64_t last_day = 0;
    friend bool operator==(const AwayPeriod&, const AwayPeriod&) = default;
};

struct RosterTechnician {
    std::string id;                      // stable name in the config, e.g. "tess"
    std::string name;                    // for people: "Tess Tran"
    std::vector<std::string> skills;     // category ids, or "*" for every category
    std::string site;                    // "" = no site (remote work only)
    bool works_onsite = true;
    bool works_remote = true;
    std::uint32_t max_load = 0;          // weighted (priority_load_weight); 0 = no cap
    std::vector<AwayPeriod> out_of_office;
};

struct DispatchConfig {
    std::string team = "service_desk";   // the team queue unassigned tickets wait in (ticket.team)
    std::string team_lead;               // a technician id; "" = nobody is told of escalations
    std::string default_site;            // the calendar of tickets without a known site; "" = first site
    std::vector<std::string> onsite_categories = {"hardware", "printing"};
    std::vector<RosterTechnician> technicians;

    const RosterTechnician* technician(std::string_view id) const;  // nullptr: not on the roster
};

// How much of a technician's capacity one open ticket of this priority takes:
// critical 8, high 4, medium 2, low 1, planning 1; unknown (not triaged yet) 2.
std::uint32_t priority_load_weight(Priority priority);

// Onsite when the category is one of onsite_categories, else remote.
WorkMode work_mode_for(const DispatchConfig& config, std::string_view category);

// Whether `now_utc_ms` falls on a local date (in `zone`, the technician's site) of an away period.
bool is_out_of_office(const RosterTechnician& technician, const TimeZone& zone, std::int64_t now_utc_ms);

// The dispatch view of a roster technician who is the user `user`.
Technician dispatch_technician(const RosterTechnician& technician, const EntityId& user,
                               std::uint32_t weighted_load, bool away);

}  // namespace lb::triage
