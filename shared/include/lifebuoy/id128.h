// id128.h — 128-bit random identifiers (op ids, entity ids) and 64-bit node ids, with their text forms.
//
// Features: value type with ordering, lowercase-hex encode/strict decode, a fresh random id from a
// passed-in RandomSource (never the all-zero id, which means "no id").
// Not here: hashing for containers (each container mixes in its own seed).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lifebuoy/random_source.h"

namespace lb {

struct Id128 {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;

    bool is_zero() const { return hi == 0 && lo == 0; }
    friend bool operator==(const Id128&, const Id128&) = default;
    friend std::strong_ordering operator<=>(const Id128&, const Id128&) = default;
};

using OpId = Id128;      // one change
using EntityId = Id128;  // a ticket, comment, user, device or KB reference
using NodeId = std::uint64_t;  // one replica (a device or the server); 0 means "none"

inline constexpr std::size_t kId128HexChars = 32;
inline constexpr std::size_t kNodeIdHexChars = 16;

// 32 lowercase hex digits, most significant first.
std::string to_hex(const Id128& id);
// Exactly 32 lowercase hex digits; anything else (uppercase, dashes, other lengths) is nullopt.
std::optional<Id128> id128_from_hex(std::string_view text);

// 16 lowercase hex digits.
std::string node_to_hex(NodeId node);
std::optional<NodeId> node_from_hex(std::string_view text);

// 16 lowercase hex digits of any 64-bit number (used for node ids and packed clocks).
std::string u64_to_hex(std::uint64_t value);
std::optional<std::uint64_t> u64_from_hex(std::string_view text);

// A fresh non-zero id drawn from `random`.
Id128 random_id128(RandomSource& random);

// A fresh id for an op, a batch or a new entity: the first 48 bits are `ms` (milliseconds since the
// epoch), the other 80 drawn from `random` — a UUIDv7's layout without its version bits. Ids made
// later sort later, so the indexes that hold them (the server's op log, the devices') grow at their
// right edge instead of each id dirtying a random page; 80 random bits keep them unguessable and
// unique (two ids in the same millisecond collide with probability 2^-80).
Id128 time_ordered_id128(std::uint64_t ms, RandomSource& random);

}  // namespace lb
