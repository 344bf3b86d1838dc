// wal_checkpointer_test.cpp — WalCheckpointer: while it runs, the writing connection does not
// checkpoint itself and the WAL is copied back by the checkpoint thread (and starts over, so it
// stays bounded); a writer that never pauses checkpoints itself at writer_pages; after stop() the
// writer has SQLite's own automatic checkpoint back. Real files in a temp folder.
// Not here: crash safety with the server killed mid-push (tests/integration/crash_recovery.test.mjs).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "server_storage.h"
#include "server_test_support.h"
#include "wal_checkpointer.h"

using namespace lb::server;

namespace {

// One commit of `rows` rows of 1 KiB: about `rows` / 3 WAL pages at 4 KiB pages.
void commit_rows(lb::storage::Database& db, int rows) {
    REQUIRE(db.exec("BEGIN IMMEDIATE"));
    for (int i = 0; i < rows; ++i) REQUIRE(db.exec("INSERT INTO filler(body) VALUES (randomblob(1024))"));
    REQUIRE(db.exec("COMMIT"));
}

std::int64_t wal_bytes(const std::filesystem::path& database) {
    std::error_code ec;
    auto size = std::filesystem::file_size(database.string() + "-wal", ec);
    return ec ? 0 : static_cast<std::int64_t>(size);
}

template <typename Done>
bool eventually(Done done) {
    for (int i = 0; i < 500; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

// Three rows per WAL page or so: `pages` pages in one commit.
void commit_pages(lb::storage::Database& db, int pages) { commit_rows(db, 3 * pages); }

// The writer's own passive checkpoint: {frames in the WAL, frames copied back before this call}.
std::pair<std::int64_t, std::int64_t> wal_state(lb::storage::Database& db) {
    auto s = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
    REQUIRE(s);
    REQUIRE(s.value().step().value());
    return {s.value().column_int(1), s.value().column_int(2)};
}

// A server database in a fresh temp folder with a `filler` table and its WAL copied back (the
// migrations' pages): the WAL starts over at the next commit. Removed at the end.
struct FreshDatabase {
    test::TempDir dir;
    std::optional<ServerStorage> storage;

    explicit FreshDatabase(const char* name) : dir(name) {
        auto opened = ServerStorage::open(dir.path, 0);
        REQUIRE(opened);
        storage.emplace(std::move(opened).value());
        REQUIRE(db().exec("CREATE TABLE filler(id INTEGER PRIMARY KEY, body BLOB NOT NULL)"));
        (void)wal_state(db());
    }
    ~FreshDatabase() { storage.reset(); }  // closed before the folder goes
    lb::storage::Database& db() { return storage->db(); }
    const std::filesystem::path& path() const { return storage->database_path(); }
};

}  // namespace

TEST_CASE("the checkpoint thread copies the WAL back past its threshold, the WAL starts over instead of growing") {
    FreshDatabase fresh("wal-checkpointer");
    lb::storage::Database& db = fresh.db();
    REQUIRE(db.query_int("PRAGMA wal_autocheckpoint").value() == kCheckpointPages);  // SQLite's own
    Metrics metrics;
    auto started = WalCheckpointer::start(db, fresh.path(), &metrics, {/*wake*/ 64, /*writer*/ 100000});
    REQUIRE(started);
    WalCheckpointer& checkpointer = *started.value();
    CHECK(db.query_int("PRAGMA wal_autocheckpoint").value() == 0);  // the writer's own is off

    commit_pages(db, 10);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(checkpointer.counts().checkpoints == 0);  // below the threshold: not woken

    for (int i = 0; i < 40; ++i) {  // 800 pages, a commit every ~20 ms (a server between pushes)
        commit_pages(db, 20);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (i == 4) REQUIRE(eventually([&] { return checkpointer.counts().checkpoints >= 1; }));
    }
    REQUIRE(eventually([&] { return checkpointer.counts().checkpoints >= 2; }));
    CHECK(checkpointer.counts().failed == 0);
    CHECK(checkpointer.counts().by_writer == 0);
    // The WAL file (reused from its start once copied back) stays near the threshold plus what
    // commits while a checkpoint runs — far below the 810 pages written (3.3 MiB).
    CHECK(wal_bytes(fresh.path()) < 1536 * 1024);
    CHECK(db.query_int("SELECT COUNT(*) FROM filler").value() == 3 * (10 + 40 * 20));

    checkpointer.stop();
    CHECK(db.query_int("PRAGMA wal_autocheckpoint").value() == kCheckpointPages);  // given back
    const auto before = checkpointer.counts();
    CHECK(metrics.render({}).find("lifebuoy_wal_checkpoints_total{outcome=\"complete\"} " +
                                  std::to_string(before.checkpoints) + "\n") != std::string::npos);
    commit_pages(db, 200);  // past 64 pages: no thread to wake any more
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(checkpointer.counts().checkpoints == before.checkpoints);
}

TEST_CASE("while the checkpoint thread runs, the writer's commits do not checkpoint below writer_pages") {
    FreshDatabase fresh("wal-no-self-checkpoint");
    auto started = WalCheckpointer::start(fresh.db(), fresh.path(), nullptr, {1000000, 1000000});
    REQUIRE(started);
    for (int i = 0; i < 15; ++i) commit_pages(fresh.db(), 100);  // 1,500 pages: past SQLite's 1,000
    const auto [frames, copied] = wal_state(fresh.db());
    CHECK(frames >= 1500);    // one WAL, never restarted
    CHECK(copied == frames);  // (this call copied them)
    CHECK(started.value()->counts().checkpoints == 0);
    CHECK(started.value()->counts().by_writer == 0);
}

TEST_CASE("a writer that never pauses keeps a bounded WAL: it checkpoints itself at writer_pages") {
    FreshDatabase fresh("wal-writer-fallback");
    // The thread is never woken here, as if it could not keep up.
    auto started = WalCheckpointer::start(fresh.db(), fresh.path(), nullptr, {1000000, 300});
    REQUIRE(started);
    for (int i = 0; i < 15; ++i) commit_pages(fresh.db(), 100);  // 1,500 pages
    const auto [frames, copied] = wal_state(fresh.db());
    CHECK(frames < 300 + 100 + 50);  // restarted after each checkpoint past 300 pages
    CHECK(started.value()->counts().by_writer >= 3);
    CHECK(started.value()->counts().checkpoints == 0);
    CHECK(fresh.db().query_int("SELECT COUNT(*) FROM filler").value() == 3 * 1500);
}
