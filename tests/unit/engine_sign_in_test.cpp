// engine_sign_in_test.cpp — signing in on another device (engine_sign_in.cpp, issue #4): a
// passphrase backup sent by the sync loop lets a second device sign in as the same person and
// read (and write) their tickets both ways; a technician's second device opens the team key; a
// wrong passphrase ends the sign-in with the server's reason and no passphrase ever rests in the
// database; a guest's recovery link brings their tickets to another device; refusals (guests'
// passphrases, short passphrases, a name someone else holds) are typed.
// Not here: the crypto (crypto_passphrase_test.cpp), the real server (tests/server/key_backup_test.cpp).
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

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

json status_of(TestDevice& d) { return d.call("sync_status")["result"]; }

void enrol(TestDevice& d, const char* invite) { REQUIRE(d.call("enroll", {{"invite", invite}})["ok"] == true); }

void sync_again(FakeSyncServer& server, TestDevice& d) {
    d.now += 1000;
    d.engine->sync_wake(d.now);
    d.sync(server);
}

// Every byte of the device's database file.
std::string database_bytes(TestDevice& d) {
    auto& file = d.storage.at("lifebuoy.db");
    const auto size = file.size().value();
    std::string bytes(size, '\0');
    REQUIRE(file.read(bytes.data(), size, 0).ok());
    return bytes;
}

}  // namespace

TEST_CASE("sign-in: a passphrase backup lets a second device sign in as the same person, both ways readable") {
    FakeSyncServer server;
    TestDevice laptop(1), phone(2);
    enrol(laptop, "rita");
    const std::string vpn = laptop.create("VPN drops every hour");
    laptop.sync(server);

    json set = laptop.call("set_passphrase", {{"sign_in_name", " Rita.R "}, {"passphrase", "lantern orbit pickle"}});
    REQUIRE_MESSAGE(set["ok"] == true, set.dump());
    CHECK(set["result"]["sign_in_name"] == "rita.r");
    CHECK(status_of(laptop)["key_backup"]["passphrase"]["state"] == "waiting");
    sync_again(server, laptop);
    CHECK(status_of(laptop)["key_backup"]["passphrase"]["state"] == "stored");
    CHECK(status_of(laptop)["key_backup"]["passphrase"]["sign_in_name"] == "rita.r");
    REQUIRE(!server.backup_wrap("name:rita.r").empty());
    // Once stored, the wrap and the proof leave the laptop's database.
    CHECK(database_bytes(laptop).find(server.backup_wrap("name:rita.r")) == std::string::npos);

    json signing_in = phone.call("enroll", {{"sign_in", {{"name", "RITA.R"}, {"passphrase", "lantern orbit pickle"}}},
                                            {"device_label", "Rita's phone"}});
    REQUIRE_MESSAGE(signing_in["ok"] == true, signing_in.dump());
    CHECK(status_of(phone)["enrolling"] == true);
    // The passphrase stays in memory: never in the database, not even while signing in.
    CHECK(database_bytes(phone).find("lantern orbit pickle") == std::string::npos);
    phone.sync(server);
    json st = status_of(phone);
    REQUIRE_MESSAGE(st["enrolled"] == true, st.dump());
    CHECK(st["user_id"] == status_of(laptop)["user_id"]);
    CHECK(st["role"] == "requester");
    CHECK(st["key_backup"]["passphrase"]["state"] == "stored");
    CHECK(server.sign_ins == 1);
    CHECK(database_bytes(phone).find("lantern orbit pickle") == std::string::npos);

    json seen = ticket_of(phone, vpn);
    CHECK(seen["ticket"]["readable"] == true);
    CHECK(seen["ticket"]["title"] == "VPN drops every hour");
    // The phone writes with the same key: the laptop reads it.
    const std::string printer = phone.create("Printer jams on floor 2");
    REQUIRE(phone.call("add_comment", {{"ticket_id", vpn}, {"body", "Still dropping on the train"}})["ok"] == true);
    exchange(server, {&phone, &laptop});
    CHECK(ticket_of(laptop, printer)["ticket"]["title"] == "Printer jams on floor 2");
    CHECK(ticket_of(laptop, vpn)["comments"][0]["body"] == "Still dropping on the train");

    SUBCASE("the signed-in key survives a crash") {
        phone.crash_and_reopen();
        CHECK(ticket_of(phone, vpn)["ticket"]["title"] == "VPN drops every hour");
    }
}

