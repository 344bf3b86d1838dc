// staged_changes.h — one write transaction's view of the sync log: the entities it touches (their
// stored ops loaded into a Replica), the ops it appends (with routing and fresh server_seqs), the
// tickets whose metadata changes and the users to wake once it commits. Push uses it for a device's
// batch, the server's automation (numbering, triage, escalation) for its own batches in the same
// transaction.
//
// Routing, decided once when an op is stored: ticket ops, comments and KB references belong to
// their ticket (comments that requesters may not see are `internal`); user ops to the user; device
// ops to the device's owner.
// Not here: deciding what may be stored (authorize_batch, called by push and by append_authored),
// the transaction itself (SyncStore::transaction), waking anyone (LiveNotifier).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/op.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/result.h"
#include "sync_store.h"

namespace lb::server {

// The code append_authored returns when the table refuses the server's own batch (a bug in the
// automation, never the device's fault): nothing was stored; callers log it and carry on.
inline constexpr const char* kAutomationRefused = "automation_refused";

class StagedChanges {
public:
    explicit StagedChanges(SyncStore& store) : store_(store) {}

    // Every stored op about the entity, into state() (once per entity; unknown kinds are skipped).
    Status load(EntityKind kind, const EntityId& id);
    // What authorising `batch` needs: every entity it touches, then the tickets its comments and
    // KB references hang on (named in the batch or in their stored ops).
    Status load_for(const Batch& batch);

    Replica& state() { return state_; }
    const Replica& state() const { return state_; }

    // Stores the ops of `batch` (already applied to state()) in order, each with its routing.
    Status append(const Batch& batch, const std::optional<EntityId>& device, std::int64_t received_at_ms);
    // The server's own batch: authorised as `actor` against state(), applied, appended. An empty
    // batch is fine (nothing happens). Code kAutomationRefused when the table says no.
    Status append_authored(const Actor& actor, const Batch& batch, std::int64_t now_ms);
    // Writes the metadata row of every touched ticket; their requesters are woken when a change
    // they may see landed.
    Status save_ticket_rows();

    const std::vector<std::pair<OpId, std::int64_t>>& seqs() const { return seqs_; }  // op id → seq
    std::int64_t last_seq() const { return last_seq_; }
    std::vector<EntityId>& users_to_wake() { return concerned_; }

private:
    SyncStore& store_;
    Replica state_;
    std::set<std::pair<EntityKind, EntityId>> loaded_;
    std::vector<std::pair<OpId, std::int64_t>> seqs_;
    std::set<EntityId> tickets_;          // tickets whose metadata changes
    std::set<EntityId> requester_news_;   // tickets with a change their requester may see
    std::vector<EntityId> concerned_;     // users to wake
    std::int64_t last_seq_ = 0;
};

// The ticket a comment or KB reference hangs on, as `state` says.
std::optional<EntityId> parent_ticket(const Replica& state, EntityKind kind, const EntityId& id);

}  // namespace lb::server
