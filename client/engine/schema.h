// schema.h — the engine's local database schema, as an ordered list of migrations.
//
// A migration is never edited once released: changes come as a new, higher version, so a device
// upgrades its database in place without losing data.
#pragma once

#include <vector>

#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

using storage::Database;
using storage::Migration;

const std::vector<Migration>& local_schema_migrations();

}  // namespace lb::engine
