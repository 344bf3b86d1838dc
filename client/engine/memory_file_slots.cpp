// memory_file_slots.cpp — in-memory files with a durable/pending split and injectable faults.
#include "engine/memory_file_slots.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "engine/database_files.h"

namespace lb::engine {

Result<std::size_t> MemoryFile::read(void* out, std::size_t n, std::uint64_t offset) {
    if (offset >= pending_.size()) return std::size_t{0};
    std::size_t available = std::min<std::size_t>(n, pending_.size() - static_cast<std::size_t>(offset));
    std::memcpy(out, pending_.data() + offset, available);
    return available;
}

Status MemoryFile::write(const void* data, std::size_t n, std::uint64_t offset) {
    std::uint64_t end = offset + n;
    if (quota_bytes && end > *quota_bytes && end > pending_.size())
        return make_error("quota_exceeded", "the browser's storage quota for this site is used up");
    if (end > pending_.size()) pending_.resize(static_cast<std::size_t>(end));
    std::memcpy(pending_.data() + offset, data, n);
    return Ok{};
}

Status MemoryFile::truncate(std::uint64_t size) {
    pending_.resize(static_cast<std::size_t>(size));
    return Ok{};
}

Status MemoryFile::flush() {
    if (fail_next_flush) {
        fail_next_flush = false;
        return make_error("storage_error", "flush failed (injected fault)");
    }
    durable_ = pending_;
    ++flushes_;
    return Ok{};
}

Result<std::uint64_t> MemoryFile::size() { return static_cast<std::uint64_t>(pending_.size()); }

MemoryFileSlots::MemoryFileSlots(std::vector<std::string> names, bool durable) : durable_(durable) {
    for (auto& name : names) files_.emplace(std::move(name), std::make_unique<MemoryFile>());
}

MemoryFileSlots MemoryFileSlots::for_database(bool durable) {
    return MemoryFileSlots(std::vector<std::string>(std::begin(kDatabaseFiles), std::end(kDatabaseFiles)), durable);
}

SyncFile* MemoryFileSlots::file(std::string_view name) {
    auto it = files_.find(name);
    return it == files_.end() ? nullptr : it->second.get();
}

void MemoryFileSlots::crash() {
    for (auto& [name, f] : files_) f->crash();
}

}  // namespace lb::engine
