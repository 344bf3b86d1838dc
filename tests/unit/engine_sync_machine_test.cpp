// engine_sync_machine_test.cpp — the sync state machine against a fake server built from
// lb::Replica: enrolment re-stamps offline work, pushes are idempotent across lost replies,
// rejections are kept with the reason, pulled ops and the cursor land together, clocks observe
// pulled HLCs, failures back off, and two devices converge.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using nlohmann::json;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

TEST_CASE("sync machine: nothing to do before enrolment, offline tickets are pushed after it") {
    FakeSyncServer server;
    TestDevice d;
    std::string id = d.create("offline before enrolment");
    CHECK_FALSE(d.engine->sync_due_at().has_value());
    CHECK(d.sync(server) == 0);
    REQUIRE(d.call("enroll", {{"guest", false}, {"invite", "abc"}})["ok"] == true);
    CHECK(d.sync(server) == 9);  // the server's key, enroll, push, pull, keys, the user key, keys again,
                                 // desk settings (404 here), kb pull
    json row = d.call("list_tickets")["result"]["rows"][0];
    CHECK(row["sync"]["state"] == "received");
    CHECK(row["number"] == 1000);
    CHECK(server.state().canonical_state() == d.engine->replica().canonical_state());
    CHECK(d.call("sync_status")["result"]["pending_batches"] == 0);
    CHECK(*d.engine->sync_due_at() == d.now + lb::engine::kSyncPollIntervalMs);
}

TEST_CASE("sync machine: a push whose reply was lost is retried and never creates two tickets") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    d.sync(server);
    d.create("printer jam");
    server.lose_next_reply = true;
    auto push = d.engine->sync_next_request(d.now);
    REQUIRE(push);
    CHECK(push->step == lb::engine::SyncStep::push);
    auto reply = server.handle(*push);
    REQUIRE(d.engine->sync_on_response(*push, reply.status, reply.body, d.now).ok());
    CHECK(d.call("list_tickets")["result"]["rows"][0]["sync"]["state"] == "sent");
    d.crash_and_reopen();  // and the tab died too
    std::size_t stored = server.stored_ops();
    d.sync(server);
    CHECK(server.stored_ops() == stored);  // the retry was a duplicate
    CHECK(server.state().entity_ids(lb::EntityKind::ticket).size() == 1);
    CHECK(d.call("list_tickets")["result"]["rows"][0]["sync"]["state"] == "received");
    CHECK(server.state().canonical_state() == d.engine->replica().canonical_state());
}

TEST_CASE("sync machine: a rejected batch is kept with the server's reason and leaves the replica") {
    FakeSyncServer server;
    TestDevice d;
    std::string id = d.create("filed offline with impact");
    REQUIRE(d.call("enroll", {{"guest", true}})["ok"] == true);  // guests may not set impact
    d.sync(server);
    json status = d.call("sync_status")["result"];
    REQUIRE(status["rejected"].size() == 1);
    CHECK(status["rejected"][0]["code"] == "forbidden");
    CHECK(status["rejected"][0]["ticket_id"] == id);
    CHECK(status["pending_batches"] == 0);
    CHECK(d.call("list_tickets")["result"]["total"] == 0);  // not in the replica any more…
    d.crash_and_reopen();
    CHECK(d.call("sync_status")["result"]["rejected"].size() == 1);  // …but never dropped silently
    CHECK(server.state().canonical_state() == d.engine->replica().canonical_state());
}

TEST_CASE("sync machine: pulled ops and the cursor are stored together, the clock observes them") {
    FakeSyncServer server;
    server.page_ops = 3;
    TestDevice a(1), b(2);
    for (TestDevice* d : {&a, &b}) REQUIRE(d->call("enroll", {{"invite", "tech"}})["ok"] == true);
    a.now += 60'000;  // a's clock runs a minute ahead
    for (int i = 0; i < 4; ++i) a.create("from a " + std::to_string(i));
    a.sync(server);
    // b pulls page by page, crashing after each page: cursor and ops always agree.
    auto enroll = b.engine->sync_next_request(b.now);
    auto r = server.handle(*enroll);
    REQUIRE(b.engine->sync_on_response(*enroll, r.status, r.body, b.now).ok());
    for (int page = 0; page < 20; ++page) {
        auto pull = b.engine->sync_next_request(b.now);
        if (!pull) break;
        auto reply = server.handle(*pull);
        REQUIRE(b.engine->sync_on_response(*pull, reply.status, reply.body, b.now).ok());
        const std::int64_t cursor = b.engine->sync_state().cursor;
        const std::size_t ops = b.engine->replica().op_count();
        b.crash_and_reopen();
        CHECK(b.engine->sync_state().cursor == cursor);
        CHECK(b.engine->replica().op_count() == ops);
        b.engine->sync_wake(b.now);
    }
    CHECK(server.state().canonical_state() == b.engine->replica().canonical_state());
    // b's clock took in a's later times: b's next edit wins over a's earlier one.
    CHECK(b.engine->sync_state().hlc.ms() >= static_cast<std::uint64_t>(a.now));
}

TEST_CASE("sync machine: failures back off exponentially with jitter, a wake retries at once") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    std::int64_t previous = 0;
    for (int i = 1; i <= 12; ++i) {
        auto request = d.engine->sync_next_request(d.now);
        REQUIRE(request);
        CHECK_FALSE(d.engine->sync_next_request(d.now));  // one in flight
        REQUIRE(d.engine->sync_on_response(*request, 503, "", d.now).ok());
        std::int64_t delay = *d.engine->sync_due_at() - d.now;
        std::int64_t full = std::min(lb::engine::kSyncBackoffMaxMs, lb::engine::kSyncBackoffBaseMs << (i - 1));
        CHECK(delay <= full);
        CHECK(delay >= full / 2);
        if (i > 1 && full < lb::engine::kSyncBackoffMaxMs) CHECK(delay > previous / 2);
        previous = delay;
        CHECK_FALSE(d.engine->sync_next_request(d.now + delay - 1));
        d.now += delay;
    }
    CHECK(d.call("sync_status")["result"]["last_error"]["code"] == "http_503");
    d.engine->sync_wake(d.now);
    CHECK(d.sync(server) >= 2);
    CHECK(d.call("sync_status")["result"]["last_error"].is_null());
}

