// engine_resolution_test.cpp — the end of a ticket's life from the requester's device: the help
// desk resolves it with a note; the requester reopens it or confirms it (closed) and rates the
// service 1..5 with a comment — each an update_ticket the lifecycle table allows only then, and
// each reaching the technician's device through the (fake) server.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using lb::test::FakeSyncServer;
using lb::test::TestDevice;
using lb::test::exchange;
using nlohmann::json;

namespace {

json update(TestDevice& d, const std::string& id, json fields) {
    return d.call("update_ticket", {{"id", id}, {"fields", std::move(fields)}});
}

json ticket(TestDevice& d, const std::string& id) { return d.call("get_ticket", {{"id", id}})["result"]["ticket"]; }


}  // namespace

TEST_CASE("resolution: reopen, confirm and rate from the requester's device, seen by the technician") {
    FakeSyncServer server;
    TestDevice requester(21), tech(22);
    REQUIRE(requester.call("enroll", {{"invite", "x"}})["ok"] == true);
    REQUIRE(tech.call("enroll", {{"invite", "tech"}})["ok"] == true);
    const std::string id = requester.create("monitor flickers");
    exchange(server, {&requester, &tech});

    // not resolved yet: the requester can neither rate nor "reopen"
    CHECK(update(requester, id, {{"satisfaction_rating", 5}})["error"]["code"] == "forbidden");
    CHECK(update(requester, id, {{"status", "in_progress"}})["error"]["code"] == "bad_transition");

    for (const char* status : {"triaged", "assigned", "in_progress"})
        REQUIRE(update(tech, id, {{"status", status}})["ok"] == true);
    REQUIRE(update(tech, id, {{"status", "resolved"}, {"resolution_note", "Replaced the cable."}})["ok"] == true);
    exchange(server, {&requester, &tech});
    json t = ticket(requester, id);
    CHECK(t["status"] == "resolved");
    CHECK(t["resolution_note"] == "Replaced the cable.");
    CHECK(t["satisfaction_rating"].is_null());

    // "No, it is not fixed": reopened, back with the technician
    REQUIRE(update(requester, id, {{"status", "in_progress"}})["ok"] == true);
    exchange(server, {&requester, &tech});
    CHECK(ticket(tech, id)["status"] == "in_progress");

    // resolved again, then confirmed and rated
    REQUIRE(update(tech, id, {{"status", "resolved"}, {"resolution_note", "New monitor."}})["ok"] == true);
    exchange(server, {&requester, &tech});
    REQUIRE(update(requester, id, {{"status", "closed"}})["ok"] == true);
    REQUIRE(update(requester, id, {{"satisfaction_rating", 4}, {"satisfaction_comment", "Quick, thanks"}})["ok"] == true);
    exchange(server, {&requester, &tech});
    t = ticket(tech, id);
    CHECK(t["status"] == "closed");
    CHECK(t["satisfaction_rating"] == 4);
    CHECK(t["satisfaction_comment"] == "Quick, thanks");
    CHECK(requester.engine->replica().canonical_state() == tech.engine->replica().canonical_state());

    // closed is final: no reopening; the rating may still be changed
    CHECK(update(requester, id, {{"status", "in_progress"}})["error"]["code"] == "bad_transition");  // closed → anything
    CHECK(update(requester, id, {{"satisfaction_rating", 5}})["ok"] == true);
}

TEST_CASE("resolution: a rating must be a whole number from 1 to 5, typed errors otherwise") {
    FakeSyncServer server;
    TestDevice requester(31), tech(32);
    REQUIRE(requester.call("enroll", {{"invite", "x"}})["ok"] == true);
    REQUIRE(tech.call("enroll", {{"invite", "tech"}})["ok"] == true);
    const std::string id = requester.create("printer jams");
    exchange(server, {&requester, &tech});
    for (const char* status : {"triaged", "assigned", "in_progress", "resolved"})
        REQUIRE(update(tech, id, {{"status", status}})["ok"] == true);
    exchange(server, {&requester, &tech});
    REQUIRE(ticket(requester, id)["status"] == "resolved");

    CHECK(update(requester, id, {{"satisfaction_rating", "4"}})["error"]["code"] == "bad_arguments");
    CHECK(update(requester, id, {{"satisfaction_rating", 4.5}})["error"]["code"] == "bad_arguments");
    json zero = update(requester, id, {{"satisfaction_rating", 0}});
    json six = update(requester, id, {{"satisfaction_rating", 6}});
    CHECK(zero["ok"] == false);
    CHECK(six["ok"] == false);
    CHECK(ticket(requester, id)["satisfaction_rating"].is_null());  // nothing half-applied
    CHECK(update(requester, id, {{"satisfaction_rating", 1}})["ok"] == true);
    CHECK(ticket(requester, id)["satisfaction_rating"] == 1);
}
