// triage/business_calendar.h — a site's business hours (working days and hours, holidays, time
// zone) and arithmetic on business time: add N business minutes to an instant, measure the business
// time between two instants.
//
// Business time is real elapsed time inside opening hours: hours are local wall-clock times of the
// site's zone (time_zone.h), so a 09:00–17:00 day is 8 hours on either side of a DST change, and
// a 00:00–24:00 day is 23 or 25 hours on the change day. Holidays are local dates; the whole day
// is closed. All instants are Unix ms (UTC); precision is the millisecond.
// Not here: SLA targets and pauses (sla.h), parsing calendars from JSON (config.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lifebuoy/result.h"
#include "lifebuoy/triage/civil_time.h"
#include "lifebuoy/triage/time_zone.h"

namespace lb::triage {

// How far add_business_ms looks ahead for an open hour before giving up (calendar_never_open):
// ten years, so a calendar closed by mistake fails fast instead of looping.
inline constexpr std::int64_t kMaxCalendarSearchDays = 3660;
inline constexpr std::size_t kMaxOpenIntervalsPerDay = 8;
inline constexpr std::size_t kMaxHolidays = 1000;

struct OpenInterval {
    int open_minute = 0;   // minutes after local midnight, [0, 1440)
    int close_minute = 0;  // (open_minute, 1440]; 1440 = midnight at the end of the day
    friend bool operator==(const OpenInterval&, const OpenInterval&) = default;
};

struct BusinessCalendar {
    std::string site;                                 // e.g. "london"
    TimeZone zone;
    std::array<std::vector<OpenInterval>, 7> week;    // indexed by Weekday (0 = Sunday)
    std::vector<std::int64_t> holidays;               // local day numbers (days_from_civil), sorted

    bool is_holiday(std::int64_t local_day) const;
};

// Monday–Friday 09:00–17:00 (or the given hours), no holidays.
BusinessCalendar weekday_calendar(std::string site, TimeZone zone, int open_minute = 9 * 60,
                                  int close_minute = 17 * 60);
// Open every minute of every day, in UTC: business time = elapsed time.
BusinessCalendar round_the_clock_calendar(std::string site = "24x7");

// Zone valid; each day's intervals in order, non-overlapping, within [0, 1440]; at least one open
// interval in the week; holidays sorted, unique, at most kMaxHolidays.
// Codes: bad_value, unknown_time_zone, calendar_never_open.
Status validate_calendar(const BusinessCalendar& calendar);

// The instant at which `business_ms` of business time have passed after `start_utc_ms`. With
// business_ms == 0: start itself if open then, else the next opening. Code: calendar_never_open
// (no opening within kMaxCalendarSearchDays).
Result<std::int64_t> add_business_ms(const BusinessCalendar& calendar, std::int64_t start_utc_ms,
                                     std::int64_t business_ms);

// Business time inside [from_utc_ms, to_utc_ms); 0 when to <= from.
std::int64_t business_ms_between(const BusinessCalendar& calendar, std::int64_t from_utc_ms,
                                 std::int64_t to_utc_ms);

}  // namespace lb::triage
