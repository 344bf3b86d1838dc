// triage_test_support.h — fixtures for the server's triage suites: a small help desk configuration
// (two sites in different zones, four technicians with skills, sites and out-of-office days), UTC
// instants of the test week, a desk running the automation, and readers of what a person pulls
// (the ticket as their replica shows it, the system events with their rule names).
// Not here: assertions (each suite has its own).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/replica.h"
#include "lifebuoy/triage/automation_ops.h"
#include "lifebuoy/triage/civil_time.h"
#include "lifebuoy/triage/config.h"
#include "lifebuoy/views.h"
#include "server_test_support.h"

namespace lb::server::test {

// Unix ms of a UTC time in June 2025 (the 16th is a Monday).
inline std::uint64_t june(unsigned day, int hour, int minute = 0) {
    return static_cast<std::uint64_t>(triage::days_from_civil(2025, 6, day) * triage::kMsPerDay +
                                      (hour * 60 + minute) * triage::kMsPerMinute);
}
inline constexpr std::int64_t kMinuteMs = triage::kMsPerMinute;

// "lab" (UTC, Mon–Fri 09:00–17:00) and "tokyo" (Asia/Tokyo). ann does VPN and access at the lab;
// bob fixes hardware onsite at the lab only; kim is in Tokyo for hardware and VPN and away on
// Monday the 16th; lee leads the team and only does HR. ann is away on the 17th and 18th.
inline constexpr const char* kTriageTestConfig = R"json({
  "escalation": {"at_risk_fraction": 0.75, "check_interval_seconds": 60},
  "sites": [
    {"site": "lab", "time_zone": "UTC",
     "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
               "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}},
    {"site": "tokyo", "time_zone": "Asia/Tokyo",
     "hours": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"],
               "thu": ["09:00-18:00"], "fri": ["09:00-18:00"]}}
  ],
  "dispatch": {
    "team": "service_desk", "team_lead": "lee", "default_site": "lab",
    "onsite_categories": ["hardware", "printing"],
    "technicians": [
      {"id": "ann", "name": "Ann Archer", "site": "lab", "skills": ["network_vpn", "access"],
       "out_of_office": [{"from": "2025-06-17", "to": "2025-06-18"}]},
      {"id": "bob", "name": "Bob Bell", "site": "lab", "skills": ["hardware", "printing"], "remote": false},
      {"id": "kim", "name": "Kim Kato", "site": "tokyo", "skills": ["hardware", "printing", "network_vpn"],
       "out_of_office": [{"from": "2025-06-16", "to": "2025-06-16"}]},
      {"id": "lee", "name": "Lee Lund", "site": "lab", "skills": ["hr"]}
    ]
  }
})json";

inline triage::TriageConfig test_triage_config() {
    auto config = triage::parse_triage_config(kTriageTestConfig);
    REQUIRE(config.ok());
    return config.value();
}

// A desk running the automation, its clock on Monday 16 June 2025 at 08:00 UTC.
struct TriageDesk : Desk {
    explicit TriageDesk(const std::string& name = "triage") : Desk(ServerConfig{}, name, test_triage_config()) {
        now_ms = june(16, 8);
    }
    EntityId tech(const char* id) const {
        auto user = triage->roster_user(id);
        REQUIRE(user.has_value());
        return *user;
    }
    NodeId server_node() {
        auto node = store->meta("server_node");
        REQUIRE(node.ok());
        REQUIRE(node.value().has_value());
        return node_from_hex(*node.value()).value_or(0);
    }
};

// Everything `p` may pull, as their replica.
inline Replica pulled_replica(Desk& desk, const Person& p) {
    Replica replica;
    const auto ops = desk.pull_all(p);
    for (std::size_t begin = 0; begin < ops.size(); begin += kMaxBatchOps) {
        Batch chunk{Id128{0, 7}, {}, {}};
        for (std::size_t i = begin; i < std::min(ops.size(), begin + kMaxBatchOps); ++i) chunk.ops.push_back(ops[i]);
        REQUIRE(replica.apply(chunk).ok());
    }
    return replica;
}

// The system events on a ticket, oldest first: each line "[rule] detail" of its system_event
// comments (one comment per ticket per automation pass, a line per decision).
inline std::vector<std::string> system_events(const Replica& replica, const EntityId& ticket, Role viewer) {
    std::vector<std::string> out;
    for (const Comment& c : read_comments(replica, ticket, viewer)) {
        if (c.kind != CommentKind::system_event) continue;
        for (std::string_view line : triage::system_event_lines(c.body)) out.emplace_back(line);
    }
    return out;
}

// How many system_event comments a ticket has (one per automation pass that noted it).
inline std::size_t system_event_comments(const Replica& replica, const EntityId& ticket, Role viewer) {
    std::size_t n = 0;
    for (const Comment& c : read_comments(replica, ticket, viewer)) n += c.kind == CommentKind::system_event ? 1 : 0;
    return n;
}

// How many events start with "[rule]".
inline std::size_t count_rule(const std::vector<std::string>& events, const std::string& rule) {
    return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [&](const std::string& e) {
        return e.rfind("[" + rule + "]", 0) == 0;
    }));
}

// A ticket with routing metadata, filed by a requester (impact may only be set when filing).
inline Batch routed_ticket(Desk& desk, Person& p, EntityId& id, const std::string& category, const std::string& site,
                           const std::string& impact, const std::string& urgency, std::uint64_t filed_ms) {
    BatchBuilder b(*p.clock, desk.random, filed_ms);
    id = b.new_entity_id();
    b.set(EntityKind::ticket, id, Field::ticket_status, std::string("new"))
        .set(EntityKind::ticket, id, Field::ticket_requester, p.caller.user)
        .set(EntityKind::ticket, id, Field::ticket_title, std::string("a title, sealed below"))
        .set(EntityKind::ticket, id, Field::ticket_channel, std::string("web"))
        .set(EntityKind::ticket, id, Field::ticket_category, category)
        .set(EntityKind::ticket, id, Field::ticket_impact, impact)
        .set(EntityKind::ticket, id, Field::ticket_urgency, urgency);
    if (!site.empty()) b.set(EntityKind::ticket, id, Field::ticket_site, site);
    return desk.sealed(b.finish());
}

}  // namespace lb::server::test
