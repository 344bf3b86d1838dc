// server_storage.h — lifebuoy-server's database: one SQLite file in the data folder.
//
// Opened in WAL mode with synchronous=FULL, so an acknowledged commit survives a crash or a power
// cut (temp_store=MEMORY and a 64 MiB page cache: what a push's transaction costs,
// server_storage.cpp); the schema is upgraded in place by versioned migrations at start. The sync
// API reaches it only through SyncStore (sync_store.h; SQLite implementation in
// sqlite_sync_store.h), which a PostgreSQL backend can implement.
// Not here: queries.
#pragma once

#include <filesystem>
#include <string>

#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::server {

// The writing connection's page cache (PRAGMA cache_size): ids from older clients are random, so
// their index pages are all over the file; a small cache re-reads them (today's ids are
// time-ordered: id128.h).
inline constexpr std::int64_t kPageCacheBytes = 64 * 1024 * 1024;
inline constexpr int kDatabasePageBytes = 4096;  // SQLite's default, which the database keeps

class ServerStorage {
public:
    // Creates the data folder and database on first use; runs pending migrations.
    static Result<ServerStorage> open(const std::filesystem::path& data_dir, std::int64_t now_ms);

    // The server's page cache (kPageCacheBytes) reserved in one block for the whole process, in
    // huge pages where the kernel gives them: pages cached as the database grows no longer cost a
    // malloc and a page fault each (~12 % of the server's CPU at one device while its cache
    // fills). Call before any database is opened (SQLite's global configuration); the memory is
    // resident from then on. Errors: storage_error (SQLite already started, or no memory).
    static Status reserve_page_cache();
    struct PageCacheUse {
        std::int64_t reserved = 0;        // pages reserved (0: not reserved, SQLite's own cache)
        std::int64_t reserved_used = 0;   // of those, holding a database page
        std::int64_t overflow_bytes = 0;  // cached pages beyond them, from malloc
    };
    static PageCacheUse page_cache_use();  // the whole process's, any thread

    int schema_version() const { return schema_version_; }
    const std::filesystem::path& database_path() const { return path_; }
    bool created_now() const { return created_now_; }
    storage::Database& db() { return db_; }
    // An online, consistent copy of the database in `file` (SQLite's VACUUM INTO: one read
    // transaction, so a running server keeps committing meanwhile). Errors: backup_exists (the
    // file is there already: never overwritten), storage_error.
    Status backup_to(const std::filesystem::path& file);

private:
    ServerStorage(storage::Database db, std::filesystem::path path, int version, bool created)
        : db_(std::move(db)), path_(std::move(path)), schema_version_(version), created_now_(created) {}

    storage::Database db_;
    std::filesystem::path path_;
    int schema_version_ = 0;
    bool created_now_ = false;
};

}  // namespace lb::server
