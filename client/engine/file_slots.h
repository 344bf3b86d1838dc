// file_slots.h — the storage a device database lives in, as an interface: a few named files
// that can be read, written, truncated and flushed synchronously.
//
// The browser implements it over OPFS FileSystemSyncAccessHandles (platform/opfs_file_slots.cpp:
// handles must be opened asynchronously, so the Worker opens a fixed set of files before the
// engine starts — the "slots"). Tests implement it in memory, with faults on demand
// (memory_file_slots.h). slot_vfs.h turns any FileSlots into a SQLite VFS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lifebuoy/result.h"

namespace lb::engine {

class SyncFile {
public:
    virtual ~SyncFile() = default;
    // Reads up to n bytes at offset; returns how many were read (fewer at the end of the file).
    virtual Result<std::size_t> read(void* out, std::size_t n, std::uint64_t offset) = 0;
    virtual Status write(const void* data, std::size_t n, std::uint64_t offset) = 0;
    virtual Status truncate(std::uint64_t size) = 0;
    // Returns once every write so far is on durable storage.
    virtual Status flush() = 0;
    virtual Result<std::uint64_t> size() = 0;
};

class FileSlots {
public:
    virtual ~FileSlots() = default;
    // The file called `name`, or nullptr when there is no slot for that name.
    virtual SyncFile* file(std::string_view name) = 0;
    // Human-readable kind for status reports ("opfs", "memory").
    virtual const char* kind() const = 0;
    virtual bool durable() const = 0;
};

}  // namespace lb::engine
