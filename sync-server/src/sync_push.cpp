// sync_push.cpp — SyncService::push: dedupe, clamp, load state, authorise, store, number tickets,
// triage, route, notify (the steps are listed in sync_service.h). One transaction per request —
// or per group of sealed requests (push_sealed_group, fed by push_committer.h) —, each batch in a
// savepoint of its own; counted and announced only once it has committed.
// [SECTION] helpers; [SECTION] one batch; [SECTION] the request, and a group of sealed requests.
// Not here: enrolment, pull, keys (sync_service.cpp).
#include <algorithm>
#include <utility>

#include "automation_context.h"
#include "lifebuoy/crypto/sealed_text.h"
#include "lifebuoy/errors.h"
#include "lifebuoy/replica.h"
#include "staged_changes.h"
#include "sync_service.h"
#include "ticket_triage.h"

namespace lb::server {

// ---------------------------------------------------------------------------------------------
// [SECTION] helpers
// ---------------------------------------------------------------------------------------------
namespace {

// Whether a stored op is the one received again (the store may hold it clamped: compare with the
// HLC the device sent).
bool same_as_received(const Op& stored, const Op& received) {
    if (stored.clamped_from.is_zero()) return same_content(stored, received);
    Op original = stored;
    original.hlc = stored.clamped_from;
    original.clamped_from = Hlc{};
    return same_content(original, received);
}

// A batch's answer in the counters. A batch that did not decode counts as one rejected op.
void count_batch(Metrics& metrics, const BatchResult& result) {
    if (result.error) {
        const std::size_t ops = result.batch_id ? result.ops.size() : 1;
        metrics.count_ops(0, 0, ops);
        metrics.count_rejection(result.error->code, ops);
        return;
    }
    const auto accepted = static_cast<std::size_t>(std::count_if(
        result.ops.begin(), result.ops.end(), [](const OpResult& op) { return op.outcome == OpOutcome::accepted; }));
    metrics.count_ops(accepted, result.ops.size() - accepted, 0);
}

}  // namespace

// Whom a push wakes once its transaction has committed.
struct SyncService::PushWake {
    std::int64_t last_seq = 0;  // 0: nothing was stored
    std::vector<EntityId> users;
};

// Everything one batch needs between its steps.
struct SyncService::BatchWork {
    explicit BatchWork(SyncStore& store) : changes(store) {}
    Batch fresh;                         // the ops not stored yet (clamped)
    StagedChanges changes;               // the touched entities, then with the batch applied
    std::optional<Error> rejection;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] one batch
// ---------------------------------------------------------------------------------------------

// Inside the batch's savepoint. A refusal sets work.rejection and returns Ok (push_batch then rolls
// the savepoint back: the batch leaves nothing behind).
Status SyncService::stage_batch(const Caller& caller, BatchWork& work) {
    Batch& batch = work.fresh;
    const std::uint64_t now = now_ms_();
    for (Op& op : batch.ops) {
        (void)clock_.observe(op.hlc, now);  // never adopts a far-future time (hlc.h policy)
        clamp_future_op(op, clock_, now);
    }
    StagedChanges& changes = work.changes;
    if (auto st = changes.load_for(batch); !st) return st;
    if (auto allowed = authorize_batch(Actor{caller.user, caller.role}, changes.state(), batch); !allowed) {
        work.rejection = allowed.error();
        return Ok{};
    }
    // Who made a change: each node belongs to the person whose device first pushed it. An op
    // naming someone else's node is refused, so "changed by X" on the help desk's devices is true.
    std::vector<NodeId> checked;
    for (const Op& op : batch.ops) {
        if (std::find(checked.begin(), checked.end(), op.node) != checked.end()) continue;
        checked.push_back(op.node);
        if (op.node == clock_.node()) {
            work.rejection = make_error("node_taken", "ops name the server's own node " + node_to_hex(op.node));
            return Ok{};
        }
        auto owner = store_.node_owner(op.node);
        if (!owner) return owner.error();
        if (!owner.value()) {
            if (auto st = store_.bind_node(op.node, caller.user, caller.device, static_cast<std::int64_t>(now)); !st) return st;
        } else if (*owner.value() != caller.user) {
            work.rejection = make_error("node_taken", "ops name node " + node_to_hex(op.node) +
                                                          ", which belongs to another person's device");
            return Ok{};
        }
    }
    // Ticket text from people's devices is sealed end to end; plaintext never reaches the database
    // (a faulty or outdated client is refused, with the field named).
    for (const Op& op : batch.ops) {
        const auto* text = std::get_if<std::string>(&op.value);
        if (!text || !crypto::is_sealed_content_field(op.entity, op.field)) continue;
        if (auto sealed = crypto::check_sealed_text(*text); !sealed) {
            work.rejection = make_error("content_not_sealed", std::string(field_name(op)) + ": " + sealed.error().message);
            return Ok{};
        }
    }
    std::vector<EntityId> created;
    for (const Op& op : batch.ops) {
        if (op.entity == EntityKind::ticket && !changes.state().exists(EntityKind::ticket, op.entity_id) &&
            std::find(created.begin(), created.end(), op.entity_id) == created.end()) {
            created.push_back(op.entity_id);
        }
    }
    if (auto applied = changes.state().apply(batch); !applied) {  // authorised ⇒ valid: not expected
        return make_error("internal_error", "an authorised batch did not apply: " + applied.error().message);
    }
    if (auto st = changes.append(batch, caller.device, static_cast<std::int64_t>(now)); !st) return st;

    AutomationContext automation{changes, clock_, random_, system_actor(), now};
    // Ticket numbers: the server's own op, through the same table as everyone's.
    if (!created.empty()) {
        auto next = store_.next_ticket_number();
        if (!next) return next.error();
        BatchBuilder numbering = automation.builder();
        for (const EntityId& id : created) numbering.set(EntityKind::ticket, id, Field::ticket_number, next.value()++);
        if (auto st = automation.commit(numbering); !st)
            return make_error("internal_error", "ticket numbering: " + st.error().message);
    }
    // Triage and dispatch of what the batch changed: more of the server's own ops, same transaction.
    if (triage_) {
        if (auto st = triage_->after_push(automation, batch, caller.role); !st) return st;
    }
    if (auto st = changes.save_ticket_rows(); !st) return st;
    changes.users_to_wake().push_back(caller.user);
    return Ok{};
}

// Inside the push's transaction, in a savepoint: a refused batch rolls back alone, the others stay.
Result<BatchResult> SyncService::push_batch(const Caller& caller, Batch& batch, PushWake& wake) {
    BatchResult result;
    result.batch_id = batch.batch_id;
    BatchWork work(store_);
    work.fresh.batch_id = batch.batch_id;
    work.fresh.extension = batch.extension;
    std::vector<std::pair<OpId, std::int64_t>> known;  // duplicates: op id → stored seq
    Status st = store_.savepoint([&]() -> Status {
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
        if (auto staged = stage_batch(caller, work); !staged) return staged;
        if (work.rejection) return *work.rejection;  // undoes what came before the refusal (a node bound)
        return Ok{};
    });
    const bool refused = work.rejection && (st || st.error().code == work.rejection->code);
    if (!st && !refused) return st.error();

    if (refused) {
        result.outcome = OpOutcome::rejected;
        result.error = work.rejection;
        for (const Op& op : batch.ops) result.ops.push_back(OpResult{op.op_id, OpOutcome::rejected, 0});
        return result;
    }
    bool any_accepted = false;
    for (const Op& op : batch.ops) {
        OpResult r{op.op_id, OpOutcome::duplicate, 0};
        for (const auto& [id, seq] : known) {
            if (id == op.op_id) r.seq = seq;
        }
        for (const auto& [id, seq] : work.changes.seqs()) {
            if (id == op.op_id) {
                r.outcome = OpOutcome::accepted;
                r.seq = seq;
            }
        }
        any_accepted = any_accepted || r.outcome == OpOutcome::accepted;
        result.ops.push_back(r);
    }
    result.outcome = any_accepted ? OpOutcome::accepted : OpOutcome::duplicate;
    if (work.changes.last_seq() > 0) {
        wake.last_seq = std::max(wake.last_seq, work.changes.last_seq());
        const auto& users = work.changes.users_to_wake();
        wake.users.insert(wake.users.end(), users.begin(), users.end());
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] the request, and a group of sealed requests
// ---------------------------------------------------------------------------------------------

namespace {

Status check_batch_sizes(const PushRequest& request, std::size_t max_batch_ops) {
    for (std::size_t i = 0; i < request.batches.size(); ++i) {
        const auto& b = request.batches[i];
        if (b && b.value().ops.size() > max_batch_ops) {
            return make_error("batch_too_large", "batches[" + std::to_string(i) + "]: at most " +
                                                     std::to_string(max_batch_ops) + " ops per batch");
        }
    }
    return Ok{};
}

}  // namespace

// Inside the transaction. A failed Status is storage trouble: the caller rolls back.
Status SyncService::store_push(const Caller& caller, PushRequest& request, PushResult& out, PushWake& wake) {
    out = PushResult{};
    for (auto& b : request.batches) {
        if (!b) {  // did not decode: refused on its own, the others still count
            BatchResult r;
            r.error = b.error();
            out.batches.push_back(std::move(r));
            continue;
        }
        auto r = push_batch(caller, b.value(), wake);
        if (!r) return r.error();  // storage trouble: the whole request rolls back, a retry redoes it
        out.batches.push_back(std::move(r).value());
    }
    return Ok{};
}

// After the commit: counted and announced.
void SyncService::after_push_commit(const std::vector<const PushResult*>& stored, const PushWake& wake) {
    for (const PushResult* result : stored) {
        for (const BatchResult& r : result->batches) count_batch(metrics_, r);
    }
    if (wake.last_seq > 0) notifier_.publish(wake.last_seq, wake.users);
}

Status SyncService::finish_push_transaction(const PushWake& wake, std::int64_t& high_water) {
    if (wake.last_seq > 0) {
        if (auto saved = save_clock(); !saved) return saved;
    }
    auto top = store_.high_water();
    if (!top) return top.error();
    high_water = top.value();
    return Ok{};
}

Result<PushResult> SyncService::push(const Caller& caller, PushRequest request) {
    if (auto st = check_batch_sizes(request, config_.max_batch_ops); !st) return st.error();
    std::lock_guard lock(mutex_);
    PushResult out;
    PushWake wake;
    // One commit (one fsync) for the whole request; nothing is answered before it is durable.
    Status st = store_.transaction([&]() -> Status {
        if (auto stored = store_push(caller, request, out, wake); !stored) return stored;
        return finish_push_transaction(wake, out.high_water);
    });
    if (!st) return st.error();
    after_push_commit({&out}, wake);
    return out;
}

// One sealed push inside the group's transaction: its envelope counter, its device, then its
// batches. A refusal answers this push alone (its counter stays consumed, as a lone push's would);
// a failed Status is storage trouble for the whole group.
Status SyncService::store_sealed_push(SealedPush& push, Result<PushResult>& answer, PushWake& wake) {
    auto raised = store_.raise_envelope_counter(push.device_key, push.envelope_counter);
    if (!raised) return raised.error();
    if (!raised.value()) {
        answer = envelope_replayed_error();
        return Ok{};
    }
    {  // (kept even if the group rolls back: a device never sends the same envelope twice)
        std::lock_guard seen(counters_seen_mutex_);
        std::uint64_t& last = counters_seen_[push.device_key];
        last = std::max(last, push.envelope_counter);
    }
    auto caller = authenticate_locked(push.device_token, /*in_transaction=*/true);
    if (!caller) {
        if (caller.error().code == "storage_error") return caller.error();
        answer = caller.error();
        return Ok{};
    }
    if (caller.value().device_key != push.device_key) {
        answer = make_error("unauthenticated", "this device token belongs to another device key: enrol this device again");
        return Ok{};
    }
    if (auto st = check_batch_sizes(push.request, config_.max_batch_ops); !st) {
        answer = st.error();
        return Ok{};
    }
    PushResult out;
    if (auto stored = store_push(caller.value(), push.request, out, wake); !stored) return stored;
    answer = std::move(out);
    return Ok{};
}

std::uint64_t SyncService::push_counter_seen(std::string_view device_key) {
    std::lock_guard lock(counters_seen_mutex_);
    auto it = counters_seen_.find(std::string(device_key));
    return it == counters_seen_.end() ? 0 : it->second;
}

std::vector<Result<PushResult>> SyncService::push_sealed_group(std::vector<SealedPush>& pushes) {
    auto unanswered = [] { return Result<PushResult>(make_error("internal_error", "not stored")); };
    std::vector<Result<PushResult>> answers(pushes.size(), unanswered());
    std::lock_guard lock(mutex_);
    // Stores pushes[first, last) in one transaction (one fsync); answers them once it committed.
    auto commit = [&](std::size_t first, std::size_t last) -> Status {
        PushWake wake;
        std::int64_t high_water = 0;
        Status st = store_.transaction([&]() -> Status {
            for (std::size_t i = first; i < last; ++i) {
                if (auto stored = store_sealed_push(pushes[i], answers[i], wake); !stored) return stored;
            }
            return finish_push_transaction(wake, high_water);
        });
        if (!st) return st;
        std::vector<const PushResult*> stored;
        for (std::size_t i = first; i < last; ++i) {
            if (!answers[i]) continue;
            answers[i].value().high_water = high_water;
            stored.push_back(&answers[i].value());
        }
        after_push_commit(stored, wake);
        return Ok{};
    };
    if (auto st = commit(0, pushes.size()); !st) {
        if (pushes.size() == 1) {
            answers[0] = st.error();
        } else {  // one push's trouble must not fail the others: each alone, as if it came by itself
            for (std::size_t i = 0; i < pushes.size(); ++i) {
                if (auto alone = commit(i, i + 1); !alone) answers[i] = alone.error();
            }
        }
    }
    return answers;
}

}  // namespace lb::server
