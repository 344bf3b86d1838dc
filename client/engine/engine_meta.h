// engine_meta.h — the engine_meta table (schema v1): small named values the engine keeps between
// runs as text, e.g. "desk_settings" (desk_settings.h) and "op_authors" (change_history.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

// The value stored under `key`, or nullopt when there is none.
Result<std::optional<std::string>> read_engine_meta(storage::Database& db, std::string_view key);
// Stores (or replaces) the value under `key`.
Status write_engine_meta(storage::Database& db, std::string_view key, std::string_view value);

}  // namespace lb::engine
