// op.h — the unit of change. Every mutation is an Op {op_id, hlc, node, entity, entity_id, field,
// value}; one user action is one Batch, applied all or nothing.
//
// Features: structural validation that depends on nothing but the op itself (so every replica
// accepts exactly the same ops and merge stays commutative); BatchBuilder, which stamps ops with the
// passed-in clock and random source; clamp_future_op, the server-ingress half of the future-timestamp
// policy (see hlc.h). Ops from a newer version keep what this version does not know (entity/field
// names, extra JSON members) in an OpExtension and pass it on unchanged.
// Not here: who may write what (lifecycle.h), applying ops (replica.h), JSON (wire.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/errors.h"
#include "lifebuoy/hlc.h"
#include "lifebuoy/id128.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"
#include "lifebuoy/schema.h"
#include "lifebuoy/value.h"

namespace lb {

inline constexpr std::size_t kMaxBatchOps = 512;
// Unknown members of one op or batch object, as canonical JSON text.
inline constexpr std::size_t kMaxExtensionBytes = 4 * 1024;
inline constexpr std::size_t kMaxExtensionMembers = 16;

// What a newer version sent that this one does not understand. Rare, so held by pointer.
struct OpExtension {
    std::string entity_name;  // set when entity == EntityKind::unknown
    std::string field_name;   // set when field == Field::unknown
    std::string members;      // unknown members of the op object: canonical JSON object or ""
    friend bool operator==(const OpExtension&, const OpExtension&) = default;
};

struct Op {
    OpId op_id;                  // random 128-bit: identity for dedup across every replica
    Hlc hlc;                     // when, in hybrid logical time
    NodeId node = 0;             // which replica authored it (tie-break after hlc)
    EntityKind entity = EntityKind::unknown;
    Field field = Field::unknown;
    EntityId entity_id;
    Value value;
    Hlc clamped_from;            // non-zero: the server clamped a far-future hlc (hlc.h policy)
    std::shared_ptr<const OpExtension> ext;  // null unless something unknown came with it
};

// Names, whether known or carried by the extension.
std::string_view entity_name(const Op& op);
std::string_view field_name(const Op& op);

// Every member equal, extension contents included.
bool same_content(const Op& a, const Op& b);

// The merge order: by (hlc, node), then op_id so that even a replayed clock gives a total order.
inline bool op_precedes(const Op& a, const Op& b) {
    if (a.hlc != b.hlc) return a.hlc < b.hlc;
    if (a.node != b.node) return a.node < b.node;
    return a.op_id < b.op_id;
}

// Structural rules only (ids, names, value type and limits, UTF-8): the same answer on every
// replica for every state. Codes: bad_id, bad_hlc, bad_value, too_long, too_many_items,
// out_of_range, invalid_utf8, wrong_type.
Status validate_op(const Op& op);

struct Batch {
    Id128 batch_id;          // random: the outbox entry, delivered exactly once
    std::vector<Op> ops;     // one user action
    std::string extension;   // unknown members of the batch object: canonical JSON object or ""
};

// validate_op on every op, plus: not empty, at most kMaxBatchOps, no op id twice with different
// content. The error names the first failing op ("ops[3].value: ...").
Status validate_batch(const Batch& batch);

// Builds the batch of one user action: every op gets a fresh random op id and a fresh clock tick.
class BatchBuilder {
public:
    BatchBuilder(HybridClock& clock, RandomSource& random, std::uint64_t physical_ms);

    EntityId new_entity_id();  // for an entity this action creates
    BatchBuilder& set(EntityKind entity, EntityId id, Field field, Value value);
    BatchBuilder& tombstone(EntityKind entity, EntityId id);  // set(..., Field::deleted, true)
    Batch finish();  // the batch so far; the builder starts a new one

private:
    HybridClock& clock_;
    RandomSource& random_;
    std::uint64_t physical_ms_;
    Batch batch_;
};

// Server ingress (hlc.h policy, point 3): when op.hlc is more than the clock's drift ahead of
// physical_ms, moves it to clock.now(physical_ms), keeps the original in op.clamped_from and returns
// true. Leaves every other op untouched and returns false.
bool clamp_future_op(Op& op, HybridClock& clock, std::uint64_t physical_ms,
                     std::uint64_t max_drift_ms = kMaxClockDriftMs);

}  // namespace lb