TEST_CASE("sync machine: two devices converge, a technician's later edit wins everywhere") {
    FakeSyncServer server;
    TestDevice requester(11), tech(12);
    REQUIRE(requester.call("enroll", {{"invite", "x"}})["ok"] == true);
    REQUIRE(tech.call("enroll", {{"invite", "tech"}})["ok"] == true);
    std::string id = requester.create("laptop will not boot");
    requester.sync(server);
    tech.sync(server);
    REQUIRE(tech.call("update_ticket", {{"id", id}, {"fields", {{"status", "triaged"}}}})["ok"] == true);
    REQUIRE(requester.call("add_comment", {{"ticket_id", id}, {"body", "it beeps twice"}})["ok"] == true);
    tech.sync(server);
    requester.engine->sync_wake(requester.now);
    requester.sync(server);
    tech.engine->sync_wake(tech.now);
    tech.sync(server);
    CHECK(requester.engine->replica().canonical_state() == tech.engine->replica().canonical_state());
    CHECK(server.state().canonical_state() == tech.engine->replica().canonical_state());
    CHECK(requester.call("get_ticket", {{"id", id}})["result"]["ticket"]["status"] == "triaged");
    CHECK(tech.call("get_ticket", {{"id", id}})["result"]["comments"].size() == 1);
}

TEST_CASE("sync machine: the platform's hooks — status carries the sync summary, sync_now and coming "
          "back online end a backoff, the notify long-poll is the device's") {
    FakeSyncServer server;
    TestDevice d;
    CHECK_FALSE(d.engine->notify_request(25));  // not enrolled: nothing to listen to
    d.create("filed before enrolment");
    json sync = d.call("status")["result"]["sync"];
    CHECK(sync["enrolled"] == false);
    CHECK(sync["pending_batches"] == 1);
    CHECK(sync["sent_batches"] == 0);

    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    auto enroll = d.next_request(server);
    REQUIRE(enroll);
    auto reply = server.handle(*enroll);
    REQUIRE(d.engine->sync_on_response(*enroll, reply.status, reply.body, d.now).ok());
    auto push = d.engine->sync_next_request(d.now);
    REQUIRE(push);
    CHECK(d.call("status")["result"]["sync"]["sent_batches"] == 1);  // counted before the answer
    REQUIRE(d.engine->sync_on_response(*push, 0, "", d.now).ok());  // no answer: backoff
    CHECK(*d.engine->sync_due_at() > d.now);
    CHECK_FALSE(d.engine->sync_next_request(d.now));

    json now = d.call("sync_now")["result"];
    CHECK(now["pending_batches"] == 1);
    CHECK(*d.engine->sync_due_at() == d.now);
    d.sync(server);
    CHECK(d.call("status")["result"]["sync"]["pending_batches"] == 0);
    CHECK(d.call("status")["result"]["sync"]["last_sync_ms"] == d.now);

    // offline → online wakes sync even in the middle of a backoff
    d.create("filed while the server was away");
    push = d.engine->sync_next_request(d.now);
    REQUIRE(push);
    REQUIRE(d.engine->sync_on_response(*push, 0, "", d.now).ok());
    CHECK(*d.engine->sync_due_at() > d.now);
    d.engine->observe_connectivity(false);  // known unreachable: nothing is sent, even when due
    CHECK_FALSE(d.engine->sync_next_request(d.now + lb::engine::kSyncBackoffMaxMs));
    d.engine->observe_connectivity(true);
    CHECK(*d.engine->sync_due_at() == d.now);
    CHECK(d.engine->sync_next_request(d.now));

    auto notify = d.engine->notify_request(25);
    REQUIRE(notify);
    CHECK(notify->method == "POST");  // sealed, like every call but the server's public info
    CHECK(notify->path == "/api/v1/notify");
    CHECK_FALSE(notify->bearer.has_value());  // the token travels inside the envelope
    lb::ApiRequestPlaintext sealed = server.plain(*notify);
    CHECK(sealed.body["cursor"] == d.engine->sync_state().cursor);
    CHECK(sealed.body["wait"] == 25);
    CHECK(sealed.token == d.engine->sync_state().device_token);
}

TEST_CASE("sync machine: a guest's e-mail becomes an op of their own user, accepted by the server") {
    FakeSyncServer server;
    TestDevice d;
    CHECK(d.call("enroll", {{"guest", true}, {"email", "not an address"}})["error"]["code"] == "bad_arguments");
    REQUIRE(d.call("enroll", {{"guest", true}, {"display_name", "Sam"}, {"email", "sam@example.com"}})["ok"] == true);
    d.sync(server);
    json status = d.call("sync_status")["result"];
    CHECK(status["enrolled"] == true);
    CHECK(status["pending_batches"] == 0);
    CHECK(status["rejected"].empty());
    auto user = lb::id128_from_hex(status["user_id"].get<std::string>());
    REQUIRE(user);
    const lb::Op* email = server.state().winner(lb::EntityKind::user, *user, lb::Field::user_email);
    REQUIRE(email);
    CHECK(std::get<std::string>(email->value) == "sam@example.com");
}
