// slot_vfs.cpp — SQLite VFS methods mapped onto FileSlots.
#include "engine/slot_vfs.h"

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include <sqlite3.h>

namespace lb::engine {
namespace {

struct SlotVfs {
    sqlite3_vfs vfs{};
    FileSlots* slots = nullptr;
    std::string name;
};

struct SlotFile {
    sqlite3_file base;  // first member: SQLite casts between the two
    SyncFile* file;
    bool delete_on_close;
};

// SQLite keeps pointers to registered VFS objects for the life of the process.
std::map<std::string, std::unique_ptr<SlotVfs>>& registry() {
    static std::map<std::string, std::unique_ptr<SlotVfs>> vfs_by_name;
    return vfs_by_name;
}
std::string& last_error() {
    static std::string message;
    return message;
}

int fail(const Error& error, int io_code) {
    last_error() = error.code + ": " + error.message;
    return error.code == "quota_exceeded" ? SQLITE_FULL : io_code;
}

SlotVfs* owner(sqlite3_vfs* vfs) { return static_cast<SlotVfs*>(vfs->pAppData); }
SyncFile* file_of(sqlite3_file* f) { return reinterpret_cast<SlotFile*>(f)->file; }

int x_close(sqlite3_file* f) {
    auto* sf = reinterpret_cast<SlotFile*>(f);
    if (sf->delete_on_close) {
        if (auto s = sf->file->truncate(0); !s) return fail(s.error(), SQLITE_IOERR_DELETE);
    }
    return SQLITE_OK;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    auto n = file_of(f)->read(out, static_cast<std::size_t>(amount), static_cast<std::uint64_t>(offset));
    if (!n) return fail(n.error(), SQLITE_IOERR_READ);
    if (n.value() < static_cast<std::size_t>(amount)) {
        std::memset(static_cast<char*>(out) + n.value(), 0, static_cast<std::size_t>(amount) - n.value());
        return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    auto s = file_of(f)->write(data, static_cast<std::size_t>(amount), static_cast<std::uint64_t>(offset));
    return s ? SQLITE_OK : fail(s.error(), SQLITE_IOERR_WRITE);
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    auto s = file_of(f)->truncate(static_cast<std::uint64_t>(size));
    return s ? SQLITE_OK : fail(s.error(), SQLITE_IOERR_TRUNCATE);
}

int x_sync(sqlite3_file* f, int) {
    auto s = file_of(f)->flush();
    return s ? SQLITE_OK : fail(s.error(), SQLITE_IOERR_FSYNC);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* out) {
    auto size = file_of(f)->size();
    if (!size) return fail(size.error(), SQLITE_IOERR_FSTAT);
    *out = static_cast<sqlite3_int64>(size.value());
    return SQLITE_OK;
}

int x_lock(sqlite3_file*, int) { return SQLITE_OK; }
int x_unlock(sqlite3_file*, int) { return SQLITE_OK; }
int x_check_reserved_lock(sqlite3_file*, int* out) {
    *out = 0;
    return SQLITE_OK;
}
int x_file_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int x_sector_size(sqlite3_file*) { return 4096; }
int x_device_characteristics(sqlite3_file*) { return SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN; }

const sqlite3_io_methods kIoMethods = {
    1,  // iVersion: no shared memory (WAL only in exclusive locking mode), no mmap
    x_close, x_read, x_write, x_truncate, x_sync, x_file_size, x_lock, x_unlock,
    x_check_reserved_lock, x_file_control, x_sector_size, x_device_characteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    f->pMethods = nullptr;
    if (!name) return SQLITE_CANTOPEN;  // temporary files stay in memory (SQLITE_TEMP_STORE)
    SyncFile* file = owner(vfs)->slots->file(name);
    if (!file) {
        last_error() = std::string("no storage slot for '") + name + "'";
        return SQLITE_CANTOPEN;
    }
    auto* sf = reinterpret_cast<SlotFile*>(f);
    sf->file = file;
    sf->delete_on_close = (flags & SQLITE_OPEN_DELETEONCLOSE) != 0;
    f->pMethods = &kIoMethods;
    if (out_flags) *out_flags = flags;
    last_error().clear();
    return SQLITE_OK;
}

int x_delete(sqlite3_vfs* vfs, const char* name, int) {
    SyncFile* file = owner(vfs)->slots->file(name);
    if (!file) return SQLITE_IOERR_DELETE_NOENT;
    if (auto s = file->truncate(0); !s) return fail(s.error(), SQLITE_IOERR_DELETE);
    if (auto s = file->flush(); !s) return fail(s.error(), SQLITE_IOERR_DELETE);
    return SQLITE_OK;
}

int x_access(sqlite3_vfs* vfs, const char* name, int, int* out) {
    SyncFile* file = owner(vfs)->slots->file(name);
    *out = 0;
    if (!file) return SQLITE_OK;
    auto size = file->size();
    if (!size) return fail(size.error(), SQLITE_IOERR_ACCESS);
    *out = size.value() > 0 ? 1 : 0;
    return SQLITE_OK;
}

int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    while (*name == '/') ++name;
    if (static_cast<int>(std::strlen(name)) >= n) return SQLITE_CANTOPEN;
    std::strcpy(out, name);
    return SQLITE_OK;
}

// Randomness, sleep and time come from SQLite's default VFS.
sqlite3_vfs* base_vfs() { return sqlite3_vfs_find(nullptr); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return base_vfs()->xRandomness(base_vfs(), n, out); }
int x_sleep(sqlite3_vfs*, int micros) { return base_vfs()->xSleep(base_vfs(), micros); }
int x_current_time(sqlite3_vfs*, double* out) { return base_vfs()->xCurrentTime(base_vfs(), out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
    if (n > 0) {
        std::strncpy(out, last_error().c_str(), static_cast<std::size_t>(n) - 1);
        out[n - 1] = '\0';
    }
    return SQLITE_OK;
}

}  // namespace

Status register_slot_vfs(const std::string& vfs_name, FileSlots* slots) {
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    if (int rc = sqlite3_initialize(); rc != SQLITE_OK)
        return make_error("storage_open_failed", "SQLite failed to initialise");
    auto& reg = registry();
    auto it = reg.find(vfs_name);
    if (it != reg.end()) {
        it->second->slots = slots;
        return Ok{};
    }
    auto v = std::make_unique<SlotVfs>();
    v->name = vfs_name;
    v->slots = slots;
    sqlite3_vfs& vfs = v->vfs;
    vfs.iVersion = 1;
    vfs.szOsFile = sizeof(SlotFile);
    vfs.mxPathname = 512;
    vfs.zName = v->name.c_str();
    vfs.pAppData = v.get();
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
        return make_error("storage_open_failed", "cannot register the storage VFS");
    reg.emplace(vfs_name, std::move(v));
    return Ok{};
}

std::string last_slot_vfs_error() { return last_error(); }

}  // namespace lb::engine
