// wal_write_buffer.cpp — the WAL-write-gathering VFS: xOpen, and the methods of a wrapped WAL file.
#include "wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace lb::server {
namespace {

constexpr int kFrameHeaderBytes = 24;  // WAL_FRAME_HDRSIZE
constexpr sqlite3_int64 kWalHeaderBytes = 32;

std::atomic<std::uint64_t> writes_in{0}, writes_out{0};

struct Gathered {
    std::vector<char> bytes;
    sqlite3_int64 offset = 0;     // of bytes[0] in the file
    bool commit_frame_open = false;  // a commit frame's header is in; its page comes next
};

// A WAL file: our methods, the default VFS's file right behind (its size is its szOsFile).
struct WalFile {
    sqlite3_file base;
    sqlite3_file* real;
    Gathered* gathered;
};

sqlite3_vfs* default_vfs = nullptr;
sqlite3_vfs wrapper_vfs;
sqlite3_io_methods wal_methods;

constexpr int real_offset() { return static_cast<int>((sizeof(WalFile) + 7) / 8 * 8); }

WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

// The unix VFS writes at most 128 KiB - 1 bytes per call (seekAndWrite): gathered bytes go out in
// pieces of this size.
constexpr std::size_t kWritePieceBytes = 64 * 1024;

int flush(WalFile* f) {
    Gathered& g = *f->gathered;
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < g.bytes.size() && rc == SQLITE_OK; done += kWritePieceBytes) {
        const std::size_t piece = std::min(kWritePieceBytes, g.bytes.size() - done);
        writes_out.fetch_add(1, std::memory_order_relaxed);
        rc = f->real->pMethods->xWrite(f->real, g.bytes.data() + done, static_cast<int>(piece),
                                       g.offset + static_cast<sqlite3_int64>(done));
    }
    g.bytes.clear();
    g.commit_frame_open = false;
    return rc;
}

// Bytes 4..7 of a frame header: the database size in pages after a commit; 0 in other frames.
bool is_commit_header(const void* data, int amount, sqlite3_int64 offset) {
    if (amount != kFrameHeaderBytes || offset < kWalHeaderBytes) return false;
    const auto* b = static_cast<const unsigned char*>(data);
    return (b[4] | b[5] | b[6] | b[7]) != 0;
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    WalFile* f = wal(file);
    Gathered& g = *f->gathered;
    writes_in.fetch_add(1, std::memory_order_relaxed);
    const bool next_byte = !g.bytes.empty() && offset == g.offset + static_cast<sqlite3_int64>(g.bytes.size());
    if (!g.bytes.empty() && (!next_byte || g.bytes.size() + static_cast<std::size_t>(amount) > kWalWriteBufferBytes)) {
        if (int rc = flush(f); rc != SQLITE_OK) return rc;
    }
    if (static_cast<std::size_t>(amount) > kWritePieceBytes) {  // never with pages up to 64 KiB
        writes_out.fetch_add(1, std::memory_order_relaxed);
        return f->real->pMethods->xWrite(f->real, data, amount, offset);
    }
    if (g.bytes.empty()) g.offset = offset;
    const bool completes_commit = g.commit_frame_open;
    g.commit_frame_open = is_commit_header(data, amount, offset);
    const char* bytes = static_cast<const char*>(data);
    g.bytes.insert(g.bytes.end(), bytes, bytes + amount);
    return completes_commit ? flush(f) : SQLITE_OK;
}

