// ticket_queue_test.cpp — the technician's queue (engine/ticket_queue.h, engine_queue.cpp): SLA
// marks (first response until answered, then resolution; at risk by the desk's fraction; paused
// while waiting; done once resolved), views and their counts, sorting by every column with
// tickets without a due date last, search words, CSV quoting; and the engine command: only the
// help desk may read it, and a requester's tickets show up on a technician's device with names.
// Not here: the table (client/ui/queue_screen.cpp).
#include <doctest/doctest.h>

#include "engine/ticket_queue.h"
#include "engine_sync_test_support.h"

using nlohmann::json;
using namespace lb;
using namespace lb::engine;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

namespace {

constexpr std::int64_t kNow = 1796083200000;  // 2026-12-01T00:00:00Z
constexpr std::int64_t kMinute = 60000;

EntityId id_of(std::uint64_t n) {
    EntityId id{};
    id.lo = n;
    return id;
}

Ticket ticket(std::uint64_t n, TicketStatus status, Priority priority, std::optional<std::int64_t> response_due,
              std::optional<std::int64_t> resolution_due) {
    Ticket t;
    t.id = id_of(n);
    t.number = static_cast<std::int64_t>(n);
    t.title = "Ticket " + std::to_string(n);
    t.status = status;
    t.priority = priority;
    t.response_due_ms = response_due;
    t.resolution_due_ms = resolution_due;
    t.requester = id_of(100);
    return t;
}

QueueFilter view(std::string name, std::string site = "", std::string category = "", std::string query = "") {
    return QueueFilter{std::move(name), std::move(site), std::move(category), std::move(query)};
}
QueueSort by(std::string column, bool descending = false) { return QueueSort{std::move(column), descending}; }

}  // namespace

TEST_CASE("queue: SLA marks follow the clock that runs") {
    triage::TriageConfig desk;  // defaults: at risk at 75 % used
    QueueContext ctx;
    ctx.desk = &desk;
    ctx.now_ms = kNow;
    const std::int64_t high_response = desk.sla.target(Priority::high).first_response_minutes * kMinute;

    CHECK(queue_row(ticket(1, TicketStatus::new_, Priority::high, std::nullopt, std::nullopt), ctx).sla == SlaMark::none);
    const QueueRow fresh = queue_row(ticket(2, TicketStatus::assigned, Priority::high, kNow + high_response, kNow + 9 * high_response), ctx);
    CHECK(fresh.sla == SlaMark::ok);
    CHECK(fresh.response_due);
    CHECK(fresh.due_ms == kNow + high_response);
    CHECK(fresh.left_ms == high_response);
    // Less than a quarter of the target left: at risk; past it: overdue (by how much).
    CHECK(queue_row(ticket(3, TicketStatus::assigned, Priority::high, kNow + high_response / 5, std::nullopt), ctx).sla ==
          SlaMark::at_risk);
    const QueueRow late = queue_row(ticket(4, TicketStatus::assigned, Priority::high, kNow - 5 * kMinute, std::nullopt), ctx);
    CHECK(late.sla == SlaMark::overdue);
    CHECK(late.left_ms == -5 * kMinute);
    // Answered (in progress, or a technician's reply): the resolution clock.
    const QueueRow working = queue_row(ticket(5, TicketStatus::in_progress, Priority::high, kNow - kMinute, kNow + 9 * high_response), ctx);
    CHECK_FALSE(working.response_due);
    CHECK(working.sla == SlaMark::ok);
    ctx.answered[id_of(6)] = kNow;
    CHECK(queue_row(ticket(6, TicketStatus::assigned, Priority::high, kNow - kMinute, kNow + 9 * high_response), ctx).sla ==
          SlaMark::ok);
    CHECK(queue_row(ticket(7, TicketStatus::waiting_on_requester, Priority::high, std::nullopt, std::nullopt), ctx).sla ==
          SlaMark::paused);
    CHECK(queue_row(ticket(8, TicketStatus::resolved, Priority::high, kNow - kMinute, kNow - kMinute), ctx).sla == SlaMark::done);
}

