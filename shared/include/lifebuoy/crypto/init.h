// crypto/init.h — starting libsodium, and the production random source.
//
// init() must succeed once before any other lb::crypto call (the client engine and the server call
// it at start-up; it is safe to call again). SystemRandom is the RandomSource to pass in
// production: a fast-key-erasure ChaCha20 generator keyed from libsodium's randombytes_buf
// (getrandom natively, crypto.getRandomValues in the browser) — small draws (ids, nonces) come
// from a 512-byte block instead of a system call each (one getrandom per id was 6 % of the sync
// server's CPU); every block's first 32 bytes become the next key and served bytes are wiped, so
// what it gave out cannot be recomputed from its memory. Draws over 256 bytes go to
// randombytes_buf directly. Thread-safe (a mutex). The library never draws randomness on its own:
// every function that needs it takes a RandomSource&, so tests pass a deterministic one.
// Not here: any global instance (the caller owns its SystemRandom).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

// sodium_init(); error init_failed when libsodium cannot start (no entropy source).
[[nodiscard]] Status init();

class SystemRandom final : public RandomSource {
public:
    SystemRandom() = default;
    ~SystemRandom() override;  // wipes the key and the block
    SystemRandom(const SystemRandom&) = delete;
    SystemRandom& operator=(const SystemRandom&) = delete;

    void fill(std::uint8_t* out, std::size_t size) override;

private:
    void next_block();  // (mutex held)

    std::mutex mutex_;
    std::array<std::uint8_t, 32> key_{};
    std::array<std::uint8_t, 512> block_{};
    std::size_t used_ = block_.size();  // block_[used_..] not served yet
    bool keyed_ = false;                // key_ drawn from randombytes_buf (lazily: after init())
};

}  // namespace lb::crypto
