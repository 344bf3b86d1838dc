// crypto/init.h — starting libsodium, and the production random source.
//
// init() must succeed once before any other lb::crypto call (the client engine and the server call
// it at start-up; it is safe to call again). SystemRandom is the RandomSource to pass in
// production: libsodium's randombytes_buf (getrandom natively, crypto.getRandomValues in the
// browser). The library never draws randomness on its own: every function that needs it takes a
// RandomSource&, so tests pass a deterministic one.
// Not here: any global instance (the caller owns its SystemRandom).
#pragma once

#include <cstddef>
#include <cstdint>

#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

// sodium_init(); error init_failed when libsodium cannot start (no entropy source).
[[nodiscard]] Status init();

class SystemRandom final : public RandomSource {
public:
    void fill(std::uint8_t* out, std::size_t size) override;
};

}  // namespace lb::crypto