TEST_CASE("sign-in: a ticket filed on the phone before signing in stays readable on it") {
    FakeSyncServer server;
    TestDevice laptop(1), phone(2);
    enrol(laptop, "rita");
    laptop.sync(server);
    REQUIRE(laptop.call("set_passphrase", {{"sign_in_name", "rita"}, {"passphrase", "lantern orbit pickle"}})["ok"] == true);
    sync_again(server, laptop);
    const std::string offline = phone.create("Filed before signing in");  // sealed to the phone's own first key
    REQUIRE(phone.call("enroll", {{"sign_in", {{"name", "rita"}, {"passphrase", "lantern orbit pickle"}}}})["ok"] == true);
    phone.sync(server);
    REQUIRE(status_of(phone)["enrolled"] == true);
    CHECK(ticket_of(phone, offline)["ticket"]["title"] == "Filed before signing in");
    CHECK(ticket_of(phone, offline)["ticket"]["sync"]["state"] == "received");
}

TEST_CASE("sign-in: a technician's second device opens the team key and reads the desk's tickets") {
    FakeSyncServer server;
    TestDevice rae(1), desk(2), field(3);
    enrol(desk, "tech");
    desk.sync(server);  // makes the team key
    enrol(rae, "rae");
    rae.sync(server);
    const std::string id = rae.create("Monitor flickers");
    rae.sync(server);
    REQUIRE(desk.call("set_passphrase", {{"sign_in_name", "tess"}, {"passphrase", "staple battery horse"}})["ok"] == true);
    sync_again(server, desk);
    REQUIRE(field.call("enroll", {{"sign_in", {{"name", "tess"}, {"passphrase", "staple battery horse"}}}})["ok"] == true);
    field.sync(server);
    json st = status_of(field);
    CHECK(st["role"] == "technician");
    CHECK(st["team_key"] == "held");  // the wrap to Tess's user key opens on her new device at once
    CHECK(server.team_keys.size() == 1);
    CHECK(ticket_of(field, id)["ticket"]["title"] == "Monitor flickers");
}

TEST_CASE("sign-in: a wrong passphrase or an unknown name ends the sign-in with the server's reason") {
    FakeSyncServer server;
    TestDevice laptop(1), stranger(2);
    enrol(laptop, "rita");
    laptop.sync(server);
    REQUIRE(laptop.call("set_passphrase", {{"sign_in_name", "rita"}, {"passphrase", "lantern orbit pickle"}})["ok"] == true);
    sync_again(server, laptop);

    for (const char* name : {"rita", "nobody"}) {
        CAPTURE(name);
        REQUIRE(stranger.call("enroll", {{"sign_in", {{"name", name}, {"passphrase", "lantern orbit pickles"}}}})["ok"] == true);
        sync_again(server, stranger);
        json st = status_of(stranger);
        CHECK(st["enrolled"] == false);
        CHECK(st["enrolling"] == false);
        CHECK(st["last_error"]["code"] == "sign_in_failed");
        CHECK(database_bytes(stranger).find("lantern orbit pickles") == std::string::npos);
    }
    CHECK(server.failed_sign_ins == 2);
    CHECK(stranger.call("enroll", {{"sign_in", {{"name", "a b"}, {"passphrase", "long enough"}}}})["error"]["code"] ==
          "bad_sign_in_name");
    CHECK(stranger.call("enroll", {{"sign_in", {{"name", "rita"}, {"passphrase", "short"}}}})["error"]["code"] ==
          "sign_in_failed");
    // And afterwards the right passphrase works.
    REQUIRE(stranger.call("enroll", {{"sign_in", {{"name", "rita"}, {"passphrase", "lantern orbit pickle"}}}})["ok"] == true);
    sync_again(server, stranger);
    CHECK(status_of(stranger)["enrolled"] == true);
}

