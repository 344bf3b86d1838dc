// triage/config_sites.cpp — the "sites" section of the triage config: zones (built-in or explicit
// rules), weekly hours, holidays → BusinessCalendar, validated.
#include <algorithm>
#include <array>
#include <optional>

#include "config_detail.h"
#include "lifebuoy/triage/config.h"

namespace lb::triage::detail {
namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 7> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// "HH:MM" → minutes; "24:00" allowed only as a closing time.
std::optional<int> parse_hhmm(std::string_view text, bool closing) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (const std::size_t i : {0u, 1u, 3u, 4u}) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !closing))) return std::nullopt;
    return h * 60 + m;
}

Result<int> int_member(const json& j, const char* key, const std::string& where, bool required, int fallback) {
    const auto it = j.find(key);
    if (it == j.end()) {
        if (required) return err(TriageError::missing_entry, where + "." + key + ": missing");
        return fallback;
    }
    if (!it->is_number_integer()) return err(TriageError::wrong_type, where + "." + key + ": not an integer");
    const auto v = it->get<std::int64_t>();
    if (v < -100000 || v > 100000) return err(TriageError::bad_value, where + "." + key + ": out of range");
    return static_cast<int>(v);
}

Result<TransitionRule> parse_transition(const json& j, const std::string& where) {
    if (!j.is_object()) return err(TriageError::wrong_type, where + ": not an object");
    if (auto ok = check_members(j, {"month", "week", "weekday", "time", "basis"}, where); !ok) return ok.error();
    TransitionRule r;
    auto month = int_member(j, "month", where, true, 0);
    if (!month) return month.error();
    auto week = int_member(j, "week", where, true, 0);
    if (!week) return week.error();
    r.month = static_cast<unsigned>(std::max(month.value(), 0));
    r.week = week.value();
    const auto day = j.find("weekday");
    if (day == j.end() || !day->is_string()) return err(TriageError::missing_entry, where + ".weekday: a string is required");
    const auto d = std::find(kDayNames.begin(), kDayNames.end(), day->get_ref<const std::string&>());
    if (d == kDayNames.end()) return err(TriageError::unknown_name, where + ".weekday: sun..sat");
    r.weekday = static_cast<Weekday>(d - kDayNames.begin());
    const auto time = j.find("time");
    if (time == j.end() || !time->is_string()) return err(TriageError::missing_entry, where + ".time: \"HH:MM\" is required");
    const auto minute = parse_hhmm(time->get_ref<const std::string&>(), false);
    if (!minute) return err(TriageError::bad_value, where + ".time: not HH:MM");
    r.minute_of_day = *minute;
    const auto basis = j.find("basis");
    if (basis == j.end() || !basis->is_string()) return err(TriageError::missing_entry, where + ".basis: a string is required");
    const auto& b = basis->get_ref<const std::string&>();
    if (b == "utc") r.basis = TransitionBasis::utc;
    else if (b == "standard") r.basis = TransitionBasis::local_standard;
    else if (b == "wall") r.basis = TransitionBasis::local_wall;
    else return err(TriageError::unknown_name, where + ".basis: utc, standard or wall");
    return r;
}

Result<TimeZone> parse_zone(const json& j, const std::string& where) {
    if (j.is_string()) {
        auto zone = find_time_zone(j.get_ref<const std::string&>());
        if (!zone) return err(TriageError::unknown_time_zone, where + ": no built-in rule for this zone; give explicit rules");
        return *zone;
    }
    if (!j.is_object()) return err(TriageError::wrong_type, where + ": a zone name or an object");
    if (auto ok = check_members(j, {"name", "standard_offset_minutes", "dst"}, where); !ok) return ok.error();
    TimeZone zone;
    const auto name = j.find("name");
    if (name == j.end() || !name->is_string()) return err(TriageError::missing_entry, where + ".name: a string is required");
    zone.name = name->get<std::string>();
    auto offset = int_member(j, "standard_offset_minutes", where, true, 0);
    if (!offset) return offset.error();
    zone.standard_offset_minutes = offset.value();
    if (const auto dst = j.find("dst"); dst != j.end()) {
        const std::string w = where + ".dst";
        if (!dst->is_object()) return err(TriageError::wrong_type, w + ": not an object");
        if (auto ok = check_members(*dst, {"start", "end", "save_minutes"}, w); !ok) return ok.error();
        DstRule rule;
        const auto start = dst->find("start");
        const auto end = dst->find("end");
        if (start == dst->end() || end == dst->end()) return err(TriageError::missing_entry, w + ": start and end are required");
        auto s = parse_transition(*start, w + ".start");
        if (!s) return s.error();
        auto e = parse_transition(*end, w + ".end");
        if (!e) return e.error();
        auto save = int_member(*dst, "save_minutes", w, false, 60);
        if (!save) return save.error();
        rule.start = s.value();
        rule.end = e.value();
        rule.save_minutes = save.value();
        zone.dst = rule;
    }
    if (!is_valid_time_zone(zone)) return err(TriageError::bad_value, where + ": rules out of range");
    return zone;
}

