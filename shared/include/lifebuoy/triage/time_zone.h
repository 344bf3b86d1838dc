// triage/time_zone.h — a site's time zone as explicit rules, with no tz database and no I/O.
//
// The device runs in WebAssembly without a tzdb (and Emscripten 3.1's libc++ has no
// std::chrono::zoned_time), and the device and the server must compute the same due dates. So a
// zone is: a standard UTC offset plus an optional daylight-saving rule, each transition being "the
// n-th (or last) weekday of a month at a time of day" in UTC, local standard or local wall time:
//   EU (since 1996):  last Sunday of March 01:00 UTC → last Sunday of October 01:00 UTC, +60 min
//   US (since 2007):  second Sunday of March 02:00 local → first Sunday of November 02:00 local
//   Australia (2008): first Sunday of October 02:00 standard → first Sunday of April 03:00 wall
//                     (southern hemisphere: DST spans the new year; handled)
// Built-in zones (find_time_zone): UTC, Europe/London, Europe/Dublin, Europe/Lisbon, Europe/Paris,
// Europe/Berlin, Europe/Madrid, Europe/Amsterdam, Europe/Bucharest, America/New_York,
// America/Chicago, America/Denver, America/Los_Angeles, America/Phoenix, Asia/Tokyo, Asia/Kolkata,
// Asia/Singapore, Australia/Sydney. Other zones are given as explicit rules in the triage config.
// Only the CURRENT rules are modelled: instants before a zone's rules took effect (e.g. US before
// 2007) get today's rules, which is fine for SLA clocks of live tickets.
// Local times in a spring-forward gap are moved forward by the gap (02:30 → 03:30 in New York);
// local times in a fall-back overlap take the earlier instant (the first 01:30).
// Not here: business hours (business_calendar.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lifebuoy/triage/civil_time.h"

namespace lb::triage {

enum class TransitionBasis : std::uint8_t {
    utc,             // the time of day is UTC (EU rules)
    local_standard,  // local standard time
    local_wall,      // local clock time in effect just before the transition (US rules)
};

struct TransitionRule {
    unsigned month = 3;                  // 1..12
    int week = -1;                       // 1..4 = n-th weekday of the month; -1 = last
    Weekday weekday = Weekday::sunday;
    int minute_of_day = 60;              // 0..1439
    TransitionBasis basis = TransitionBasis::utc;
    friend bool operator==(const TransitionRule&, const TransitionRule&) = default;
};

struct DstRule {
    TransitionRule start;     // daylight time begins
    TransitionRule end;       // standard time resumes
    int save_minutes = 60;    // added to the standard offset while in daylight time
    friend bool operator==(const DstRule&, const DstRule&) = default;
};

struct TimeZone {
    std::string name;                    // IANA name, e.g. "Europe/Berlin"
    int standard_offset_minutes = 0;     // east of UTC is positive (Berlin +60, New York -300)
    std::optional<DstRule> dst;          // none: no daylight saving (Tokyo, UTC)
    friend bool operator==(const TimeZone&, const TimeZone&) = default;
};

inline constexpr int kMaxUtcOffsetMinutes = 14 * 60;

DstRule eu_dst_rule();
DstRule us_dst_rule();

// A built-in zone by IANA name (list above); nullopt for any other name.
std::optional<TimeZone> find_time_zone(std::string_view name);

// Offsets in range, transitions well-formed (month, week, minute, save 1..180).
bool is_valid_time_zone(const TimeZone& zone);

// The instant (Unix ms, UTC) of a transition in `year` for this zone.
std::int64_t transition_utc_ms(const TimeZone& zone, const TransitionRule& rule, int year, bool is_start);

// Minutes east of UTC in effect at the instant `utc_ms`.
int utc_offset_minutes_at(const TimeZone& zone, std::int64_t utc_ms);

// Local wall-clock ms (Unix ms as if local time were UTC) of an instant.
std::int64_t utc_to_local_ms(const TimeZone& zone, std::int64_t utc_ms);

// The instant of a local wall-clock time (gap → moved forward, overlap → earlier; see above).
std::int64_t local_to_utc_ms(const TimeZone& zone, std::int64_t local_ms);

// "2025-06-13 17:59 UTC+01:00": the local wall-clock minute of an instant and the offset then in
// effect, for messages people read (system events in a ticket's history).
std::string format_local_minute(const TimeZone& zone, std::int64_t utc_ms);

}  // namespace lb::triage
