// ticket_dashboard_test.cpp — the technician's dashboard (engine/ticket_dashboard.h,
// engine_dashboard.cpp): open tickets by status and priority, SLA counts and the most urgent,
// the aging buckets' edges, load per technician (unassigned last), first-response and resolution
// percentiles by nearest rank, the two-week trend; and the engine command end to end: forbidden
// to a requester, a technician's reply and resolution counted from the device's own data.
#include <doctest/doctest.h>

#include "engine/ticket_dashboard.h"
#include "engine_sync_test_support.h"

using nlohmann::json;
using namespace lb;
using namespace lb::engine;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

namespace {

constexpr std::int64_t kNow = 1796083200000;  // 2026-12-01T00:00:00Z
constexpr std::int64_t kHour = 3600000, kDay = 24 * kHour;

QueueRow row(std::uint64_t n, TicketStatus status, Priority priority, std::int64_t filed_ms, std::string assignee = "",
             SlaMark sla = SlaMark::ok, std::int64_t left_ms = 0) {
    QueueRow r;
    r.ticket.id.lo = n;
    r.ticket.number = static_cast<std::int64_t>(n);
    r.ticket.status = status;
    r.ticket.priority = priority;
    r.ticket.created = Hlc::from(static_cast<std::uint64_t>(filed_ms), 0);
    if (!assignee.empty()) r.ticket.assignee = EntityId{0, 1000 + n};
    r.assignee_name = std::move(assignee);
    r.sla = sla;
    r.left_ms = left_ms;
    return r;
}

}  // namespace

