// opfs_file_slots.cpp — SyncFile calls mapped onto OPFS sync access handles through EM_JS.
#include "engine/platform/opfs_file_slots.h"

#include <cstdlib>
#include <string_view>

#include <emscripten.h>

namespace lb::engine {
namespace {

// Results: >= 0 success (bytes or size); -1 error; -2 quota exceeded. Offsets and sizes travel as
// doubles (exact below 2^53 bytes).
EM_JS(double, lb_js_opfs_read, (int slot, void* out, double n, double offset), {
    try {
        return Module.lbOpfs.handles[slot].read(HEAPU8.subarray(out, out + n), {at: offset});
    } catch (e) { Module.lbOpfs.lastError = String(e); return -1; }
});
EM_JS(double, lb_js_opfs_write, (int slot, const void* data, double n, double offset), {
    try {
        const written = Module.lbOpfs.handles[slot].write(HEAPU8.subarray(data, data + n), {at: offset});
        if (written !== n) { Module.lbOpfs.lastError = "short write"; return -1; }
        return written;
    } catch (e) {
        Module.lbOpfs.lastError = String(e);
        return e && e.name === "QuotaExceededError" ? -2 : -1;
    }
});
EM_JS(double, lb_js_opfs_truncate, (int slot, double size), {
    try { Module.lbOpfs.handles[slot].truncate(size); return 0; }
    catch (e) { Module.lbOpfs.lastError = String(e); return e && e.name === "QuotaExceededError" ? -2 : -1; }
});
EM_JS(double, lb_js_opfs_flush, (int slot), {
    try { Module.lbOpfs.handles[slot].flush(); return 0; }
    catch (e) { Module.lbOpfs.lastError = String(e); return -1; }
});
EM_JS(double, lb_js_opfs_size, (int slot), {
    try { return Module.lbOpfs.handles[slot].getSize(); }
    catch (e) { Module.lbOpfs.lastError = String(e); return -1; }
});
EM_JS(char*, lb_js_opfs_last_error, (), {
    const text = String(Module.lbOpfs.lastError || "unknown OPFS error");
    const len = lengthBytesUTF8(text) + 1;
    const ptr = _malloc(len);
    stringToUTF8(text, ptr, len);
    return ptr;
});

Error opfs_error(double code, const char* what) {
    char* raw = lb_js_opfs_last_error();
    std::string detail(raw ? raw : "");
    std::free(raw);
    if (code == -2) return make_error("quota_exceeded", "the browser's storage quota for this site is used up");
    return make_error("storage_error", std::string(what) + ": " + detail);
}

class OpfsFile final : public SyncFile {
public:
    explicit OpfsFile(int slot) : slot_(slot) {}

    Result<std::size_t> read(void* out, std::size_t n, std::uint64_t offset) override {
        double r = lb_js_opfs_read(slot_, out, static_cast<double>(n), static_cast<double>(offset));
        if (r < 0) return opfs_error(r, "read");
        return static_cast<std::size_t>(r);
    }
    Status write(const void* data, std::size_t n, std::uint64_t offset) override {
        double r = lb_js_opfs_write(slot_, data, static_cast<double>(n), static_cast<double>(offset));
        if (r < 0) return opfs_error(r, "write");
        return Ok{};
    }
    Status truncate(std::uint64_t size) override {
        double r = lb_js_opfs_truncate(slot_, static_cast<double>(size));
        if (r < 0) return opfs_error(r, "truncate");
        return Ok{};
    }
    Status flush() override {
        double r = lb_js_opfs_flush(slot_);
        if (r < 0) return opfs_error(r, "flush");
        return Ok{};
    }
    Result<std::uint64_t> size() override {
        double r = lb_js_opfs_size(slot_);
        if (r < 0) return opfs_error(r, "size");
        return static_cast<std::uint64_t>(r);
    }

private:
    int slot_;
};

}  // namespace

OpfsFileSlots::OpfsFileSlots() {
    for (int i = 0; i < static_cast<int>(std::size(kDatabaseFiles)); ++i)
        files_.push_back(std::make_unique<OpfsFile>(i));
}

OpfsFileSlots::~OpfsFileSlots() = default;

SyncFile* OpfsFileSlots::file(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kDatabaseFiles); ++i)
        if (name == kDatabaseFiles[i]) return files_[i].get();
    return nullptr;
}

}  // namespace lb::engine
