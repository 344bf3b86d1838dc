// triage_escalation_test.cpp — the escalation pass under a hand-set clock: each threshold of each
// ticket fires once (at risk at 75 %, breached at the due date), also across a restart; the
// priority is raised, the team lead named and counted; an away assignee is replaced; and the
// periodic timer that runs the pass on an io_context.
// Not here: push-time triage (triage_push_test.cpp).
#include <doctest/doctest.h>

#include <atomic>

#include <boost/asio/io_context.hpp>

#include "periodic_timer.h"
#include "triage_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

namespace {

// A requester's VPN ticket at the lab, filed and pushed on Monday 16 June at 09:00.
EntityId file_vpn_ticket(TriageDesk& desk, Person& requester, const char* impact, const char* urgency) {
    desk.now_ms = june(16, 9);
    EntityId id;
    desk.push(requester, routed_ticket(desk, requester, id, "network_vpn", "lab", impact, urgency, june(16, 9)));
    return id;
}

std::size_t escalations_at(TriageDesk& desk, std::uint64_t now_ms) {
    desk.now_ms = now_ms;
    auto pass = desk.service->run_escalation_pass();
    REQUIRE(pass.ok());
    return pass.value().escalations;
}

}  // namespace

TEST_CASE("escalation: each threshold once, at 75 % and at the due date, across a restart") {
    TriageDesk desk("escalation");
    Person rita = desk.enrol(Role::requester, "Rita");
    // P2 filed Monday 09:00 at the lab: respond by 10:00 (at risk 09:45), resolve by 17:00 (at risk 15:00).
    const EntityId id = file_vpn_ticket(desk, rita, "high", "medium");
    CHECK(desk.store->ticket_sla(id).value()->next_check_ms == static_cast<std::int64_t>(june(16, 9, 45)));

    CHECK(escalations_at(desk, june(16, 9, 44)) == 0);
    CHECK(escalations_at(desk, june(16, 9, 45)) == 1);  // first response at risk
    CHECK(escalations_at(desk, june(16, 9, 46)) == 0);  // not twice
    CHECK(escalations_at(desk, june(16, 9, 50)) == 0);

    desk.reopen();  // a restart: the levels are in the store, not in memory
    CHECK(escalations_at(desk, june(16, 9, 55)) == 0);
    CHECK(escalations_at(desk, june(16, 10)) == 1);       // first response breached
    CHECK(escalations_at(desk, june(16, 14, 59)) == 0);
    CHECK(escalations_at(desk, june(16, 15)) == 1);       // resolution at risk (360 of 480 minutes)
    desk.reopen();
    CHECK(escalations_at(desk, june(16, 16, 59)) == 0);
    CHECK(escalations_at(desk, june(16, 17)) == 1);       // resolution breached
    for (unsigned day = 17; day <= 20; ++day) CHECK(escalations_at(desk, june(day, 12)) == 0);
    CHECK_FALSE(desk.store->ticket_sla(id).value()->next_check_ms.has_value());  // nothing left to look for

    const Replica mine = pulled_replica(desk, rita);
    const auto events = system_events(mine, id, Role::requester);
    CHECK(count_rule(events, "sla.first_response.at_risk") == 1);
    CHECK(count_rule(events, "sla.first_response.breached") == 1);
    CHECK(count_rule(events, "sla.resolution.at_risk") == 1);
    CHECK(count_rule(events, "sla.resolution.breached") == 1);
    const std::string lead = to_hex(desk.tech("lee"));
    for (const auto& e : events) {
        if (e.rfind("[sla.", 0) == 0 && e.find("due") == std::string::npos) {
            CHECK(e.find("team lead " + lead + " notified") != std::string::npos);
        }
    }
    // Raised once per escalation: P2 → P1, then it stays at P1.
    CHECK(read_ticket(mine, id)->priority == Priority::critical);
    const auto first = std::find_if(events.begin(), events.end(),
                                    [](const std::string& e) { return e.rfind("[sla.first_response.at_risk]", 0) == 0; });
    REQUIRE(first != events.end());
    CHECK(first->find("75% of 60 minutes used (threshold 75%); priority P2 High → P1 Critical") != std::string::npos);
    CHECK(mine.winner(EntityKind::ticket, id, Field::ticket_priority)->node == desk.server_node());
    // The SLA keeps the targets of the priority it was triaged with (raising does not move due dates).
    CHECK(read_ticket(mine, id)->resolution_due_ms == static_cast<std::int64_t>(june(16, 17)));

    const std::string metrics = desk.metrics.render({});
    CHECK(metrics.find("lifebuoy_escalations_total{rule=\"sla.resolution.breached\"} 1") != std::string::npos);
    CHECK(metrics.find("lifebuoy_team_lead_notifications_total 4") != std::string::npos);
}

TEST_CASE("escalation wakes the team lead's devices and reassigns when the assignee is away") {
    TriageDesk desk("reassign");
    Person rita = desk.enrol(Role::requester, "Rita");
    // P5 (low × low) on Monday: assigned to Ann (Kim is away today). First response in 960 business
    // minutes; at risk after 720 — Tuesday 13:00, when Ann is away.
    const EntityId id = file_vpn_ticket(desk, rita, "low", "low");
    REQUIRE(read_ticket(pulled_replica(desk, rita), id)->assignee == desk.tech("ann"));

    // The lead's device is waiting on the live channel.
    std::atomic<int> woken{0};
    const auto high = desk.store->high_water().value();
    desk.notifier.subscribe(desk.tech("lee"), /*sees_everything=*/false, high, [&] { ++woken; });
    CHECK(escalations_at(desk, june(17, 12, 59)) == 0);
    CHECK(woken == 0);
    CHECK(escalations_at(desk, june(17, 13)) == 1);
    CHECK(woken == 1);

    const Replica mine = pulled_replica(desk, rita);
    const auto t = read_ticket(mine, id);
    CHECK(t->assignee == desk.tech("kim"));
    CHECK(t->priority == Priority::low);  // P5 → P4
    const auto events = system_events(mine, id, Role::requester);
    REQUIRE(count_rule(events, "escalation.reassign_away") == 1);
    CHECK(events.back().find(to_hex(desk.tech("ann")) + " is out of office") != std::string::npos);
    CHECK(events.back().find("assigned to " + to_hex(desk.tech("kim"))) != std::string::npos);
}

TEST_CASE("the periodic timer runs its task right away, then every interval, until stopped") {
    boost::asio::io_context io;
    int runs = 0;
    PeriodicTimer timer(io, std::chrono::milliseconds(5), [&] {
        if (++runs == 3) io.stop();
    });
    timer.start();
    io.run_for(std::chrono::seconds(5));  // stops at the third run (≈ 10 ms)
    CHECK(runs == 3);
    timer.stop();
    io.restart();
    io.run_for(std::chrono::milliseconds(30));
    CHECK(runs == 3);
}
