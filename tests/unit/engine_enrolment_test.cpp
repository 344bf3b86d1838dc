// engine_enrolment_test.cpp — enrolment is idempotent: the enroll command stores its request with
// a random enrolment_id, every retry sends that same body, and a server that used the invite but
// lost its answer answers the retry with the same user and device (FakeSyncServer does what the
// real one does). Tickets filed before enrolment arrive exactly once; a duplicated enrol request
// does not sign the device out; another device with the used invite is refused.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using nlohmann::json;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

namespace {

bool is_enrolment_id(const json& v) {
    if (!v.is_string() || v.get<std::string>().size() != 32) return false;
    for (char c : v.get<std::string>())
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

json enrol_body(FakeSyncServer& server, const lb::engine::SyncRequest& r) { return server.plain(r).body; }

}  // namespace

TEST_CASE("enrolment: a lost answer, a crash, a retry — enrolled once, offline tickets arrive exactly once") {
    FakeSyncServer server;
    server.single_use_invites = true;
    TestDevice d;
    const std::string first = d.create("printer jams");
    const std::string second = d.create("VPN drops");
    REQUIRE(d.call("enroll", {{"invite", "abc"}, {"display_name", "Rita"}})["ok"] == true);

    auto request = d.next_request(server);
    REQUIRE(request);
    REQUIRE(request->step == lb::engine::SyncStep::enroll);
    const json sent = enrol_body(server, *request);
    CHECK(is_enrolment_id(sent["enrolment_id"]));
    server.lose_next_reply = true;  // the server enrols the device; the answer never arrives
    auto lost = server.handle(*request);
    REQUIRE(d.engine->sync_on_response(*request, lost.status, lost.body, d.now).ok());
    CHECK(server.enrolments == 1);
    CHECK(d.call("sync_status")["result"]["enrolling"] == true);
    CHECK(d.call("sync_status")["result"]["enrolled"] == false);

    d.crash_and_reopen();  // the tab died too: the request (and its id) were stored
    d.now += lb::engine::kSyncBackoffMaxMs;
    auto retry = d.engine->sync_next_request(d.now);
    REQUIRE(retry);
    REQUIRE(retry->step == lb::engine::SyncStep::enroll);
    CHECK(enrol_body(server, *retry) == sent);  // the very same enrolment
    auto answer = server.handle(*retry);
    REQUIRE(answer.status == 200);
    REQUIRE(d.engine->sync_on_response(*retry, answer.status, answer.body, d.now).ok());
    d.sync(server);

    json status = d.call("sync_status")["result"];
    CHECK(status["enrolled"] == true);
    CHECK(status["last_error"].is_null());
    CHECK(status["pending_batches"] == 0);
    CHECK(server.enrolments == 2);
    CHECK(server.repeated_enrolments == 1);
    CHECK(server.users() == 1);  // one person, not two
    CHECK(server.state().entity_ids(lb::EntityKind::ticket).size() == 2);  // each ticket once
    CHECK(d.call("get_ticket", {{"id", first}})["result"]["ticket"]["sync"]["state"] == "received");
    CHECK(d.call("get_ticket", {{"id", second}})["result"]["ticket"]["sync"]["state"] == "received");
    CHECK(server.state().canonical_state() == d.engine->replica().canonical_state());

    // Another device with the same (now used) invite is a new enrolment: refused.
    TestDevice other(2);
    REQUIRE(other.call("enroll", {{"invite", "abc"}, {"display_name", "Rita"}})["ok"] == true);
    other.sync(server);
    json refused = other.call("sync_status")["result"];
    CHECK(refused["enrolled"] == false);
    CHECK(refused["enrolling"] == false);
    CHECK(refused["last_error"].dump().find("invite_used") != std::string::npos);
}

TEST_CASE("enrolment: a duplicated enrol request does not sign the device out") {
    FakeSyncServer server;
    server.single_use_invites = true;
    TestDevice d;
    d.create("screen flickers");
    REQUIRE(d.call("enroll", {{"invite", "abc"}})["ok"] == true);
    auto request = d.next_request(server);
    REQUIRE(request);
    auto delivered = server.handle(*request);
    auto duplicate = server.handle(*request);  // the network delivered it twice; this answer goes nowhere
    REQUIRE(delivered.status == 200);
    CHECK(duplicate.status == 409);  // the same envelope again: a replay, refused before anything happens
    CHECK(json::parse(duplicate.body)["error"]["code"] == "envelope_replayed");
    REQUIRE(d.engine->sync_on_response(*request, delivered.status, delivered.body, d.now).ok());
    d.sync(server);
    json status = d.call("sync_status")["result"];
    CHECK(status["enrolled"] == true);
    CHECK(status["pending_batches"] == 0);
    CHECK(status["last_error"].is_null());
    CHECK(server.token_works(json::parse(delivered.plain)["device_token"]));
}

TEST_CASE("enrolment: asking again for the same enrolment keeps its id, other arguments make a new one") {
    TestDevice d;
    REQUIRE(d.call("enroll", {{"guest", true}, {"display_name", "Gail"}})["ok"] == true);
    const json first = json::parse(*d.engine->sync_state().enroll_request);
    REQUIRE(is_enrolment_id(first["enrolment_id"]));
    REQUIRE(d.call("enroll", {{"guest", true}, {"display_name", "Gail"}})["ok"] == true);
    CHECK(json::parse(*d.engine->sync_state().enroll_request) == first);
    REQUIRE(d.call("enroll", {{"invite", "abc"}})["ok"] == true);
    const json other = json::parse(*d.engine->sync_state().enroll_request);
    CHECK(is_enrolment_id(other["enrolment_id"]));
    CHECK(other["enrolment_id"] != first["enrolment_id"]);
    TestDevice e(2);  // another device draws another id
    REQUIRE(e.call("enroll", {{"guest", true}, {"display_name", "Gail"}})["ok"] == true);
    CHECK(json::parse(*e.engine->sync_state().enroll_request)["enrolment_id"] != first["enrolment_id"]);
}

TEST_CASE("enrolment: a guest whose answer was lost is one user on the server") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"guest", true}, {"display_name", "Gail"}})["ok"] == true);
    d.sync(server, 1);  // the server's key, pinned before enrolling
    server.lose_next_reply = true;
    d.sync(server, 1);
    d.now += lb::engine::kSyncBackoffMaxMs;
    d.sync(server);
    CHECK(d.call("sync_status")["result"]["enrolled"] == true);
    CHECK(server.repeated_enrolments == 1);
    CHECK(server.users() == 1);
    CHECK(server.state().canonical_state() == d.engine->replica().canonical_state());
}
