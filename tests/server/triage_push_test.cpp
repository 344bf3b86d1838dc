// triage_push_test.cpp — the server's triage on push, in the same transaction as the device's
// batch: priority from the matrix, due dates from the device's filing time on the site's
// calendar, dispatch by skill/site/availability/load with the team queue as fallback, a person's
// override kept, clocks paused while waiting on the requester — each change an op of the server's
// own node with a system event naming its rule, visible to the requester.
// Not here: the escalation pass (triage_escalation_test.cpp), the file (triage_config_file_test.cpp).
#include <doctest/doctest.h>

#include "lifebuoy/triage/priority.h"
#include "triage_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

TEST_CASE("a ticket filed offline on Friday and pushed on Monday is prioritised, timed from its filing and assigned") {
    TriageDesk desk;
    Person rita = desk.enrol(Role::requester, "Rita");
    EntityId id;
    // Filed on the device on Friday 13 June at 16:00 UTC; the device comes online on Monday 08:00.
    Batch filed = routed_ticket(desk, rita, id, "network_vpn", "lab", "high", "medium", june(13, 16));
    const auto ops_before = desk.store->op_count().value();
    BatchResult r = desk.push(rita, filed);
    REQUIRE(r.outcome == OpOutcome::accepted);
    const auto device_ops = static_cast<std::int64_t>(filed.ops.size());
    CHECK(desk.store->op_count().value() - ops_before > device_ops + 1);  // + number + the triage ops

    const Replica mine = pulled_replica(desk, rita);
    const auto t = read_ticket(mine, id);
    REQUIRE(t.has_value());
    CHECK(t->number == 1);
    CHECK(t->priority == Priority::high);  // ITIL: high impact × medium urgency
    // P2: 60 business minutes to respond, 480 to resolve, from Friday 16:00 on 09:00–17:00 weekdays.
    CHECK(t->response_due_ms == static_cast<std::int64_t>(june(13, 17)));
    CHECK(t->resolution_due_ms == static_cast<std::int64_t>(june(16, 16)));
    CHECK(t->assignee == desk.tech("ann"));  // VPN, remote work; kim is away on Monday
    CHECK(t->status == TicketStatus::assigned);
    CHECK(t->team == "service_desk");

    // Authored by the server's node, explained by rule, and the requester sees it all.
    const NodeId server = desk.server_node();
    CHECK(mine.winner(EntityKind::ticket, id, Field::ticket_priority)->node == server);
    CHECK(mine.winner(EntityKind::ticket, id, Field::ticket_assignee)->node == server);
    CHECK(mine.winner(EntityKind::ticket, id, Field::ticket_resolution_due)->node == server);
    const auto events = system_events(mine, id, Role::requester);
    CHECK(count_rule(events, "priority.matrix") == 1);
    CHECK(count_rule(events, "sla.due_dates") == 1);
    CHECK(count_rule(events, "dispatch.remote_least_load") == 1);
    // one note for the pass (4 ops, not 12): its lines in the order decided
    CHECK(system_event_comments(mine, id, Role::requester) == 1);
    REQUIRE(events.size() == 3);
    CHECK(events[0].rfind("[priority.matrix]", 0) == 0);
    CHECK(events[2].rfind("[dispatch.remote_least_load]", 0) == 0);
    const std::string due = events[static_cast<std::size_t>(
        std::find_if(events.begin(), events.end(), [](const std::string& e) { return e.rfind("[sla.due_dates]", 0) == 0; }) -
        events.begin())];
    CHECK(due.find("first response by 2025-06-13 17:00 UTC+00:00") != std::string::npos);
    CHECK(due.find("clock from 2025-06-13 16:00 UTC+00:00 (filed on the device)") != std::string::npos);
    CHECK(events.back().find("load 0 -> 4") != std::string::npos);  // a P2 weighs 4

    auto row = desk.store->ticket_sla(id);
    REQUIRE(row.ok());
    REQUIRE(row.value().has_value());
    CHECK(row.value()->filed_at_ms == static_cast<std::int64_t>(june(13, 16)));
    CHECK(row.value()->sla_priority == "high");
    CHECK(row.value()->next_check_ms == static_cast<std::int64_t>(june(16, 8)));  // already breached: look now

    const std::string metrics = desk.metrics.render({});
    CHECK(metrics.find("lifebuoy_triage_decisions_total{rule=\"priority.matrix\"} 1") != std::string::npos);
    CHECK(metrics.find("lifebuoy_triage_decisions_total{rule=\"dispatch.remote_least_load\"} 1") != std::string::npos);

    SUBCASE("a replay of the same batch changes nothing") {
        const auto count = desk.store->op_count().value();
        CHECK(desk.push(rita, filed).outcome == OpOutcome::duplicate);
        CHECK(desk.store->op_count().value() == count);
    }
}

