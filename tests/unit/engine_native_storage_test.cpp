// engine_native_storage_test.cpp — NativeFileSlots (POSIX files, the native engine's storage):
// reads, writes, truncation and sizes as slot_vfs expects; one owner per folder; an engine on it
// keeps a filed ticket across close and reopen.
// Not here: crashes of a process mid-transaction (tests/convergence), power cuts (memory slots).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/engine.h"
#include "engine/platform/native_file_slots.h"
#include "lifebuoy/random_source.h"

namespace {

using lb::engine::NativeFileSlots;

struct TempFolder {
    std::string path;
    TempFolder() {
        char pattern[] = "/tmp/lifebuoy-native-slots-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        path = std::string(pattern) + "/device";  // created by open()
    }
    ~TempFolder() {
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::path(path).parent_path(), ec);
    }
};

std::unique_ptr<lb::engine::Engine> open_engine(NativeFileSlots& slots, lb::SeededRandom& random) {
    lb::engine::EngineEnvironment env;
    env.storage = &slots;
    env.random = &random;
    env.now_ms = [] { return std::int64_t{1'750'000'000'000}; };
    auto engine = lb::engine::Engine::open(std::move(env));
    REQUIRE_MESSAGE(engine.ok(), (engine.ok() ? "" : engine.error().message));
    return std::move(engine.value());
}

}  // namespace

TEST_CASE("native file slots: read, write, truncate, size and flush on real files") {
    TempFolder folder;
    auto opened = NativeFileSlots::open(folder.path);
    REQUIRE(opened.ok());
    NativeFileSlots& slots = *opened.value();
    CHECK(slots.durable());
    CHECK(std::string(slots.kind()) == "file");
    CHECK(slots.file("nope") == nullptr);
    lb::engine::SyncFile* db = slots.file("lifebuoy.db");
    REQUIRE(db != nullptr);
    REQUIRE(slots.file("lifebuoy.db-journal") != nullptr);
    REQUIRE(slots.file("lifebuoy.db-wal") != nullptr);
    CHECK(db->size().value() == 0);

    const std::string text = "hello, durable world";
    REQUIRE(db->write(text.data(), text.size(), 4096).ok());
    CHECK(db->size().value() == 4096 + text.size());
    std::string back(text.size(), '\0');
    CHECK(db->read(back.data(), back.size(), 4096).value() == text.size());
    CHECK(back == text);
    char tail[64];
    CHECK(db->read(tail, sizeof tail, 4096 + 6).value() == text.size() - 6);  // fewer at the end
    CHECK(db->read(tail, sizeof tail, 1 << 20).value() == 0);
    REQUIRE(db->flush().ok());
    REQUIRE(db->truncate(10).ok());
    CHECK(db->size().value() == 10);
    CHECK(std::filesystem::file_size(folder.path + "/lifebuoy.db") == 10);
}

TEST_CASE("native file slots: one owner per folder") {
    TempFolder folder;
    auto first = NativeFileSlots::open(folder.path);
    REQUIRE(first.ok());
    auto second = NativeFileSlots::open(folder.path);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == "storage_in_use");
    first.value().reset();
    CHECK(NativeFileSlots::open(folder.path).ok());
}

TEST_CASE("native file slots: an engine's ticket survives close and reopen, two engines in one process") {
    TempFolder a, b;
    lb::SeededRandom random_a(1), random_b(2);
    std::string id;
    {
        auto slots_a = NativeFileSlots::open(a.path);
        auto slots_b = NativeFileSlots::open(b.path);
        REQUIRE(slots_a.ok());
        REQUIRE(slots_b.ok());
        auto engine_a = open_engine(*slots_a.value(), random_a);
        auto engine_b = open_engine(*slots_b.value(), random_b);  // opened after a: a keeps its own files
        auto created = nlohmann::json::parse(engine_a->handle_message(
            R"({"v":1,"id":1,"cmd":"create_ticket","args":{"title":"VPN drops","description":"d","urgency":"high"}})"));
        REQUIRE_MESSAGE(created["ok"] == true, created.dump());
        id = created["result"]["ticket_id"].get<std::string>();
        auto listed_b =
            nlohmann::json::parse(engine_b->handle_message(R"({"v":1,"id":2,"cmd":"list_tickets","args":{}})"));
        CHECK(listed_b["result"]["total"] == 0);
    }
    auto slots = NativeFileSlots::open(a.path);
    REQUIRE(slots.ok());
    auto engine = open_engine(*slots.value(), random_a);
    auto listed = nlohmann::json::parse(engine->handle_message(R"({"v":1,"id":3,"cmd":"list_tickets","args":{}})"));
    REQUIRE(listed["result"]["total"] == 1);
    CHECK(listed["result"]["rows"][0]["id"] == id);
    CHECK(listed["result"]["rows"][0]["sync"]["state"] == "saved_on_device");
}
