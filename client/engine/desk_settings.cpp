// desk_settings.cpp — the help desk's settings on the device (desk_settings.h).
#include "engine/desk_settings.h"

#include "engine/engine_meta.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr const char* kMetaKey = "desk_settings";  // {"version","settings"} as the server sent them

}  // namespace

Result<DeskSettings> DeskSettings::from_settings(const json& settings, std::string version) {
    DeskSettings desk;
    auto triage_section = settings.find("triage");
    if (triage_section == settings.end() || !triage_section->is_object())
        return make_error("bad_response", "desk settings without a triage section");
    auto config = triage::parse_triage_config(triage_section->dump());
    if (!config) return make_error("bad_response", "desk settings: " + config.error().message);
    desk.config_ = std::move(config.value());
    if (auto site = settings.find("default_site"); site != settings.end() && site->is_string() &&
                                                   desk.config_.site(site->get<std::string>()))
        desk.config_.dispatch.default_site = site->get<std::string>();
    auto matcher = triage::CategoryMatcher::create(desk.config_.catalogue);
    if (!matcher) return make_error("bad_response", "desk settings: " + matcher.error().message);
    desk.matcher_.emplace(std::move(matcher.value()));
    desk.version_ = std::move(version);
    return desk;
}

Result<DeskSettings> DeskSettings::load(Database& db) {
    auto value = read_engine_meta(db, kMetaKey);
    if (!value) return value.error();
    if (value.value()) {
        json stored = json::parse(*value.value(), nullptr, false);
        if (stored.is_object() && stored.contains("settings") && stored["version"].is_string()) {
            auto synced = from_settings(stored["settings"], stored["version"].get<std::string>());
            if (synced) return synced;
        }
    }
    DeskSettings defaults;
    auto matcher = triage::CategoryMatcher::create(defaults.config_.catalogue);
    if (!matcher) return matcher.error();  // the shared default catalogue validates (unit-tested)
    defaults.matcher_.emplace(std::move(matcher.value()));
    return defaults;
}

Result<bool> DeskSettings::apply(Database& db, const json& answer) {
    auto version = answer.find("version");
    if (version == answer.end() || !version->is_string() || version->get<std::string>().empty())
        return make_error("bad_response", "desk settings without a version");
    if (answer.value("unchanged", false)) return false;
    auto settings = answer.find("settings");
    if (settings == answer.end() || !settings->is_object()) return make_error("bad_response", "desk settings missing");
    auto next = from_settings(*settings, version->get<std::string>());
    if (!next) return next.error();
    if (auto s = write_engine_meta(db, kMetaKey, json{{"version", *version}, {"settings", *settings}}.dump()); !s) return s.error();
    *this = std::move(next.value());
    return true;
}

json DeskSettings::sites_json() const {
    json sites = json::array();
    for (const triage::BusinessCalendar& c : config_.sites) sites.push_back({{"site", c.site}, {"time_zone", c.zone.name}});
    return json{{"sites", std::move(sites)}, {"default_site", config_.dispatch.default_site}, {"synced", synced()}};
}

}  // namespace lb::engine