TEST_CASE("onsite work goes to the ticket's site, nobody fitting means the team queue, retried by the pass") {
    TriageDesk desk;
    Person rita = desk.enrol(Role::requester, "Rita");
    EntityId lab_dock, tokyo_dock, laptop_order;
    desk.push(rita, routed_ticket(desk, rita, lab_dock, "hardware", "lab", "medium", "medium", june(16, 8)));
    desk.push(rita, routed_ticket(desk, rita, tokyo_dock, "hardware", "tokyo", "medium", "medium", june(16, 8)));
    desk.push(rita, routed_ticket(desk, rita, laptop_order, "purchase", "lab", "low", "low", june(16, 8)));

    Replica mine = pulled_replica(desk, rita);
    CHECK(read_ticket(mine, lab_dock)->assignee == desk.tech("bob"));
    CHECK(count_rule(system_events(mine, lab_dock, Role::requester), "dispatch.onsite_same_site") == 1);

    // Kim, the only one in Tokyo, is away today: the ticket waits in the team queue.
    const auto tokyo = read_ticket(mine, tokyo_dock);
    CHECK_FALSE(tokyo->assignee.has_value());
    CHECK(tokyo->team == "service_desk");
    CHECK(tokyo->status == TicketStatus::triaged);
    const auto tokyo_events = system_events(mine, tokyo_dock, Role::requester);
    REQUIRE(count_rule(tokyo_events, "dispatch.none_available") == 1);
    CHECK(tokyo_events.back().find("waiting in the queue of team service_desk") != std::string::npos);
    // Nobody does purchases.
    CHECK(count_rule(system_events(mine, laptop_order, Role::requester), "dispatch.no_skill") == 1);

    // Tuesday 10:00 in Tokyo: Kim is back; the pass hands the queued ticket over, once.
    desk.now_ms = june(17, 1);
    auto pass = desk.service->run_escalation_pass();
    REQUIRE(pass.ok());
    CHECK(pass.value().dispatched == 1);
    REQUIRE(desk.service->run_escalation_pass().ok());
    mine = pulled_replica(desk, rita);
    CHECK(read_ticket(mine, tokyo_dock)->assignee == desk.tech("kim"));
    CHECK(read_ticket(mine, tokyo_dock)->status == TicketStatus::assigned);
    CHECK(count_rule(system_events(mine, tokyo_dock, Role::requester), "dispatch.onsite_same_site") == 1);
    CHECK(count_rule(system_events(mine, laptop_order, Role::requester), "dispatch.no_skill") == 1);  // said once
    CHECK_FALSE(read_ticket(mine, laptop_order)->assignee.has_value());
}

TEST_CASE("a technician's priority override wins, stays visible and is not undone by the matrix") {
    TriageDesk desk;
    Person rita = desk.enrol(Role::requester, "Rita");
    Person tess = desk.enrol(Role::technician, "Tess");
    EntityId id;
    desk.push(rita, routed_ticket(desk, rita, id, "network_vpn", "lab", "high", "medium", june(16, 8)));

    desk.now_ms = june(16, 9);
    REQUIRE(desk.push(tess, desk.set_field(tess, id, Field::ticket_priority, std::string("critical"))).outcome ==
            OpOutcome::accepted);
    desk.push(tess, desk.set_field(tess, id, Field::ticket_impact, std::string("low")));  // matrix: low × medium = P4

    Replica all = pulled_replica(desk, tess);
    const auto t = read_ticket(all, id);
    CHECK(t->priority == Priority::critical);
    CHECK(all.winner(EntityKind::ticket, id, Field::ticket_priority)->node == tess.clock->node());
    const auto events = system_events(all, id, Role::technician);
    CHECK(count_rule(events, "priority.override_kept") == 2);  // after the override, after the impact change
    CHECK(count_rule(events, "sla.due_dates") == 2);           // P1 runs around the clock: new due dates
    CHECK(t->response_due_ms == static_cast<std::int64_t>(june(16, 8, 30)));
    CHECK(desk.store->ticket_sla(id).value()->sla_priority == "critical");

    SUBCASE("an override made offline before the server's change still wins when it arrives") {
        Person omar = desk.enrol(Role::technician, "Omar");
        EntityId other;
        desk.push(rita, routed_ticket(desk, rita, other, "network_vpn", "lab", "high", "high", june(16, 9)));
        // Stamped after the filing and before the server's priority write, pushed two hours later.
        BatchBuilder offline(*omar.clock, desk.random, june(16, 9) + 5);
        offline.set(EntityKind::ticket, other, Field::ticket_priority, std::string("low"));
        desk.now_ms = june(16, 11);
        REQUIRE(desk.push(omar, offline.finish()).outcome == OpOutcome::accepted);
        all = pulled_replica(desk, tess);
        CHECK(read_ticket(all, other)->priority == Priority::low);
        CHECK(count_rule(system_events(all, other, Role::technician), "priority.override_kept") == 1);
    }
}

