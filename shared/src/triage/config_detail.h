// triage/config_detail.h — private helpers of config.cpp, config_sites.cpp, config_dispatch.cpp
// and config_location.cpp: typed errors, refusing unknown members, a nesting-depth check before
// parsing, the sites and dispatch sections, the position of a syntax error.
// Not a public header: it exposes nlohmann::json.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifebuoy/result.h"
#include "lifebuoy/triage/business_calendar.h"
#include "lifebuoy/triage/config.h"
#include "lifebuoy/triage/errors.h"

namespace lb::triage::detail {

inline Error err(TriageError code, std::string message) { return triage_error(code, std::move(message)); }

// Every member of `j` (an object) is one of `known`. Code: unknown_name.
inline Status check_members(const nlohmann::json& j, std::initializer_list<std::string_view> known,
                            const std::string& where) {
    for (const auto& item : j.items()) {
        bool found = false;
        for (const std::string_view k : known) found = found || item.key() == k;
        if (!found) return err(TriageError::unknown_name, where + ": unknown member '" + item.key() + "'");
    }
    return Ok{};
}

// Arrays/objects nested at most `max_depth` deep (strings skipped), checked before parsing.
inline bool at_most_depth(std::string_view text, std::size_t max_depth) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) return false;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return true;
}

// The "sites" array. Codes: see parse_triage_config.
Result<std::vector<BusinessCalendar>> parse_sites(const nlohmann::json& j);

// The "dispatch" section (config_dispatch.cpp), then its references to sites and categories.
Result<DispatchConfig> parse_dispatch(const nlohmann::json& j);
Status check_dispatch_references(const TriageConfig& config);

// Where a text that is not JSON goes wrong: byte offset and a message with line and column.
struct SyntaxError {
    std::size_t offset = 0;
    std::string message;
};
SyntaxError find_syntax_error(std::string_view text);

}  // namespace lb::triage::detail
