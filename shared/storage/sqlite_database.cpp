// sqlite_database.cpp — SQLite connection wrapper and migration runner.
#include "lifebuoy/sqlite_database.h"

#include <sqlite3.h>

namespace lb::storage {

Database::~Database() {
    if (db_) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (db_) sqlite3_close_v2(db_);
        db_ = other.db_;
        other.db_ = nullptr;
    }
    return *this;
}

Result<Database> Database::open(const std::string& path, const std::string& vfs) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs.empty() ? nullptr : vfs.c_str());
    if (rc != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        if (db) sqlite3_close_v2(db);
        return make_error("storage_open_failed", "cannot open database: " + msg);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 2000);
    return Database(db);
}

Error Database::last_error(std::string_view context) const {
    return make_error("storage_error", std::string(context) + ": " + sqlite3_errmsg(db_));
}

Status Database::exec(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        return make_error("storage_error", msg);
    }
    return Ok{};
}

namespace {

struct Statement {
    sqlite3_stmt* stmt = nullptr;
    ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

Result<std::int64_t> Database::query_int(std::string_view sql) {
    Statement s;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s.stmt, nullptr) != SQLITE_OK)
        return last_error("prepare");
    int rc = sqlite3_step(s.stmt);
    if (rc == SQLITE_ROW) return static_cast<std::int64_t>(sqlite3_column_int64(s.stmt, 0));
    if (rc == SQLITE_DONE) return make_error("not_found", "query returned no row");
    return last_error("step");
}

Result<std::string> Database::query_text(std::string_view sql) {
    Statement s;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s.stmt, nullptr) != SQLITE_OK)
        return last_error("prepare");
    int rc = sqlite3_step(s.stmt);
    if (rc == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(s.stmt, 0);
        return std::string(text ? reinterpret_cast<const char*>(text) : "");
    }
    if (rc == SQLITE_DONE) return make_error("not_found", "query returned no row");
    return last_error("step");
}

Result<int> Database::schema_version() {
    auto v = query_int("PRAGMA user_version");
    if (!v) return v.error();
    return static_cast<int>(v.value());
}

Status Database::migrate(const std::vector<Migration>& migrations) {
    auto current = schema_version();
    if (!current) return current.error();
    for (const Migration& m : migrations) {
        if (m.version <= current.value()) continue;
        if (auto s = exec("BEGIN IMMEDIATE"); !s) return s;
        auto applied = exec(m.sql);
        if (applied) applied = exec("PRAGMA user_version = " + std::to_string(m.version));
        if (!applied) {
            (void)exec("ROLLBACK");
            return make_error("migration_failed",
                              "schema migration to version " + std::to_string(m.version) + " failed: " +
                                  applied.error().message);
        }
        if (auto s = exec("COMMIT"); !s) return s;
    }
    return Ok{};
}

const char* sqlite_library_version() { return sqlite3_libversion(); }

}  // namespace lb::storage
