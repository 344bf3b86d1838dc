// init.cpp — sodium_init and the production RandomSource; wipe / constant-time compare for secret.h.
#include "lifebuoy/crypto/init.h"

#include <sodium.h>

#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/crypto/secret.h"

namespace lb::crypto {

Status init() {
    if (sodium_init() < 0) return crypto_error(CryptoError::init_failed, "libsodium could not start");
    return Ok{};
}

void SystemRandom::fill(std::uint8_t* out, std::size_t size) { randombytes_buf(out, size); }

void wipe(void* data, std::size_t size) noexcept {
    if (size > 0) sodium_memzero(data, size);
}

bool equal_constant_time(const std::uint8_t* a, const std::uint8_t* b, std::size_t size) noexcept {
    return size == 0 || sodium_memcmp(a, b, size) == 0;
}

}  // namespace lb::crypto
