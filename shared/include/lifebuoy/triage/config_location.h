// triage/config_location.h — where in the config text an error of parse_triage_config points, so
// an operator reads "triage.json:14:9: sites[1].hours.mon: …" instead of searching the file.
//
// A syntax error points at the byte where the JSON goes wrong. Any other error names the member
// it is about at the start of its message ("dispatch.technicians[2].site: no site 'paris'"; for
// an unknown member, "sites[0]: unknown member 'hour'"); the text is walked along that path to the
// member's key (or the array element), whose line and column are returned.
// Not here: parsing or validating (config.h), printing (the server formats the line).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "lifebuoy/result.h"

namespace lb::triage {

struct ConfigLocation {
    std::size_t line = 0;    // 1-based; 0 = not found (the message still says what is wrong)
    std::size_t column = 0;  // 1-based, in bytes
    std::string path;        // e.g. "sites[1].hours.mon"; "" for the whole document
};

// The place of `error` (from parse_triage_config(json_text)) in `json_text`.
ConfigLocation locate_config_error(std::string_view json_text, const Error& error);

// The place of a member path ("sites[1].hours.mon") in `json_text`; line 0 when absent.
ConfigLocation locate_config_path(std::string_view json_text, std::string_view path);

}  // namespace lb::triage