TEST_CASE("queue: views, counts, sorting, words and CSV") {
    triage::TriageConfig desk;
    QueueContext ctx;
    ctx.desk = &desk;
    ctx.now_ms = kNow;
    ctx.me = id_of(200);
    ctx.names = {{id_of(100), "Rita Requester"}, {id_of(200), "Tess Tran"}, {id_of(201), "Omar Okafor"}};
    std::vector<QueueRow> rows;
    auto add = [&](Ticket t, std::optional<EntityId> assignee, std::string site, std::string category) {
        t.assignee = assignee;
        t.site = std::move(site);
        t.category = std::move(category);
        rows.push_back(queue_row(std::move(t), ctx));
    };
    add(ticket(1, TicketStatus::assigned, Priority::low, kNow + 600 * kMinute, std::nullopt), id_of(200), "london", "hardware");
    add(ticket(2, TicketStatus::new_, Priority::critical, kNow - kMinute, std::nullopt), std::nullopt, "new_york", "network_vpn");
    add(ticket(3, TicketStatus::waiting_on_requester, Priority::medium, std::nullopt, std::nullopt), id_of(201), "london", "email");
    add(ticket(4, TicketStatus::closed, Priority::high, std::nullopt, std::nullopt), id_of(200), "london", "hardware");
    add(ticket(5, TicketStatus::assigned, Priority::high, std::nullopt, std::nullopt), id_of(201), "london", "printing");
    rows[1].ticket.title = "VPN, \"full\" outage";

    auto numbers = [&](const QueueFilter& f, const QueueSort& s) {
        std::vector<std::int64_t> out;
        for (const QueueRow& r : select_queue(rows, f, s, ctx)) out.push_back(*r.ticket.number);
        return out;
    };
    CHECK(numbers(view("open"), by("number")) == std::vector<std::int64_t>{1, 2, 3, 5});
    CHECK(numbers(view("mine"), by("number")) == std::vector<std::int64_t>{1});
    CHECK(numbers(view("unassigned"), by("number")) == std::vector<std::int64_t>{2});
    CHECK(numbers(view("overdue"), by("number")) == std::vector<std::int64_t>{2});
    CHECK(numbers(view("waiting"), by("number")) == std::vector<std::int64_t>{3});
    CHECK(numbers(view("closed"), by("number")) == std::vector<std::int64_t>{4});
    CHECK(numbers(view("all"), by("number", true)) == std::vector<std::int64_t>{5, 4, 3, 2, 1});
    CHECK(numbers(view("open", "london"), by("number")) == std::vector<std::int64_t>{1, 3, 5});
    CHECK(numbers(view("open", "", "hardware"), by("number")) == std::vector<std::int64_t>{1});
    CHECK(numbers(view("all", "", "", "omar"), by("number")) == std::vector<std::int64_t>{3, 5});  // the assignee's name
    CHECK(numbers(view("all", "", "", "#4"), by("number")) == std::vector<std::int64_t>{4});
    CHECK(numbers(view("open"), by("priority")) == std::vector<std::int64_t>{2, 5, 3, 1});
    // Due first, soonest first; no due date last — also when the order is turned round.
    CHECK(numbers(view("open"), by("due")) == std::vector<std::int64_t>{2, 1, 3, 5});
    CHECK(numbers(view("open"), by("due", true)) == std::vector<std::int64_t>{1, 2, 3, 5});
    CHECK(numbers(view("open"), by("assignee")) == std::vector<std::int64_t>{2, 3, 5, 1});

    const auto counts = view_counts(rows, view("open"), ctx);
    CHECK(counts.at("open") == 4);
    CHECK(counts.at("mine") == 1);
    CHECK(counts.at("overdue") == 1);
    CHECK(counts.at("closed") == 1);
    CHECK(counts.at("all") == 5);

    CHECK(check_queue_request(view("sideways"), by("due")).error().code == "bad_arguments");
    CHECK(check_queue_request(view("open"), by("colour")).error().code == "bad_arguments");

    const std::string csv = queue_csv(select_queue(rows, view("overdue"), by("number"), ctx));
    CHECK(csv == "number,title,requester,category,priority,status,assignee,site,sla,due,updated\r\n"
                 "2,\"VPN, \"\"full\"\" outage\",Rita Requester,network_vpn,critical,new,,new_york,overdue,"
                 "2026-11-30T23:59:00Z,1970-01-01T00:00:00Z\r\n");
}

TEST_CASE("queue command: the help desk's only, a requester's tickets with names on a technician's device") {
    FakeSyncServer server;
    TestDevice tess(2), rita(3);
    REQUIRE(tess.call("enroll", {{"invite", "tech"}})["ok"] == true);
    tess.sync(server);
    REQUIRE(rita.call("enroll", {{"invite", "rita"}, {"display_name", "Rita"}})["ok"] == true);
    const std::string vpn = rita.create("VPN drops every hour");
    rita.create("Printer jams");
    lb::test::exchange(server, {&rita, &tess});

    CHECK(rita.call("queue")["error"]["code"] == "forbidden");
    json q = tess.call("queue", {{"filter", {{"view", "open"}, {"query", "vpn"}}}});
    REQUIRE_MESSAGE(q["ok"] == true, q.dump());
    CHECK(q["result"]["total"] == 1);
    CHECK(q["result"]["counts"]["open"] == 1);
    const json& row = q["result"]["rows"][0];
    CHECK(row["id"] == vpn);
    CHECK(row["title"] == "VPN drops every hour");  // opened with the team key
    CHECK(row["priority"] == "high");               // medium impact, high urgency: the matrix
    CHECK(row["sla"] == "none");                    // the fake server sets no due dates
    CHECK(tess.call("queue", {{"filter", {{"view", "unassigned"}}}})["result"]["total"] == 2);
    CHECK(tess.call("queue", {{"sort", {{"column", "colour"}}}})["error"]["code"] == "bad_arguments");
    json csv = tess.call("queue_csv", {{"sort", {{"column", "title"}}}});
    REQUIRE(csv["ok"] == true);
    CHECK(csv["result"]["rows"] == 2);
    CHECK(csv["result"]["csv"].get<std::string>().find("Printer jams") < csv["result"]["csv"].get<std::string>().find("VPN drops"));
}

