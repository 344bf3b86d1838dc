// crypto/secret.h — containers for secret bytes that wipe themselves, and constant-time compare.
//
// Features: SecretBytes<N> (fixed size: keys) and SecretBuffer (sized once: serialised key pairs).
// Both are move-only, wipe with sodium_memzero on destruction and when moved from, and have no
// stream operator, so key material cannot be copied or printed by accident. duplicate() is the one
// explicit way to copy.
// Not here: locking pages in memory (sodium_mlock) — not available in the browser.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lb::crypto {

// sodium_memzero: not optimised away.
void wipe(void* data, std::size_t size) noexcept;
// sodium_memcmp: time independent of where the bytes differ.
[[nodiscard]] bool equal_constant_time(const std::uint8_t* a, const std::uint8_t* b, std::size_t size) noexcept;

template <std::size_t N>
class SecretBytes {
public:
    SecretBytes() { data_.fill(0); }
    ~SecretBytes() { wipe(data_.data(), N); }
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept : data_(other.data_) { wipe(other.data_.data(), N); }
    SecretBytes& operator=(SecretBytes&& other) noexcept {
        if (this != &other) {
            data_ = other.data_;
            wipe(other.data_.data(), N);
        }
        return *this;
    }

    static constexpr std::size_t size() { return N; }
    std::uint8_t* data() { return data_.data(); }
    const std::uint8_t* data() const { return data_.data(); }
    std::span<const std::uint8_t, N> bytes() const { return std::span<const std::uint8_t, N>(data_); }

    [[nodiscard]] SecretBytes duplicate() const {
        SecretBytes copy;
        copy.data_ = data_;
        return copy;
    }
    [[nodiscard]] bool equals(const SecretBytes& other) const {
        return equal_constant_time(data_.data(), other.data_.data(), N);
    }

private:
    std::array<std::uint8_t, N> data_;
};

// A buffer sized once at construction (never grown, so no stale copy is left behind by a
// reallocation).
class SecretBuffer {
public:
    explicit SecretBuffer(std::size_t size) : data_(size, 0) {}
    ~SecretBuffer() { wipe(data_.data(), data_.size()); }
    SecretBuffer(const SecretBuffer&) = delete;
    SecretBuffer& operator=(const SecretBuffer&) = delete;
    SecretBuffer(SecretBuffer&& other) noexcept = default;  // the vector's buffer moves; none is copied
    SecretBuffer& operator=(SecretBuffer&& other) noexcept {
        if (this != &other) {
            wipe(data_.data(), data_.size());
            data_ = std::move(other.data_);
        }
        return *this;
    }

    std::size_t size() const { return data_.size(); }
    std::uint8_t* data() { return data_.data(); }
    const std::uint8_t* data() const { return data_.data(); }
    std::span<const std::uint8_t> bytes() const { return data_; }

private:
    std::vector<std::uint8_t> data_;
};

}  // namespace lb::crypto
