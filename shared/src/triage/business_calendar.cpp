// triage/business_calendar.cpp — walking a site's open spans day by day in local time.
//
// Each open interval of a local day is converted to a UTC span with local_to_utc_ms, so every
// DST rule, gap and overlap is handled by time_zone.cpp alone. The walk starts one local day
// before the start instant (a span of the previous local day can end after it when zones are far
// from UTC) and clips spans to the start.
#include "lifebuoy/triage/business_calendar.h"

#include <algorithm>

#include "lifebuoy/triage/errors.h"

namespace lb::triage {
namespace {

struct Span {
    std::int64_t begin;
    std::int64_t end;
};

// Yields the open spans of the calendar in time order, clipped to start at `from` or later.
class SpanWalker {
public:
    SpanWalker(const BusinessCalendar& calendar, std::int64_t from)
        : calendar_(calendar), from_(from), day_(day_of_ms(utc_to_local_ms(calendar.zone, from)) - 1),
          first_day_(day_) {}

    // False when no span starts within kMaxCalendarSearchDays.
    bool next(Span& out) {
        while (day_ - first_day_ <= kMaxCalendarSearchDays) {
            const auto& intervals = calendar_.week[static_cast<std::size_t>(weekday_from_days(day_))];
            if (index_ < intervals.size() && !calendar_.is_holiday(day_)) {
                const OpenInterval& iv = intervals[index_++];
                const std::int64_t midnight = day_ * kMsPerDay;
                Span span{local_to_utc_ms(calendar_.zone, midnight + iv.open_minute * kMsPerMinute),
                          local_to_utc_ms(calendar_.zone, midnight + iv.close_minute * kMsPerMinute)};
                span.begin = std::max(span.begin, from_);
                if (span.end > span.begin) {
                    out = span;
                    return true;
                }
                continue;
            }
            ++day_;
            index_ = 0;
        }
        return false;
    }

private:
    const BusinessCalendar& calendar_;
    std::int64_t from_;
    std::int64_t day_;
    std::int64_t first_day_;
    std::size_t index_ = 0;
};

Status fail(TriageError code, std::string message) { return triage_error(code, std::move(message)); }

}  // namespace

bool BusinessCalendar::is_holiday(std::int64_t local_day) const {
    return std::binary_search(holidays.begin(), holidays.end(), local_day);
}

BusinessCalendar weekday_calendar(std::string site, TimeZone zone, int open_minute, int close_minute) {
    BusinessCalendar c{std::move(site), std::move(zone), {}, {}};
    for (std::size_t d = 1; d <= 5; ++d) c.week[d] = {OpenInterval{open_minute, close_minute}};
    return c;
}

BusinessCalendar round_the_clock_calendar(std::string site) {
    BusinessCalendar c{std::move(site), TimeZone{"UTC", 0, std::nullopt}, {}, {}};
    for (auto& day : c.week) day = {OpenInterval{0, kMinutesPerDay}};
    return c;
}

Status validate_calendar(const BusinessCalendar& calendar) {
    const std::string where = "site '" + calendar.site + "'";
    if (!is_valid_time_zone(calendar.zone)) {
        return fail(TriageError::unknown_time_zone, where + ": time zone rules out of range");
    }
    bool any_open = false;
    for (std::size_t d = 0; d < calendar.week.size(); ++d) {
        const auto& intervals = calendar.week[d];
        if (intervals.size() > kMaxOpenIntervalsPerDay) {
            return fail(TriageError::bad_value, where + ": too many intervals on one day");
        }
        int previous_close = 0;
        for (const OpenInterval& iv : intervals) {
            if (iv.open_minute < previous_close || iv.open_minute >= iv.close_minute ||
                iv.close_minute > kMinutesPerDay) {
                return fail(TriageError::bad_value,
                            where + ": hours must be in order, non-overlapping, within 00:00-24:00");
            }
            previous_close = iv.close_minute;
            any_open = true;
        }
    }
    if (!any_open) return fail(TriageError::calendar_never_open, where + ": no business hours in the week");
    if (calendar.holidays.size() > kMaxHolidays) {
        return fail(TriageError::bad_value, where + ": too many holidays");
    }
    for (std::size_t i = 1; i < calendar.holidays.size(); ++i) {
        if (calendar.holidays[i] <= calendar.holidays[i - 1]) {
            return fail(TriageError::bad_value, where + ": holidays must be sorted and unique");
        }
    }
    return Ok{};
}

Result<std::int64_t> add_business_ms(const BusinessCalendar& calendar, std::int64_t start_utc_ms,
                                     std::int64_t business_ms) {
    std::int64_t remaining = std::max<std::int64_t>(business_ms, 0);
    SpanWalker walker(calendar, start_utc_ms);
    Span span{};
    while (walker.next(span)) {
        const std::int64_t length = span.end - span.begin;
        // A zero target lands on the next opening; otherwise the due instant is inside a span or at
        // its close (17:00, not 09:00 of the next day).
        if (remaining <= length) return span.begin + remaining;
        remaining -= length;
    }
    return triage_error(TriageError::calendar_never_open,
                        "site '" + calendar.site + "': no business hours within " +
                            std::to_string(kMaxCalendarSearchDays) + " days");
}

std::int64_t business_ms_between(const BusinessCalendar& calendar, std::int64_t from_utc_ms,
                                 std::int64_t to_utc_ms) {
    if (to_utc_ms <= from_utc_ms) return 0;
    std::int64_t total = 0;
    SpanWalker walker(calendar, from_utc_ms);
    Span span{};
    while (walker.next(span) && span.begin < to_utc_ms) total += std::min(span.end, to_utc_ms) - span.begin;
    return total;
}

}  // namespace lb::triage
