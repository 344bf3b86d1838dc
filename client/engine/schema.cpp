// schema.cpp — migrations of the engine's local database.
#include "engine/schema.h"

namespace lb::engine {

const std::vector<Migration>& local_schema_migrations() {
    static const std::vector<Migration> migrations = {
        {1, R"sql(
            CREATE TABLE engine_meta (
                key   TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
        )sql"},
        {2, R"sql(
            CREATE TABLE drafts (
                form        TEXT PRIMARY KEY NOT NULL,   -- e.g. "new_ticket"
                fields      TEXT NOT NULL,               -- JSON object {name: text}
                saved_at_ms INTEGER NOT NULL
            ) WITHOUT ROWID;
        )sql"},
    };
    return migrations;
}

}  // namespace lb::engine
