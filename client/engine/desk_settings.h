// desk_settings.h — the help desk's settings a device needs offline (issue #7, #9): the category
// catalogue of the New ticket form, the sites a ticket can be filed at, and the priority matrix,
// SLA policy and site calendars that give "expected response by …" before the ticket reaches the
// help desk. Synced from the server's triage configuration (POST /api/v1/desk: everything but the
// technician roster), kept in engine_meta so the last settings work offline after a restart.
// Until a server has answered, the defaults of lifebuoy/triage — what a server without a triage
// file uses too — apply, so an estimate never depends on having synced.
// Not here: the sync step's place in the round (engine_sync.cpp), the rules (lifebuoy/triage).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"
#include "lifebuoy/triage/categorize.h"
#include "lifebuoy/triage/config.h"

namespace lb::engine {

using storage::Database;

class DeskSettings {
public:
    // The settings last synced (engine_meta "desk_settings"), else the defaults. A stored copy
    // that no longer parses (a newer server's format) is ignored, never fatal.
    static Result<DeskSettings> load(Database& db);

    // The server's answer {"v","version","settings":{"triage":{…},"default_site"?}} or
    // {"v","version","unchanged":true}. Stored, then in effect; true when something changed.
    // Code bad_response: settings that do not validate (the previous ones stay).
    Result<bool> apply(Database& db, const nlohmann::json& answer);

    bool synced() const { return !version_.empty(); }
    const std::string& version() const { return version_; }  // "" before the first sync
    const triage::TriageConfig& config() const { return config_; }
    const triage::CategoryMatcher& matcher() const { return *matcher_; }
    // {sites: [{site, time_zone}], default_site, synced}
    nlohmann::json sites_json() const;
    bool has_site(const std::string& site) const { return config_.site(site) != nullptr; }

private:
    static Result<DeskSettings> from_settings(const nlohmann::json& settings, std::string version);

    std::string version_;
    triage::TriageConfig config_;
    std::optional<triage::CategoryMatcher> matcher_;
};

}  // namespace lb::engine
