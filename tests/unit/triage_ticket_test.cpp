// triage_ticket_test.cpp — one ticket's automation, pure: both SLA clocks and the next instant
// worth a look (a paused or stopped ticket needs none), escalations only of running clocks and
// each once, what counts as the first response; priority decisions (matrix, override kept,
// untriaged), due-date decisions (running, paused, responded), one-step raises; roster helpers
// (load weights, work modes, out of office in the site's zone, weighted dispatch).
#include <doctest/doctest.h>

#include <vector>

#include "lifebuoy/triage/roster.h"
#include "lifebuoy/triage/ticket_decisions.h"
#include "lifebuoy/triage/ticket_sla.h"
#include "triage_test_support.h"

using namespace lb;
using namespace lb::triage;
using lb::test::kHour;
using lb::test::kMinute;
using lb::test::utc;

namespace {

const BusinessCalendar kLab = weekday_calendar("lab", *find_time_zone("UTC"));  // Mon–Fri 09:00–17:00

// P2 (60 / 480 business minutes) filed Monday 16 June 2025 09:00 UTC.
TicketSla read(std::int64_t now, const std::vector<StatusChange>& changes = {},
               std::optional<std::int64_t> responded = std::nullopt, EscalationLevels levels = {}) {
    TicketSlaInput in;
    in.priority = Priority::high;
    in.start_ms = utc(2025, 6, 16, 9);
    in.changes = changes;
    in.first_response_ms = responded;
    auto r = read_ticket_sla(default_sla_policy(), EscalationPolicy{}, kLab, in, levels, now);
    REQUIRE(r.ok());
    return r.value();
}

}  // namespace

TEST_CASE("triage ticket: both clocks, and the next instant an escalation can happen") {
    const TicketSla at_start = read(utc(2025, 6, 16, 9));
    CHECK(at_start.first_response.due_ms == utc(2025, 6, 16, 10));
    CHECK(at_start.resolution.due_ms == utc(2025, 6, 16, 17));
    CHECK(at_start.next_check_ms == utc(2025, 6, 16, 9, 45));  // 75 % of the first 60 minutes

    // Once the first response is at risk (recorded), the next is its due date.
    CHECK(read(utc(2025, 6, 16, 9, 50), {}, {}, {EscalationLevel::at_risk, EscalationLevel::none}).next_check_ms ==
          utc(2025, 6, 16, 10));
    // Responded at 09:30: only the resolution clock is left (at risk after 360 minutes: 15:00).
    CHECK(read(utc(2025, 6, 16, 9, 40), {}, utc(2025, 6, 16, 9, 30)).next_check_ms == utc(2025, 6, 16, 15));
    // 20:00 with the resolution breach not recorded yet (its due date, 17:00, passed): look now.
    CHECK(read(utc(2025, 6, 16, 20), {}, utc(2025, 6, 16, 9, 30),
               {EscalationLevel::breached, EscalationLevel::at_risk})
              .next_check_ms == utc(2025, 6, 16, 20));  // the due date (17:00) passed: look now
    // Waiting on the requester: nothing can happen until the ticket changes.
    const std::vector<StatusChange> paused = {{utc(2025, 6, 16, 9, 30), TicketStatus::waiting_on_requester}};
    CHECK_FALSE(read(utc(2025, 6, 16, 12), paused, utc(2025, 6, 16, 9, 30)).next_check_ms.has_value());
}

TEST_CASE("triage ticket: escalations of running clocks only, each threshold once") {
    const EntityId ticket{0, 1};
    const EscalationPolicy policy;
    auto due = [&](std::int64_t now, std::optional<std::int64_t> responded, EscalationLevels levels) {
        return due_escalations(ticket, std::nullopt, read(now, {}, responded, levels), levels, policy);
    };
    CHECK(due(utc(2025, 6, 16, 9, 44), {}, {}).empty());
    auto at_risk = due(utc(2025, 6, 16, 9, 45), {}, {});
    REQUIRE(at_risk.size() == 1);
    CHECK(at_risk[0].rule == "sla.first_response.at_risk");
    const EscalationLevels recorded = record_escalations({}, at_risk);
    CHECK(recorded.first_response == EscalationLevel::at_risk);
    CHECK(due(utc(2025, 6, 16, 9, 50), {}, recorded).empty());
    // The server was down from 09:40 to 16:00: the breach and the resolution's risk, in one look.
    auto late = due(utc(2025, 6, 16, 16), {}, recorded);
    REQUIRE(late.size() == 2);
    CHECK(late[0].rule == "sla.first_response.breached");
    CHECK(late[1].rule == "sla.resolution.at_risk");
    // A late first response that already happened is not escalated after the fact.
    auto after_reply = due(utc(2025, 6, 16, 11), utc(2025, 6, 16, 10, 30), {});
    CHECK(after_reply.empty());
}

TEST_CASE("triage ticket: what counts as the first response") {
    CHECK(is_first_response(Role::technician, CommentKind::public_reply));
    CHECK(is_first_response(Role::admin, CommentKind::request_for_information));
    CHECK_FALSE(is_first_response(Role::technician, CommentKind::internal_note));
    CHECK_FALSE(is_first_response(Role::requester, CommentKind::public_reply));
    CHECK_FALSE(is_first_response(Role::system, CommentKind::system_event));
    CHECK(is_first_response(Role::technician, TicketStatus::in_progress));
    CHECK_FALSE(is_first_response(Role::technician, TicketStatus::assigned));
    CHECK_FALSE(is_first_response(Role::requester, TicketStatus::closed));
}

