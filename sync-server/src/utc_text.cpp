// utc_text.cpp — UTC text from a civil date and the second of its day.
#include "utc_text.h"

#include <cstdio>

#include "lifebuoy/triage/civil_time.h"

namespace lb::server {
namespace {

struct UtcParts {
    int year, month, day, hour, minute, second;
};

UtcParts utc_parts(std::int64_t ms) {
    const std::int64_t day = triage::day_of_ms(ms);
    const std::int64_t in_day = (ms - day * triage::kMsPerDay) / 1000;  // seconds, 0..86399
    const triage::CivilDate date = triage::civil_from_days(day);
    return {static_cast<int>(date.year), static_cast<int>(date.month), static_cast<int>(date.day),
            static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60)};
}

}  // namespace

std::string utc_timestamp(std::int64_t ms) {
    const UtcParts t = utc_parts(ms);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute,
                  t.second);
    return text;
}

std::string utc_minute(std::int64_t ms) {
    const UtcParts t = utc_parts(ms);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour, t.minute);
    return text;
}

}  // namespace lb::server
