// triage_config_file_test.cpp — triage.json at start: errors name the file, line, column and
// member (syntax errors, unknown members, wrong types, bad references, missing members); a
// missing file is the defaults; the demo configuration is valid and never overwrites a file.
// Not here: the rules themselves (tests/unit/triage_*), what the server does with them.
#include <doctest/doctest.h>

#include <fstream>

#include "demo_triage_config.h"
#include "server_test_support.h"
#include "triage_config_file.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

namespace {

std::string error_of(const std::string& text) {
    auto r = parse_triage_config_file(text, "triage.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "bad_triage_config");
    return r.error().message;
}

}  // namespace

TEST_CASE("triage.json errors point at the line, column and member") {
    SUBCASE("a syntax error: the line where the JSON goes wrong") {
        const std::string text = "{\n  \"escalation\": {\n    \"at_risk_fraction\": 0.75,\n  }\n}\n";
        const std::string message = error_of(text);
        CHECK(message.rfind("triage.json:4:", 0) == 0);
        CHECK(message.find("not JSON") != std::string::npos);
        CHECK(message.find("(malformed_config)") != std::string::npos);
    }
    SUBCASE("an unknown member: the line of the typo") {
        const std::string text = "{\n  \"sites\": [\n    {\"site\": \"lab\", \"time_zone\": \"UTC\",\n"
                                 "     \"hour\": {\"mon\": [\"09:00-17:00\"]}}\n  ]\n}\n";
        CHECK(error_of(text) == "triage.json:4:6: sites[0]: unknown member 'hour' (unknown_name)");
    }
    SUBCASE("a bad value deep inside: the line and the member path") {
        const std::string text = "{\n  \"sites\": [\n    {\"site\": \"lab\", \"time_zone\": \"UTC\",\n"
                                 "     \"hours\": {\n       \"mon\": [\"09:00-17:00\"],\n       \"tue\": [\"9-5\"]\n"
                                 "     }}\n  ]\n}\n";
        CHECK(error_of(text) == "triage.json:6:8: sites[0].hours.tue: intervals are \"HH:MM-HH:MM\" (bad_value)");
    }
    SUBCASE("a technician at a site that does not exist") {
        const std::string text =
            "{\"sites\": [{\"site\": \"lab\", \"time_zone\": \"UTC\", \"hours\": {\"mon\": [\"09:00-17:00\"]}}],\n"
            " \"dispatch\": {\"technicians\": [\n"
            "   {\"id\": \"ann\", \"skills\": [\"*\"], \"site\": \"lab\"},\n"
            "   {\"id\": \"bob\", \"skills\": [\"hardware\"],\n"
            "    \"site\": \"paris\"}]}}\n";
        CHECK(error_of(text) == "triage.json:5:5: dispatch.technicians[1].site: no site 'paris' in sites (unknown_name)");
    }
    SUBCASE("a skill that is no category, a team lead who is nobody, a wrong type") {
        CHECK(error_of("{\"dispatch\": {\"technicians\": [{\"id\": \"ann\", \"skills\": [\"vpn\"]}]}}")
                  .find("1:56: dispatch.technicians[0].skills[0]: no category 'vpn'") != std::string::npos);
        CHECK(error_of("{\"dispatch\": {\"team_lead\": \"zed\"}}") ==
              "triage.json:1:15: dispatch.team_lead: no technician 'zed' (unknown_name)");
        CHECK(error_of("{\n\"escalation\": {\"check_interval_seconds\": \"60\"}}") ==
              "triage.json:2:16: escalation.check_interval_seconds: not an integer (wrong_type)");
        CHECK(error_of("{\"escalation\": {\"at_risk_fraction\": 1.5}}").find("must be in (0, 1)") != std::string::npos);
    }
    SUBCASE("a missing member: the object it is missing from") {
        CHECK(error_of("{\"sites\": [\n  {\"site\": \"lab\", \"hours\": {}}]}") ==
              "triage.json:2:3: sites[0].time_zone: missing (missing_entry)");
    }
}

TEST_CASE("the demo configuration is valid: two zones, holidays of two years, five technicians") {
    const std::string text = demo_triage_config_json(2026);
    auto config = parse_triage_config_file(text, "demo");
    REQUIRE(config.ok());
    const auto& c = config.value();
    REQUIRE(c.sites.size() == 2);
    CHECK(c.sites[0].zone.name == "Europe/London");
    CHECK(c.sites[1].zone.name == "America/New_York");
    CHECK(c.sites[1].holidays.size() == 18);
    CHECK(c.sites[1].is_holiday(triage::days_from_civil(2026, 11, 26)));  // Thanksgiving
    CHECK(c.dispatch.technicians.size() == 5);
    CHECK(c.dispatch.team_lead == kDemoTeamLead);
    CHECK(c.escalation.at_risk_fraction == 0.75);
    CHECK(describe_triage_config(c).find("tess (Tess Tran) at london, skills *") != std::string::npos);
}

TEST_CASE("triage.json on disk: missing means defaults, the demo never overwrites an operator's file") {
    TempDir dir("triage-file");
    std::filesystem::create_directories(dir.path);
    const auto path = dir.path / kTriageConfigFileName;
    auto missing = load_triage_config(path);
    REQUIRE(missing.ok());
    CHECK_FALSE(missing.value().from_file);
    CHECK(missing.value().config.dispatch.technicians.empty());

    REQUIRE(write_triage_config_if_missing(path, "{\"escalation\": {\"at_risk_fraction\": 0.5}}").ok());
    REQUIRE(write_triage_config_if_missing(path, demo_triage_config_json(2026)).ok());  // no overwrite
    auto loaded = load_triage_config(path);
    REQUIRE(loaded.ok());
    CHECK(loaded.value().from_file);
    CHECK(loaded.value().config.escalation.at_risk_fraction == 0.5);

    std::ofstream(path) << "{\n  \"sla\": 5\n}\n";
    auto bad = load_triage_config(path);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == path.string() + ":2:3: sla: not an object (wrong_type)");
}
