// engine_push_answer_test.cpp — how the engine pushes and reads the answer: batches in the shared
// form (wire.h, "v":2), the answer asked for in the short "seqs" form (each batch's seqs in the
// order its ops were sent, no op ids — api_routes.h), and every op it sent given the server's seq
// for it; a server from before both (refuses "v":2, lists every op) gets the full form at once
// and the same seqs land. Read back from the device's own database file.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "engine/database_files.h"
#include "engine_sync_test_support.h"
#include "lifebuoy/sqlite_database.h"

using lb::test::FakeSyncServer;
using lb::test::TestDevice;

namespace {

// op id → server_seq (0: none yet) of every op this device made, read from a copy of its files.
std::map<std::string, std::int64_t> local_op_seqs(TestDevice& d) {
    char pattern[] = "/tmp/lifebuoy-push-answer-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    const std::filesystem::path folder(pattern);
    for (const char* name : lb::engine::kDatabaseFiles) {
        lb::engine::MemoryFile& file = d.storage.at(name);
        const auto size = file.size();
        REQUIRE(size.ok());
        std::vector<char> bytes(static_cast<std::size_t>(size.value()));
        REQUIRE(file.read(bytes.data(), bytes.size(), 0).ok());
        std::FILE* out = std::fopen((folder / name).c_str(), "wb");
        REQUIRE(out != nullptr);
        REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size());
        std::fclose(out);
    }
    std::map<std::string, std::int64_t> seqs;
    {
        auto db = lb::storage::Database::open((folder / "lifebuoy.db").string());
        REQUIRE(db.ok());
        auto stmt = db.value().prepare("SELECT op_id, COALESCE(server_seq, 0) FROM ops WHERE batch_id IS NOT NULL");
        REQUIRE(stmt.ok());
        for (;;) {
            auto row = stmt.value().step();
            REQUIRE(row.ok());
            if (!row.value()) break;
            seqs[stmt.value().column_text(0)] = stmt.value().column_int(1);
        }
    }
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
    return seqs;
}

void check_every_op_has_the_servers_seq(TestDevice& d, const FakeSyncServer& server, std::size_t at_least_ops) {
    const auto seqs = local_op_seqs(d);
    CHECK(seqs.size() >= at_least_ops);
    for (const auto& entry : seqs) {  // not a structured binding: CAPTURE's lambda (clang) cannot see one
        const std::string& op_id = entry.first;
        CAPTURE(op_id);
        CHECK(entry.second > 0);
        CHECK(entry.second == server.seq_of(op_id));
    }
}

}  // namespace

TEST_CASE("push answers: the engine asks for the seqs form and gives each op its seq, in the order sent") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    d.sync(server);
    d.create("VPN drops every hour");
    d.create("Printer on floor 2 jams");
    auto push = d.engine->sync_next_request(d.now);
    REQUIRE(push);
    REQUIRE(push->step == lb::engine::SyncStep::push);
    const auto sent = server.plain(*push).body;
    CHECK(sent["answer"] == "seqs");
    CHECK(sent["v"] == lb::kPushVersionSharedForm);
    CHECK(push->shared_form);
    for (const auto& batch : sent["batches"]) {  // entity, entity_id and node once per batch
        REQUIRE(batch.contains("shared"));
        CHECK(batch["shared"]["entity"] == "ticket");
        for (const auto& op : batch["ops"]) {
            CHECK_FALSE(op.contains("entity_id"));
            CHECK_FALSE(op.contains("node"));
        }
    }
    REQUIRE(push->batch_op_ids.size() == push->batch_ids.size());
    lb::test::FakeReply reply = server.handle(*push);
    REQUIRE(reply.status == 200);
    const auto answer = nlohmann::json::parse(reply.plain);
    for (const auto& result : answer["results"]) {  // the short form: no op ids on the wire
        CHECK(result.contains("seqs"));
        CHECK_FALSE(result.contains("ops"));
    }
    REQUIRE(d.engine->sync_on_response(*push, reply.status, reply.body, d.now).ok());
    CHECK(d.call("sync_status")["result"]["pending_batches"] == 0);
    const std::size_t ops = push->batch_op_ids[0].size() + push->batch_op_ids[1].size();
    check_every_op_has_the_servers_seq(d, server, ops);
}

TEST_CASE("push answers: a server from before the shared and seqs forms gets the full form and gives the same seqs") {
    FakeSyncServer server;
    server.full_push_answers = true;
    server.before_shared_form = true;
    TestDevice d;
    REQUIRE(d.call("enroll", {{"invite", "x"}})["ok"] == true);
    d.sync(server);
    d.create("Laptop will not charge");
    d.now += 1000;
    d.engine->sync_wake(d.now);
    d.sync(server);
    const auto status = d.call("sync_status")["result"];
    CHECK(status["pending_batches"] == 0);
    CHECK(status["rejected_batches"] == 0);
    CHECK(server.refused_shared_form == 1);  // once: the device remembers
    check_every_op_has_the_servers_seq(d, server, 7);  // create_ticket: 7 ops

    d.create("Monitor flickers");
    d.now += 1000;
    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(d.call("sync_status")["result"]["pending_batches"] == 0);
    CHECK(server.refused_shared_form == 1);
    check_every_op_has_the_servers_seq(d, server, 14);
}
