// desk_settings_document_test.cpp — what POST /api/v1/desk hands devices: triage.json without the
// technician roster, a version that follows the settings, "unchanged" for a device that is
// current, and — the point of it — settings from which a device estimates the same due dates the
// server will set.
// Not here: the device's side (tests/unit/engine_desk_test.cpp), the route over HTTP
// (tests/integration/desk_settings.test.mjs).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "demo_triage_config.h"
#include "desk_settings_document.h"
#include "lifebuoy/triage/due_estimate.h"
#include "triage_config_file.h"

using namespace lb;
using namespace lb::server;
using nlohmann::json;

namespace {

TriageConfigFile file_of(const std::string& text) {
    TriageConfigFile file;
    file.config = parse_triage_config_file(text, "triage.json").value();
    file.from_file = true;
    file.text = text;
    return file;
}

}  // namespace

TEST_CASE("desk settings: the demo configuration without its roster, and the same estimates as the server") {
    const TriageConfigFile demo = file_of(demo_triage_config_json(2026));
    const DeskSettingsDocument doc = desk_settings_document(demo).value();
    CHECK(doc.version.size() == 16);
    const json settings = json::parse(doc.settings_json);
    CHECK_FALSE(settings["triage"].contains("dispatch"));
    CHECK(doc.settings_json.find("Tess Tran") == std::string::npos);  // technicians stay on the server
    CHECK(settings["default_site"] == demo.config.dispatch.default_site);

    // What the device makes of it (desk_settings.cpp does exactly this).
    triage::TriageConfig device = triage::parse_triage_config(settings["triage"].dump()).value();
    device.dispatch.default_site = settings["default_site"].get<std::string>();
    REQUIRE(device.sites.size() == demo.config.sites.size());
    CHECK(device.catalogue.categories.size() == demo.config.catalogue.categories.size());
    // A week of filing times, every site and an unknown one, every impact and urgency.
    const std::int64_t monday_2026_11_30 = 1795996800000;
    int compared = 0;
    for (std::int64_t hour = 0; hour < 24 * 7; hour += 5) {
        for (const char* site : {"london", "new_york", "nowhere"}) {
            for (Impact impact : {Impact::low, Impact::medium, Impact::high}) {
                for (Urgency urgency : {Urgency::low, Urgency::medium, Urgency::high}) {
                    const std::int64_t filed = monday_2026_11_30 + hour * 3600000 + 17 * 60000;
                    const auto on_device = triage::estimate_due_dates(device, impact, urgency, site, filed).value();
                    const auto on_server = triage::estimate_due_dates(demo.config, impact, urgency, site, filed).value();
                    CAPTURE(site);
                    CAPTURE(filed);
                    CHECK(on_device.priority == on_server.priority);
                    CHECK(on_device.response_due_ms == on_server.response_due_ms);
                    CHECK(on_device.resolution_due_ms == on_server.resolution_due_ms);
                    ++compared;
                }
            }
        }
    }
    CHECK(compared == 34 * 3 * 9);
}

TEST_CASE("desk settings: the version follows the settings, a current device hears unchanged") {
    const std::string text = demo_triage_config_json(2026);
    const DeskSettingsDocument doc = desk_settings_document(file_of(text)).value();
    CHECK(desk_settings_document(file_of(text)).value().version == doc.version);  // stable across starts

    // Another roster only (a technician renamed): the devices' settings are the same.
    json other_roster = json::parse(text);
    other_roster["dispatch"]["technicians"][1]["name"] = "Someone Else";
    CHECK(desk_settings_document(file_of(other_roster.dump())).value().version ==
          desk_settings_document(file_of(json::parse(text).dump())).value().version);
    // Another site calendar: a new version.
    json other_hours = json::parse(text);
    other_hours["sites"][0]["holidays"] = json::array();
    CHECK(desk_settings_document(file_of(other_hours.dump())).value().version != doc.version);

    const json fresh = json::parse(desk_answer_json(doc, ""));
    CHECK(fresh["v"] == 1);
    CHECK(fresh["version"] == doc.version);
    CHECK(fresh["settings"] == json::parse(doc.settings_json));
    const json current = json::parse(desk_answer_json(doc, doc.version));
    CHECK(current == json{{"v", 1}, {"version", doc.version}, {"unchanged", true}});
    CHECK(json::parse(desk_answer_json(doc, "0123456789abcdef")).contains("settings"));
}

TEST_CASE("desk settings: no triage.json gives the defaults a device starts with") {
    const DeskSettingsDocument doc = desk_settings_document(TriageConfigFile{}).value();
    const json settings = json::parse(doc.settings_json);
    CHECK(settings == json{{"triage", json::object()}});
    const triage::TriageConfig device = triage::parse_triage_config(settings["triage"].dump()).value();
    CHECK(device.sites.empty());
    CHECK(device.catalogue.categories.size() == triage::TriageConfig{}.catalogue.categories.size());
}
