// demo_triage_config.cpp — the demo triage.json: a template plus holidays computed for two years.
#include "demo_triage_config.h"

#include <cstdio>
#include <initializer_list>

#include "lifebuoy/triage/civil_time.h"

namespace lb::server {
namespace {

using triage::CivilDate;
using triage::Weekday;

std::string quoted_date(std::int64_t day) {
    const CivilDate d = triage::civil_from_days(day);
    char text[16];
    std::snprintf(text, sizeof text, "\"%04d-%02u-%02u\"", d.year, d.month, d.day);
    return text;
}

std::string date_list(std::initializer_list<std::int64_t> days) {
    std::string out;
    for (const std::int64_t day : days) out += (out.empty() ? "" : ", ") + quoted_date(day);
    return out;
}

// England's bank holidays without the Easter ones (New Year, early May, spring, summer, Christmas).
std::string london_holidays(int y) {
    return date_list({triage::days_from_civil(y, 1, 1), triage::nth_weekday_of_month(y, 5, Weekday::monday, 1),
                      triage::nth_weekday_of_month(y, 5, Weekday::monday, -1),
                      triage::nth_weekday_of_month(y, 8, Weekday::monday, -1), triage::days_from_civil(y, 12, 25),
                      triage::days_from_civil(y, 12, 26)});
}

// US federal holidays most offices close on.
std::string new_york_holidays(int y) {
    const std::int64_t thanksgiving = triage::nth_weekday_of_month(y, 11, Weekday::thursday, 4);
    return date_list({triage::days_from_civil(y, 1, 1), triage::nth_weekday_of_month(y, 1, Weekday::monday, 3),
                      triage::nth_weekday_of_month(y, 5, Weekday::monday, -1), triage::days_from_civil(y, 6, 19),
                      triage::days_from_civil(y, 7, 4), triage::nth_weekday_of_month(y, 9, Weekday::monday, 1),
                      thanksgiving, thanksgiving + 1, triage::days_from_civil(y, 12, 25)});
}

constexpr const char* kTemplate = R"json({
  "priority_matrix": {
    "high":   {"high": "critical", "medium": "high",   "low": "medium"},
    "medium": {"high": "high",     "medium": "medium", "low": "low"},
    "low":    {"high": "medium",   "medium": "low",    "low": "planning"}
  },
  "sla": {
    "untriaged_as": "medium",
    "critical": {"first_response_minutes": 30,  "resolution_minutes": 240,  "clock": "continuous"},
    "high":     {"first_response_minutes": 60,  "resolution_minutes": 480,  "clock": "business_hours"},
    "medium":   {"first_response_minutes": 240, "resolution_minutes": 1440, "clock": "business_hours"},
    "low":      {"first_response_minutes": 480, "resolution_minutes": 2400, "clock": "business_hours"},
    "planning": {"first_response_minutes": 960, "resolution_minutes": 4800, "clock": "business_hours"}
  },
  "escalation": {"at_risk_fraction": 0.75, "check_interval_seconds": 60, "raise_priority": true},
  "sites": [
    {
      "site": "london",
      "time_zone": "Europe/London",
      "hours": {"mon": ["08:30-17:30"], "tue": ["08:30-17:30"], "wed": ["08:30-17:30"],
                "thu": ["08:30-17:30"], "fri": ["08:30-17:30"]},
      "holidays": [@LONDON@]
    },
    {
      "site": "new_york",
      "time_zone": "America/New_York",
      "hours": {"mon": ["09:00-12:30", "13:30-18:00"], "tue": ["09:00-12:30", "13:30-18:00"],
                "wed": ["09:00-12:30", "13:30-18:00"], "thu": ["09:00-12:30", "13:30-18:00"],
                "fri": ["09:00-12:30", "13:30-18:00"]},
      "holidays": [@NEW_YORK@]
    }
  ],
  "dispatch": {
    "team": "service_desk",
    "team_lead": "tess",
    "default_site": "london",
    "onsite_categories": ["hardware", "printing"],
    "technicians": [
      {"id": "tess",  "name": "Tess Tran",   "site": "london",   "skills": ["*"]},
      {"id": "omar",  "name": "Omar Okafor", "site": "london",   "skills": ["hardware", "printing", "network_vpn"]},
      {"id": "lena",  "name": "Lena Vogel",  "site": "london",   "skills": ["account_password", "access", "email", "software"],
       "onsite": false},
      {"id": "priya", "name": "Priya Patel", "site": "new_york", "skills": ["hardware", "printing", "network_vpn", "storage"]},
      {"id": "dan",   "name": "Dan Brooks",  "site": "new_york",
       "skills": ["account_password", "business_apps", "email", "hr", "purchase", "software"], "onsite": false}
    ]
  }
}
)json";

void replace(std::string& text, const std::string& marker, const std::string& with) {
    text.replace(text.find(marker), marker.size(), with);
}

}  // namespace

std::string demo_triage_config_json(int year) {
    std::string text = kTemplate;
    replace(text, "@LONDON@", london_holidays(year) + ",\n                   " + london_holidays(year + 1));
    replace(text, "@NEW_YORK@", new_york_holidays(year) + ",\n                   " + new_york_holidays(year + 1));
    return text;
}

}  // namespace lb::server
