// triage/time_zone.cpp — standard offset + DST rule zones: offsets, conversions, built-in table.
#include "lifebuoy/triage/time_zone.h"

#include <array>
#include <cstdio>

namespace lb::triage {
namespace {

struct BuiltIn {
    std::string_view name;
    int offset;
    enum class Dst : std::uint8_t { none, eu, us, au } dst;
};

DstRule au_dst_rule() {
    return DstRule{
        TransitionRule{10, 1, Weekday::sunday, 120, TransitionBasis::local_standard},
        TransitionRule{4, 1, Weekday::sunday, 180, TransitionBasis::local_wall},
        60,
    };
}

constexpr std::array<BuiltIn, 18> kZones{{
    {"UTC", 0, BuiltIn::Dst::none},
    {"Europe/London", 0, BuiltIn::Dst::eu},
    {"Europe/Dublin", 0, BuiltIn::Dst::eu},
    {"Europe/Lisbon", 0, BuiltIn::Dst::eu},
    {"Europe/Paris", 60, BuiltIn::Dst::eu},
    {"Europe/Berlin", 60, BuiltIn::Dst::eu},
    {"Europe/Madrid", 60, BuiltIn::Dst::eu},
    {"Europe/Amsterdam", 60, BuiltIn::Dst::eu},
    {"Europe/Bucharest", 120, BuiltIn::Dst::eu},
    {"America/New_York", -300, BuiltIn::Dst::us},
    {"America/Chicago", -360, BuiltIn::Dst::us},
    {"America/Denver", -420, BuiltIn::Dst::us},
    {"America/Los_Angeles", -480, BuiltIn::Dst::us},
    {"America/Phoenix", -420, BuiltIn::Dst::none},
    {"Asia/Tokyo", 540, BuiltIn::Dst::none},
    {"Asia/Kolkata", 330, BuiltIn::Dst::none},
    {"Asia/Singapore", 480, BuiltIn::Dst::none},
    {"Australia/Sydney", 600, BuiltIn::Dst::au},
}};

bool valid_rule(const TransitionRule& r) {
    return r.month >= 1 && r.month <= 12 && (r.week == -1 || (r.week >= 1 && r.week <= 4)) &&
           static_cast<unsigned>(r.weekday) <= 6 && r.minute_of_day >= 0 &&
           r.minute_of_day < kMinutesPerDay;
}

}  // namespace

DstRule eu_dst_rule() {
    return DstRule{
        TransitionRule{3, -1, Weekday::sunday, 60, TransitionBasis::utc},
        TransitionRule{10, -1, Weekday::sunday, 60, TransitionBasis::utc},
        60,
    };
}

DstRule us_dst_rule() {
    return DstRule{
        TransitionRule{3, 2, Weekday::sunday, 120, TransitionBasis::local_wall},
        TransitionRule{11, 1, Weekday::sunday, 120, TransitionBasis::local_wall},
        60,
    };
}

std::optional<TimeZone> find_time_zone(std::string_view name) {
    for (const BuiltIn& z : kZones) {
        if (z.name != name) continue;
        TimeZone zone{std::string(z.name), z.offset, std::nullopt};
        switch (z.dst) {
            case BuiltIn::Dst::none: break;
            case BuiltIn::Dst::eu: zone.dst = eu_dst_rule(); break;
            case BuiltIn::Dst::us: zone.dst = us_dst_rule(); break;
            case BuiltIn::Dst::au: zone.dst = au_dst_rule(); break;
        }
        return zone;
    }
    return std::nullopt;
}

bool is_valid_time_zone(const TimeZone& zone) {
    if (zone.standard_offset_minutes < -kMaxUtcOffsetMinutes ||
        zone.standard_offset_minutes > kMaxUtcOffsetMinutes) {
        return false;
    }
    if (!zone.dst) return true;
    return valid_rule(zone.dst->start) && valid_rule(zone.dst->end) && zone.dst->save_minutes >= 1 &&
           zone.dst->save_minutes <= 180 && zone.dst->start.month != zone.dst->end.month;
}

std::int64_t transition_utc_ms(const TimeZone& zone, const TransitionRule& rule, int year, bool is_start) {
    const std::int64_t day = nth_weekday_of_month(year, rule.month, rule.weekday, rule.week);
    const std::int64_t at = day * kMsPerDay + rule.minute_of_day * kMsPerMinute;
    switch (rule.basis) {
        case TransitionBasis::utc: return at;
        case TransitionBasis::local_standard: return at - zone.standard_offset_minutes * kMsPerMinute;
        case TransitionBasis::local_wall: {
            // Before the start, standard time is in effect; before the end, daylight time is.
            const int before = zone.standard_offset_minutes + (is_start || !zone.dst ? 0 : zone.dst->save_minutes);
            return at - before * kMsPerMinute;
        }
    }
    return at;
}

int utc_offset_minutes_at(const TimeZone& zone, std::int64_t utc_ms) {
    if (!zone.dst) return zone.standard_offset_minutes;
    const std::int64_t local_standard = utc_ms + zone.standard_offset_minutes * kMsPerMinute;
    const int year = civil_from_days(day_of_ms(local_standard)).year;
    const std::int64_t start = transition_utc_ms(zone, zone.dst->start, year, true);
    const std::int64_t end = transition_utc_ms(zone, zone.dst->end, year, false);
    const bool in_dst = start < end ? (utc_ms >= start && utc_ms < end)   // northern hemisphere
                                    : (utc_ms >= start || utc_ms < end);  // southern: spans new year
    return zone.standard_offset_minutes + (in_dst ? zone.dst->save_minutes : 0);
}

std::int64_t utc_to_local_ms(const TimeZone& zone, std::int64_t utc_ms) {
    return utc_ms + utc_offset_minutes_at(zone, utc_ms) * kMsPerMinute;
}

std::int64_t local_to_utc_ms(const TimeZone& zone, std::int64_t local_ms) {
    const std::int64_t as_standard = local_ms - zone.standard_offset_minutes * kMsPerMinute;
    if (!zone.dst) return as_standard;
    const int daylight_offset = zone.standard_offset_minutes + zone.dst->save_minutes;
    const std::int64_t as_daylight = local_ms - daylight_offset * kMsPerMinute;
    // Overlap: both readings are real; take the earlier instant (the daylight one).
    if (utc_offset_minutes_at(zone, as_daylight) == daylight_offset) return as_daylight;
    // Standard time, or a gap: reading it as standard time moves it forward by the gap.
    return as_standard;
}

std::string format_local_minute(const TimeZone& zone, std::int64_t utc_ms) {
    const std::int64_t local = utc_to_local_ms(zone, utc_ms);
    const std::int64_t day = day_of_ms(local);
    const CivilDate date = civil_from_days(day);
    const std::int64_t minute = (local - day * kMsPerDay) / kMsPerMinute;
    const int offset = utc_offset_minutes_at(zone, utc_ms);
    const int magnitude = offset < 0 ? -offset : offset;
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d UTC%c%02d:%02d", date.year, date.month, date.day,
                  static_cast<int>(minute / 60), static_cast<int>(minute % 60), offset < 0 ? '-' : '+',
                  magnitude / 60, magnitude % 60);
    return text;
}

}  // namespace lb::triage
