// engine_unread_test.cpp — My tickets' unread marker: a ticket is unread when someone else replied
// or asked for information, or moved it to waiting / resolved / closed, after this device last
// showed it (mark_ticket_read). Own changes, automatic notes and internal notes are not news; the
// mark survives a crash.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using lb::test::FakeSyncServer;
using lb::test::TestDevice;
using lb::test::exchange;
using nlohmann::json;

namespace {

json row_of(TestDevice& d, const std::string& id) {
    json list = d.call("list_tickets")["result"];
    for (const json& r : list["rows"])
        if (r["id"] == id) return r;
    FAIL("ticket not listed");
    return json();
}

}  // namespace

TEST_CASE("unread: others' replies and status changes mark a ticket until it is shown, own changes never do") {
    FakeSyncServer server;
    TestDevice requester(41), tech(42);
    REQUIRE(requester.call("enroll", {{"invite", "x"}})["ok"] == true);
    REQUIRE(tech.call("enroll", {{"invite", "tech"}})["ok"] == true);
    const std::string id = requester.create("docking station not charging");
    REQUIRE(requester.call("add_comment", {{"ticket_id", id}, {"body", "also the screen flickers"}})["ok"] == true);
    exchange(server, {&requester, &tech});
    CHECK(row_of(requester, id)["unread"] == false);  // only the person's own words so far
    CHECK(requester.call("list_tickets")["result"]["unread"] == 0);

    // an internal note is not the requester's to see: no marker
    REQUIRE(tech.call("add_comment", {{"ticket_id", id}, {"body", "needs a new PSU"}, {"kind", "internal_note"}})["ok"] == true);
    exchange(server, {&requester, &tech});
    CHECK(row_of(requester, id)["unread"] == false);

    REQUIRE(tech.call("add_comment", {{"ticket_id", id}, {"body", "Which dock model is it?"}})["ok"] == true);
    exchange(server, {&requester, &tech});
    CHECK(row_of(requester, id)["unread"] == true);
    CHECK(requester.call("list_tickets")["result"]["unread"] == 1);

    REQUIRE(requester.call("mark_ticket_read", {{"id", id}})["ok"] == true);
    CHECK(row_of(requester, id)["unread"] == false);
    CHECK(requester.call("mark_ticket_read", {{"id", id}})["ok"] == true);  // again: harmless

    // the marker is the device's own memory: it survives a crash
    requester.crash_and_reopen();
    CHECK(row_of(requester, id)["unread"] == false);

    // resolved by the help desk: news again
    for (const char* status : {"triaged", "assigned", "in_progress", "resolved"})
        REQUIRE(tech.call("update_ticket", {{"id", id}, {"fields", {{"status", status}}}})["ok"] == true);
    exchange(server, {&requester, &tech});
    CHECK(row_of(requester, id)["unread"] == true);
    REQUIRE(requester.call("mark_ticket_read", {{"id", id}})["ok"] == true);

    // the requester's own "close" is not news to the requester
    REQUIRE(requester.call("update_ticket", {{"id", id}, {"fields", {{"status", "closed"}}}})["ok"] == true);
    exchange(server, {&requester, &tech});
    CHECK(row_of(requester, id)["unread"] == false);

    CHECK(requester.call("mark_ticket_read", {{"id", "00000000000000000000000000000000"}})["error"]["code"] == "not_found");
    CHECK(requester.call("mark_ticket_read", {{"id", 5}})["error"]["code"] == "bad_arguments");
}