TEST_CASE("waiting on the requester pauses the resolution clock, the answer brings later due dates") {
    TriageDesk desk;
    desk.now_ms = june(16, 9);
    Person rita = desk.enrol(Role::requester, "Rita");
    Person ann_device = desk.enrol(Role::technician, "Ann's phone");
    EntityId id;
    desk.push(rita, routed_ticket(desk, rita, id, "network_vpn", "lab", "high", "medium", june(16, 9)));
    CHECK(read_ticket(pulled_replica(desk, rita), id)->resolution_due_ms == static_cast<std::int64_t>(june(16, 17)));

    desk.now_ms = june(16, 9, 30);  // the first response: work starts
    desk.push(ann_device, desk.set_field(ann_device, id, Field::ticket_status, std::string("in_progress")));
    CHECK(desk.store->ticket_sla(id).value()->first_response_ms.has_value());
    desk.now_ms = june(16, 10);
    desk.push(ann_device, desk.set_field(ann_device, id, Field::ticket_status, std::string("waiting_on_requester")));
    Replica mine = pulled_replica(desk, rita);
    CHECK_FALSE(read_ticket(mine, id)->resolution_due_ms.has_value());
    CHECK(read_ticket(mine, id)->response_due_ms == static_cast<std::int64_t>(june(16, 10)));  // responded: kept
    CHECK(count_rule(system_events(mine, id, Role::requester), "sla.paused") == 1);
    CHECK_FALSE(desk.store->ticket_sla(id).value()->next_check_ms.has_value());  // nothing can happen now

    // Three hours later the requester answers: 60 minutes were used, 420 remain from 13:00.
    desk.now_ms = june(16, 13);
    desk.push(rita, desk.set_field(rita, id, Field::ticket_status, std::string("in_progress")));
    mine = pulled_replica(desk, rita);
    CHECK(read_ticket(mine, id)->resolution_due_ms == static_cast<std::int64_t>(june(17, 12)));
    CHECK(count_rule(system_events(mine, id, Role::requester), "sla.due_dates") == 2);

    // The first response is done: no first-response escalation, whenever the pass runs.
    desk.now_ms = june(16, 16);
    REQUIRE(desk.service->run_escalation_pass().ok());
    CHECK(count_rule(system_events(pulled_replica(desk, rita), id, Role::requester), "sla.first_response.at_risk") == 0);
}

TEST_CASE("a disabled technician is never dispatched to, enabled again, they are") {
    TriageDesk desk;
    Person rita = desk.enrol(Role::requester, "Rita");
    // A VPN ticket on Monday the 16th (ann would take it: kim is away), and whom it went to.
    auto assignee_of_new_vpn_ticket = [&] {
        EntityId id;
        REQUIRE(desk.push(rita, routed_ticket(desk, rita, id, "network_vpn", "lab", "low", "medium", june(16, 8)))
                    .outcome == OpOutcome::accepted);
        const auto t = read_ticket(pulled_replica(desk, rita), id);
        REQUIRE(t.has_value());
        return t->assignee;
    };
    REQUIRE(desk.service->set_user_disabled(to_hex(desk.tech("ann")), true).ok());
    CHECK_FALSE(assignee_of_new_vpn_ticket().has_value());  // the team queue, retried by the pass

    REQUIRE(desk.service->set_user_disabled(to_hex(desk.tech("ann")), false).ok());
    CHECK(assignee_of_new_vpn_ticket() == desk.tech("ann"));
}
