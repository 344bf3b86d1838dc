// server_identity.cpp — reading and creating the server key file (POSIX open with O_EXCL, 0600).
// Not here: the key blob's format (lifebuoy/crypto/keys.h).
#include "server_identity.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace lb::server {
namespace {

Error file_error(const std::filesystem::path& path, const char* what) {
    return make_error("key_file_unreadable", std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Result<crypto::KeyPair> load_or_create_server_key(const std::filesystem::path& data_dir, RandomSource& random) {
    const std::filesystem::path path = data_dir / kServerKeyFileName;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        std::vector<std::uint8_t> blob(crypto::kKeyPairBlobBytes + 1);
        const ssize_t n = ::read(fd, blob.data(), blob.size());
        ::close(fd);
        if (n < 0) return file_error(path, "cannot read");
        blob.resize(static_cast<std::size_t>(n));
        auto pair = crypto::decode_key_pair(blob);
        std::memset(blob.data(), 0, blob.size());
        if (!pair) return make_error(pair.error().code, path.string() + ": " + pair.error().message);
        return std::move(pair).value();
    }
    if (errno != ENOENT) return file_error(path, "cannot open");
    crypto::KeyPair pair = crypto::generate_key_pair(random);
    const crypto::SecretBuffer blob = crypto::encode_key_pair(pair);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return file_error(path, "cannot create");
    const ssize_t written = ::write(fd, blob.data(), blob.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (written != static_cast<ssize_t>(blob.size()) || !synced) {
        ::unlink(path.c_str());
        return file_error(path, "cannot write");
    }
    return pair;
}

}  // namespace lb::server
