// crypto_test_support.h — helpers for the crypto_*_test.cpp suites: a deterministic RandomSource
// (libsodium's randombytes_buf_deterministic, stable across platforms and versions, so known-answer
// hex stays frozen), hex conversion, and "flip one byte" / "cut at length" helpers.
// Not here: assertions (each suite has its own).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <sodium.h>

#include "lifebuoy/crypto/init.h"
#include "lifebuoy/random_source.h"

namespace lb::test {

// Each fill() draws from ChaCha20 keyed by (seed with the call number mixed in).
class DeterministicRandom final : public RandomSource {
public:
    explicit DeterministicRandom(std::uint8_t seed) { seed_.fill(seed); }
    void fill(std::uint8_t* out, std::size_t size) override {
        std::array<std::uint8_t, randombytes_SEEDBYTES> key = seed_;
        for (std::size_t i = 0; i < 8; ++i) key[i] ^= static_cast<std::uint8_t>(calls_ >> (8 * i));
        ++calls_;
        randombytes_buf_deterministic(out, size, key.data());
    }

private:
    std::array<std::uint8_t, randombytes_SEEDBYTES> seed_{};
    std::uint64_t calls_ = 0;
};

inline void require_crypto() { REQUIRE(lb::crypto::init().ok()); }

inline std::string hex(std::span<const std::uint8_t> bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline std::vector<std::uint8_t> flipped(const std::vector<std::uint8_t>& bytes, std::size_t at,
                                         std::uint8_t mask = 0x01) {
    std::vector<std::uint8_t> copy = bytes;
    copy[at] = static_cast<std::uint8_t>(copy[at] ^ mask);
    return copy;
}

inline std::span<const std::uint8_t> cut(const std::vector<std::uint8_t>& bytes, std::size_t length) {
    return std::span<const std::uint8_t>(bytes.data(), length);
}

template <typename T>
bool code_in(const T& result, std::initializer_list<std::string_view> codes) {
    if (result.ok()) return false;
    for (std::string_view code : codes) {
        if (result.error().code == code) return true;
    }
    return false;
}

}  // namespace lb::test
