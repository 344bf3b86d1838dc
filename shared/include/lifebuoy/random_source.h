// random_source.h — the randomness interface the core is handed (it never reaches for a global one).
//
// The client and the server pass an implementation backed by libsodium's randombytes_buf; tests pass
// a seeded generator so every run is reproducible.
// Not here: any implementation (the core owns no source of entropy).
#pragma once

#include <cstddef>
#include <cstdint>

namespace lb {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    // Fills out[0..size) with random bytes. Must not fail.
    virtual void fill(std::uint8_t* out, std::size_t size) = 0;
};

}  // namespace lb
