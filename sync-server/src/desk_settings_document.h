// desk_settings_document.h — what POST /api/v1/desk answers: the help desk's settings a device
// needs offline (client/engine/desk_settings.h): the category catalogue, the sites with their
// business calendars, the priority matrix, SLA targets and escalation thresholds — triage.json
// without its dispatch section (the technician roster: names, skills, out of office stay on the
// server) — plus the default site. Built once at start from the file as the operator wrote it.
//
// The version is a digest of the settings text, so it changes exactly when the settings do (and
// stays the same across restarts): a device sends the version it holds and hears "unchanged".
// Not here: reading and validating the file (triage_config_file.h), the route (api_routes.cpp).
#pragma once

#include <string>
#include <string_view>

#include "lifebuoy/result.h"
#include "triage_config_file.h"

namespace lb::server {

struct DeskSettingsDocument {
    std::string version;        // 16 hex digits
    std::string settings_json;  // {"triage":{…},"default_site":"…"}
};

// From the validated file's text ("" when there is no file: the defaults, {"triage":{}}).
// Code bad_triage_config when the text is not a JSON object (load_triage_config accepted it, so
// only a caller passing other text sees this).
Result<DeskSettingsDocument> desk_settings_document(const TriageConfigFile& file);

// The answer to a device holding `held_version`: the settings, or {"unchanged":true}.
std::string desk_answer_json(const DeskSettingsDocument& document, std::string_view held_version);

}  // namespace lb::server
