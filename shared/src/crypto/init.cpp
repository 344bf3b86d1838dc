// init.cpp — sodium_init and the production RandomSource; wipe / constant-time compare for secret.h.
#include "lifebuoy/crypto/init.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/crypto/secret.h"

namespace lb::crypto {

Status init() {
    if (sodium_init() < 0) return crypto_error(CryptoError::init_failed, "libsodium could not start");
    return Ok{};
}

SystemRandom::~SystemRandom() {
    sodium_memzero(key_.data(), key_.size());
    sodium_memzero(block_.data(), block_.size());
}

void SystemRandom::next_block() {
    if (!keyed_) {
        randombytes_buf(key_.data(), key_.size());
        keyed_ = true;
    }
    static const std::uint8_t kZeroNonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
    crypto_stream_chacha20_ietf(block_.data(), block_.size(), kZeroNonce, key_.data());  // a fresh key each block
    std::memcpy(key_.data(), block_.data(), key_.size());
    sodium_memzero(block_.data(), key_.size());
    used_ = key_.size();
}

void SystemRandom::fill(std::uint8_t* out, std::size_t size) {
    if (size > 256) {
        randombytes_buf(out, size);
        return;
    }
    std::lock_guard lock(mutex_);
    while (size > 0) {
        if (used_ == block_.size()) next_block();
        const std::size_t n = std::min(size, block_.size() - used_);
        std::memcpy(out, block_.data() + used_, n);
        sodium_memzero(block_.data() + used_, n);
        used_ += n;
        out += n;
        size -= n;
    }
}

void wipe(void* data, std::size_t size) noexcept {
    if (size > 0) sodium_memzero(data, size);
}

bool equal_constant_time(const std::uint8_t* a, const std::uint8_t* b, std::size_t size) noexcept {
    return size == 0 || sodium_memcmp(a, b, size) == 0;
}

}  // namespace lb::crypto
