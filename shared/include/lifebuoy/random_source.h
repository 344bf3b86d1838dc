// random_source.h — the randomness interface the core is handed (it never reaches for a global one).
//
// The client and the server pass an implementation backed by libsodium's randombytes_buf; tests,
// benchmarks and simulations pass SeededRandom so every run is reproducible.
// Not here: a source of entropy (the core owns none) — SeededRandom is predictable by design and
// must never make keys, tokens or ids that leave a test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lb {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    // Fills out[0..size) with random bytes. Must not fail.
    virtual void fill(std::uint8_t* out, std::size_t size) = 0;
};

// splitmix64: the same bytes for the same seed, on every platform. For tests and benchmarks.
class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // A number in [0, n), n > 0 (modulo bias is irrelevant for tests).
    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(next() % n); }

    void fill(std::uint8_t* out, std::size_t size) override {
        while (size > 0) {
            const std::uint64_t r = next();
            const std::size_t n = size < 8 ? size : 8;
            std::memcpy(out, &r, n);
            out += n;
            size -= n;
        }
    }

private:
    std::uint64_t state_;
};

}  // namespace lb
