// triage/civil_time.cpp — the non-constexpr part of civil_time.h: parsing dates.
#include "lifebuoy/triage/civil_time.h"

namespace lb::triage {
namespace {

// Exactly `text.size()` decimal digits.
std::optional<int> digits(std::string_view text) {
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

std::optional<CivilDate> parse_civil_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const auto y = digits(text.substr(0, 4));
    const auto m = digits(text.substr(5, 2));
    const auto d = digits(text.substr(8, 2));
    if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
    const CivilDate date{*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d)};
    if (date.day > days_in_month(date.year, date.month)) return std::nullopt;
    return date;
}

}  // namespace lb::triage
