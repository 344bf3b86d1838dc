// triage_config_file.h — a help desk's triage configuration: one JSON file in the data folder,
// `triage.json` (format: lifebuoy/triage/config.h and roster.h; sync-server/README.md).
//
// Read and validated at start: a bad file stops the server with a message that points at the
// line and the member, e.g.
//   data/triage.json:31:9: dispatch.technicians[1].site: no site 'paris' in sites (unknown_name)
// A missing file means the built-in defaults (ITIL matrix, default SLA targets, one round-the-clock
// calendar, no technicians: every ticket waits in the team queue). The first start with the demo
// writes demo_triage_config_json() there.
// Not here: what the configuration means (ticket_triage.h), the command line (main.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "lifebuoy/result.h"
#include "lifebuoy/triage/config.h"

namespace lb::server {

inline constexpr const char* kTriageConfigFileName = "triage.json";
inline constexpr std::size_t kMaxTriageConfigFileBytes = 1024 * 1024;

struct TriageConfigFile {
    triage::TriageConfig config;
    std::filesystem::path path;
    bool from_file = false;  // false: the file is missing, built-in defaults
    std::string text;        // the file as written ("" when missing): devices get it (desk_settings_document.h)
};

// Validates `text`; errors (code bad_triage_config) read "<name>:<line>:<column>: <member>: <why> (<code>)".
Result<triage::TriageConfig> parse_triage_config_file(std::string_view text, const std::string& name);

// Reads and validates `path`; a missing file gives the defaults. Codes: bad_triage_config,
// storage_error (unreadable).
Result<TriageConfigFile> load_triage_config(const std::filesystem::path& path);

// Writes `text` to `path` unless a file is there already (never overwrites an operator's edits).
Status write_triage_config_if_missing(const std::filesystem::path& path, const std::string& text);

// A few lines for people: sites and zones, SLA targets, technicians, escalation.
std::string describe_triage_config(const triage::TriageConfig& config);

}  // namespace lb::server