TEST_CASE("dashboard: nearest-rank percentiles") {
    CHECK(nearest_rank({}, 0.5) == 0);
    CHECK(nearest_rank({7}, 0.9) == 7);
    CHECK(nearest_rank({4, 1, 3, 2}, 0.5) == 2);   // rank ceil(2) = 2
    CHECK(nearest_rank({5, 1, 4, 2, 3}, 0.5) == 3);
    CHECK(nearest_rank({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9) == 9);
}

TEST_CASE("dashboard: counts, SLA, aging, load, times and trend from the rows") {
    std::vector<QueueRow> rows{
        row(1, TicketStatus::new_, Priority::critical, kNow - 2 * kHour, "", SlaMark::overdue, -kHour),
        row(2, TicketStatus::in_progress, Priority::high, kNow - 2 * kDay, "Tess", SlaMark::at_risk, 30 * 60000),
        row(3, TicketStatus::in_progress, Priority::high, kNow - 3 * kDay, "Tess"),  // exactly 3 days: the 3–7 bucket
        row(4, TicketStatus::waiting_on_requester, Priority::low, kNow - 40 * kDay, "Omar", SlaMark::paused),
        row(5, TicketStatus::resolved, Priority::medium, kNow - 5 * kDay, "Omar", SlaMark::done),
        row(6, TicketStatus::closed, Priority::planning, kNow - 30 * kDay, "Tess", SlaMark::done),
    };
    DashboardFacts facts;
    facts.now_ms = kNow;
    facts.first_response_ms[rows[1].ticket.id] = kNow - 2 * kDay + kHour;      // 1 h
    facts.first_response_ms[rows[4].ticket.id] = kNow - 5 * kDay + 3 * kHour;  // 3 h
    facts.first_response_ms[rows[5].ticket.id] = kNow - 30 * kDay - kHour;     // before filing: ignored
    facts.resolved_ms[rows[4].ticket.id] = kNow - 4 * kDay;                    // 1 day, in the trend
    facts.resolved_ms[rows[5].ticket.id] = kNow - 20 * kDay;                   // 10 days, before the trend
    facts.kb_solved = 2;
    facts.deflections_here = 1;
    const Dashboard d = make_dashboard(rows, facts);

    CHECK(d.open == 4);
    CHECK(d.resolved == 1);
    CHECK(d.closed == 1);
    CHECK(d.open_by_status_priority[0][0] == 1);  // new × critical
    CHECK(d.open_by_status_priority[3][1] == 2);  // in progress × high
    CHECK(d.open_by_status_priority[4][3] == 1);  // waiting × low
    CHECK(d.overdue == 1);
    CHECK(d.at_risk == 1);
    CHECK(d.paused == 1);
    REQUIRE(d.most_urgent.size() == 2);
    CHECK(d.most_urgent[0].ticket.number == 1);  // the least time left first
    CHECK(d.aging == std::array<std::size_t, 6>{1, 1, 1, 0, 0, 1});
    REQUIRE(d.technicians.size() == 3);
    CHECK(d.technicians[0].name == "Tess");
    CHECK(d.technicians[0].open == 2);
    CHECK(d.technicians[1].name == "Omar");
    CHECK(d.technicians[1].open == 1);
    CHECK(d.technicians[1].resolved_recently == 1);
    CHECK(d.technicians[2].name.empty());  // the unassigned, last
    CHECK(d.technicians[2].open == 1);
    CHECK(d.first_response.count == 2);
    CHECK(d.first_response.median_ms == kHour);
    CHECK(d.first_response.p90_ms == 3 * kHour);
    CHECK(d.resolution.count == 2);
    CHECK(d.resolution.median_ms == kDay);
    CHECK(d.resolution.p90_ms == 10 * kDay);
    // The trend: 14 UTC days ending today; tickets 1 and 2 (today, 2 days ago), 3 and 5 filed in it.
    CHECK(d.first_trend_day * kDay == kNow - 13 * kDay);
    CHECK(d.opened_per_day[12] == 1);  // 2 h before midnight: yesterday
    CHECK(d.opened_per_day[11] == 1);
    CHECK(d.opened_per_day[10] == 1);
    CHECK(d.opened_per_day[8] == 1);
    CHECK(d.resolved_per_day[9] == 1);
    std::size_t opened = 0;
    for (std::size_t n : d.opened_per_day) opened += n;
    CHECK(opened == 4);
    CHECK(d.kb_solved == 2);
    CHECK(d.deflections_here == 1);
}

TEST_CASE("dashboard command: the help desk's only, a reply and a resolution counted from the device") {
    FakeSyncServer server;
    TestDevice tess(2), rita(3);
    REQUIRE(tess.call("enroll", {{"invite", "tech"}})["ok"] == true);
    tess.sync(server);
    REQUIRE(rita.call("enroll", {{"invite", "rita"}, {"display_name", "Rita"}})["ok"] == true);
    const std::string printer = rita.create("Printer jams");
    rita.create("VPN drops every hour");
    lb::test::exchange(server, {&rita, &tess});
    CHECK(rita.call("dashboard")["error"]["code"] == "forbidden");

    json d = tess.call("dashboard")["result"];
    CHECK(d["open"] == 2);
    CHECK(d["first_response"]["count"] == 0);
    REQUIRE(tess.call("add_comment", {{"ticket_id", printer}, {"body", "On my way"}})["ok"] == true);
    const std::string me = tess.call("sync_status")["result"]["user_id"];
    for (const json& fields : {json{{"status", "triaged"}}, json{{"status", "assigned"}, {"assignee", me}}, json{{"status", "in_progress"}}}) {
        json r = tess.call("update_ticket", {{"id", printer}, {"fields", fields}});
        REQUIRE_MESSAGE(r["ok"] == true, r.dump());
    }
    REQUIRE(tess.call("update_ticket", {{"id", printer}, {"fields", {{"status", "resolved"}, {"resolution_note", "Cleared the jam"}}}})["ok"] ==
            true);
    d = tess.call("dashboard")["result"];
    CHECK(d["open"] == 1);
    CHECK(d["resolved"] == 1);
    CHECK(d["first_response"]["count"] == 1);
    CHECK(d["resolution"]["count"] == 1);
    CHECK(d["statuses"][0] == "new");
    CHECK(d["aging"][0] == 1);  // the VPN ticket, filed just now
    std::int64_t opened = 0;
    for (const json& n : d["trend"]["opened"]) opened += n.get<std::int64_t>();
    CHECK(opened == 2);
    CHECK(d["trend"]["resolved"][13] == 1);
}
