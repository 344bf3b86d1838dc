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

using lb::SeededRandom;  // splitmix64, reproducible from its seed (random_source.h)

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