TEST_CASE("triage ticket: priority decisions name their rule") {
    const PriorityMatrix m = default_priority_matrix();
    auto d = decide_priority(m, Impact::high, Urgency::medium, Priority::unknown, false, Priority::medium);
    CHECK(d.priority == Priority::high);
    CHECK((d.write && d.explain));
    CHECK(d.rule == "priority.matrix");
    CHECK(d.detail == "impact high × urgency medium → P2 High");
    CHECK_FALSE(decide_priority(m, Impact::high, Urgency::medium, Priority::high, false, Priority::medium).write);

    d = decide_priority(m, Impact::low, Urgency::low, Priority::critical, true, Priority::medium);
    CHECK(d.priority == Priority::critical);
    CHECK_FALSE(d.write);
    CHECK(d.explain);
    CHECK(d.rule == "priority.override_kept");

    d = decide_priority(m, Impact::unknown, Urgency::high, Priority::unknown, false, Priority::medium);
    CHECK(d.priority == Priority::unknown);
    CHECK_FALSE(d.write);
    CHECK(d.rule == "priority.untriaged");
    CHECK(d.detail.find("timed as P3 Medium") != std::string::npos);

    CHECK(raised_priority(Priority::planning, Priority::medium) == Priority::low);
    CHECK(raised_priority(Priority::high, Priority::medium) == Priority::critical);
    CHECK(raised_priority(Priority::critical, Priority::medium) == Priority::critical);
    CHECK(raised_priority(Priority::unknown, Priority::medium) == Priority::high);
}

TEST_CASE("triage ticket: due dates while running, cleared while paused, kept once responded") {
    const std::int64_t start = utc(2025, 6, 16, 9);
    auto d = decide_due_dates(read(start), Priority::high, kLab, start, std::nullopt, std::nullopt);
    CHECK(d.write);
    CHECK(d.rule == "sla.due_dates");
    CHECK(d.response_due_ms == utc(2025, 6, 16, 10));
    CHECK(d.resolution_due_ms == utc(2025, 6, 16, 17));
    CHECK(d.detail == "P2 High, business hours at lab (UTC): first response by 2025-06-16 10:00 UTC+00:00, "
                      "resolution by 2025-06-16 17:00 UTC+00:00; clock from 2025-06-16 09:00 UTC+00:00 (filed on the device)");
    // Nothing new to say: no write.
    CHECK_FALSE(decide_due_dates(read(start), Priority::high, kLab, start, d.response_due_ms, d.resolution_due_ms).write);

    const std::vector<StatusChange> paused = {{utc(2025, 6, 16, 9, 30), TicketStatus::waiting_on_requester}};
    const auto p = decide_due_dates(read(utc(2025, 6, 16, 10), paused, utc(2025, 6, 16, 9, 30)), Priority::high, kLab,
                                    start, d.response_due_ms, d.resolution_due_ms);
    CHECK(p.write);
    CHECK(p.rule == "sla.paused");
    CHECK(p.response_due_ms == utc(2025, 6, 16, 10));  // responded: the first-response due date stays
    CHECK_FALSE(p.resolution_due_ms.has_value());
}

TEST_CASE("triage roster: load weights, work modes, out of office on the site's local dates") {
    CHECK(priority_load_weight(Priority::critical) == 8);
    CHECK(priority_load_weight(Priority::planning) == 1);
    DispatchConfig config;
    CHECK(work_mode_for(config, "hardware") == WorkMode::onsite);
    CHECK(work_mode_for(config, "network_vpn") == WorkMode::remote);

    RosterTechnician kim;
    kim.id = "kim";
    kim.site = "tokyo";
    kim.out_of_office = {{days_from_civil(2025, 6, 16), days_from_civil(2025, 6, 16)}};
    const TimeZone tokyo = *find_time_zone("Asia/Tokyo");
    CHECK_FALSE(is_out_of_office(kim, tokyo, utc(2025, 6, 15, 14, 59)));  // Sunday 23:59 in Tokyo
    CHECK(is_out_of_office(kim, tokyo, utc(2025, 6, 15, 15)));            // Monday 00:00 in Tokyo
    CHECK(is_out_of_office(kim, tokyo, utc(2025, 6, 16, 14, 59)));
    CHECK_FALSE(is_out_of_office(kim, tokyo, utc(2025, 6, 16, 15)));

    // Weighted loads: one P1 weighs more than three P4s, so the next ticket goes to the P4 holder.
    CHECK_FALSE(dispatch_technician(kim, EntityId{0, 1}, 0, true).available);
    DispatchTicket t{EntityId{0, 9}, "network_vpn", "tokyo", Priority::high, WorkMode::remote, 0, {}, 4};
    kim.skills = {"network_vpn"};
    DispatchState state;
    std::vector<Technician> techs = {dispatch_technician(kim, EntityId{0, 1}, 8, false),
                                     dispatch_technician(kim, EntityId{0, 2}, 3, false)};
    const auto r = dispatch(std::span(&t, 1), techs, state);
    REQUIRE(r.assigned.size() == 1);
    CHECK(r.assigned[0].assignee == EntityId{0, 2});
    CHECK(r.assigned[0].detail.find("load 3 -> 7") != std::string::npos);
}