Result<BusinessCalendar> parse_site(const json& j, const std::string& where) {
    if (!j.is_object()) return err(TriageError::wrong_type, where + ": not an object");
    if (auto ok = check_members(j, {"site", "time_zone", "hours", "holidays"}, where); !ok) return ok.error();
    BusinessCalendar c;
    const auto site = j.find("site");
    if (site == j.end() || !site->is_string()) return err(TriageError::missing_entry, where + ".site: a string is required");
    c.site = site->get<std::string>();
    if (c.site.empty() || c.site.size() > 128) return err(TriageError::bad_value, where + ".site: 1..128 bytes");
    const auto zone_json = j.find("time_zone");
    if (zone_json == j.end()) return err(TriageError::missing_entry, where + ".time_zone: missing");
    auto zone = parse_zone(*zone_json, where + ".time_zone");
    if (!zone) return zone.error();
    c.zone = std::move(zone).value();

    const auto hours = j.find("hours");
    if (hours == j.end()) return err(TriageError::missing_entry, where + ".hours: missing");
    if (!hours->is_object()) return err(TriageError::wrong_type, where + ".hours: not an object");
    if (auto ok = check_members(*hours, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, where + ".hours"); !ok) {
        return ok.error();
    }
    for (std::size_t d = 0; d < kDayNames.size(); ++d) {
        const auto day = hours->find(kDayNames[d]);
        if (day == hours->end()) continue;
        const std::string w = where + ".hours." + std::string(kDayNames[d]);
        if (!day->is_array()) return err(TriageError::wrong_type, w + ": not an array");
        if (day->size() > kMaxOpenIntervalsPerDay) return err(TriageError::too_long, w + ": too many intervals");
        for (const json& span : *day) {
            if (!span.is_string()) return err(TriageError::wrong_type, w + ": intervals are \"HH:MM-HH:MM\"");
            const auto& text = span.get_ref<const std::string&>();
            const auto open = text.size() == 11 && text[5] == '-' ? parse_hhmm(std::string_view(text).substr(0, 5), false)
                                                                  : std::nullopt;
            const auto close = text.size() == 11 ? parse_hhmm(std::string_view(text).substr(6, 5), true) : std::nullopt;
            if (!open || !close) return err(TriageError::bad_value, w + ": intervals are \"HH:MM-HH:MM\"");
            c.week[d].push_back({*open, *close});
        }
    }
    if (const auto holidays = j.find("holidays"); holidays != j.end()) {
        if (!holidays->is_array()) return err(TriageError::wrong_type, where + ".holidays: not an array");
        if (holidays->size() > kMaxHolidays) return err(TriageError::too_long, where + ".holidays: too many");
        for (const json& h : *holidays) {
            const auto date = h.is_string() ? parse_civil_date(h.get_ref<const std::string&>()) : std::nullopt;
            if (!date) return err(TriageError::bad_value, where + ".holidays: dates are \"YYYY-MM-DD\"");
            c.holidays.push_back(days_from_civil(*date));
        }
        std::sort(c.holidays.begin(), c.holidays.end());
        c.holidays.erase(std::unique(c.holidays.begin(), c.holidays.end()), c.holidays.end());
    }
    if (auto ok = validate_calendar(c); !ok) return ok.error();
    return c;
}

}  // namespace

Result<std::vector<BusinessCalendar>> parse_sites(const json& j) {
    if (!j.is_array()) return err(TriageError::wrong_type, "sites: not an array");
    if (j.size() > kMaxSites) return err(TriageError::too_long, "sites: too many");
    std::vector<BusinessCalendar> sites;
    for (std::size_t i = 0; i < j.size(); ++i) {
        auto site = parse_site(j[i], "sites[" + std::to_string(i) + "]");
        if (!site) return site.error();
        for (const BusinessCalendar& other : sites) {
            if (other.site == site.value().site) {
                return err(TriageError::duplicate_entry, "sites[" + std::to_string(i) + "]: site '" + other.site + "' twice");
            }
        }
        sites.push_back(std::move(site).value());
    }
    return sites;
}

}  // namespace lb::triage::detail
