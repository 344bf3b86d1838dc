// slot_vfs.h — a SQLite VFS over FileSlots: how the engine's database reaches OPFS in a browser.
//
// Files are the FileSlots' named files; a file SQLite "deletes" is truncated to zero bytes and a
// zero-length file counts as absent, so the WAL (and a rollback journal left by an older engine)
// come and go without ever removing a file. No shared memory: WAL runs in exclusive locking mode.
// Locking is a no-op: one engine owns the slots (the browser's sync access handles are exclusive). Temporary files stay in memory (SQLITE_TEMP_STORE=3 in the
// wasm build; names without a slot are refused). Errors from the files become SQLITE_IOERR_*
// codes, and the last one is kept for the engine to report (quota, disk full) to a person.
#pragma once

#include <string>

#include "engine/file_slots.h"
#include "lifebuoy/result.h"

namespace lb::engine {

// Registers a VFS called `vfs_name` backed by `slots` (which must outlive every connection).
// Registering the same name again replaces the slots.
Status register_slot_vfs(const std::string& vfs_name, FileSlots* slots);

// The message of the last I/O error any slot VFS hit, or "" (cleared by each successful open).
std::string last_slot_vfs_error();

}  // namespace lb::engine
