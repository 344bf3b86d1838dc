// triage_calendar_test.cpp — civil dates, time-zone rules (EU, US, southern hemisphere, none) and
// business-hours arithmetic: a ticket filed at 17:59 on a Friday, weekends, holidays, lunch breaks,
// daylight-saving changes in both directions in the EU and the US, sites in different zones,
// calendars from JSON, and a calendar that never opens.
#include <doctest/doctest.h>

#include "lifebuoy/triage/business_calendar.h"
#include "lifebuoy/triage/config.h"
#include "triage_test_support.h"

using namespace lb;
using namespace lb::triage;
using lb::test::kHour;
using lb::test::kMinute;
using lb::test::local;
using lb::test::utc;
using lb::test::zone;

TEST_CASE("triage calendar: civil dates round-trip and known weekdays") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2025, 1, 1) == 20089);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(weekday_from_days(days_from_civil(2025, 1, 10)) == Weekday::friday);
    CHECK(weekday_from_days(days_from_civil(1969, 12, 28)) == Weekday::sunday);
    CHECK(weekday_from_days(days_from_civil(2024, 2, 29)) == Weekday::thursday);
    for (std::int64_t d = -200'000; d <= 200'000; d += 37) {
        CHECK(days_from_civil(civil_from_days(d)) == d);
    }
    // EU 2025: 30 March and 26 October; US 2025: 9 March and 2 November.
    CHECK(civil_from_days(nth_weekday_of_month(2025, 3, Weekday::sunday, -1)) == CivilDate{2025, 3, 30});
    CHECK(civil_from_days(nth_weekday_of_month(2025, 10, Weekday::sunday, -1)) == CivilDate{2025, 10, 26});
    CHECK(civil_from_days(nth_weekday_of_month(2025, 3, Weekday::sunday, 2)) == CivilDate{2025, 3, 9});
    CHECK(civil_from_days(nth_weekday_of_month(2025, 11, Weekday::sunday, 1)) == CivilDate{2025, 11, 2});
    CHECK(parse_civil_date("2024-02-29") == CivilDate{2024, 2, 29});
    CHECK_FALSE(parse_civil_date("2025-02-29"));
    CHECK_FALSE(parse_civil_date("2025-1-01"));
}

TEST_CASE("triage calendar: zone offsets switch at the right instants") {
    const auto london = zone("Europe/London");
    const auto berlin = zone("Europe/Berlin");
    const auto ny = zone("America/New_York");
    const auto tokyo = zone("Asia/Tokyo");
    const auto sydney = zone("Australia/Sydney");
    // EU: 01:00 UTC on the last Sunday of March and of October, everywhere at once.
    CHECK(utc_offset_minutes_at(london, utc(2025, 3, 30, 1, 0) - 1) == 0);
    CHECK(utc_offset_minutes_at(london, utc(2025, 3, 30, 1, 0)) == 60);
    CHECK(utc_offset_minutes_at(berlin, utc(2025, 3, 30, 1, 0) - 1) == 60);
    CHECK(utc_offset_minutes_at(berlin, utc(2025, 3, 30, 1, 0)) == 120);
    CHECK(utc_offset_minutes_at(berlin, utc(2025, 10, 26, 1, 0) - 1) == 120);
    CHECK(utc_offset_minutes_at(berlin, utc(2025, 10, 26, 1, 0)) == 60);
    // US: 02:00 local — 07:00 UTC in March (EST), 06:00 UTC in November (EDT).
    CHECK(utc_offset_minutes_at(ny, utc(2025, 3, 9, 7, 0) - 1) == -300);
    CHECK(utc_offset_minutes_at(ny, utc(2025, 3, 9, 7, 0)) == -240);
    CHECK(utc_offset_minutes_at(ny, utc(2025, 11, 2, 6, 0) - 1) == -240);
    CHECK(utc_offset_minutes_at(ny, utc(2025, 11, 2, 6, 0)) == -300);
    // No DST in Tokyo; Sydney's summer spans the new year.
    CHECK(utc_offset_minutes_at(tokyo, utc(2025, 7, 1)) == 540);
    CHECK(utc_offset_minutes_at(tokyo, utc(2025, 1, 1)) == 540);
    CHECK(utc_offset_minutes_at(sydney, utc(2025, 1, 15)) == 660);
    CHECK(utc_offset_minutes_at(sydney, utc(2025, 7, 15)) == 600);
    CHECK(utc_offset_minutes_at(sydney, utc(2025, 4, 5, 16, 0) - 1) == 660);  // 03:00 AEDT, 6 April
    CHECK(utc_offset_minutes_at(sydney, utc(2025, 4, 5, 16, 0)) == 600);
    CHECK(utc_offset_minutes_at(sydney, utc(2025, 10, 4, 16, 0)) == 660);     // 02:00 AEST, 5 October
    // Local → UTC: the spring gap moves forward, the autumn overlap takes the earlier instant.
    CHECK(local(ny, 2025, 3, 9, 2, 30) == utc(2025, 3, 9, 7, 30));   // 03:30 EDT
    CHECK(local(ny, 2025, 11, 2, 1, 30) == utc(2025, 11, 2, 5, 30));  // the first 01:30 (EDT)
    CHECK(local(berlin, 2025, 3, 30, 2, 30) == utc(2025, 3, 30, 1, 30));
    CHECK(local(berlin, 2025, 10, 26, 2, 30) == utc(2025, 10, 26, 0, 30));
    CHECK(utc_to_local_ms(ny, utc(2025, 7, 4, 16, 0)) == utc(2025, 7, 4, 12, 0));
    CHECK_FALSE(find_time_zone("Mars/Olympus_Mons"));
    CHECK(find_time_zone("UTC")->dst == std::nullopt);
}

