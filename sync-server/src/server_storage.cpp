// server_storage.cpp — opening the server database and its migrations.
#include "server_storage.h"

#include <system_error>
#include <vector>

namespace lb::server {
namespace {

const std::vector<storage::Migration>& server_migrations() {
    static const std::vector<storage::Migration> migrations = {
        {1, R"sql(
            CREATE TABLE server_meta (
                key   TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
        )sql"},
    };
    return migrations;
}

}  // namespace

Result<ServerStorage> ServerStorage::open(const std::filesystem::path& data_dir, std::int64_t now_ms) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return make_error("storage_open_failed", "cannot create data folder " + data_dir.string() + ": " + ec.message());
    std::filesystem::path path = data_dir / "lifebuoy.db";
    bool created = !std::filesystem::exists(path, ec);
    auto db = storage::Database::open(path.string());
    if (!db) return db.error();
    storage::Database& d = db.value();
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (auto s = d.exec(pragma); !s) return s.error();
    }
    if (auto s = d.migrate(server_migrations()); !s) return s.error();
    if (auto s = d.exec("INSERT OR IGNORE INTO server_meta(key, value) VALUES ('created_at_ms', '" +
                        std::to_string(now_ms) + "')");
        !s)
        return s.error();
    auto version = d.schema_version();
    if (!version) return version.error();
    return ServerStorage(std::move(d), std::move(path), version.value(), created);
}

}  // namespace lb::server
