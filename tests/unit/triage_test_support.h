// triage_test_support.h — helpers for the triage suites: instants from civil dates in UTC or in a
// zone's local time, and a fake clock that only moves when a test moves it.
// Not here: assertions (each suite has its own).
#pragma once

#include <cstdint>

#include "lifebuoy/triage/civil_time.h"
#include "lifebuoy/triage/time_zone.h"

namespace lb::test {

// Unix ms of a UTC civil time.
inline std::int64_t utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return triage::days_from_civil(y, mo, d) * triage::kMsPerDay + (h * 60 + mi) * triage::kMsPerMinute;
}

// Unix ms of a local wall-clock time in `zone`.
inline std::int64_t local(const triage::TimeZone& zone, int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return triage::local_to_utc_ms(zone, utc(y, mo, d, h, mi));
}

inline triage::TimeZone zone(const char* name) { return *triage::find_time_zone(name); }

inline constexpr std::int64_t kMinute = triage::kMsPerMinute;
inline constexpr std::int64_t kHour = 60 * kMinute;

// A clock for escalation tests: time moves only when the test says so.
struct FakeClock {
    std::int64_t now_ms = 0;
    void advance_minutes(std::int64_t minutes) { now_ms += minutes * kMinute; }
};

}  // namespace lb::test
