// engine_desk_test.cpp — the help desk's settings on the device (desk_settings.h, engine_desk.cpp):
// before any sync the defaults apply and an offline ticket already has an "expected response by"
// estimate; the synced settings bring the desk's sites and catalogue (the form's choices, the
// category suggestion), a site the desk does not have is refused, the estimate follows the
// ticket's site calendar exactly as the shared rules compute it, the settings survive a restart
// offline, an unchanged version is not sent again, and an older server without the endpoint is
// skipped.
// Not here: the rules (tests/unit/triage_*), the server's endpoint (tests/server/desk_settings_document_test.cpp).
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"
#include "lifebuoy/triage/due_estimate.h"

using nlohmann::json;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

namespace {

const json kTriage = json::parse(R"json({
  "sla": {
    "untriaged_as": "medium",
    "critical": {"first_response_minutes": 30,  "resolution_minutes": 240,  "clock": "continuous"},
    "high":     {"first_response_minutes": 60,  "resolution_minutes": 480,  "clock": "business_hours"},
    "medium":   {"first_response_minutes": 240, "resolution_minutes": 1440, "clock": "business_hours"},
    "low":      {"first_response_minutes": 480, "resolution_minutes": 2400, "clock": "business_hours"},
    "planning": {"first_response_minutes": 960, "resolution_minutes": 4800, "clock": "business_hours"}
  },
  "sites": [
    {"site": "london", "time_zone": "Europe/London",
     "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}},
    {"site": "new_york", "time_zone": "America/New_York",
     "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}
  ],
  "categories": {"fallback": "other", "min_score": 1.5,
                 "list": [{"id": "badge", "label": "Door badges", "terms": {"badge": 4, "door": 2}},
                          {"id": "other", "label": "Something else", "terms": {}}]}
})json");

json ticket_of(TestDevice& d, const std::string& id) {
    json got = d.call("get_ticket", {{"id", id}});
    REQUIRE_MESSAGE(got["ok"] == true, got.dump());
    return got["result"]["ticket"];
}

std::string file(TestDevice& d, const std::string& title, const std::string& site) {
    json args{{"title", title}, {"description", "d"}, {"impact", "low"}, {"urgency", "medium"}};
    if (!site.empty()) args["site"] = site;
    json r = d.call("create_ticket", args);
    REQUIRE_MESSAGE(r["ok"] == true, r.dump());
    return r["result"]["ticket_id"].get<std::string>();
}

}  // namespace

TEST_CASE("desk settings: defaults first, then the desk's sites, catalogue and calendars, kept offline") {
    FakeSyncServer server;
    TestDevice d;
    // Offline, never synced: the defaults (what a server without a triage file uses).
    CHECK(d.call("sites")["result"]["synced"] == false);
    CHECK(d.call("sites")["result"]["sites"].empty());
    const std::string offline = file(d, "Printer jams", "");
    json t = ticket_of(d, offline);
    REQUIRE(t["due_estimated"] == true);
    const auto expected = lb::triage::estimate_due_dates(lb::triage::TriageConfig{}, lb::Impact::low, lb::Urgency::medium,
                                                         "", t["created_ms"].get<std::int64_t>()).value();
    CHECK(t["expected_response_ms"] == *expected.response_due_ms);
    CHECK(t["expected_resolution_ms"] == *expected.resolution_due_ms);
    CHECK(t["expected_response_ms"].get<std::int64_t>() > t["created_ms"].get<std::int64_t>());

    server.desk_settings = json{{"triage", kTriage}, {"default_site", "new_york"}};
    REQUIRE(d.call("enroll", {{"invite", "rita"}})["ok"] == true);
    d.sync(server);
    CHECK(server.desk_reads == 1);
    json sites = d.call("sites")["result"];
    CHECK(sites["synced"] == true);
    REQUIRE(sites["sites"].size() == 2);
    CHECK(sites["sites"][0]["site"] == "london");
    CHECK(sites["sites"][1]["time_zone"] == "America/New_York");
    CHECK(sites["default_site"] == "new_york");
    json categories = d.call("categories")["result"];
    REQUIRE(categories["categories"].size() == 2);
    CHECK(categories["categories"][0]["label"] == "Door badges");
    CHECK(d.call("suggest_category", {{"title", "my badge does not open the door"}})["result"]["category"] == "badge");

    CHECK(d.call("create_ticket", {{"title", "x"}, {"description", "d"}, {"urgency", "low"}, {"site", "paris"}})["error"]["code"] ==
          "bad_arguments");
    // The same filing time at two sites: each its own calendar, as the shared rules compute it.
    const std::string in_london = file(d, "Badge reader dead", "london");
    const std::string in_ny = file(d, "Badge reader dead too", "new_york");
    lb::triage::TriageConfig desk = lb::triage::parse_triage_config(kTriage.dump()).value();
    desk.dispatch.default_site = "new_york";
    for (const auto& [id, site_of_ticket] : {std::pair{in_london, "london"}, std::pair{in_ny, "new_york"}}) {
        const std::string site = site_of_ticket;  // a structured binding cannot be captured (CAPTURE is a lambda)
        CAPTURE(site);
        json ticket = ticket_of(d, id);
        const auto want = lb::triage::estimate_due_dates(desk, lb::Impact::low, lb::Urgency::medium, site,
                                                         ticket["created_ms"].get<std::int64_t>()).value();
        CHECK(ticket["expected_response_ms"] == *want.response_due_ms);
    }
    CHECK(ticket_of(d, in_london)["expected_response_ms"] != ticket_of(d, in_ny)["expected_response_ms"]);

    // The next round sends the version it holds: nothing is sent back but "unchanged".
    d.now += 1000;
    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(server.desk_reads == 2);
    CHECK(d.call("sites")["result"]["sites"].size() == 2);

    SUBCASE("the settings survive a restart, offline") {
        d.crash_and_reopen();
        CHECK(d.call("sites")["result"]["sites"].size() == 2);
        CHECK(d.call("categories")["result"]["categories"][0]["id"] == "badge");
    }
    SUBCASE("new settings replace them") {
        json changed = kTriage;
        changed["sites"].erase(1);
        server.desk_settings = json{{"triage", changed}};
        server.desk_version = "v2";
        d.now += 1000;
        d.engine->sync_wake(d.now);
        d.sync(server);
        CHECK(d.call("sites")["result"]["sites"].size() == 1);
        CHECK(d.call("sites")["result"]["default_site"] == "");
    }
    SUBCASE("settings that do not validate are refused; the last good ones stay") {
        json broken = kTriage;
        broken["sites"][0]["time_zone"] = "Mars/Olympus";
        server.desk_settings = json{{"triage", broken}};
        server.desk_version = "v3";
        d.now += 1000;
        d.engine->sync_wake(d.now);
        d.sync(server);
        CHECK(d.call("sites")["result"]["sites"].size() == 2);
        CHECK(d.call("sync_status")["result"]["last_error"]["code"] == "bad_response");
    }
}
