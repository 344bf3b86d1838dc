// wal_write_buffer.h — a SQLite VFS that writes a transaction's WAL frames in one system call.
//
// SQLite appends each WAL frame with two writes (its 24-byte header, then the page): a push that
// dirties ~90 pages costs ~180 pwrite calls on the store thread before its fsync. This VFS wraps
// the platform's default one; for WAL files only (every other file is the default VFS's own, no
// wrapper in between) it gathers consecutive writes in memory and hands them to the file in one
// write:
//   - when the frame that commits a transaction is complete (its header says "commit": SQLite
//     publishes the frames to readers only after that write returns, so readers never see frames
//     that are not in the file — and an error is returned by that write, failing the commit as a
//     failed write would);
//   - before any other use of the file: read, sync, truncate, size, file control, close;
//   - when the gathered bytes would pass kWalWriteBufferBytes, or a write is not the next byte.
// A crash loses only gathered frames of a transaction that had not committed — as it would have
// lost them in the OS before an fsync.
// Not here: which connections use it (main.cpp registers it as the default VFS when serving).
#pragma once

#include <cstddef>
#include <cstdint>

#include "lifebuoy/result.h"

namespace lb::server {

inline constexpr const char* kWalWriteBufferVfs = "lifebuoy-wal-buffer";
inline constexpr std::size_t kWalWriteBufferBytes = 1024 * 1024;

// Registers the VFS under kWalWriteBufferVfs (once; later calls do nothing), as SQLite's default
// when `make_default`. Errors: storage_error (no default VFS to wrap).
Status register_wal_write_buffer(bool make_default);

struct WalWriteCounts {
    std::uint64_t writes_in = 0;   // writes SQLite asked of WAL files
    std::uint64_t writes_out = 0;  // writes the files got
};
WalWriteCounts wal_write_counts();  // since the process started, every WAL file of this VFS

}  // namespace lb::server
