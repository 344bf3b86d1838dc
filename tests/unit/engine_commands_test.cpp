// engine_commands_test.cpp — the engine's command channel: protocol decoding, status, errors,
// connectivity events; and the UI-side EngineClient pairing replies with requests.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "commands/command_protocol.h"
#include "commands/engine_client.h"
#include "engine/engine.h"
#include "engine/memory_file_slots.h"
#include "engine_sync_test_support.h"

using nlohmann::json;
namespace commands = lb::commands;

namespace {

struct TestEngine {
    std::vector<std::string> events;
    std::int64_t clock_ms = 1'700'000'000'000;
    lb::engine::MemoryFileSlots storage = lb::engine::MemoryFileSlots::for_database();
    std::unique_ptr<lb::engine::Engine> engine;

    TestEngine() {
        lb::engine::EngineEnvironment env;
        env.storage = &storage;
        env.now_ms = [this] { return clock_ms; };
        env.emit_event = [this](const std::string& e) { events.push_back(e); };
        auto opened = lb::engine::Engine::open(std::move(env));
        REQUIRE(opened.ok());
        engine = std::move(opened.value());
    }

    json call(const std::string& message) { return json::parse(engine->handle_message(message)); }
};

}  // namespace

TEST_CASE("status reports versions, storage and an unknown connection before the first probe") {
    TestEngine t;
    json reply = t.call(R"({"v":1,"id":3,"cmd":"status","args":{}})");
    CHECK(reply["id"] == 3);
    CHECK(reply["ok"] == true);
    const json& status = reply["result"];
    CHECK(status["sqlite_version"] == "3.53.2");
    CHECK(status["sodium_version"] == "1.0.18");
    CHECK(status["storage"]["kind"] == "memory");
    CHECK(status["storage"]["durable"] == false);
    CHECK(status["storage"]["schema_version"] == 7);
    CHECK(status["connection"]["known"] == false);
    CHECK(status["connection"]["last_contact_ms"].is_null());
}

TEST_CASE("unknown commands and malformed messages get typed errors, never a crash") {
    TestEngine t;
    json unknown = t.call(R"({"v":1,"id":9,"cmd":"launch_rockets"})");
    CHECK(unknown["ok"] == false);
    CHECK(unknown["id"] == 9);
    CHECK(unknown["error"]["code"] == "unknown_command");

    for (const char* bad : {"", "not json", "[]", R"({"v":2,"id":1,"cmd":"status"})", R"({"v":1,"cmd":"status"})",
                            R"({"v":1,"id":-4,"cmd":"status"})", R"({"v":1,"id":1,"cmd":7})",
                            R"({"v":1,"id":1,"cmd":"status","args":[]})", "{\"v\":1,\"id\":1,\"cmd\":\"\xff\"}"}) {
        CAPTURE(bad);
        json reply = t.call(bad);
        CHECK(reply["ok"] == false);
        CHECK(reply["error"]["code"] == "bad_message");
    }
}

TEST_CASE("connectivity observations update status and emit one event per change") {
    TestEngine t;
    t.engine->observe_connectivity(true);
    t.engine->observe_connectivity(true);
    REQUIRE(t.events.size() == 1);
    auto event = commands::decode_engine_message(t.events[0]);
    REQUIRE(event.ok());
    CHECK(event.value().is_event);
    CHECK(event.value().event.name == "status_changed");
    CHECK(event.value().event.data["connection"]["online"] == true);
    CHECK(event.value().event.data["connection"]["last_contact_ms"] == t.clock_ms);

    t.clock_ms += 5000;
    t.engine->observe_connectivity(false);
    REQUIRE(t.events.size() == 2);
    json status = t.engine->status();
    CHECK(status["connection"]["known"] == true);
    CHECK(status["connection"]["online"] == false);
    CHECK(status["connection"]["last_contact_ms"] == t.clock_ms - 5000);  // last success is kept
}

TEST_CASE("EngineClient pairs replies with requests, delivers events and drops junk") {
    std::vector<std::string> sent;
    std::vector<std::string> events;
    commands::EngineClient client([&](const std::string& m) { sent.push_back(m); },
                                  [&](const commands::Event& e) { events.push_back(e.name); });
    std::vector<std::string> replies;
    client.send("status", json::object(), [&](const commands::Response& r) { replies.push_back("a:" + std::string(r.ok ? "ok" : r.error.code)); });
    client.send("nope", json::object(), [&](const commands::Response& r) { replies.push_back("b:" + std::string(r.ok ? "ok" : r.error.code)); });
    REQUIRE(sent.size() == 2);
    CHECK(client.pending() == 2);

    TestEngine t;  // a real engine answers, out of order
    CHECK(client.on_message(t.engine->handle_message(sent[1])));
    CHECK(client.on_message(t.engine->handle_message(sent[0])));
    CHECK(replies == std::vector<std::string>{"b:unknown_command", "a:ok"});
    CHECK(client.pending() == 0);

    CHECK_FALSE(client.on_message(t.engine->handle_message(sent[0])));  // a duplicate reply is ignored
    CHECK_FALSE(client.on_message("garbage"));
    CHECK(client.on_message(commands::encode_event({"status_changed", json::object()})));
    CHECK(events == std::vector<std::string>{"status_changed"});
}

TEST_CASE("engine: the ticket form's catalogue and category suggestion run on the device") {
    lb::test::TestDevice d;
    json list = d.call("categories")["result"];
    REQUIRE(list["categories"].size() >= 10);
    CHECK(list["fallback"] == "other");
    json vpn = d.call("suggest_category", {{"title", "VPN keeps disconnecting"}, {"description", "every hour the vpn drops"}});
    REQUIRE(vpn["ok"] == true);
    CHECK(vpn["result"]["category"] == "network_vpn");
    CHECK_FALSE(vpn["result"]["matched"].empty());
    json nothing = d.call("suggest_category", {{"title", ""}});
    CHECK(nothing["result"]["category"] == "other");
    CHECK(d.call("suggest_category", {{"title", 3}})["error"]["code"] == "bad_arguments");
}