TEST_CASE("sign-in: a guest's recovery link brings their tickets to another device") {
    FakeSyncServer server;
    TestDevice kiosk(1), home(2);
    REQUIRE(kiosk.call("enroll", {{"guest", true}, {"display_name", "Gus"}})["ok"] == true);
    kiosk.sync(server);
    json filed = kiosk.call("create_ticket", {{"title", "Cannot log in to the customer portal"},
                                              {"description", "It says my account is locked"}, {"urgency", "high"}});
    REQUIRE_MESSAGE(filed["ok"] == true, filed.dump());
    const std::string id = filed["result"]["ticket_id"].get<std::string>();
    sync_again(server, kiosk);
    REQUIRE(status_of(kiosk)["rejected_batches"] == 0);
    json link = kiosk.call("recovery_link");
    REQUIRE_MESSAGE(link["ok"] == true, link.dump());
    const std::string secret = link["result"]["secret"].get<std::string>();
    CHECK(secret.size() == 43);
    CHECK(status_of(kiosk)["key_backup"]["recovery"]["state"] == "stored");
    CHECK(server.backups() == 1);
    CHECK(kiosk.call("set_passphrase", {{"sign_in_name", "gus"}, {"passphrase", "long enough"}})["error"]["code"] ==
          "forbidden");

    CHECK(home.call("enroll", {{"recover", secret.substr(1)}})["error"]["code"] == "recovery_link_malformed");
    REQUIRE(home.call("enroll", {{"recover", secret}})["ok"] == true);
    home.sync(server);
    json st = status_of(home);
    REQUIRE_MESSAGE(st["enrolled"] == true, st.dump());
    CHECK(st["role"] == "guest");
    CHECK(st["user_id"] == status_of(kiosk)["user_id"]);
    CHECK(ticket_of(home, id)["ticket"]["title"] == "Cannot log in to the customer portal");
    CHECK(home.call("recovery_link")["result"]["secret"] == secret);  // the same link works again
    CHECK(server.backups() == 1);
}

TEST_CASE("sign-in: backups are refused in plain words — before enrolling, short passphrases, a taken name") {
    FakeSyncServer server;
    TestDevice rita(1), rick(2);
    CHECK(rita.call("set_passphrase", {{"sign_in_name", "rita"}, {"passphrase", "long enough"}})["error"]["code"] ==
          "not_enrolled");
    CHECK(rita.call("recovery_link")["error"]["code"] == "not_available");
    enrol(rita, "rita");
    enrol(rick, "rick");
    exchange(server, {&rita, &rick});
    json short_one = rita.call("set_passphrase", {{"sign_in_name", "rita"}, {"passphrase", "short"}});
    CHECK(short_one["error"]["code"] == "passphrase_too_short");
    CHECK(short_one["error"]["message"].get<std::string>().find("at least 8") != std::string::npos);
    CHECK(rita.call("set_passphrase", {{"sign_in_name", "r"}, {"passphrase", "long enough"}})["error"]["code"] ==
          "bad_sign_in_name");
    REQUIRE(rita.call("set_passphrase", {{"sign_in_name", "r.smith"}, {"passphrase", "lantern orbit pickle"}})["ok"] == true);
    sync_again(server, rita);
    REQUIRE(rick.call("set_passphrase", {{"sign_in_name", "R.Smith"}, {"passphrase", "another long one"}})["ok"] == true);
    sync_again(server, rick);
    json refused = status_of(rick)["key_backup"]["passphrase"];
    CHECK(refused["state"] == "refused");
    CHECK(refused["code"] == "sign_in_name_taken");
    CHECK_FALSE(refused.contains("wrap"));
    // Another name works.
    REQUIRE(rick.call("set_passphrase", {{"sign_in_name", "rick.smith"}, {"passphrase", "another long one"}})["ok"] == true);
    sync_again(server, rick);
    CHECK(status_of(rick)["key_backup"]["passphrase"]["state"] == "stored");
}
