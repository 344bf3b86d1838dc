// sqlite_database.cpp — SQLite connection wrapper and migration runner.
#include "lifebuoy/sqlite_database.h"

#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>

namespace lb::storage {

// Statements not in use, by SQL text: each text prepared once keeps its list (looked up by the
// caller's string_view, no copy; a statement out knows its list, so parking it takes no lookup and
// no allocation). `open` turns false when the connection closes: statements still out then are
// finalized by their owners instead of parked.
struct StatementCache {
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>, TextHash, std::equal_to<>> idle;
    bool open = true;
};

Database::Database(sqlite3* db) : db_(db), cache_(std::make_shared<StatementCache>()) {}

void Database::close() {
    if (cache_) {
        for (auto& [sql, statements] : cache_->idle)
            for (sqlite3_stmt* stmt : statements) sqlite3_finalize(stmt);
        cache_->idle.clear();
        cache_->open = false;
        cache_.reset();
    }
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
}

Database::~Database() { close(); }

Database::Database(Database&& other) noexcept : db_(other.db_), cache_(std::move(other.cache_)) { other.db_ = nullptr; }

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = other.db_;
        cache_ = std::move(other.cache_);
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
    if (int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        return make_error((rc & 0xff) == SQLITE_FULL ? "quota_exceeded" : "storage_error", msg);
    }
    return Ok{};
}

namespace {

struct ScopedStatement {
    sqlite3_stmt* stmt = nullptr;
    ~ScopedStatement() { sqlite3_finalize(stmt); }
};

}  // namespace

void Statement::release() {
    if (!stmt_) return;
    if (cache_ && cache_->open) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        home_->push_back(stmt_);
    } else {
        sqlite3_finalize(stmt_);
    }
    stmt_ = nullptr;
    cache_.reset();
}

Statement::~Statement() { release(); }

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        release();
        stmt_ = other.stmt_;
        cache_ = std::move(other.cache_);
        home_ = other.home_;
        other.stmt_ = nullptr;
    }
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

Result<bool> Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(stmt_);
    std::string code = (rc & 0xff) == SQLITE_FULL ? "quota_exceeded" : "storage_error";
    return make_error(code, sqlite3_errmsg(db));
}

Status Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) return row.error();
        if (!row.value()) return Ok{};
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::column_text(int index) const {
    const unsigned char* text = sqlite3_column_text(stmt_, index);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)))
                : std::string();
}

bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

Result<Statement> Database::prepare(std::string_view sql) {
    auto parked = cache_->idle.find(sql);
    if (parked != cache_->idle.end() && !parked->second.empty()) {
        sqlite3_stmt* stmt = parked->second.back();
        parked->second.pop_back();
        return Statement(stmt, cache_, &parked->second);
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return last_error("prepare");
    if (parked == cache_->idle.end()) parked = cache_->idle.emplace(std::string(sql), std::vector<sqlite3_stmt*>{}).first;
    return Statement(stmt, cache_, &parked->second);
}

Result<std::int64_t> Database::query_int(std::string_view sql) {
    ScopedStatement s;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s.stmt, nullptr) != SQLITE_OK)
        return last_error("prepare");
    int rc = sqlite3_step(s.stmt);
    if (rc == SQLITE_ROW) return static_cast<std::int64_t>(sqlite3_column_int64(s.stmt, 0));
    if (rc == SQLITE_DONE) return make_error("not_found", "query returned no row");
    return last_error("step");
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Result<std::string> Database::query_text(std::string_view sql) {
    ScopedStatement s;
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
