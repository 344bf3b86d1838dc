// database_files.h — the files a device database is made of, in slot order: every FileSlots
// (OPFS in the browser, POSIX files natively, memory in tests) holds exactly these.
//
// The database runs in WAL mode without shared memory (locking_mode=EXCLUSIVE: one engine owns
// it — the Web Lock in the browser, flock natively), so a commit is one append to the WAL and one
// flush. The rollback journal stays a slot: a database last written by an older engine (journal
// TRUNCATE) may hold a hot journal that SQLite rolls back before it switches to WAL.
#pragma once

namespace lb::engine {

inline constexpr const char* kDatabaseFiles[] = {"lifebuoy.db", "lifebuoy.db-journal", "lifebuoy.db-wal"};

}  // namespace lb::engine
