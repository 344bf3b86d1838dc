// flat_index.h — (internal to Replica) open-addressing hash index from (tag, Id128) to a 32-bit number: the op
// id set and the entity table of a Replica, without one allocation per entry.
//
// Ids arrive from untrusted peers, so keys are mixed with a per-index seed (pass a random seed on the
// server; this is hash-flooding mitigation, not a cryptographic guarantee).
// Not here: removal (the replica never removes anything).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "lifebuoy/id128.h"

namespace lb::detail {

class FlatIndex {
public:
    explicit FlatIndex(std::uint64_t seed = 0) : seed_(seed) {}

    std::size_t size() const { return size_; }

    const std::uint32_t* find(std::uint32_t tag, const Id128& id) const {
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash(tag, id) & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (!s.used) return nullptr;
            if (s.tag == tag && s.id == id) return &s.value;
        }
    }

    // Inserts (tag, id) → value when absent. Returns the stored value and whether it was inserted.
    std::pair<std::uint32_t, bool> insert(std::uint32_t tag, const Id128& id, std::uint32_t value) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash(tag, id) & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (!s.used) {
                s = Slot{id, value, tag, true};
                ++size_;
                return {value, true};
            }
            if (s.tag == tag && s.id == id) return {s.value, false};
        }
    }

    void reserve(std::size_t entries) {
        std::size_t want = 16;
        while (want < entries * 2) want *= 2;
        if (want > slots_.size()) rehash(want);
    }

private:
    struct Slot {
        Id128 id;
        std::uint32_t value = 0;
        std::uint32_t tag = 0;
        bool used = false;
    };

    static std::uint64_t mix(std::uint64_t x) {  // murmur3 finaliser
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53ULL;
        x ^= x >> 33;
        return x;
    }

    std::size_t hash(std::uint32_t tag, const Id128& id) const {
        return static_cast<std::size_t>(mix(mix(id.lo ^ seed_) ^ id.hi ^ (std::uint64_t{tag} << 32)));
    }

    void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }

    void rehash(std::size_t capacity) {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(capacity, Slot{});
        const std::size_t mask = capacity - 1;
        for (const Slot& s : old) {
            if (!s.used) continue;
            std::size_t i = hash(s.tag, s.id) & mask;
            while (slots_[i].used) i = (i + 1) & mask;
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
    std::uint64_t seed_;
};

}  // namespace lb::detail
