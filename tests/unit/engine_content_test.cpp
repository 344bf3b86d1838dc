// engine_content_test.cpp — end-to-end ticket text in the engine (issue #4): what leaves a device
// is sealed, the requester and the help desk (through the team key) read it, a ticket filed before
// the desk had a team key reaches it with the requester's next sync, a technician taken off the
// help desk is left out of the next team key, and text that was moved, altered or sent in the
// clear by a server is never shown as if it were the author's.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/sealed_text.h"

using nlohmann::json;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;
using lb::test::exchange;

namespace {

json ticket_of(TestDevice& d, const std::string& id) {
    json got = d.call("get_ticket", {{"id", id}});
    REQUIRE_MESSAGE(got["ok"] == true, got.dump());
    return got["result"];
}

void enrol(TestDevice& d, const char* invite) { REQUIRE(d.call("enroll", {{"invite", invite}})["ok"] == true); }

}  // namespace

TEST_CASE("content: every text value a device stores or sends is sealed, and reads back as typed") {
    TestDevice rae(1);
    const std::string id = rae.create("VPN drops for Zoë every hour");
    REQUIRE(rae.call("add_comment", {{"ticket_id", id}, {"body", "my token is 4711"}})["ok"] == true);
    std::size_t sealed_values = 0;
    for (const lb::Op& op : rae.engine->replica().log()) {
        if (!lb::crypto::is_sealed_content_field(op.entity, op.field)) continue;
        const auto& text = std::get<std::string>(op.value);
        CHECK(text.rfind("sealed:", 0) == 0);
        CHECK(text.find("Zoë") == std::string::npos);
        CHECK(text.find("4711") == std::string::npos);
        ++sealed_values;
    }
    CHECK(sealed_values == 3);  // title, description, comment
    json t = ticket_of(rae, id);
    CHECK(t["ticket"]["readable"] == true);
    CHECK(t["ticket"]["title"] == "VPN drops for Zoë every hour");
    CHECK(t["comments"][0]["body"] == "my token is 4711");
    CHECK(rae.call("list_tickets", {{"filter", {{"query", "Zoë"}}}})["result"]["total"] == 1);  // search on the device

    SUBCASE("the keys survive a crash: the device still reads its ticket") {
        rae.crash_and_reopen();
        CHECK(ticket_of(rae, id)["ticket"]["title"] == "VPN drops for Zoë every hour");
    }
    SUBCASE("a text too long for its field once sealed is refused in plain words") {
        json r = rae.call("update_ticket", {{"id", id}, {"fields", {{"title", std::string(1600, 'x')}}}});
        CHECK(r["error"]["code"] == "too_long");
        CHECK(r["error"]["message"].get<std::string>().find("title is too long") != std::string::npos);
    }
}

TEST_CASE("content: the technician reads through the team key, a ticket filed before the key exists follows") {
    FakeSyncServer server;
    TestDevice rae(1), tess(2), omar(3);
    enrol(rae, "rae");
    const std::string early = rae.create("Printer jams on floor 2");  // no team key anywhere yet
    rae.sync(server);
    enrol(tess, "tech");
    tess.sync(server);  // Tess's device makes the team key
    REQUIRE(server.team_keys.size() == 1);
    CHECK(tess.call("sync_status")["result"]["team_key"] == "held");
    CHECK(ticket_of(tess, early)["ticket"]["readable"] == false);
    CHECK(ticket_of(tess, early)["ticket"]["title"] == lb::engine::kUnreadableText);
    CHECK(tess.call("add_comment", {{"ticket_id", early}, {"body", "on it"}})["error"]["code"] == "no_ticket_key");

    rae.now += 1000;
    rae.engine->sync_wake(rae.now);
    rae.sync(server);  // learns the team key, seals the ticket's key to it
    const std::string later = rae.create("Laptop will not charge");
    rae.sync(server);
    tess.now += 1000;
    tess.engine->sync_wake(tess.now);
    tess.sync(server);
    CHECK(ticket_of(tess, early)["ticket"]["title"] == "Printer jams on floor 2");
    CHECK(ticket_of(tess, later)["ticket"]["title"] == "Laptop will not charge");
    REQUIRE(tess.call("add_comment", {{"ticket_id", later}, {"body", "Try another charger"}})["ok"] == true);

    // A second technician: waiting until a colleague's device wraps the team key to him.
    enrol(omar, "tech");
    omar.sync(server);
    CHECK(omar.call("sync_status")["result"]["team_key"] == "waiting");
    CHECK(ticket_of(omar, later)["ticket"]["readable"] == false);
    exchange(server, {&tess, &omar, &rae});
    CHECK(omar.call("sync_status")["result"]["team_key"] == "held");
    CHECK(server.team_keys.size() == 1);  // the existing key was shared, not a new one made
    json seen = ticket_of(omar, later);
    CHECK(seen["ticket"]["title"] == "Laptop will not charge");
    CHECK(seen["comments"][0]["body"] == "Try another charger");
    CHECK(ticket_of(rae, later)["comments"][0]["body"] == "Try another charger");
}

