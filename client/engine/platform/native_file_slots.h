// native_file_slots.h — FileSlots over ordinary POSIX files in one folder: the native engine's
// durable storage (lifebuoy-cli, the convergence test, load generators).
//
// The folder holds the slots of kDatabaseFiles (database_files.h: the database, its journal, its WAL),
// created empty (mode 0600, in a folder of mode 0700: the database holds the device token) the
// first time and never removed — slot_vfs "deletes" a file by truncating it to zero bytes.
// Durability, as SyncFile::flush promises: flush() returns once fsync(2) has returned for the
// file, so every write before it is on stable storage; files created here are made durable by
// an fsync of the folder before open() returns, so their names survive a power cut too.
// Writes are pwrite(2) loops (short writes and EINTR retried); ENOSPC/EDQUOT become
// "quota_exceeded" (SQLITE_FULL for SQLite, "the disk is full" for a person).
// One owner: open() takes an exclusive flock(2) on "lifebuoy.lock" in the folder, so a second
// process (or a second open in this one) gets "storage_in_use" instead of corrupting the database
// (slot_vfs does no locking of its own). The lock goes with the object, or with the process.
// Not here: SQLite (slot_vfs), crash simulation of unflushed writes (memory_file_slots).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/database_files.h"
#include "engine/file_slots.h"

namespace lb::engine {

inline constexpr const char* kNativeLockFile = "lifebuoy.lock";

class NativeFileSlots final : public FileSlots {
public:
    // Creates `folder` (and its parents) when missing, opens or creates every slot, takes the
    // lock. Errors: storage_open_failed (with the path and errno text), storage_in_use.
    static Result<std::unique_ptr<NativeFileSlots>> open(const std::string& folder);
    ~NativeFileSlots() override;
    NativeFileSlots(const NativeFileSlots&) = delete;
    NativeFileSlots& operator=(const NativeFileSlots&) = delete;

    SyncFile* file(std::string_view name) override;
    const char* kind() const override { return "file"; }
    bool durable() const override { return true; }
    const std::string& folder() const { return folder_; }

private:
    NativeFileSlots(std::string folder, int lock_fd);
    std::string folder_;
    int lock_fd_;
    std::vector<std::unique_ptr<SyncFile>> files_;  // in kDatabaseFiles order
};

}  // namespace lb::engine
