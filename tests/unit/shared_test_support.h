// shared_test_support.h — fakes and builders for the shared-core suites: a seeded random source and
// a fixture that writes tickets straight into a replica (no authorisation) to set up a state.
// Not here: assertions (each suite has its own).
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "lifebuoy/domain.h"
#include "lifebuoy/hlc.h"
#include "lifebuoy/op.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/replica.h"

namespace lb::test {

// splitmix64: reproducible from its seed.
class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
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

inline constexpr std::uint64_t kT0 = 1'700'000'000'000;  // a fixed "now" in Unix ms

// A replica plus a clock and randomness to write into it directly.
struct Desk {
    SeededRandom random{42};
    HybridClock clock{0xD35C, {}};
    std::uint64_t now_ms = kT0;
    Replica replica;

    BatchBuilder builder() { return BatchBuilder(clock, random, now_ms++); }

    void must_apply(Batch batch) {
        auto r = replica.apply(std::move(batch));
        if (!r) throw std::runtime_error(r.error().code + ": " + r.error().message);
    }

    // A ticket of `requester` in `status`, written without any permission check.
    EntityId ticket(const EntityId& requester, TicketStatus status, const std::string& title = "VPN drops") {
        auto b = builder();
        const EntityId id = b.new_entity_id();
        b.set(EntityKind::ticket, id, Field::ticket_requester, requester)
            .set(EntityKind::ticket, id, Field::ticket_title, title)
            .set(EntityKind::ticket, id, Field::ticket_channel, std::string("web"))
            .set(EntityKind::ticket, id, Field::ticket_status, std::string(to_name(status)));
        must_apply(b.finish());
        return id;
    }
};

}  // namespace lb::test