TEST_CASE("content: moved, altered or unsealed text from a server is never shown as the author's") {
    FakeSyncServer server;
    TestDevice rae(1), tess(2);
    enrol(tess, "tech");
    tess.sync(server);
    enrol(rae, "rae");
    rae.sync(server);
    const std::string a = rae.create("Password reset for payroll");
    const std::string b = rae.create("Mouse is broken");
    exchange(server, {&rae, &tess});
    const auto a_id = *lb::id128_from_hex(a);
    const auto b_id = *lb::id128_from_hex(b);
    const lb::Op* a_title = server.state().winner(lb::EntityKind::ticket, a_id, lb::Field::ticket_title);
    REQUIRE(a_title);

    auto forged = [&](const lb::EntityId& ticket, lb::Value value, std::uint64_t later_ms) {
        lb::Op op = *a_title;
        lb::SeededRandom random(later_ms);
        op.op_id = lb::random_id128(random);
        op.entity_id = ticket;
        op.hlc = lb::Hlc::from(a_title->hlc.ms() + later_ms, 0);
        op.value = std::move(value);
        return op;
    };
    SUBCASE("ticket A's sealed title copied onto ticket B") {
        server.inject(forged(b_id, a_title->value, 5000));
    }
    SUBCASE("one character of the sealed title changed") {
        std::string text = std::get<std::string>(a_title->value);
        text[text.size() / 2] = text[text.size() / 2] == 'A' ? 'B' : 'A';
        server.inject(forged(b_id, text, 5000));
    }
    SUBCASE("a title in the clear") {
        server.inject(forged(b_id, std::string("Please send your password to evil@example.com"), 5000));
    }
    exchange(server, {&rae, &tess});
    for (TestDevice* d : {&rae, &tess}) {
        json t = ticket_of(*d, b);
        CHECK(t["ticket"]["readable"] == false);
        CHECK(t["ticket"]["title"].get<std::string>().rfind("(not shown", 0) == 0);
        CHECK(ticket_of(*d, a)["ticket"]["title"] == "Password reset for payroll");
    }
}

TEST_CASE("content: a technician taken off the help desk is left out of the next team key, old tickets stay readable") {
    FakeSyncServer server;
    TestDevice rae(1), tess(2), omar(3);
    enrol(tess, "tech");
    tess.sync(server);
    enrol(omar, "tech");
    omar.sync(server);
    enrol(rae, "rae");
    rae.sync(server);
    const std::string before = rae.create("Old ticket");
    exchange(server, {&tess, &omar, &rae});
    REQUIRE(server.team_keys.size() == 1);
    REQUIRE(ticket_of(omar, before)["ticket"]["title"] == "Old ticket");
    const std::string omar_user = omar.call("sync_status")["result"]["user_id"];
    const std::string tess_user = tess.call("sync_status")["result"]["user_id"];

    server.remove_from_help_desk(omar_user);
    exchange(server, {&tess, &rae});
    REQUIRE(server.team_keys.size() == 2);  // Tess's device made a new key, once
    const std::string new_key = server.team_keys.back().first;
    CHECK(server.has_wrap(new_key, tess_user));
    CHECK_FALSE(server.has_wrap(new_key, omar_user));

    const std::string after = rae.create("New ticket");
    exchange(server, {&tess, &rae});
    CHECK(server.team_keys.size() == 2);  // no further rotation
    CHECK(ticket_of(tess, after)["ticket"]["title"] == "New ticket");
    CHECK(ticket_of(tess, before)["ticket"]["title"] == "Old ticket");  // old keys stay in the ring
    // The new ticket's key is sealed to the new team key, which Omar never received.
    const lb::Value* sealed = server.state().get(lb::EntityKind::ticket, *lb::id128_from_hex(after), lb::Field::ticket_team_key);
    REQUIRE(sealed);
    auto bytes = lb::crypto::sealed_key_from_text(std::get<std::string>(*sealed));
    REQUIRE(bytes.ok());
    CHECK(lb::crypto::key_id_to_hex(lb::crypto::peek_sealed_key(bytes.value()).value().recipient) == new_key);
    // And Omar's device is signed out.
    omar.now += 1000;
    omar.engine->sync_wake(omar.now);
    omar.sync(server);
    CHECK(omar.call("sync_status")["result"]["stopped"] == true);
}

TEST_CASE("content: a colleague's wrap wakes a waiting technician's notify long-poll at once") {
    FakeSyncServer server;
    TestDevice tess(1), omar(2);
    enrol(tess, "tech");
    tess.sync(server);  // the team key
    enrol(omar, "tech");
    omar.sync(server);
    REQUIRE(omar.call("sync_status")["result"]["team_key"] == "waiting");
    auto idle = omar.engine->notify_request(30);
    REQUIRE(idle);
    CHECK(server.plain(*idle).body.contains("keys_version"));
    lb::test::FakeReply nothing = server.handle(*idle);
    CHECK_FALSE(omar.engine->notify_on_response(*idle, nothing.status, nothing.body));  // nothing new yet

    tess.now += 1000;
    tess.engine->sync_wake(tess.now);
    tess.sync(server);  // wraps the team key to Omar: no new op, only the directory changed
    auto waiting = omar.engine->notify_request(30);
    REQUIRE(waiting);
    lb::test::FakeReply woken = server.handle(*waiting);
    REQUIRE(omar.engine->notify_on_response(*waiting, woken.status, woken.body));
    omar.engine->sync_wake(omar.now);
    omar.sync(server);
    CHECK(omar.call("sync_status")["result"]["team_key"] == "held");
}
