// opfs_file_slots.h — FileSlots over the Origin Private File System, for the engine's Worker.
//
// The Worker script (web/engine-worker.js) opens one FileSystemSyncAccessHandle per file named
// by kDatabaseFiles before the engine starts (opening is asynchronous; using a handle is not),
// and keeps them in Module.lbOpfs.handles in the same order. Reads, writes, truncation and
// flushes are synchronous calls on those handles — no Asyncify, no SharedArrayBuffer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/database_files.h"
#include "engine/file_slots.h"

namespace lb::engine {

class OpfsFileSlots final : public FileSlots {
public:
    OpfsFileSlots();
    ~OpfsFileSlots() override;
    SyncFile* file(std::string_view name) override;
    const char* kind() const override { return "opfs"; }
    bool durable() const override { return true; }

private:
    std::vector<std::unique_ptr<SyncFile>> files_;
};

}  // namespace lb::engine
