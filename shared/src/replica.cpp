// replica.cpp — applying batches, merging replicas and reading registers and history.
// Not here: canonical_state (replica_canonical.cpp), permissions (lifecycle.cpp).
#include "lifebuoy/replica.h"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace lb {
namespace {

constexpr std::uint32_t kUnknownKindBase = 16;
constexpr std::uint32_t kUnknownFieldBase = 256;
constexpr std::uint32_t kOpTag = 0;

std::uint32_t known_kind_code(EntityKind kind) { return static_cast<std::uint32_t>(kind); }

}  // namespace

Replica::Replica(std::uint64_t hash_seed) : op_index_(hash_seed), entity_index_(hash_seed ^ 0x5bd1e995u) {}

void Replica::reserve(std::size_t ops, std::size_t entities) {
    log_.reserve(ops);
    op_index_.reserve(ops);
    entities_.reserve(entities);
    entity_index_.reserve(entities);
}

std::uint32_t Replica::kind_code(const Op& op) {
    if (op.entity != EntityKind::unknown) return known_kind_code(op.entity);
    const std::string name(entity_name(op));
    const auto code = static_cast<std::uint32_t>(kUnknownKindBase + unknown_kinds_.size());
    return unknown_kinds_.emplace(name, code).first->second;
}

std::uint32_t Replica::field_code(const Op& op) {
    if (op.field != Field::unknown) return static_cast<std::uint32_t>(op.field);
    const std::string name(field_name(op));
    const auto code = static_cast<std::uint32_t>(kUnknownFieldBase + unknown_fields_.size());
    return unknown_fields_.emplace(name, code).first->second;
}

template <typename OpRef>
bool Replica::apply_one(OpRef&& incoming) {
    const auto index = static_cast<std::uint32_t>(log_.size());
    if (!op_index_.insert(kOpTag, incoming.op_id, index).second) return false;  // a duplicate
    log_.push_back(std::forward<OpRef>(incoming));  // copied only when new
    const Op& op = log_.back();

    const std::uint32_t kind = kind_code(op);
    const auto [slot, inserted] =
        entity_index_.insert(kind, op.entity_id, static_cast<std::uint32_t>(entities_.size()));
    if (inserted) entities_.push_back(Entity{kind, op.entity_id, {}, {}});
    Entity& entity = entities_[slot];
    entity.ops.push_back(index);

    const std::uint32_t field = field_code(op);
    for (Register& reg : entity.registers) {
        if (reg.field != field) continue;
        const bool newer = op.hlc != reg.hlc   ? op.hlc > reg.hlc
                           : op.node != reg.node ? op.node > reg.node
                                                 : log_[reg.op].op_id < op.op_id;
        if (newer) reg = Register{field, index, op.hlc, op.node};
        return true;
    }
    entity.registers.push_back(Register{field, index, op.hlc, op.node});
    return true;
}

template <typename BatchRef>
Result<ApplyOutcome> Replica::apply_impl(BatchRef&& batch) {
    if (auto st = validate_batch(batch); !st) return st.error();
    for (std::size_t i = 0; i < batch.ops.size(); ++i) {
        const Op* existing = find_op(batch.ops[i].op_id);
        if (existing && !same_content(*existing, batch.ops[i])) {
            return core_error(CoreError::op_id_conflict,
                              "ops[" + std::to_string(i) + "].op_id: already used by another op");
        }
    }
    // Validated as a whole: from here on nothing can fail, so the batch lands entirely.
    ApplyOutcome outcome;
    for (auto& op : batch.ops) {
        bool applied = false;
        if constexpr (std::is_const_v<std::remove_reference_t<BatchRef>>) {
            applied = apply_one(op);
        } else {
            applied = apply_one(std::move(op));
        }
        ++(applied ? outcome.applied : outcome.duplicates);
    }
    return outcome;
}

Result<ApplyOutcome> Replica::apply(const Batch& batch) { return apply_impl(batch); }
Result<ApplyOutcome> Replica::apply(Batch&& batch) { return apply_impl(batch); }

MergeOutcome Replica::merge(const Replica& other) {
    MergeOutcome outcome;
    if (&other == this) {
        outcome.duplicates = log_.size();
        return outcome;
    }
    for (const Op& op : other.log_) {
        if (const Op* existing = find_op(op.op_id)) {
            ++(same_content(*existing, op) ? outcome.duplicates : outcome.conflicts);
            continue;
        }
        if (apply_one(op)) ++outcome.applied;  // `other` validated it when it came in
    }
    return outcome;
}

bool Replica::contains(const OpId& op_id) const { return op_index_.find(kOpTag, op_id) != nullptr; }

const Op* Replica::find_op(const OpId& op_id) const {
    const std::uint32_t* index = op_index_.find(kOpTag, op_id);
    return index ? &log_[*index] : nullptr;
}

const Replica::Entity* Replica::find_entity(EntityKind kind, const EntityId& id) const {
    if (kind == EntityKind::unknown) return nullptr;
    const std::uint32_t* index = entity_index_.find(known_kind_code(kind), id);
    return index ? &entities_[*index] : nullptr;
}

bool Replica::exists(EntityKind kind, const EntityId& id) const { return find_entity(kind, id) != nullptr; }

bool Replica::is_deleted(EntityKind kind, const EntityId& id) const {
    const Value* v = get(kind, id, Field::deleted);
    const bool* b = v ? std::get_if<bool>(v) : nullptr;
    return b && *b;
}

const Op* Replica::winner(EntityKind kind, const EntityId& id, Field field) const {
    const Entity* entity = find_entity(kind, id);
    if (!entity || field == Field::unknown) return nullptr;
    const auto code = static_cast<std::uint32_t>(field);
    for (const Register& reg : entity->registers) {
        if (reg.field == code) return &log_[reg.op];
    }
    return nullptr;
}

const Value* Replica::get(EntityKind kind, const EntityId& id, Field field) const {
    const Op* op = winner(kind, id, field);
    return op ? &op->value : nullptr;
}

std::vector<const Op*> Replica::history(EntityKind kind, const EntityId& id) const {
    std::vector<const Op*> out;
    if (const Entity* entity = find_entity(kind, id)) {
        out.reserve(entity->ops.size());
        for (const std::uint32_t i : entity->ops) out.push_back(&log_[i]);
        std::sort(out.begin(), out.end(), [](const Op* a, const Op* b) { return op_precedes(*a, *b); });
    }
    return out;
}

std::vector<const Op*> Replica::history(EntityKind kind, const EntityId& id, Field field) const {
    std::vector<const Op*> out = history(kind, id);
    std::erase_if(out, [field](const Op* op) { return op->field != field; });
    return out;
}

std::vector<EntityId> Replica::entity_ids(EntityKind kind) const {
    std::vector<EntityId> out;
    if (kind == EntityKind::unknown) return out;
    const std::uint32_t code = known_kind_code(kind);
    for (const Entity& entity : entities_) {
        if (entity.kind == code) out.push_back(entity.id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace lb
