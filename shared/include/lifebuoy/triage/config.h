// triage/config.h — the triage configuration (priority matrix, SLA policy, escalation threshold,
// site calendars, category catalogue) read from one JSON document, validated, with typed errors.
//
// Every section is optional; a missing section keeps its default (ITIL matrix, default_sla_policy,
// 75 %, no sites, default_category_catalogue). A present section must be complete and valid:
//   {"priority_matrix": {"high": {"high": "critical", "medium": "high", "low": "medium"},
//                        "medium": {...}, "low": {...}},             // rows impact, columns urgency
//    "sla": {"untriaged_as": "medium",
//            "critical": {"first_response_minutes": 30, "resolution_minutes": 240,
//                         "clock": "continuous"},                    // or "business_hours"
//            "high": {...}, "medium": {...}, "low": {...}, "planning": {...}},
//    "escalation": {"at_risk_fraction": 0.75},
//    "sites": [{"site": "london", "time_zone": "Europe/London",     // a built-in zone, or explicit:
//               // {"name": "Custom/X", "standard_offset_minutes": 120, "dst": {"save_minutes": 60,
//               //   "start": {"month": 3, "week": -1, "weekday": "sun", "time": "01:00", "basis": "utc"},
//               //   "end": {...}}}                                // basis: utc | standard | wall
//               "hours": {"mon": ["09:00-17:30"], "tue": [...], ...},  // days not listed: closed
//               "holidays": ["2025-12-25", "2025-12-26"]}],
//    "categories": {"fallback": "other", "min_score": 1.5,
//                   "list": [{"id": "network_vpn", "label": "Network & VPN",
//                             "terms": {"vpn": 4, "wi fi": 4}}]},
//    "dispatch": {"team": "service_desk", "team_lead": "tess", ...}}  // roster.h
//    (escalation also takes "check_interval_seconds": 60 and "raise_priority": true)
// Unknown members are refused (unknown_name), so a typo does not silently keep a default.
// Cross-references are checked: a technician's site and the default site are sites, skills and
// onsite categories are category ids (or "*"), the team lead is a technician.
// Every error message starts with the path of the member it is about ("sites[1].hours.mon: …");
// config_location.h turns that into a line number.
// Not here: reading the file (the server and the engine pass the text in).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "lifebuoy/result.h"
#include "lifebuoy/triage/business_calendar.h"
#include "lifebuoy/triage/categorize.h"
#include "lifebuoy/triage/escalation.h"
#include "lifebuoy/triage/priority.h"
#include "lifebuoy/triage/roster.h"
#include "lifebuoy/triage/sla.h"

namespace lb::triage {

inline constexpr std::size_t kMaxTriageConfigBytes = 512 * 1024;
inline constexpr std::size_t kMaxTriageConfigDepth = 16;
inline constexpr std::size_t kMaxSites = 256;

struct TriageConfig {
    PriorityMatrix matrix = default_priority_matrix();
    SlaPolicy sla = default_sla_policy();
    EscalationPolicy escalation;
    std::vector<BusinessCalendar> sites;
    CategoryCatalogue catalogue = default_category_catalogue();
    DispatchConfig dispatch;

    const BusinessCalendar* site(std::string_view name) const;  // nullptr: unknown site
    // The calendar a ticket's SLA runs on: its site's, else the default site's (dispatch), else
    // the first site's, else round the clock in UTC. The server and devices both use this.
    const BusinessCalendar& calendar_for(std::string_view ticket_site) const;
};

// Codes: malformed_config, wrong_type, missing_entry, unknown_name, bad_value, non_monotonic,
// duplicate_entry, unknown_time_zone, calendar_never_open, too_long. Messages name the member.
Result<TriageConfig> parse_triage_config(std::string_view json_text);

}  // namespace lb::triage
