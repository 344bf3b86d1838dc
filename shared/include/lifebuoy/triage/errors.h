// triage/errors.h — the stable error codes of lb::triage (configuration, calendars, SLA clocks,
// technician overrides).
//
// Each code maps to a snake_case string carried in lb::Error::code, so the UI and peers can rely on
// it. Messages say where ("priority_matrix.high.low") and why; they never echo ticket text.
// Not here: the shared core's codes (lifebuoy/errors.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lifebuoy/result.h"

namespace lb::triage {

enum class TriageError : std::uint8_t {
    malformed_config,     // not JSON, or over kMaxTriageConfigBytes / kMaxJsonDepth
    wrong_type,           // a member has the wrong JSON type
    missing_entry,        // a required member (a matrix cell, a site's zone) is absent
    unknown_name,         // a name this version does not know (a priority, a zone, a weekday)
    bad_value,            // a value outside its rules (an hour "25:00", a negative target)
    non_monotonic,        // a matrix where more impact or urgency gives a lower priority
    duplicate_entry,      // the same site or category twice
    unknown_time_zone,    // a zone name with no built-in rule and no explicit rule given
    calendar_never_open,  // no business hours within kMaxCalendarSearchDays
    missing_reason,       // a technician override without a reason
    too_long,             // a reason or a name over its byte limit
};

std::string_view triage_error_name(TriageError code);
Error triage_error(TriageError code, std::string message);

}  // namespace lb::triage
