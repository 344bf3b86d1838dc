// engine_meta.cpp — read and write engine_meta values (engine_meta.h).
#include "engine/engine_meta.h"

namespace lb::engine {

Result<std::optional<std::string>> read_engine_meta(storage::Database& db, std::string_view key) {
    auto stmt = db.prepare("SELECT value FROM engine_meta WHERE key = ?1");
    if (!stmt) return stmt.error();
    stmt.value().bind(1, key);
    auto row = stmt.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<std::string>{};
    return std::optional<std::string>(stmt.value().column_text(0));
}

Status write_engine_meta(storage::Database& db, std::string_view key, std::string_view value) {
    auto stmt = db.prepare("INSERT INTO engine_meta(key, value) VALUES (?1, ?2) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    stmt.value().bind(1, key).bind(2, value);
    auto done = stmt.value().step();
    if (!done) return done.error();
    return Ok{};
}

}  // namespace lb::engine
