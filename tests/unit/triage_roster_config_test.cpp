// triage_roster_config_test.cpp — the "dispatch" section of the triage config (team, lead, onsite
// categories, technicians with skills, sites, capacity, out of office) with its errors, the new
// escalation members, and where in the text an error points (config_location.h).
#include <doctest/doctest.h>

#include <string>

#include "lifebuoy/triage/config.h"
#include "lifebuoy/triage/config_location.h"

using namespace lb;
using namespace lb::triage;

namespace {

std::string code(const std::string& json) {
    auto r = parse_triage_config(json);
    return r ? std::string("ok") : r.error().code;
}

}  // namespace

TEST_CASE("triage roster config: technicians, team and lead, with their references checked") {
    auto r = parse_triage_config(R"({
      "sites": [{"site": "lab", "time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}}],
      "escalation": {"check_interval_seconds": 30, "raise_priority": false},
      "dispatch": {"team": "desk", "team_lead": "ann", "onsite_categories": ["hardware"],
                   "technicians": [
                     {"id": "ann", "name": "Ann", "site": "lab", "skills": ["*"], "max_load": 20,
                      "out_of_office": [{"from": "2025-08-04", "to": "2025-08-15"}]},
                     {"id": "bob", "skills": ["network_vpn"], "onsite": false}]}})");
    REQUIRE(r.ok());
    const auto& d = r.value().dispatch;
    CHECK(d.team == "desk");
    CHECK(d.team_lead == "ann");
    REQUIRE(d.technicians.size() == 2);
    CHECK(d.technicians[0].max_load == 20);
    CHECK(d.technicians[0].out_of_office[0].first_day == days_from_civil(2025, 8, 4));
    CHECK(d.technicians[1].name == "bob");  // the id when no name is given
    CHECK_FALSE(d.technicians[1].works_onsite);
    CHECK(r.value().escalation.check_interval_seconds == 30);
    CHECK_FALSE(r.value().escalation.raise_priority);
    CHECK(parse_triage_config("{}").value().dispatch.technicians.empty());

    CHECK(code(R"({"dispatch": {"technicians": [{"id": "a", "skills": ["*"]}, {"id": "a", "skills": ["*"]}]}})") ==
          "duplicate_entry");
    CHECK(code(R"({"dispatch": {"technicians": [{"id": "Ann!", "skills": ["*"]}]}})") == "bad_value");
    CHECK(code(R"({"dispatch": {"technicians": [{"id": "a", "skills": []}]}})") == "bad_value");
    CHECK(code(R"({"dispatch": {"technicians": [{"id": "a"}]}})") == "missing_entry");
    CHECK(code(R"({"dispatch": {"technicians": [{"id": "a", "skills": ["*"], "onsite": false, "remote": false}]}})") ==
          "bad_value");
    CHECK(code(R"({"dispatch": {"technicians": [{"id": "a", "skills": ["*"], "onsite": true}]}})") == "missing_entry");
    CHECK(code(R"({"dispatch": {"technicians": [{"id": "a", "skills": ["*"],
                  "out_of_office": [{"from": "2025-08-15", "to": "2025-08-04"}]}]}})") == "bad_value");
    CHECK(code(R"({"dispatch": {"onsite_categories": ["teleporters"]}})") == "unknown_name");
    CHECK(code(R"({"dispatch": {"default_site": "mars"}})") == "unknown_name");
    CHECK(code(R"({"dispatch": {"teams": "x"}})") == "unknown_name");
    CHECK(code(R"({"escalation": {"check_interval_seconds": 0}})") == "bad_value");
}

TEST_CASE("triage config location: member paths and syntax errors map to lines and columns") {
    const std::string text = "{\n  \"sites\": [\n    {\"site\": \"a\\\"b\"},\n    {\"site\": \"c\",\n     \"hours\": {\"mon\": []}}\n  ]\n}";
    auto where = locate_config_path(text, "sites[1].hours.mon");
    CHECK(where.line == 5);
    CHECK(where.column == 16);
    CHECK(locate_config_path(text, "sites[0].site").line == 3);
    CHECK(locate_config_path(text, "sites[2]").line == 0);
    CHECK(locate_config_path(text, "nothing").line == 0);

    const std::string broken = "{\n  \"sla\": {\n    \"high\": {\"first_response_minutes\": 60,,}\n  }\n}";
    auto error = parse_triage_config(broken);
    REQUIRE_FALSE(error.ok());
    CHECK(error.error().message.find("line 3") != std::string::npos);
    CHECK(locate_config_error(broken, error.error()).line == 3);
}
