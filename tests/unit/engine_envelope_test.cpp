// engine_envelope_test.cpp — the engine's side of the sealed sync API (issue #4): it pins the
// server's key before enrolling and stops, saying why, at a server with another key; an answer
// altered on the way is never applied (the change stays pending and is sent again, once); a
// replayed request is refused and the device carries on with fresh counters, after a crash too;
// requests travel as raw bytes and an answer in either body form opens.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using nlohmann::json;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

TEST_CASE("envelopes: the server key is pinned before enrolling, another server's key stops syncing") {
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

TEST_CASE("envelopes: an answer altered on the way is never applied, the change is sent again and lands once") {
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

TEST_CASE("envelopes: a replayed request is refused, counters never repeat, across a crash") {
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

TEST_CASE("envelopes: requests travel as raw bytes, an answer in base64url text (a server from before) opens too") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    d.sync(server);
    d.create("VPN drops every hour");
    auto push = d.engine->sync_next_request(d.now);
    REQUIRE(push);
    REQUIRE(push->step == lb::engine::SyncStep::push);
    CHECK(push->content_type == lb::kApiEnvelopeBinaryContentType);
    REQUIRE(push->body.size() > lb::crypto::kEnvelopeOverheadBytes);
    CHECK(static_cast<std::uint8_t>(push->body[0]) == lb::crypto::kEnvelopeFormatVersion);
    CHECK(static_cast<std::uint8_t>(push->body[1]) == 1);  // a request
    const auto plain = server.plain(*push);                 // the bytes are the envelope itself
    CHECK(plain.path == "/api/v1/push");

    server.answer_form = lb::EnvelopeForm::text;
    lb::test::FakeReply reply = server.handle(*push);
    REQUIRE(reply.status == 200);
    REQUIRE_FALSE(reply.body.empty());
    CHECK(lb::envelope_form_of_answer(reply.body) == lb::EnvelopeForm::text);
    REQUIRE(d.engine->sync_on_response(*push, reply.status, reply.body, d.now).ok());
    json status = d.call("sync_status")["result"];
    CHECK(status["pending_batches"] == 0);
    CHECK(status["last_error"].is_null());
    CHECK(server.state().entity_ids(lb::EntityKind::ticket).size() == 1);
}

TEST_CASE("envelopes: the two body forms and the Content-Type that names them") {
    using lb::EnvelopeForm;
    CHECK(lb::envelope_form_of_content_type("application/vnd.lifebuoy.envelope-binary") == EnvelopeForm::binary);
    CHECK(lb::envelope_form_of_content_type("Application/VND.Lifebuoy.Envelope-Binary ; q=1") == EnvelopeForm::binary);
    CHECK(lb::envelope_form_of_content_type("application/vnd.lifebuoy.envelope") == EnvelopeForm::text);
    CHECK(lb::envelope_form_of_content_type("") == EnvelopeForm::text);
    CHECK(lb::envelope_form_of_content_type("application/vnd.lifebuoy.envelope-binaryx") == EnvelopeForm::text);
    CHECK(lb::envelope_form_of_content_type("application/vnd.lifebuoy.envelope-binar") == EnvelopeForm::text);
    CHECK(lb::envelope_content_type(EnvelopeForm::binary) == lb::kApiEnvelopeBinaryContentType);
    CHECK(lb::envelope_content_type(EnvelopeForm::text) == lb::kApiEnvelopeContentType);

    const std::vector<std::uint8_t> envelope = {1, 2, 0, 255, 62, 63, 10};
    for (EnvelopeForm form : {EnvelopeForm::binary, EnvelopeForm::text}) {
        const std::string body = lb::envelope_to_body(envelope, form);
        CHECK(lb::envelope_form_of_answer(body) == form);
        auto back = lb::envelope_from_body(body, form, envelope.size());
        REQUIRE(back.ok());
        CHECK(back.value() == envelope);
        auto over = lb::envelope_from_body(body, form, envelope.size() - 1);
        REQUIRE_FALSE(over.ok());
        CHECK(over.error().code == (form == EnvelopeForm::binary ? "too_large" : "not_an_envelope"));
    }
    CHECK(lb::envelope_to_body(envelope, EnvelopeForm::text) == "AQIA_z4_Cg");
    auto not_text = lb::envelope_from_body("AQIA+z4/Cg", EnvelopeForm::text, 64);
    REQUIRE_FALSE(not_text.ok());
    CHECK(not_text.error().code == "not_an_envelope");
    CHECK(lb::envelope_form_of_answer("{\"error\":{}}") == EnvelopeForm::text);
    CHECK(lb::envelope_form_of_answer("") == EnvelopeForm::text);
}
