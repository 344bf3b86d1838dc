// triage_sla_test.cpp — SLA clocks from status histories: start within the clock policy, pause
// while waiting on the requester and resume, stop on resolve and run again on reopen, first
// response, round-the-clock P1; escalation at 75 % and at breach under a fake clock, across a
// weekend, each firing once with its rule name.
#include <doctest/doctest.h>

#include <vector>

#include "lifebuoy/triage/escalation.h"
#include "lifebuoy/triage/sla.h"
#include "triage_test_support.h"

using namespace lb;
using namespace lb::triage;
using lb::test::kHour;
using lb::test::kMinute;
using lb::test::local;
using lb::test::zone;

namespace {

const TimeZone kLondon = zone("Europe/London");
const BusinessCalendar kDesk = weekday_calendar("london", kLondon);  // Mon–Fri 09:00–17:00

// Monday 2 June 2025 in London (BST).
std::int64_t june(unsigned day, int h, int mi = 0) { return local(kLondon, 2025, 6, day, h, mi); }

SlaClockReading read(const std::vector<StatusChange>& changes, std::int64_t target_minutes, std::int64_t now,
                     std::optional<std::int64_t> stop = std::nullopt,
                     SlaClockMode mode = SlaClockMode::business_hours) {
    SlaClockInput in;
    in.start_ms = june(2, 9);
    in.target_minutes = target_minutes;
    in.mode = mode;
    in.changes = changes;
    in.stop_ms = stop;
    auto r = read_sla_clock(kDesk, in, now);
    REQUIRE(r.ok());
    return r.value();
}

}  // namespace

TEST_CASE("triage sla: the clock starts when the device filed the ticket, within the drift policy") {
    const std::int64_t now = june(2, 12);
    const auto at = [](std::int64_t ms) { return Hlc::from(static_cast<std::uint64_t>(ms), 3); };
    CHECK(sla_start_ms(at(now - 3 * 24 * kHour), now) == now - 3 * 24 * kHour);  // filed offline days ago
    CHECK(sla_start_ms(at(now + 4 * kMinute), now) == now + 4 * kMinute);        // within 5 minutes
    CHECK(sla_start_ms(at(now + 6 * kMinute), now) == now);                       // a wrong clock
    CHECK(sla_start_ms(Hlc{}, now) == now);
}

TEST_CASE("triage sla: default policy and targets") {
    const SlaPolicy p = default_sla_policy();
    REQUIRE(validate_sla_policy(p).ok());
    CHECK(p.target(Priority::critical).mode == SlaClockMode::continuous);
    CHECK(p.target(Priority::critical).resolution_minutes == 240);
    CHECK(p.target(Priority::planning).resolution_minutes == 80 * 60);
    SlaPolicy bad = p;
    bad.by_priority[2].first_response_minutes = bad.by_priority[2].resolution_minutes + 1;
    CHECK(validate_sla_policy(bad).error().code == "bad_value");
}

TEST_CASE("triage sla: a running clock gives the due date in business time") {
    const auto r = read({}, 8 * 60, june(2, 13));
    CHECK(r.state == SlaState::running);
    CHECK(r.elapsed_ms == 4 * kHour);
    CHECK(r.due_ms == june(2, 17));
    CHECK(r.used_fraction == doctest::Approx(0.5));
    CHECK_FALSE(r.breached);
    // 16 business hours from Monday 09:00 → Tuesday 17:00; read on Wednesday, breached.
    const auto late = read({}, 16 * 60, june(4, 10));
    CHECK(late.due_ms == june(3, 17));
    CHECK(late.breached);
    CHECK(late.used_fraction == doctest::Approx(17.0 / 16.0));
}

TEST_CASE("triage sla: waiting on the requester pauses the clock, the answer resumes it") {
    const std::vector<StatusChange> h = {
        {june(2, 9), TicketStatus::new_},
        {june(2, 10), TicketStatus::in_progress},
        {june(2, 13), TicketStatus::waiting_on_requester},  // 4 business hours used
        {june(4, 10), TicketStatus::in_progress},           // the requester answers on Wednesday
    };
    // Tuesday noon: paused, no due date (it depends on when the requester answers).
    const auto paused = read(h, 8 * 60, june(3, 12));
    CHECK(paused.state == SlaState::paused);
    CHECK(paused.elapsed_ms == 4 * kHour);
    CHECK_FALSE(paused.due_ms);
    CHECK_FALSE(paused.breached);
    // Wednesday noon: running again, 2 more hours used, due Wednesday 14:00.
    const auto resumed = read(h, 8 * 60, june(4, 12));
    CHECK(resumed.state == SlaState::running);
    CHECK(resumed.elapsed_ms == 6 * kHour);
    CHECK(resumed.due_ms == june(4, 14));
    CHECK(resumed.used_fraction == doctest::Approx(0.75));
    // Wednesday 15:00: breached at 14:00.
    const auto late = read(h, 8 * 60, june(4, 15));
    CHECK(late.breached);
    CHECK(late.due_ms == june(4, 14));
    // Changes after `now` have not happened yet.
    CHECK(read(h, 8 * 60, june(2, 12)).state == SlaState::running);
}

