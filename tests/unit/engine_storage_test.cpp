// engine_storage_test.cpp — the engine's database over FileSlots: drafts are saved durably, a
// crash loses nothing that was acknowledged, and storage faults reach the caller as typed errors.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/engine.h"
#include "engine/memory_file_slots.h"
#include "engine/slot_vfs.h"
#include "lifebuoy/sqlite_database.h"

using nlohmann::json;
using lb::engine::MemoryFileSlots;

namespace {

std::unique_ptr<lb::engine::Engine> open_engine(MemoryFileSlots& storage) {
    lb::engine::EngineEnvironment env;
    env.storage = &storage;
    env.now_ms = [] { return std::int64_t{1'700'000'000'000}; };
    auto engine = lb::engine::Engine::open(std::move(env));
    REQUIRE_MESSAGE(engine.ok(), (engine.ok() ? "" : engine.error().message));
    return std::move(engine.value());
}

json call(lb::engine::Engine& engine, const std::string& cmd, json args) {
    static std::uint64_t id = 1;
    json request{{"v", 1}, {"id", id++}, {"cmd", cmd}, {"args", std::move(args)}};
    return json::parse(engine.handle_message(request.dump()));
}

MemoryFileSlots make_slots() { return MemoryFileSlots::for_database(true); }

}  // namespace

TEST_CASE("a saved draft comes back after the engine restarts") {
    auto storage = make_slots();
    {
        auto engine = open_engine(storage);
        json empty = call(*engine, "get_draft", {{"form", "new_ticket"}});
        CHECK(empty["ok"] == true);
        CHECK(empty["result"]["fields"] == json::object());
        CHECK(empty["result"]["saved_at_ms"].is_null());
        json saved = call(*engine, "save_draft", {{"form", "new_ticket"}, {"fields", {{"title", "VPN drops — Zoë, 東京"}}}});
        CHECK(saved["ok"] == true);
        CHECK(saved["result"]["saved_at_ms"] == 1'700'000'000'000);
    }
    auto engine = open_engine(storage);
    json draft = call(*engine, "get_draft", {{"form", "new_ticket"}});
    CHECK(draft["result"]["fields"]["title"] == "VPN drops — Zoë, 東京");

    CHECK(call(*engine, "discard_draft", {{"form", "new_ticket"}})["ok"] == true);
    CHECK(call(*engine, "get_draft", {{"form", "new_ticket"}})["result"]["fields"] == json::object());
}

TEST_CASE("an acknowledged save survives a crash, the database is never corrupt") {
    auto storage = make_slots();
    auto engine = open_engine(storage);
    for (int i = 0; i < 20; ++i) {
        std::string title = "draft " + std::to_string(i);
        REQUIRE(call(*engine, "save_draft", {{"form", "new_ticket"}, {"fields", {{"title", title}}}})["ok"] == true);
    }
    storage.crash();  // the tab is killed: everything not flushed is gone
    engine.reset();
    auto reopened = open_engine(storage);
    CHECK(call(*reopened, "get_draft", {{"form", "new_ticket"}})["result"]["fields"]["title"] == "draft 19");
    CHECK(storage.at("lifebuoy.db-wal").flushes() >= 20);  // each acknowledged save flushed its WAL frames
}

TEST_CASE("a failed flush or a full quota is a typed error, and the previous draft stays") {
    auto storage = make_slots();
    auto engine = open_engine(storage);
    REQUIRE(call(*engine, "save_draft", {{"form", "f"}, {"fields", {{"title", "first"}}}})["ok"] == true);

    storage.at("lifebuoy.db-wal").fail_next_flush = true;  // the commit's one flush
    json failed = call(*engine, "save_draft", {{"form", "f"}, {"fields", {{"title", "second"}}}});
    CHECK(failed["ok"] == false);
    CHECK(failed["error"]["code"] == "storage_error");
    CHECK(call(*engine, "get_draft", {{"form", "f"}})["result"]["fields"]["title"] == "first");

    for (const char* file : {"lifebuoy.db", "lifebuoy.db-wal"}) storage.at(file).quota_bytes = 0;  // no more room to grow
    json full = call(*engine, "save_draft", {{"form", "f"}, {"fields", {{"title", std::string(64 * 1024, 'x')}}}});
    CHECK(full["ok"] == false);
    CHECK(full["error"]["code"] == "quota_exceeded");
    CHECK(call(*engine, "get_draft", {{"form", "f"}})["result"]["fields"]["title"] == "first");
}

TEST_CASE("draft commands reject bad arguments with typed errors") {
    auto storage = make_slots();
    auto engine = open_engine(storage);
    for (json args : {json::object(), json{{"form", 3}}, json{{"form", ""}}, json{{"form", std::string(65, 'f')}},
                      json{{"form", "f"}}, json{{"form", "f"}, {"fields", "x"}}, json{{"form", "f"}, {"fields", {{"a", 1}}}},
                      json{{"form", "f"}, {"fields", {{"a", std::string(300 * 1024, 'x')}}}}}) {
        CAPTURE(args.dump().substr(0, 80));
        json reply = call(*engine, "save_draft", args);
        CHECK(reply["ok"] == false);
        CHECK(reply["error"]["code"] == "bad_arguments");
    }
    CHECK(call(*engine, "get_draft", json::object())["error"]["code"] == "bad_arguments");
}

TEST_CASE("a database an older engine wrote with a rollback journal opens in WAL mode with its data") {
    auto storage = make_slots();
    {
        auto engine = open_engine(storage);
        REQUIRE(call(*engine, "save_draft", {{"form", "f"}, {"fields", {{"title", "kept"}}}})["ok"] == true);
    }
    // Back to the older engine's journal mode (TRUNCATE), and one more save made in it.
    REQUIRE(lb::engine::register_slot_vfs("legacy-journal-vfs", &storage).ok());
    {
        auto db = lb::storage::Database::open("lifebuoy.db", "legacy-journal-vfs");
        REQUIRE(db.ok());
        for (const char* sql : {"PRAGMA locking_mode=EXCLUSIVE", "PRAGMA journal_mode=TRUNCATE", "PRAGMA synchronous=FULL"})
            REQUIRE(db.value().exec(sql).ok());
        CHECK(db.value().query_text("PRAGMA journal_mode").value() == "truncate");
        REQUIRE(db.value().exec("UPDATE drafts SET fields = '{\"title\":\"legacy\"}'").ok());
    }
    CHECK(storage.at("lifebuoy.db-wal").size().value() == 0);
    auto engine = open_engine(storage);
    CHECK(call(*engine, "get_draft", {{"form", "f"}})["result"]["fields"]["title"] == "legacy");
    storage.crash();  // nothing unflushed survives; the WAL mode itself was flushed
    engine.reset();
    auto reopened = open_engine(storage);
    CHECK(call(*reopened, "get_draft", {{"form", "f"}})["result"]["fields"]["title"] == "legacy");
    CHECK(call(*reopened, "save_draft", {{"form", "f"}, {"fields", {{"title", "after"}}}})["ok"] == true);
    CHECK(storage.at("lifebuoy.db-wal").size().value() > 0);
}