int wal_close(sqlite3_file* file) {
    WalFile* f = wal(file);
    const int flushed = flush(f);
    const int closed = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    delete f->gathered;
    f->gathered = nullptr;
    return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
    WalFile* f = wal(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
    WalFile* f = wal(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xTruncate(f->real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
    WalFile* f = wal(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xSync(f->real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
    WalFile* f = wal(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileSize(f->real, size);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
    WalFile* f = wal(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

// The rest pass through.
int wal_lock(sqlite3_file* f, int level) { return wal(f)->real->pMethods->xLock(wal(f)->real, level); }
int wal_unlock(sqlite3_file* f, int level) { return wal(f)->real->pMethods->xUnlock(wal(f)->real, level); }
int wal_check_reserved(sqlite3_file* f, int* out) {
    return wal(f)->real->pMethods->xCheckReservedLock(wal(f)->real, out);
}
int wal_sector_size(sqlite3_file* f) { return wal(f)->real->pMethods->xSectorSize(wal(f)->real); }
int wal_device_characteristics(sqlite3_file* f) {
    return wal(f)->real->pMethods->xDeviceCharacteristics(wal(f)->real);
}
// Version 2 and 3 methods: SQLite calls them on a WAL file only if the file it wraps has them
// (shared memory belongs to the database file; a WAL is read, not mapped), so ours are declared
// once (version 3) and check before forwarding.
int real_version(sqlite3_file* f) { return wal(f)->real->pMethods->iVersion; }
int wal_shm_map(sqlite3_file* f, int page, int bytes, int extend, void volatile** out) {
    if (real_version(f) < 2) return SQLITE_IOERR_SHMMAP;
    return wal(f)->real->pMethods->xShmMap(wal(f)->real, page, bytes, extend, out);
}
int wal_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    if (real_version(f) < 2) return SQLITE_IOERR_SHMLOCK;
    return wal(f)->real->pMethods->xShmLock(wal(f)->real, offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* f) {
    if (real_version(f) >= 2) wal(f)->real->pMethods->xShmBarrier(wal(f)->real);
}
int wal_shm_unmap(sqlite3_file* f, int delete_flag) {
    if (real_version(f) < 2) return SQLITE_OK;
    return wal(f)->real->pMethods->xShmUnmap(wal(f)->real, delete_flag);
}
int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
    WalFile* f = wal(file);
    *out = nullptr;  // "no mapping": SQLite reads instead
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    if (real_version(file) < 3) return SQLITE_OK;
    return f->real->pMethods->xFetch(f->real, offset, amount, out);
}
int wal_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    if (real_version(f) < 3) return SQLITE_OK;
    return wal(f)->real->pMethods->xUnfetch(wal(f)->real, offset, p);
}

int wrapper_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    if (!(flags & SQLITE_OPEN_WAL)) return default_vfs->xOpen(default_vfs, name, file, flags, out_flags);
    WalFile* f = wal(file);
    f->base.pMethods = nullptr;  // until opened: SQLite then calls no method
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset());
    f->gathered = nullptr;
    f->real->pMethods = nullptr;
    const int rc = default_vfs->xOpen(default_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods) f->real->pMethods->xClose(f->real);  // ours stays null: no xClose for us
        return rc;
    }
    f->gathered = new (std::nothrow) Gathered;
    if (!f->gathered) {
        if (f->real->pMethods) f->real->pMethods->xClose(f->real);
        return SQLITE_NOMEM;
    }
    f->gathered->bytes.reserve(64 * 1024);
    f->base.pMethods = &wal_methods;
    return SQLITE_OK;
}

}  // namespace

Status register_wal_write_buffer(bool make_default) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (!default_vfs) {
        sqlite3_vfs* platform = sqlite3_vfs_find(nullptr);
        if (!platform) return make_error("storage_error", "SQLite has no default VFS to wrap");
        default_vfs = platform;
        wrapper_vfs = *platform;
        wrapper_vfs.pNext = nullptr;
        wrapper_vfs.zName = kWalWriteBufferVfs;
        wrapper_vfs.szOsFile = real_offset() + platform->szOsFile;
        wrapper_vfs.xOpen = wrapper_open;
        wal_methods = sqlite3_io_methods{};
        wal_methods.iVersion = 3;
        wal_methods.xClose = wal_close;
        wal_methods.xRead = wal_read;
        wal_methods.xWrite = wal_write;
        wal_methods.xTruncate = wal_truncate;
        wal_methods.xSync = wal_sync;
        wal_methods.xFileSize = wal_file_size;
        wal_methods.xLock = wal_lock;
        wal_methods.xUnlock = wal_unlock;
        wal_methods.xCheckReservedLock = wal_check_reserved;
        wal_methods.xFileControl = wal_file_control;
        wal_methods.xSectorSize = wal_sector_size;
        wal_methods.xDeviceCharacteristics = wal_device_characteristics;
        wal_methods.xShmMap = wal_shm_map;
        wal_methods.xShmLock = wal_shm_lock;
        wal_methods.xShmBarrier = wal_shm_barrier;
        wal_methods.xShmUnmap = wal_shm_unmap;
        wal_methods.xFetch = wal_fetch;
        wal_methods.xUnfetch = wal_unfetch;
        if (sqlite3_vfs_register(&wrapper_vfs, make_default ? 1 : 0) != SQLITE_OK)
            return make_error("storage_error", "cannot register the WAL write buffer");
        return Ok{};
    }
    if (make_default && sqlite3_vfs_register(&wrapper_vfs, 1) != SQLITE_OK)
        return make_error("storage_error", "cannot make the WAL write buffer the default");
    return Ok{};
}

WalWriteCounts wal_write_counts() { return {writes_in.load(), writes_out.load()}; }

}  // namespace lb::server
