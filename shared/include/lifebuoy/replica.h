// replica.h — the in-memory state of one replica: the set of ops it has, and per entity and field a
// last-writer-wins register pointing at the winning op.
//
// Features:
//  - apply(batch): all or nothing — the whole batch is validated (validate_batch, plus op-id
//    conflicts with ops already here) before the first op lands; duplicates are skipped.
//  - merge(other): takes every op of `other` this replica lacks. Merge is idempotent, commutative and
//    associative: state depends only on the SET of ops, never on their order or duplicates.
//  - LWW by (hlc, node, op_id) per field; losing values stay in the history (nothing a person typed
//    disappears); the log is insert-only; deletion is the `deleted` field (a tombstone).
//  - canonical_state(): one byte string per state, for comparing replicas.
// Applying never checks permissions: that is the edge's job (lifecycle.h), once, where the op enters
// the system. A replica must take whatever the server accepted, or replicas would diverge.
// Not here: storage (the engine and the server persist ops themselves), JSON (wire.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "lifebuoy/detail/flat_index.h"
#include "lifebuoy/op.h"
#include "lifebuoy/result.h"

namespace lb {

struct ApplyOutcome {
    std::size_t applied = 0;     // ops new to this replica
    std::size_t duplicates = 0;  // ops it already had (or that appeared twice in the batch)
};

struct MergeOutcome {
    std::size_t applied = 0;
    std::size_t duplicates = 0;
    std::size_t conflicts = 0;  // same op id, other content: kept ours, skipped theirs (forgery)
};

class Replica {
public:
    // hash_seed: mixed into the hash of ids (pass a random value where peers are untrusted).
    explicit Replica(std::uint64_t hash_seed = 0);

    Result<ApplyOutcome> apply(const Batch& batch);
    Result<ApplyOutcome> apply(Batch&& batch);
    MergeOutcome merge(const Replica& other);

    // Reads. Pointers stay valid until the next apply or merge.
    bool contains(const OpId& op_id) const;
    const Op* find_op(const OpId& op_id) const;
    bool exists(EntityKind kind, const EntityId& id) const;  // any op about it, tombstoned or not
    bool is_deleted(EntityKind kind, const EntityId& id) const;
    const Op* winner(EntityKind kind, const EntityId& id, Field field) const;  // known kind and field
    const Value* get(EntityKind kind, const EntityId& id, Field field) const;
    // Every op about the entity (or one field of it), in merge order: the full history with the
    // losing values.
    std::vector<const Op*> history(EntityKind kind, const EntityId& id) const;
    std::vector<const Op*> history(EntityKind kind, const EntityId& id, Field field) const;
    std::vector<EntityId> entity_ids(EntityKind kind) const;  // sorted
    const std::vector<Op>& log() const { return log_; }       // arrival order (this replica's)
    std::size_t op_count() const { return log_.size(); }
    std::size_t entity_count() const { return entities_.size(); }

    // Canonical text of the state: entities sorted by (entity, id), each with the winning op id of
    // every field and its whole history in merge order, ops in canonical wire JSON. Two replicas
    // holding the same set of ops produce the same bytes.
    std::string canonical_state() const;

    void reserve(std::size_t ops, std::size_t entities);

private:
    struct Register {
        std::uint32_t field;  // field code
        std::uint32_t op;     // index in log_
        Hlc hlc;
        NodeId node;
    };
    struct Entity {
        std::uint32_t kind;  // kind code
        EntityId id;
        std::vector<Register> registers;
        std::vector<std::uint32_t> ops;  // indices in log_, arrival order
    };

    template <typename BatchRef>
    Result<ApplyOutcome> apply_impl(BatchRef&& batch);
    template <typename OpRef>
    bool apply_one(OpRef&& op);  // false: already here
    std::uint32_t kind_code(const Op& op);
    std::uint32_t field_code(const Op& op);
    const Entity* find_entity(EntityKind kind, const EntityId& id) const;

    std::vector<Op> log_;
    std::vector<Entity> entities_;
    detail::FlatIndex op_index_;      // op id → index in log_
    detail::FlatIndex entity_index_;  // (kind code, id) → index in entities_
    std::unordered_map<std::string, std::uint32_t> unknown_kinds_;   // name → code
    std::unordered_map<std::string, std::uint32_t> unknown_fields_;  // name → code
};

}  // namespace lb
