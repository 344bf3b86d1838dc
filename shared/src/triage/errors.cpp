// triage/errors.cpp — stable names of lb::triage's error codes.
#include "lifebuoy/triage/errors.h"

#include <array>

namespace lb::triage {
namespace {

constexpr std::array<std::string_view, 11> kNames{
    "malformed_config", "wrong_type",          "missing_entry",       "unknown_name",
    "bad_value",        "non_monotonic",       "duplicate_entry",     "unknown_time_zone",
    "calendar_never_open", "missing_reason",   "too_long",
};
static_assert(kNames.size() == static_cast<std::size_t>(TriageError::too_long) + 1);

}  // namespace

std::string_view triage_error_name(TriageError code) { return kNames[static_cast<std::size_t>(code)]; }

Error triage_error(TriageError code, std::string message) {
    return Error{std::string(triage_error_name(code)), std::move(message)};
}

}  // namespace lb::triage
