// errors.cpp — stable names of the shared core's error codes.
#include "lifebuoy/errors.h"

#include <array>

namespace lb {
namespace {

constexpr std::array<std::string_view, 23> kNames{
    "too_large", "too_deep", "malformed_json", "unsupported_version", "missing_field", "wrong_type",
    "bad_id", "bad_hlc", "bad_value", "too_long", "too_many_items", "out_of_range", "invalid_utf8",
    "empty_batch", "op_id_conflict", "forbidden", "bad_transition", "insert_only",
    "missing_required", "not_found", "entity_deleted", "ticket_closed", "unsupported_field",
};
static_assert(kNames.size() == static_cast<std::size_t>(CoreError::unsupported_field) + 1);

}  // namespace

std::string_view error_code_name(CoreError code) { return kNames[static_cast<std::size_t>(code)]; }

Error core_error(CoreError code, std::string message) {
    return Error{std::string(error_code_name(code)), std::move(message)};
}

}  // namespace lb
