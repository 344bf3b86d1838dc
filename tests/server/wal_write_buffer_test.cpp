// wal_write_buffer_test.cpp — the WAL-write-gathering VFS: what a writer commits through it is what
// another connection (the default VFS) reads right after each commit, with synchronous FULL and
// NORMAL alike, with cache spills inside a transaction; far fewer writes reach the file than SQLite
// asked for; and a writer killed with SIGKILL at random moments never loses a commit it saw
// succeed nor leaves a damaged database (real files, a forked writer).
// Not here: the server killed mid-push (tests/integration/crash_recovery.test.mjs).
#include <doctest/doctest.h>

#include <csignal>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "lifebuoy/sqlite_database.h"
#include "server_test_support.h"
#include "wal_write_buffer.h"

using namespace lb::server;
using lb::storage::Database;

namespace {

// A database file in a data folder that removes itself.
struct FreshDatabase {
    test::TempDir dir;
    std::filesystem::path path;
    explicit FreshDatabase(const char* name) : dir(name), path(dir.path / "test.db") {
        std::filesystem::create_directories(dir.path);
    }
};

Database open_writer(const std::filesystem::path& path) {
    REQUIRE(register_wal_write_buffer(/*make_default=*/false));
    auto db = Database::open(path.string(), kWalWriteBufferVfs);
    REQUIRE(db);
    REQUIRE(db.value().exec("PRAGMA journal_mode=WAL"));
    REQUIRE(db.value().exec("PRAGMA synchronous=FULL"));
    REQUIRE(db.value().exec("CREATE TABLE IF NOT EXISTS rows(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"));
    return std::move(db).value();
}

// Row `id`'s body: its id, zero-padded to `bytes` characters — checkable from the id alone.
std::string insert_rows(int first_id, int count, int bytes) {
    return "WITH RECURSIVE s(v) AS (SELECT " + std::to_string(first_id) + " UNION ALL SELECT v + 1 FROM s WHERE v < " +
           std::to_string(first_id + count - 1) + ") INSERT INTO rows(id, body) SELECT v, printf('%0" +
           std::to_string(bytes) + "d', v) FROM s";
}

std::int64_t damaged_rows(Database& db) {
    return db.query_int("SELECT COUNT(*) FROM rows WHERE CAST(body AS INTEGER) != id").value();
}

}  // namespace

TEST_CASE("what a writer commits through the buffer is what another connection reads after each commit") {
    FreshDatabase fresh("wal-buffer");
    const auto& path = fresh.path;
    Database writer = open_writer(path);
    auto reader = Database::open(path.string());  // the default VFS, as the checkpoint thread's is not
    REQUIRE(reader);
    const auto before = wal_write_counts();
    std::mt19937 rng(7);
    int next_id = 1;
    for (int t = 0; t < 200; ++t) {
        REQUIRE(writer.exec(t % 2 ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL"));
        const int count = 1 + static_cast<int>(rng() % 60), bytes = 100 + static_cast<int>(rng() % 3000);
        REQUIRE(writer.exec("BEGIN IMMEDIATE"));
        REQUIRE(writer.exec(insert_rows(next_id, count, bytes)));
        REQUIRE(writer.exec("COMMIT"));
        next_id += count;
        REQUIRE(reader.value().query_int("SELECT COUNT(*) FROM rows").value() == next_id - 1);
        REQUIRE(reader.value().query_int("SELECT MAX(id) FROM rows").value() == next_id - 1);
    }
    CHECK(damaged_rows(reader.value()) == 0);
    CHECK(reader.value().query_text("PRAGMA integrity_check").value() == "ok");
    const auto after = wal_write_counts();
    const auto asked = after.writes_in - before.writes_in, made = after.writes_out - before.writes_out;
    CHECK(asked > 2000);       // two per frame
    CHECK(made * 10 < asked);  // a few per commit
}

TEST_CASE("a transaction larger than the page cache (spilled to the WAL before it commits) reads back whole") {
    FreshDatabase fresh("wal-buffer-spill");
    const auto& path = fresh.path;
    Database writer = open_writer(path);
    REQUIRE(writer.exec("PRAGMA cache_size=20"));  // pages: the transaction below spills
    REQUIRE(writer.exec("BEGIN IMMEDIATE"));
    REQUIRE(writer.exec(insert_rows(1, 3000, 1000)));
    CHECK(writer.query_int("SELECT COUNT(*) FROM rows WHERE id % 7 = 0").value() == 428);  // reads its spill
    REQUIRE(writer.exec("COMMIT"));
    auto reader = Database::open(path.string());
    REQUIRE(reader);
    CHECK(reader.value().query_int("SELECT COUNT(*) FROM rows").value() == 3000);
    CHECK(damaged_rows(reader.value()) == 0);
    CHECK(reader.value().query_text("PRAGMA integrity_check").value() == "ok");
}

TEST_CASE("a writer killed at random moments never loses a commit it saw succeed, the database stays whole") {
    FreshDatabase fresh("wal-buffer-kill");
    const auto& path = fresh.path;
    std::mt19937 rng(11);
    std::int64_t acknowledged = 0;
    for (int round = 0; round < 12; ++round) {
        int pipe_fds[2];
        REQUIRE(::pipe(pipe_fds) == 0);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {  // the writer: commits until killed, telling the parent each commit's last id
            ::close(pipe_fds[0]);
            (void)register_wal_write_buffer(false);
            auto db = Database::open(path.string(), kWalWriteBufferVfs);
            if (!db || !db.value().exec("PRAGMA journal_mode=WAL") || !db.value().exec("PRAGMA synchronous=FULL") ||
                !db.value().exec("CREATE TABLE IF NOT EXISTS rows(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
                ::_exit(2);
            std::int64_t id = db.value().query_int("SELECT COALESCE(MAX(id), 0) FROM rows").value();
            for (std::uint32_t n = 1;; ++n) {
                const int count = 1 + static_cast<int>(n * 7919 % 40);
                if (!db.value().exec("BEGIN IMMEDIATE") ||
                    !db.value().exec(insert_rows(static_cast<int>(id + 1), count, 200 + static_cast<int>(n * 131 % 2500))) ||
                    !db.value().exec("COMMIT"))
                    ::_exit(3);
                id += count;
                if (::write(pipe_fds[1], &id, sizeof id) != sizeof id) ::_exit(4);
            }
        }
        ::close(pipe_fds[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 120));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        REQUIRE(WIFSIGNALED(status));  // killed, not failed
        std::int64_t last = 0;
        while (::read(pipe_fds[0], &last, sizeof last) == sizeof last) acknowledged = std::max(acknowledged, last);
        ::close(pipe_fds[0]);

        auto db = Database::open(path.string());  // the default VFS recovers the WAL
        REQUIRE(db);
        CHECK(db.value().query_text("PRAGMA integrity_check").value() == "ok");
        const std::int64_t rows = db.value().query_int("SELECT COUNT(*) FROM rows").value();
        CHECK(rows >= acknowledged);  // every commit the writer saw succeed
        CHECK(db.value().query_int("SELECT COALESCE(MAX(id), 0) FROM rows").value() == rows);  // whole commits only
        CHECK(damaged_rows(db.value()) == 0);
    }
    CHECK(acknowledged > 100);
}
