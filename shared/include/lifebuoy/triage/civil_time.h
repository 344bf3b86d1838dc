// triage/civil_time.h — proleptic Gregorian civil-date arithmetic on day numbers, without I/O and
// without <chrono> calendars (Emscripten 3.1's libc++ has neither tzdb nor C++20 calendars).
//
// Features: days_from_civil / civil_from_days (Howard Hinnant's algorithms, exact for every date
// in ±5 million years), weekday of a day number, the n-th or last given weekday of a month, days in
// a month, "YYYY-MM-DD" parsing. Day 0 is 1970-01-01; a day number times kMsPerDay is the Unix ms of
// that date's midnight in UTC (or in local time, for local day numbers).
// Not here: time zones and daylight saving (time_zone.h), business hours (business_calendar.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lb::triage {

inline constexpr std::int64_t kMsPerMinute = 60'000;
inline constexpr std::int64_t kMsPerDay = 86'400'000;
inline constexpr int kMinutesPerDay = 1440;

struct CivilDate {
    int year = 1970;
    unsigned month = 1;  // 1..12
    unsigned day = 1;    // 1..31
    friend constexpr bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Weekdays as in C's tm_wday: 0 = Sunday … 6 = Saturday.
enum class Weekday : std::uint8_t { sunday, monday, tuesday, wednesday, thursday, friday, saturday };

constexpr std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;                                        // [0, 399]
    const std::int64_t mp = (static_cast<std::int64_t>(month) + 9) % 12;          // March = 0
    const std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(day) - 1;  // [0, 365]
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                // [0, 146096]
    return era * 146097 + doe - 719468;
}
constexpr std::int64_t days_from_civil(const CivilDate& d) { return days_from_civil(d.year, d.month, d.day); }

constexpr CivilDate civil_from_days(std::int64_t days) {
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return CivilDate{static_cast<int>(year), month, day};
}

constexpr Weekday weekday_from_days(std::int64_t days) {
    // 1970-01-01 was a Thursday (4).
    return static_cast<Weekday>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

constexpr bool is_leap_year(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

constexpr unsigned days_in_month(int year, unsigned month) {
    constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29u : kDays[month - 1];
}

// The day number of the n-th `weekday` of a month (n = 1..4), or of the last one (n = -1).
constexpr std::int64_t nth_weekday_of_month(int year, unsigned month, Weekday weekday, int n) {
    if (n < 0) {
        const std::int64_t last = days_from_civil(year, month, days_in_month(year, month));
        const int back = (static_cast<int>(weekday_from_days(last)) - static_cast<int>(weekday) + 7) % 7;
        return last - back;
    }
    const std::int64_t first = days_from_civil(year, month, 1);
    const int ahead = (static_cast<int>(weekday) - static_cast<int>(weekday_from_days(first)) + 7) % 7;
    return first + ahead + 7 * (n - 1);
}

// Floor division of Unix ms into a day number (correct for instants before 1970 too).
constexpr std::int64_t day_of_ms(std::int64_t ms) {
    return ms >= 0 ? ms / kMsPerDay : -((-ms + kMsPerDay - 1) / kMsPerDay);
}

// "YYYY-MM-DD" with a real date; nullopt otherwise.
std::optional<CivilDate> parse_civil_date(std::string_view text);

}  // namespace lb::triage
