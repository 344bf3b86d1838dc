// bytes.h (private to src/crypto) — bounds-checked big-endian reading and writing of the binary
// formats. A reader never reads past its span: every read reports whether the bytes were there.
// Not here: any format (each lives in its own .cpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "lifebuoy/id128.h"

namespace lb::crypto::detail {

inline void put_u8(std::vector<std::uint8_t>& out, std::uint8_t v) { out.push_back(v); }

inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

inline void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

inline void put_bytes(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

inline void put_text(std::vector<std::uint8_t>& out, std::string_view text) {
    for (char c : text) out.push_back(static_cast<std::uint8_t>(c));
}

inline void put_id128(std::vector<std::uint8_t>& out, const Id128& id) {
    put_u64(out, id.hi);
    put_u64(out, id.lo);
}

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::size_t remaining() const { return bytes_.size() - pos_; }
    std::size_t position() const { return pos_; }
    std::span<const std::uint8_t> rest() const { return bytes_.subspan(pos_); }

    [[nodiscard]] bool u8(std::uint8_t& out) {
        if (remaining() < 1) return false;
        out = bytes_[pos_++];
        return true;
    }
    [[nodiscard]] bool u32(std::uint32_t& out) {
        if (remaining() < 4) return false;
        out = 0;
        for (int i = 0; i < 4; ++i) out = (out << 8) | bytes_[pos_++];
        return true;
    }
    [[nodiscard]] bool u64(std::uint64_t& out) {
        if (remaining() < 8) return false;
        out = 0;
        for (int i = 0; i < 8; ++i) out = (out << 8) | bytes_[pos_++];
        return true;
    }
    template <std::size_t N>
    [[nodiscard]] bool array(std::array<std::uint8_t, N>& out) {
        if (remaining() < N) return false;
        std::memcpy(out.data(), bytes_.data() + pos_, N);
        pos_ += N;
        return true;
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
};

}  // namespace lb::crypto::detail
