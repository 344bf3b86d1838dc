// sync_push.cpp — SyncService::push: dedupe, clamp, load state, authorise, number tickets, store,
// route, notify (the steps are listed in sync_service.h). [SECTION] state and routing helpers;
// [SECTION] one batch; [SECTION] the request.
// Not here: enrolment, pull, keys (sync_service.cpp).
#include <algorithm>
#include <set>
#include <utility>

#include "lifebuoy/errors.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/views.h"
#include "lifebuoy/wire.h"
#include "sync_service.h"

namespace lb::server {

// ---------------------------------------------------------------------------------------------
// [SECTION] state and routing helpers
// ---------------------------------------------------------------------------------------------
namespace {

using EntityKey = std::pair<EntityKind, EntityId>;

// Whether a stored op is the one received again (the store may hold it clamped: compare with the
// HLC the device sent).
bool same_as_received(const Op& stored, const Op& received) {
    if (stored.clamped_from.is_zero()) return same_content(stored, received);
    Op original = stored;
    original.hlc = stored.clamped_from;
    original.clamped_from = Hlc{};
    return same_content(original, received);
}

std::optional<EntityId> id_field(const Replica& state, EntityKind kind, const EntityId& id, Field field) {
    const Value* v = state.get(kind, id, field);
    const auto* found = v ? std::get_if<Id128>(v) : nullptr;
    return found ? std::optional<EntityId>(*found) : std::nullopt;
}

// The parent ticket of a comment or KB reference, as the state (after the batch) says.
std::optional<EntityId> parent_ticket(const Replica& state, EntityKind kind, const EntityId& id) {
    if (kind == EntityKind::comment) return id_field(state, kind, id, Field::comment_ticket);
    if (kind == EntityKind::kb_ref) return id_field(state, kind, id, Field::kb_ref_ticket);
    return std::nullopt;
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

// Everything one batch needs between its steps.
struct SyncService::BatchWork {
    Batch fresh;                         // the ops not stored yet (clamped)
    Replica state;                       // the touched entities, then with the batch applied
    std::set<EntityKey> loaded;
    std::vector<std::pair<OpId, std::int64_t>> seqs;  // op id → server_seq, for the answer
    std::set<EntityId> tickets;          // tickets whose metadata changes
    std::set<EntityId> requester_news;   // tickets with a change their requester may see
    std::vector<EntityId> concerned;     // users to wake
    std::int64_t last_seq = 0;
    std::optional<Error> rejection;

    Status load(SyncStore& store, EntityKind kind, const EntityId& id) {
        if (kind == EntityKind::unknown || !loaded.insert({kind, id}).second) return Ok{};
        auto ops = store.entity_ops(kind, id);
        if (!ops) return ops.error();
        auto& all = ops.value();
        for (std::size_t begin = 0; begin < all.size(); begin += kMaxBatchOps) {
            const std::size_t end = std::min(all.size(), begin + kMaxBatchOps);
            Batch chunk{Id128{0, 1}, {std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(begin)),
                                      std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end))}, {}};
            if (auto applied = state.apply(std::move(chunk)); !applied) {
                return make_error("storage_error", "stored ops of " + to_hex(id) + " do not apply: " +
                                                       applied.error().message);
            }
        }
        return Ok{};
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] one batch
// ---------------------------------------------------------------------------------------------

// Inside the batch's transaction. A refusal sets work.rejection and returns Ok (nothing written).
Status SyncService::stage_batch(const Caller& caller, BatchWork& work) {
    Batch& batch = work.fresh;
    const std::uint64_t now = now_ms_();
    for (Op& op : batch.ops) {
        (void)clock_.observe(op.hlc, now);  // never adopts a far-future time (hlc.h policy)
        clamp_future_op(op, clock_, now);
    }
    // The state authorisation needs: every entity touched, then the tickets comments and KB
    // references hang on (named in the batch or in their stored ops).
    for (const Op& op : batch.ops) {
        if (auto st = work.load(store_, op.entity, op.entity_id); !st) return st;
    }
    std::vector<EntityId> parents;
    for (const Op& op : batch.ops) {
        if (op.field == Field::comment_ticket || op.field == Field::kb_ref_ticket) {
            if (const auto* id = std::get_if<Id128>(&op.value)) parents.push_back(*id);
        }
        if (auto p = parent_ticket(work.state, op.entity, op.entity_id)) parents.push_back(*p);
    }
    for (const EntityId& t : parents) {
        if (auto st = work.load(store_, EntityKind::ticket, t); !st) return st;
    }
    if (auto allowed = authorize_batch(Actor{caller.user, caller.role}, work.state, batch); !allowed) {
        work.rejection = allowed.error();
        return Ok{};
    }
    std::vector<EntityId> created;
    for (const Op& op : batch.ops) {
        if (op.entity == EntityKind::ticket && !work.state.exists(EntityKind::ticket, op.entity_id) &&
            std::find(created.begin(), created.end(), op.entity_id) == created.end()) {
            created.push_back(op.entity_id);
        }
    }
    if (auto applied = work.state.apply(batch); !applied) {  // authorised ⇒ valid: not expected
        return make_error("internal_error", "an authorised batch did not apply: " + applied.error().message);
    }
    if (auto st = store_ops(work, batch, caller.device); !st) return st;

    // Ticket numbers: the server's own op, through the same table as everyone's.
    if (!created.empty()) {
        auto next = store_.next_ticket_number();
        if (!next) return next.error();
        Batch numbering{random_id128(random_), {}, {}};
        for (const EntityId& id : created) {
            Op op;
            op.op_id = random_id128(random_);
            op.hlc = clock_.now(now);
            op.node = clock_.node();
            op.entity = EntityKind::ticket;
            op.entity_id = id;
            op.field = Field::ticket_number;
            op.value = next.value()++;
            numbering.ops.push_back(std::move(op));
        }
        if (auto allowed = authorize_batch(system_actor(), work.state, numbering); !allowed)
            return make_error("internal_error", "ticket numbering refused: " + allowed.error().message);
        if (auto applied = work.state.apply(numbering); !applied)
            return make_error("internal_error", "ticket numbering did not apply: " + applied.error().message);
        if (auto st = store_ops(work, numbering, std::nullopt); !st) return st;
    }
    for (const EntityId& id : work.tickets) {
        auto t = read_ticket(work.state, id);
        if (!t) continue;
        if (auto st = store_.upsert_ticket(ticket_row(*t, work.last_seq)); !st) return st;
        if (work.requester_news.count(id)) work.concerned.push_back(t->requester);
    }
    work.concerned.push_back(caller.user);
    return save_clock();
}

Status SyncService::store_ops(BatchWork& work, const Batch& batch, const std::optional<EntityId>& device) {
    const std::int64_t now = static_cast<std::int64_t>(now_ms_());
    for (const Op& op : batch.ops) {
        OpToStore row{&op, encode_op(op), route(work.state, op), batch.batch_id, device, now};
        if (row.routing.ticket) work.tickets.insert(*row.routing.ticket);
        if (row.routing.ticket && !row.routing.internal) work.requester_news.insert(*row.routing.ticket);
        if (row.routing.owner) work.concerned.push_back(*row.routing.owner);
        auto seq = store_.append_op(row);
        if (!seq) return seq.error();
        work.seqs.emplace_back(op.op_id, seq.value());
        work.last_seq = seq.value();
    }
    return Ok{};
}

Result<BatchResult> SyncService::push_batch(const Caller& caller, Batch& batch) {
    BatchResult result;
    result.batch_id = batch.batch_id;
    BatchWork work;
    work.fresh.batch_id = batch.batch_id;
    work.fresh.extension = batch.extension;
    std::vector<std::pair<OpId, std::int64_t>> known;  // duplicates: op id → stored seq
    Status st = store_.transaction([&]() -> Status {
        for (std::size_t i = 0; i < batch.ops.size(); ++i) {
            const Op& op = batch.ops[i];
            auto found = store_.find_op(op.op_id);
            if (!found) return found.error();
            if (found.value()) {
                if (!same_as_received(found.value()->op, op)) {
                    work.rejection = core_error(CoreError::op_id_conflict,
                                                "ops[" + std::to_string(i) + "]: op id already used with other content");
                    return Ok{};
                }
                known.emplace_back(op.op_id, found.value()->seq);
            } else if (std::none_of(work.fresh.ops.begin(), work.fresh.ops.end(),
                                    [&](const Op& o) { return o.op_id == op.op_id; })) {
                work.fresh.ops.push_back(op);  // (an op twice in one batch is stored once)
            }
        }
        if (work.fresh.ops.empty()) return Ok{};
        return stage_batch(caller, work);
    });
    if (!st) return st.error();

    if (work.rejection) {
        result.outcome = OpOutcome::rejected;
        result.error = work.rejection;
        for (const Op& op : batch.ops) result.ops.push_back(OpResult{op.op_id, OpOutcome::rejected, 0});
        metrics_.count_ops(0, 0, batch.ops.size());
        metrics_.count_rejection(work.rejection->code, batch.ops.size());
        return result;
    }
    std::size_t accepted = 0, duplicates = 0;
    for (const Op& op : batch.ops) {
        OpResult r{op.op_id, OpOutcome::duplicate, 0};
        for (const auto& [id, seq] : known) {
            if (id == op.op_id) r.seq = seq;
        }
        for (const auto& [id, seq] : work.seqs) {
            if (id == op.op_id) {
                r.outcome = OpOutcome::accepted;
                r.seq = seq;
            }
        }
        (r.outcome == OpOutcome::accepted ? accepted : duplicates)++;
        result.ops.push_back(r);
    }
    result.outcome = accepted > 0 ? OpOutcome::accepted : OpOutcome::duplicate;
    metrics_.count_ops(accepted, duplicates, 0);
    if (work.last_seq > 0) notifier_.publish(work.last_seq, work.concerned);
    return result;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] the request
// ---------------------------------------------------------------------------------------------

Result<PushResult> SyncService::push(const Caller& caller, PushRequest request) {
    for (std::size_t i = 0; i < request.batches.size(); ++i) {
        const auto& b = request.batches[i];
        if (b && b.value().ops.size() > config_.max_batch_ops) {
            return make_error("batch_too_large", "batches[" + std::to_string(i) + "]: at most " +
                                                     std::to_string(config_.max_batch_ops) + " ops per batch");
        }
    }
    std::lock_guard lock(mutex_);
    PushResult out;
    for (auto& b : request.batches) {
        if (!b) {  // did not decode: refused on its own, the others still count
            BatchResult r;
            r.error = b.error();
            metrics_.count_rejection(b.error().code, 1);
            metrics_.count_ops(0, 0, 1);
            out.batches.push_back(std::move(r));
            continue;
        }
        auto r = push_batch(caller, b.value());
        if (!r) return r.error();  // storage trouble: earlier batches are committed, a retry dedupes
        out.batches.push_back(std::move(r).value());
    }
    auto top = store_.high_water();
    if (!top) return top.error();
    out.high_water = top.value();
    return out;
}

}  // namespace lb::server
