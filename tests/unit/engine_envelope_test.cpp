// engine_envelope_test.cpp — the engine's side of the sealed sync API (issue #4): it pins the
// server's key before enrolling and stops, saying why, at a server with another key; an answer
// altered on the way is never applied (the change stays pending and is sent again, once); a
// replayed request is refused and the device carries on with fresh counters, after a crash too.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using nlohmann::json;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

TEST_CASE("envelopes: the server key is pinned before enrolling; another server's key stops syncing") {
    FakeSyncServer server, impostor(99);
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    auto info = d.engine->sync_next_request(d.now);
    REQUIRE(info);
    CHECK(info->step == lb::engine::SyncStep::server_info);
    CHECK(info->method == "GET");  // the one plain call
    lb::test::FakeReply key = server.handle(*info);
    REQUIRE(d.engine->sync_on_response(*info, key.status, key.body, d.now).ok());
    d.sync(server);
    REQUIRE(d.call("sync_status")["result"]["enrolled"] == true);

    const std::string id = d.create("VPN drops");
    d.now += 1000;
    d.engine->sync_wake(d.now);
    d.sync(impostor);
    json status = d.call("sync_status")["result"];
    CHECK(status["last_error"]["code"] == "server_key_changed");
    CHECK(status["stopped"] == true);
    CHECK(status["pending_batches"] == 1);  // kept, never sent to the impostor in a form it can read
    CHECK_FALSE(d.engine->sync_next_request(d.now + lb::engine::kSyncBackoffMaxMs));
}

TEST_CASE("envelopes: an answer altered on the way is never applied; the change is sent again and lands once") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    d.sync(server);
    d.create("printer jam");
    auto push = d.engine->sync_next_request(d.now);
    REQUIRE(push);
    REQUIRE(push->step == lb::engine::SyncStep::push);
    lb::test::FakeReply reply = server.handle(*push);
    REQUIRE(reply.status == 200);
    std::string altered = reply.body;
    altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
    REQUIRE(d.engine->sync_on_response(*push, reply.status, altered, d.now).ok());
    json status = d.call("sync_status")["result"];
    CHECK(status["last_error"]["code"] == "envelope_tampered");
    CHECK(status["pending_batches"] == 1);  // not taken as accepted

    d.now = *d.engine->sync_due_at();
    d.sync(server);  // sent again: the server answers duplicate; one ticket
    status = d.call("sync_status")["result"];
    CHECK(status["pending_batches"] == 0);
    CHECK(server.state().entity_ids(lb::EntityKind::ticket).size() == 1);
    CHECK(server.state().canonical_state() == d.engine->replica().canonical_state());
}

TEST_CASE("envelopes: a replayed request is refused; counters never repeat, across a crash") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    d.sync(server);
    d.create("screen flickers");
    auto push = d.engine->sync_next_request(d.now);
    REQUIRE(push);
    lb::test::FakeReply first = server.handle(*push);
    REQUIRE(first.status == 200);
    lb::test::FakeReply again = server.handle(*push);  // an attacker (or the network) sends it again
    CHECK(again.status == 409);
    CHECK(json::parse(again.body)["error"]["code"] == "envelope_replayed");
    REQUIRE(d.engine->sync_on_response(*push, first.status, first.body, d.now).ok());

    d.crash_and_reopen();  // the counters reserved before the crash are never used again
    d.create("keyboard sticks");
    d.now += 1000;
    d.engine->sync_wake(d.now);
    d.sync(server);
    json status = d.call("sync_status")["result"];
    CHECK(status["pending_batches"] == 0);
    CHECK(status["last_error"].is_null());
    CHECK(server.refused_envelopes == 1);
    CHECK(server.state().entity_ids(lb::EntityKind::ticket).size() == 2);
}
