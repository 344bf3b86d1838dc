// page_cache_reserve_test.cpp — ServerStorage::reserve_page_cache is SQLite's global configuration:
// once a database is open (SQLite started) it is refused with storage_error and nothing changes.
// Whether the server's cache comes from the reserved block is checked on the real binary
// (tests/integration/sync_api.test.mjs: lifebuoy_page_cache_pages in /metrics).
#include <doctest/doctest.h>

#include "lifebuoy/sqlite_database.h"
#include "server_storage.h"

using namespace lb::server;

TEST_CASE("the page cache cannot be reserved once SQLite has started") {
    auto db = lb::storage::Database::open(":memory:");  // starts SQLite, if no test did before
    REQUIRE(db);
    const auto before = ServerStorage::page_cache_use();
    auto reserved = ServerStorage::reserve_page_cache();
    REQUIRE_FALSE(reserved);
    CHECK(reserved.error().code == "storage_error");
    CHECK(ServerStorage::page_cache_use().reserved == before.reserved);
    CHECK(before.reserved == 0);  // this process never reserved one
}