TEST_CASE("triage calendar: a ticket filed at 17:59 on a Friday, weekends, lunch breaks") {
    const auto london = zone("Europe/London");
    const BusinessCalendar cal = weekday_calendar("london", london, 9 * 60, 18 * 60);
    REQUIRE(validate_calendar(cal).ok());
    const std::int64_t friday_1759 = local(london, 2025, 1, 10, 17, 59);
    CHECK(add_business_ms(cal, friday_1759, 1 * kMinute).value() == local(london, 2025, 1, 10, 18, 0));
    CHECK(add_business_ms(cal, friday_1759, 30 * kMinute).value() == local(london, 2025, 1, 13, 9, 29));
    CHECK(business_ms_between(cal, friday_1759, local(london, 2025, 1, 13, 9, 29)) == 30 * kMinute);
    // Filed on Saturday: the clock starts Monday 09:00.
    const std::int64_t saturday = local(london, 2025, 1, 11, 12, 0);
    CHECK(add_business_ms(cal, saturday, 0).value() == local(london, 2025, 1, 13, 9, 0));
    CHECK(add_business_ms(cal, saturday, kHour).value() == local(london, 2025, 1, 13, 10, 0));
    CHECK(business_ms_between(cal, saturday, local(london, 2025, 1, 13, 8, 0)) == 0);
    // A working week is 45 business hours.
    CHECK(business_ms_between(cal, local(london, 2025, 1, 13), local(london, 2025, 1, 20)) == 45 * kHour);
    // Lunch 12:00–13:00.
    BusinessCalendar lunch = cal;
    for (std::size_t d = 1; d <= 5; ++d) lunch.week[d] = {{9 * 60, 12 * 60}, {13 * 60, 18 * 60}};
    CHECK(add_business_ms(lunch, local(london, 2025, 1, 13, 11, 30), kHour).value() ==
          local(london, 2025, 1, 13, 13, 30));
}

TEST_CASE("triage calendar: holidays close the whole local day") {
    const auto berlin = zone("Europe/Berlin");
    BusinessCalendar cal = weekday_calendar("berlin", berlin);
    cal.holidays = {days_from_civil(2025, 12, 25), days_from_civil(2025, 12, 26), days_from_civil(2026, 1, 1)};
    REQUIRE(validate_calendar(cal).ok());
    // Wed 24 Dec 16:00 + 2 h: one hour on Wednesday, Thu/Fri holidays, the weekend, then Monday.
    CHECK(add_business_ms(cal, local(berlin, 2025, 12, 24, 16, 0), 2 * kHour).value() ==
          local(berlin, 2025, 12, 29, 10, 0));
    CHECK(business_ms_between(cal, local(berlin, 2025, 12, 22), local(berlin, 2026, 1, 5)) == 7 * 8 * kHour);
    cal.holidays = {days_from_civil(2025, 12, 26), days_from_civil(2025, 12, 25)};
    CHECK(validate_calendar(cal).error().code == "bad_value");  // not sorted
}

