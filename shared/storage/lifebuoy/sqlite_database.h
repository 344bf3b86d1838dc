// sqlite_database.h — a small RAII wrapper over one SQLite connection, plus versioned migrations.
// Used by both storage layers: the client engine's local database and lifebuoy-server's.
//
// Owns the sqlite3 handle; every call returns a typed Status/Result, never throws. prepare() keeps
// the statements it compiled: when a Statement is destroyed it is reset and parked in its
// Database's cache under its SQL text, and the next prepare() of the same text reuses it — so the
// hot paths (a ticket's ops, the outbox row) are compiled once per connection, not per commit.
// Not here: which tables exist (each side's schema) or where the file lives (the caller decides:
// a native path, ":memory:", or a browser VFS name).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lb::storage {

struct StatementCache;  // the parked statements of one connection (sqlite_database.cpp)

struct Migration {
    int version;        // PRAGMA user_version after this migration
    const char* sql;    // one or more statements, run in one transaction
};

// One prepared statement: bind, step, read columns. Move-only; finalized on destruction.
class Statement {
public:
    Statement() = default;
    ~Statement();
    Statement(Statement&& other) noexcept : stmt_(other.stmt_), cache_(std::move(other.cache_)), home_(other.home_) {
        other.stmt_ = nullptr;
    }
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQLite. Text is copied.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);
    // true: a row is ready to read; false: the statement is done.
    Result<bool> step();
    // Runs to completion, for statements that return no rows.
    Status run();
    void reset();

    std::int64_t column_int(int index) const;
    std::string column_text(int index) const;
    bool column_is_null(int index) const;

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, std::shared_ptr<StatementCache> cache, std::vector<sqlite3_stmt*>* home)
        : stmt_(stmt), cache_(std::move(cache)), home_(home) {}
    void release();  // park in the cache (or finalize when the connection is gone)
    sqlite3_stmt* stmt_ = nullptr;
    std::shared_ptr<StatementCache> cache_;
    std::vector<sqlite3_stmt*>* home_ = nullptr;  // the cache's idle list for this SQL text
};

class Database {
public:
    Database() = default;
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens (creating if needed) the database at `path`; vfs may be empty for SQLite's default.
    static Result<Database> open(const std::string& path, const std::string& vfs = {});

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    Result<std::int64_t> query_int(std::string_view sql);
    Result<std::string> query_text(std::string_view sql);
    // The rowid the last successful INSERT on this connection gave (sqlite3_last_insert_rowid).
    std::int64_t last_insert_rowid() const;

    // Runs the migrations above the current user_version in order, each in its own transaction.
    Status migrate(const std::vector<Migration>& migrations);
    Result<int> schema_version();

    sqlite3* handle() const { return db_; }

private:
    explicit Database(sqlite3* db);
    void close();
    Error last_error(std::string_view context) const;
    sqlite3* db_ = nullptr;
    std::shared_ptr<StatementCache> cache_;
};

const char* sqlite_library_version();

}  // namespace lb::storage
