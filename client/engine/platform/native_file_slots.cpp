// native_file_slots.cpp — SyncFile on a POSIX file descriptor; the folder, its lock and fsyncs.
#include "engine/platform/native_file_slots.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb::engine {
namespace {

Error os_error(const std::string& what, const std::string& path, int err) {
    if (err == ENOSPC || err == EDQUOT)
        return make_error("quota_exceeded", "no space left for " + path + " (the disk is full)");
    return make_error("storage_error", what + " " + path + ": " + std::strerror(err));
}

class NativeFile final : public SyncFile {
public:
    NativeFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    ~NativeFile() override { ::close(fd_); }
    NativeFile(const NativeFile&) = delete;
    NativeFile& operator=(const NativeFile&) = delete;

    Result<std::size_t> read(void* out, std::size_t n, std::uint64_t offset) override {
        auto* at = static_cast<char*>(out);
        std::size_t done = 0;
        while (done < n) {
            ssize_t got = ::pread(fd_, at + done, n - done, static_cast<off_t>(offset + done));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) return os_error("cannot read", path_, errno);
            if (got == 0) break;  // end of file
            done += static_cast<std::size_t>(got);
        }
        return done;
    }

    Status write(const void* data, std::size_t n, std::uint64_t offset) override {
        const auto* from = static_cast<const char*>(data);
        std::size_t done = 0;
        while (done < n) {
            ssize_t put = ::pwrite(fd_, from + done, n - done, static_cast<off_t>(offset + done));
            if (put < 0 && errno == EINTR) continue;
            if (put < 0) return os_error("cannot write", path_, errno);
            done += static_cast<std::size_t>(put);
        }
        return Ok{};
    }

    Status truncate(std::uint64_t size) override {
        while (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
            if (errno != EINTR) return os_error("cannot truncate", path_, errno);
        }
        return Ok{};
    }

    Status flush() override {
        while (::fsync(fd_) != 0) {
            if (errno != EINTR) return os_error("cannot flush", path_, errno);
        }
        return Ok{};
    }

    Result<std::uint64_t> size() override {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) return os_error("cannot stat", path_, errno);
        return static_cast<std::uint64_t>(st.st_size);
    }

private:
    int fd_;
    std::string path_;
};

Status fsync_folder(const std::string& folder) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return os_error("cannot open folder", folder, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return os_error("cannot flush folder", folder, err);
    return Ok{};
}

}  // namespace

Result<std::unique_ptr<NativeFileSlots>> NativeFileSlots::open(const std::string& folder) {
    if (folder.empty()) return make_error("storage_open_failed", "no data folder given");
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) return make_error("storage_open_failed", "cannot create " + folder + ": " + ec.message());
    ::chmod(folder.c_str(), 0700);  // best effort: the folder may belong to someone else's layout

    const std::string lock_path = folder + "/" + kNativeLockFile;
    int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0) return make_error("storage_open_failed", "cannot open " + lock_path + ": " + std::strerror(errno));
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        ::close(lock_fd);
        if (err == EWOULDBLOCK) return make_error("storage_in_use", "another Lifebuoy process is using " + folder);
        return make_error("storage_open_failed", "cannot lock " + lock_path + ": " + std::strerror(err));
    }
    std::unique_ptr<NativeFileSlots> slots(new NativeFileSlots(folder, lock_fd));
    bool created_any = false;
    for (const char* name : kDatabaseFiles) {
        const std::string path = folder + "/" + name;
        int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
            fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            created_any = true;
        }
        if (fd < 0) return make_error("storage_open_failed", "cannot open " + path + ": " + std::strerror(errno));
        slots->files_.push_back(std::make_unique<NativeFile>(fd, path));
    }
    if (created_any) {
        if (auto s = fsync_folder(folder); !s) return make_error("storage_open_failed", s.error().message);
    }
    return slots;
}

NativeFileSlots::NativeFileSlots(std::string folder, int lock_fd) : folder_(std::move(folder)), lock_fd_(lock_fd) {}

NativeFileSlots::~NativeFileSlots() {
    files_.clear();
    ::close(lock_fd_);  // releases the flock
}

SyncFile* NativeFileSlots::file(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kDatabaseFiles); ++i)
        if (name == kDatabaseFiles[i]) return files_[i].get();
    return nullptr;
}

}  // namespace lb::engine
