// memory_file_slots.h — FileSlots kept in memory: the engine's fallback store where the browser
// has no OPFS (labelled "not durable" to the user), and the test double for storage faults.
//
// Each file keeps the bytes last flushed ("durable") apart from the writes since ("pending"), so
// a test can simulate a power cut or a killed tab with crash(): everything not flushed is lost,
// exactly what the engine must survive. Faults on demand: fail the next flush, fail writes past
// a quota (reported as "quota_exceeded", like the browser's QuotaExceededError).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/file_slots.h"

namespace lb::engine {

class MemoryFile final : public SyncFile {
public:
    Result<std::size_t> read(void* out, std::size_t n, std::uint64_t offset) override;
    Status write(const void* data, std::size_t n, std::uint64_t offset) override;
    Status truncate(std::uint64_t size) override;
    Status flush() override;
    Result<std::uint64_t> size() override;

    void crash() { pending_ = durable_; }   // unflushed writes are lost
    std::size_t flushes() const { return flushes_; }

    // faults
    bool fail_next_flush = false;
    std::optional<std::uint64_t> quota_bytes;  // writes that would grow the file past it fail

private:
    std::vector<std::uint8_t> durable_;
    std::vector<std::uint8_t> pending_;
    std::size_t flushes_ = 0;
};

class MemoryFileSlots final : public FileSlots {
public:
    // `names`: the files that exist (e.g. "lifebuoy.db", "lifebuoy.db-wal").
    explicit MemoryFileSlots(std::vector<std::string> names, bool durable = false);
    // The files of a device database (kDatabaseFiles, database_files.h).
    static MemoryFileSlots for_database(bool durable = false);
    SyncFile* file(std::string_view name) override;
    const char* kind() const override { return "memory"; }
    bool durable() const override { return durable_; }

    MemoryFile& at(const std::string& name) { return *files_.at(name); }
    void crash();  // every file loses its unflushed writes

private:
    std::map<std::string, std::unique_ptr<MemoryFile>, std::less<>> files_;
    bool durable_;
};

}  // namespace lb::engine
