// automation_context.h — what the server's automation (ticket numbers, triage, escalation) gets
// inside a write transaction: the staged changes, the server's clock and randomness to build its
// batches with, its own identity (role `system`) and the instant it acts at.
// Not here: what the automation decides (ticket_triage.h), the transaction (SyncService).
#pragma once

#include <cstdint>

#include "lifebuoy/hlc.h"
#include "lifebuoy/lifecycle.h"
#include "lifebuoy/op.h"
#include "lifebuoy/random_source.h"
#include "staged_changes.h"

namespace lb::server {

struct AutomationContext {
    StagedChanges& changes;
    HybridClock& clock;
    RandomSource& random;
    Actor system;              // the server's own user, role system
    std::uint64_t now_ms = 0;  // the server's wall clock (injected: tests move it by hand)

    BatchBuilder builder() const { return BatchBuilder(clock, random, now_ms); }
    std::int64_t now() const { return static_cast<std::int64_t>(now_ms); }
    NodeId server_node() const { return clock.node(); }

    // Authorises, applies and stores what `builder` holds (nothing when it is empty).
    Status commit(BatchBuilder& builder) const {
        return changes.append_authored(system, builder.finish(), now());
    }
};

}  // namespace lb::server
