// id128.cpp — hex text forms of ids and fresh random ids. Not here: hashing.
#include "lifebuoy/id128.h"

#include <cstring>

namespace lb {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void put_hex(std::uint64_t value, char* out) {
    for (int i = 15; i >= 0; --i) {
        out[i] = kHexDigits[value & 0xFu];
        value >>= 4;
    }
}

// Lowercase hex only, so that one id has exactly one text form.
std::optional<std::uint64_t> parse_hex16(const char* text) {
    std::uint64_t value = 0;
    for (int i = 0; i < 16; ++i) {
        const char c = text[i];
        std::uint64_t digit = 0;
        if (c >= '0' && c <= '9') {
            digit = static_cast<std::uint64_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            digit = static_cast<std::uint64_t>(c - 'a' + 10);
        } else {
            return std::nullopt;
        }
        value = (value << 4) | digit;
    }
    return value;
}

}  // namespace

std::string to_hex(const Id128& id) {
    std::string out(kId128HexChars, '0');
    put_hex(id.hi, out.data());
    put_hex(id.lo, out.data() + 16);
    return out;
}

std::optional<Id128> id128_from_hex(std::string_view text) {
    if (text.size() != kId128HexChars) return std::nullopt;
    const auto hi = parse_hex16(text.data());
    const auto lo = parse_hex16(text.data() + 16);
    if (!hi || !lo) return std::nullopt;
    return Id128{*hi, *lo};
}

std::string u64_to_hex(std::uint64_t value) {
    std::string out(16, '0');
    put_hex(value, out.data());
    return out;
}

std::optional<std::uint64_t> u64_from_hex(std::string_view text) {
    if (text.size() != 16) return std::nullopt;
    return parse_hex16(text.data());
}

std::string node_to_hex(NodeId node) { return u64_to_hex(node); }
std::optional<NodeId> node_from_hex(std::string_view text) { return u64_from_hex(text); }

Id128 random_id128(RandomSource& random) {
    Id128 id;
    while (id.is_zero()) {
        std::uint8_t bytes[16];
        random.fill(bytes, sizeof bytes);
        std::memcpy(&id.hi, bytes, 8);
        std::memcpy(&id.lo, bytes + 8, 8);
    }
    return id;
}

Id128 time_ordered_id128(std::uint64_t ms, RandomSource& random) {
    std::uint8_t bytes[10];
    random.fill(bytes, sizeof bytes);
    Id128 id;
    id.hi = (ms & 0xFFFF'FFFF'FFFFull) << 16 | std::uint64_t{bytes[0]} << 8 | bytes[1];
    std::memcpy(&id.lo, bytes + 2, 8);
    if (id.is_zero()) id.lo = 1;  // only at ms 0 with 80 zero bits: still unique in practice
    return id;
}

}  // namespace lb
