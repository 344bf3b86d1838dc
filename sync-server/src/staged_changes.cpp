// staged_changes.cpp — loading touched entities, routing and appending ops, ticket metadata rows.
#include "staged_changes.h"

#include <algorithm>

#include "lifebuoy/views.h"
#include "lifebuoy/wire.h"

namespace lb::server {
namespace {

std::optional<EntityId> id_field(const Replica& state, EntityKind kind, const EntityId& id, Field field) {
    const Value* v = state.get(kind, id, field);
    const auto* found = v ? std::get_if<Id128>(v) : nullptr;
    return found ? std::optional<EntityId>(*found) : std::nullopt;
}

OpRouting route(const Replica& state, const Op& op) {
    OpRouting r;
    switch (op.entity) {
        case EntityKind::ticket: r.ticket = op.entity_id; break;
        case EntityKind::comment: {
            r.ticket = parent_ticket(state, op.entity, op.entity_id);
            const Value* kind = state.get(EntityKind::comment, op.entity_id, Field::comment_kind);
            const auto* name = kind ? std::get_if<std::string>(kind) : nullptr;
            r.internal = name && !can_see_comment(Role::requester, comment_kind_from_name(*name));
            break;
        }
        case EntityKind::kb_ref: r.ticket = parent_ticket(state, op.entity, op.entity_id); break;
        case EntityKind::user: r.owner = op.entity_id; break;
        case EntityKind::device: r.owner = id_field(state, op.entity, op.entity_id, Field::device_owner); break;
        case EntityKind::unknown: break;  // from a newer version: the help desk sees it, nobody else
    }
    return r;
}

TicketRow ticket_row(const Ticket& t, std::int64_t seq) {
    TicketRow row;
    row.id = t.id;
    row.number = t.number;
    row.requester = t.requester;
    row.status = std::string(to_name(t.status));
    row.category = t.category;
    row.impact = std::string(to_name(t.impact));
    row.urgency = std::string(to_name(t.urgency));
    row.priority = std::string(to_name(t.priority));
    row.assignee = t.assignee;
    row.team = t.team;
    row.site = t.site;
    row.deleted = t.deleted;
    row.updated_seq = seq;
    return row;
}

}  // namespace

std::optional<EntityId> parent_ticket(const Replica& state, EntityKind kind, const EntityId& id) {
    if (kind == EntityKind::comment) return id_field(state, kind, id, Field::comment_ticket);
    if (kind == EntityKind::kb_ref) return id_field(state, kind, id, Field::kb_ref_ticket);
    return std::nullopt;
}

Status StagedChanges::load(EntityKind kind, const EntityId& id) {
    if (kind == EntityKind::unknown || !loaded_.insert({kind, id}).second) return Ok{};
    auto ops = store_.entity_ops(kind, id);
    if (!ops) return ops.error();
    auto& all = ops.value();
    for (std::size_t begin = 0; begin < all.size(); begin += kMaxBatchOps) {
        const std::size_t end = std::min(all.size(), begin + kMaxBatchOps);
        Batch chunk{Id128{0, 1}, {std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(begin)),
                                  std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end))}, {}};
        if (auto applied = state_.apply(std::move(chunk)); !applied) {
            return make_error("storage_error", "stored ops of " + to_hex(id) + " do not apply: " + applied.error().message);
        }
    }
    return Ok{};
}

Status StagedChanges::load_for(const Batch& batch) {
    for (const Op& op : batch.ops) {
        if (auto st = load(op.entity, op.entity_id); !st) return st;
    }
    std::vector<EntityId> parents;
    for (const Op& op : batch.ops) {
        if (op.field == Field::comment_ticket || op.field == Field::kb_ref_ticket) {
            if (const auto* id = std::get_if<Id128>(&op.value)) parents.push_back(*id);
        }
        if (auto p = parent_ticket(state_, op.entity, op.entity_id)) parents.push_back(*p);
    }
    for (const EntityId& t : parents) {
        if (auto st = load(EntityKind::ticket, t); !st) return st;
    }
    return Ok{};
}

Status StagedChanges::append(const Batch& batch, const std::optional<EntityId>& device, std::int64_t received_at_ms) {
    for (const Op& op : batch.ops) {
        OpToStore row{&op, encode_op(op), route(state_, op), batch.batch_id, device, received_at_ms};
        if (row.routing.ticket) tickets_.insert(*row.routing.ticket);
        if (row.routing.ticket && !row.routing.internal) requester_news_.insert(*row.routing.ticket);
        if (row.routing.owner) concerned_.push_back(*row.routing.owner);
        auto seq = store_.append_op(row);
        if (!seq) return seq.error();
        seqs_.emplace_back(op.op_id, seq.value());
        last_seq_ = seq.value();
    }
    return Ok{};
}

Status StagedChanges::append_authored(const Actor& actor, const Batch& batch, std::int64_t now_ms) {
    if (batch.ops.empty()) return Ok{};
    if (auto allowed = authorize_batch(actor, state_, batch); !allowed) {
        return make_error(kAutomationRefused, allowed.error().code + ": " + allowed.error().message);
    }
    if (auto applied = state_.apply(batch); !applied) {
        return make_error("internal_error", "an authorised batch did not apply: " + applied.error().message);
    }
    return append(batch, std::nullopt, now_ms);
}

Status StagedChanges::save_ticket_rows() {
    for (const EntityId& id : tickets_) {
        auto t = read_ticket(state_, id);
        if (!t) continue;
        if (auto st = store_.upsert_ticket(ticket_row(*t, last_seq_)); !st) return st;
        if (requester_news_.count(id)) concerned_.push_back(t->requester);
    }
    return Ok{};
}

}  // namespace lb::server
