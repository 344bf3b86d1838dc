// value.h — the value an op writes into one field: null, bool, integer, id, text, text list, or
// raw JSON (a field from a newer version, kept verbatim to pass on).
//
// Not here: which type each field takes (schema.h) or how values look on the wire (wire.h).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "lifebuoy/id128.h"

namespace lb {

// JSON text of a value this version has no schema for, in canonical form (sorted keys, no spaces).
struct RawJson {
    std::string text;
    friend bool operator==(const RawJson&, const RawJson&) = default;
};

using TextList = std::vector<std::string>;

// std::monostate is JSON null: "cleared" (e.g. unassigned). Deletion is the `deleted` field.
using Value = std::variant<std::monostate, bool, std::int64_t, Id128, std::string, TextList, RawJson>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

}  // namespace lb