TEST_CASE("triage calendar: daylight saving in both directions, EU and US") {
    const auto berlin = zone("Europe/Berlin");
    const auto ny = zone("America/New_York");
    const BusinessCalendar de = weekday_calendar("berlin", berlin);
    const BusinessCalendar us = weekday_calendar("new_york", ny);
    // EU spring forward (Sun 30 March 2025): Friday 16:00 CET + 2 h → Monday 10:00 CEST = 08:00 UTC.
    CHECK(add_business_ms(de, local(berlin, 2025, 3, 28, 16, 0), 2 * kHour).value() == utc(2025, 3, 31, 8, 0));
    // EU fall back (Sun 26 October): Friday 16:00 CEST + 2 h → Monday 10:00 CET = 09:00 UTC.
    CHECK(add_business_ms(de, local(berlin, 2025, 10, 24, 16, 0), 2 * kHour).value() == utc(2025, 10, 27, 9, 0));
    // US spring forward (Sun 9 March): Friday 16:00 EST + 2 h → Monday 10:00 EDT = 14:00 UTC.
    CHECK(add_business_ms(us, local(ny, 2025, 3, 7, 16, 0), 2 * kHour).value() == utc(2025, 3, 10, 14, 0));
    // US fall back (Sun 2 November): Friday 16:00 EDT + 2 h → Monday 10:00 EST = 15:00 UTC.
    CHECK(add_business_ms(us, local(ny, 2025, 10, 31, 16, 0), 2 * kHour).value() == utc(2025, 11, 3, 15, 0));
    // Between the EU and the US change (17–28 March 2025) New York is 5 h behind Berlin, not 6.
    CHECK(local(ny, 2025, 3, 20, 9, 0) - local(berlin, 2025, 3, 20, 9, 0) == 5 * kHour);
    CHECK(local(ny, 2025, 4, 20, 9, 0) - local(berlin, 2025, 4, 20, 9, 0) == 6 * kHour);

    // Round-the-clock desks in a DST zone: the change day has 23 or 25 business hours.
    BusinessCalendar de24 = de;
    BusinessCalendar us24 = us;
    for (auto& day : de24.week) day = {{0, kMinutesPerDay}};
    for (auto& day : us24.week) day = {{0, kMinutesPerDay}};
    CHECK(business_ms_between(de24, local(berlin, 2025, 3, 30), local(berlin, 2025, 3, 31)) == 23 * kHour);
    CHECK(business_ms_between(de24, local(berlin, 2025, 10, 26), local(berlin, 2025, 10, 27)) == 25 * kHour);
    CHECK(business_ms_between(us24, local(ny, 2025, 3, 9), local(ny, 2025, 3, 10)) == 23 * kHour);
    CHECK(business_ms_between(us24, local(ny, 2025, 11, 2), local(ny, 2025, 11, 3)) == 25 * kHour);
    // 00:30 + 3 h on the spring night reads 04:30 on the wall; on the autumn night, 02:30.
    CHECK(add_business_ms(de24, local(berlin, 2025, 3, 30, 0, 30), 3 * kHour).value() ==
          local(berlin, 2025, 3, 30, 4, 30));
    CHECK(add_business_ms(de24, local(berlin, 2025, 10, 26, 0, 30), 3 * kHour).value() ==
          local(berlin, 2025, 10, 26, 2, 30) + kHour);  // the second 02:30 (CET)
}

TEST_CASE("triage calendar: sites in different time zones see the same instant differently") {
    const auto tokyo = zone("Asia/Tokyo");
    const auto ny = zone("America/New_York");
    const auto london = zone("Europe/London");
    const BusinessCalendar jp = weekday_calendar("tokyo", tokyo, 9 * 60, 18 * 60);
    const BusinessCalendar us = weekday_calendar("new_york", ny);
    const BusinessCalendar uk = weekday_calendar("london", london);
    const BusinessCalendar utc24 = round_the_clock_calendar();
    // Monday 2 June 2025 00:00 UTC: 09:00 Monday in Tokyo, 20:00 Sunday in New York, 01:00 in London.
    const std::int64_t filed = utc(2025, 6, 2, 0, 0);
    CHECK(add_business_ms(jp, filed, kHour).value() == utc(2025, 6, 2, 1, 0));
    CHECK(add_business_ms(us, filed, kHour).value() == utc(2025, 6, 2, 14, 0));
    CHECK(add_business_ms(uk, filed, kHour).value() == utc(2025, 6, 2, 9, 0));
    CHECK(add_business_ms(utc24, filed, kHour).value() == utc(2025, 6, 2, 1, 0));
    // Friday 17:00 in Tokyo is 08:00 UTC; the New York desk has not opened yet.
    CHECK(business_ms_between(jp, utc(2025, 6, 6, 0, 0), utc(2025, 6, 6, 12, 0)) == 9 * kHour);
    CHECK(business_ms_between(us, utc(2025, 6, 6, 0, 0), utc(2025, 6, 6, 12, 0)) == 0);
}