TEST_CASE("triage sla: resolving stops the clock, reopening runs it again") {
    std::vector<StatusChange> h = {
        {june(2, 9), TicketStatus::assigned},
        {june(2, 15), TicketStatus::resolved},  // 6 h, within 8 h: met
    };
    const auto met = read(h, 8 * 60, june(9, 9));
    CHECK(met.state == SlaState::stopped);
    CHECK(met.elapsed_ms == 6 * kHour);
    CHECK_FALSE(met.due_ms);
    CHECK_FALSE(met.breached);
    h.push_back({june(3, 9), TicketStatus::in_progress});  // reopened Tuesday 09:00
    const auto reopened = read(h, 8 * 60, june(3, 10));
    CHECK(reopened.state == SlaState::running);
    CHECK(reopened.elapsed_ms == 7 * kHour);
    CHECK(reopened.due_ms == june(3, 11));
    h.push_back({june(3, 12), TicketStatus::closed});  // closed late: breached before it stopped
    const auto closed = read(h, 8 * 60, june(5, 9));
    CHECK(closed.state == SlaState::stopped);
    CHECK(closed.breached);
    CHECK(closed.due_ms == june(3, 11));
}

TEST_CASE("triage sla: the first-response clock stops at the first response") {
    const auto on_time = read({}, 60, june(2, 15), june(2, 9, 45));
    CHECK(on_time.state == SlaState::stopped);
    CHECK(on_time.elapsed_ms == 45 * kMinute);
    CHECK_FALSE(on_time.breached);
    const auto late = read({}, 60, june(2, 15), june(2, 11));
    CHECK(late.state == SlaState::stopped);
    CHECK(late.breached);
    CHECK(late.due_ms == june(2, 10));
}

TEST_CASE("triage sla: a P1 around the clock ignores business hours") {
    // Filed Friday 6 June 16:00; 4 hours of wall time: due Friday 20:00.
    SlaClockInput in;
    in.start_ms = june(6, 16);
    in.target_minutes = 240;
    in.mode = SlaClockMode::continuous;
    auto r = read_sla_clock(kDesk, in, june(6, 19));
    REQUIRE(r.ok());
    CHECK(r.value().due_ms == june(6, 20));
    CHECK(r.value().elapsed_ms == 3 * kHour);
}

TEST_CASE("triage sla: escalation under a fake clock — at risk at 75 %, breached at 100 %, once each") {
    // Filed Friday 6 June 15:00, 8 business hours: Friday 2 h, Monday 6 h → due Monday 15:00.
    // 75 % (6 h) is reached Monday 13:00. Nothing fires over the weekend.
    const std::int64_t start = june(6, 15);
    const EntityId ticket{0, 0xAB};
    const EntityId tech{0, 0x7EC};
    const EntityId duty{0, 0xD07};
    EscalationPolicy policy;
    policy.escalate_to = duty;
    REQUIRE(validate_escalation_policy(policy).ok());

    test::FakeClock clock{start};
    EscalationLevel recorded = EscalationLevel::none;
    std::vector<std::pair<std::int64_t, Escalation>> fired;
    while (clock.now_ms <= june(10, 9)) {
        SlaClockInput in;
        in.start_ms = start;
        in.target_minutes = 8 * 60;
        auto reading = read_sla_clock(kDesk, in, clock.now_ms);
        REQUIRE(reading.ok());
        if (auto e = check_escalation(ticket, tech, SlaTargetKind::resolution, reading.value(), recorded, policy)) {
            recorded = e->level;  // the server records it in the history; the next check reads it
            fired.emplace_back(clock.now_ms, *e);
        }
        clock.advance_minutes(1);
    }
    REQUIRE(fired.size() == 2);
    CHECK(fired[0].first == june(9, 13));
    CHECK(fired[0].second.rule == "sla.resolution.at_risk");
    CHECK(fired[0].second.level == EscalationLevel::at_risk);
    CHECK(fired[0].second.assignee == tech);
    CHECK_FALSE(fired[0].second.escalate_to);
    CHECK(fired[0].second.detail == "75% of 480 minutes used (threshold 75%)");
    CHECK(fired[1].first == june(9, 15));
    CHECK(fired[1].second.rule == "sla.resolution.breached");
    CHECK(fired[1].second.escalate_to == duty);

    // A paused clock is never "at risk", however much is used.
    SlaClockReading paused;
    paused.state = SlaState::paused;
    paused.used_fraction = 0.9;
    CHECK_FALSE(check_escalation(ticket, tech, SlaTargetKind::first_response, paused, EscalationLevel::none, policy));
    // Straight to breached when the check runs late.
    SlaClockReading breached;
    breached.breached = true;
    breached.used_fraction = 1.2;
    auto e = check_escalation(ticket, std::nullopt, SlaTargetKind::first_response, breached, EscalationLevel::none, policy);
    REQUIRE(e);
    CHECK(e->rule == "sla.first_response.breached");
    CHECK(validate_escalation_policy(EscalationPolicy{1.0, std::nullopt}).error().code == "bad_value");
}