TEST_CASE("ticket work: take it, a priority with its reason as an internal note, assignee checked") {
    FakeSyncServer server;
    TestDevice tess(2), rita(3);
    REQUIRE(tess.call("enroll", {{"invite", "tech"}})["ok"] == true);
    tess.sync(server);
    REQUIRE(rita.call("enroll", {{"invite", "rita"}})["ok"] == true);
    const std::string id = rita.create("Printer jams");
    lb::test::exchange(server, {&rita, &tess});
    const std::string me = tess.call("sync_status")["result"]["user_id"];

    REQUIRE(tess.call("update_ticket", {{"id", id}, {"fields", {{"assignee", me}}}})["ok"] == true);
    CHECK(tess.call("queue", {{"filter", {{"view", "mine"}}}})["result"]["total"] == 1);
    CHECK(tess.call("update_ticket", {{"id", id}, {"fields", {{"assignee", "00000000000000000000000000000abc"}}}})["error"]["code"] ==
          "bad_arguments");
    CHECK(tess.call("update_ticket", {{"id", id}, {"fields", {{"priority", "critical"}}}})["error"]["code"] == "bad_arguments");
    CHECK(tess.call("update_ticket", {{"id", id}, {"fields", {{"priority", "urgentish"}}}, {"reason", "x"}})["error"]["code"] ==
          "bad_arguments");
    REQUIRE(tess.call("update_ticket", {{"id", id}, {"fields", {{"priority", "critical"}}}, {"reason", "CEO's printer"}})["ok"] ==
            true);
    json t = tess.call("get_ticket", {{"id", id}})["result"];
    CHECK(t["ticket"]["priority"] == "critical");
    bool noted = false;
    for (const json& c : t["comments"])
        noted = noted || (c["kind"] == "internal_note" && c["body"] == "Priority set to critical: CEO's printer");
    CHECK(noted);
    // The requester may not do either.
    lb::test::exchange(server, {&tess, &rita});
    CHECK(rita.call("update_ticket", {{"id", id}, {"fields", {{"priority", "critical"}}}, {"reason", "please"}})["error"]["code"] ==
          "forbidden");
    json seen = rita.call("get_ticket", {{"id", id}})["result"];
    CHECK(seen["ticket"]["priority"] == "critical");
    for (const json& c : seen["comments"]) CHECK(c["kind"] != "internal_note");
    REQUIRE(tess.call("update_ticket", {{"id", id}, {"fields", {{"assignee", nullptr}}}})["ok"] == true);
    CHECK(tess.call("queue", {{"filter", {{"view", "unassigned"}}}})["result"]["total"] == 1);
}

TEST_CASE("queue command: a window of rows with the total, for a table that scrolls") {
    FakeSyncServer server;
    TestDevice tess(2), rita(3);
    REQUIRE(tess.call("enroll", {{"invite", "tech"}})["ok"] == true);
    tess.sync(server);
    REQUIRE(rita.call("enroll", {{"invite", "rita"}})["ok"] == true);
    for (int i = 0; i < 7; ++i) rita.create("Ticket " + std::to_string(i));
    lb::test::exchange(server, {&rita, &tess});
    json all = tess.call("queue", {{"sort", {{"column", "title"}}}})["result"];
    REQUIRE(all["rows"].size() == 7);
    json window = tess.call("queue", {{"sort", {{"column", "title"}}}, {"offset", 2}, {"limit", 3}})["result"];
    CHECK(window["total"] == 7);
    CHECK(window["offset"] == 2);
    REQUIRE(window["rows"].size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(window["rows"][i]["id"] == all["rows"][i + 2]["id"]);
    CHECK(tess.call("queue", {{"offset", 6}, {"limit", 5}})["result"]["rows"].size() == 1);
    CHECK(tess.call("queue", {{"offset", 9}})["result"]["rows"].empty());
    CHECK(tess.call("queue", {{"limit", -1}})["error"]["code"] == "bad_arguments");
    CHECK(tess.call("queue", {{"limit", 20001}})["error"]["code"] == "bad_arguments");
}