TEST_CASE("triage calendar: sites from JSON, explicit zone rules, and a calendar that never opens") {
    const char* json = R"({"sites": [
        {"site": "london", "time_zone": "Europe/London",
         "hours": {"mon": ["09:00-17:30"], "tue": ["09:00-17:30"], "wed": ["09:00-17:30"],
                   "thu": ["09:00-17:30"], "fri": ["09:00-16:00"]},
         "holidays": ["2025-12-26", "2025-12-25"]},
        {"site": "cairo", "time_zone": {"name": "Custom/Cairo-like", "standard_offset_minutes": 120,
         "dst": {"start": {"month": 4, "week": -1, "weekday": "fri", "time": "00:00", "basis": "wall"},
                 "end": {"month": 10, "week": -1, "weekday": "thu", "time": "24:00", "basis": "wall"}}},
         "hours": {"sun": ["08:00-16:00"], "mon": ["08:00-16:00"]}}]})";
    auto bad_end = parse_triage_config(json);
    CHECK(bad_end.error().code == "bad_value");  // "24:00" is only a closing time
    std::string fixed = json;
    fixed.replace(fixed.find("\"24:00\""), 7, "\"23:00\"");
    auto config = parse_triage_config(fixed);
    REQUIRE(config.ok());
    const BusinessCalendar* uk = config.value().site("london");
    REQUIRE(uk != nullptr);
    CHECK(uk->holidays.size() == 2);
    CHECK(uk->is_holiday(days_from_civil(2025, 12, 25)));
    CHECK(add_business_ms(*uk, local(uk->zone, 2025, 1, 10, 15, 30), kHour).value() ==
          local(uk->zone, 2025, 1, 13, 9, 30));  // Friday closes at 16:00
    const BusinessCalendar* eg = config.value().site("cairo");
    REQUIRE(eg != nullptr);
    CHECK(utc_offset_minutes_at(eg->zone, utc(2025, 7, 1)) == 180);
    CHECK(utc_offset_minutes_at(eg->zone, utc(2025, 1, 1)) == 120);
    CHECK(config.value().site("paris") == nullptr);

    auto code = [](std::string_view text) {
        auto r = parse_triage_config(text);
        return r ? std::string("ok") : r.error().code;
    };
    CHECK(code(R"({"sites": [{"site": "x", "time_zone": "Mars/Base", "hours": {"mon": ["09:00-17:00"]}}]})") ==
          "unknown_time_zone");
    CHECK(code(R"({"sites": [{"site": "x", "time_zone": "UTC", "hours": {}}]})") == "calendar_never_open");
    CHECK(code(R"({"sites": [{"site": "x", "time_zone": "UTC", "hours": {"mon": ["17:00-09:00"]}}]})") ==
          "bad_value");
    CHECK(code(R"({"sites": [{"site": "x", "time_zone": "UTC", "hours": {"mon": ["09:00-12:00", "11:00-17:00"]}}]})") ==
          "bad_value");
    CHECK(code(R"({"sites": [{"site": "x", "time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}},
                             {"site": "x", "time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}}]})") ==
          "duplicate_entry");
    CHECK(code(R"({"sites": [{"site": "x", "time_zone": "UTC", "hours": {"monday": ["09:00-17:00"]}}]})") ==
          "unknown_name");
    CHECK(code(R"({"sites": [{"site": "x", "time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]},
                              "holidays": ["2025-02-30"]}]})") == "bad_value");

    // Built by hand without validation: add_business_ms gives up after kMaxCalendarSearchDays.
    BusinessCalendar closed{"closed", zone("UTC"), {}, {}};
    CHECK(validate_calendar(closed).error().code == "calendar_never_open");
    auto never = add_business_ms(closed, utc(2025, 1, 1), kHour);
    REQUIRE_FALSE(never.ok());
    CHECK(never.error().code == "calendar_never_open");
}
