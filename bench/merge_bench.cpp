// merge_bench.cpp — throughput of the shared core's change log, in memory, on one core:
//   1. applying 100,000 ops (10,000 tickets created in 5-op batches, then 50,000 edits in 2-op
//      batches) to an empty replica, batches copied in (apply(const Batch&)) and moved in;
//   2. merging two replicas of 10,000 tickets that diverged by 1,000 edits each, both ways.
// Prints the median of several runs. Goal: >= 1,000,000 ops/s applied.
// Not here: SQLite, JSON or the network (those have their own benchmarks).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "lifebuoy/op.h"
#include "lifebuoy/replica.h"

using namespace lb;

namespace {

using Random = SeededRandom;  // reproducible input (random_source.h)

constexpr std::uint64_t kT0 = 1'700'000'000'000;
constexpr int kRuns = 7;
constexpr std::size_t kTickets = 10'000;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Process CPU time: on a shared machine it moves less than wall time when other work competes.
double cpu_seconds_since(std::clock_t start) {
    return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Workload {
    std::vector<EntityId> tickets;
    std::vector<Batch> batches;
    std::size_t ops = 0;
};

Workload make_workload(std::uint64_t seed, std::size_t edits) {
    Random random(seed);
    HybridClock clock(0xBE1C4, {});
    Workload w;
    const EntityId requester = random_id128(random);
    const char* titles[] = {"VPN drops every hour", "Printer on floor 3 jams", "Outlook asks for password",
                            "New laptop for a starter"};
    std::uint64_t now = kT0;
    for (std::size_t i = 0; i < kTickets; ++i) {
        BatchBuilder b(clock, random, now++);
        const EntityId t = b.new_entity_id();
        b.set(EntityKind::ticket, t, Field::ticket_requester, requester)
            .set(EntityKind::ticket, t, Field::ticket_title, std::string(titles[i % 4]))
            .set(EntityKind::ticket, t, Field::ticket_channel, std::string("web"))
            .set(EntityKind::ticket, t, Field::ticket_category, std::string("network"))
            .set(EntityKind::ticket, t, Field::ticket_status, std::string("new"));
        w.tickets.push_back(t);
        w.batches.push_back(b.finish());
    }
    const char* statuses[] = {"triaged", "assigned", "in_progress", "resolved"};
    for (std::size_t i = 0; i < edits; ++i) {
        BatchBuilder b(clock, random, now++);
        const EntityId& t = w.tickets[(i * 7919) % kTickets];
        b.set(EntityKind::ticket, t, Field::ticket_status, std::string(statuses[i % 4]))
            .set(EntityKind::ticket, t, Field::ticket_assignee, requester);
        w.batches.push_back(b.finish());
    }
    for (const Batch& b : w.batches) w.ops += b.ops.size();
    return w;
}

// Edits of one replica after the split: `count` one-op batches on random tickets.
std::vector<Batch> make_edits(const std::vector<EntityId>& tickets, NodeId node, std::uint64_t seed,
                              std::size_t count) {
    Random random(seed);
    HybridClock clock(node, {});
    std::vector<Batch> out;
    for (std::size_t i = 0; i < count; ++i) {
        BatchBuilder b(clock, random, kT0 + 100'000 + i);
        b.set(EntityKind::ticket, tickets[(i * 104729 + seed) % tickets.size()], Field::ticket_priority,
              std::string(i % 2 ? "high" : "low"));
        out.push_back(b.finish());
    }
    return out;
}

}  // namespace

int main() {
    // ---- 1. apply 100,000 ops ------------------------------------------------------------------
    const Workload w = make_workload(1, 25'000);  // 10,000 x 5 + 25,000 x 2 = 100,000 ops
    std::vector<double> copy_rates;
    std::vector<double> copy_cpu_rates;
    std::vector<double> move_rates;
    for (int run = 0; run < kRuns; ++run) {
        {
            Replica r;
            const auto start = std::chrono::steady_clock::now();
            const std::clock_t cpu_start = std::clock();
            for (const Batch& b : w.batches) {
                if (!r.apply(b)) return 1;
            }
            copy_cpu_rates.push_back(static_cast<double>(w.ops) / cpu_seconds_since(cpu_start));
            copy_rates.push_back(static_cast<double>(w.ops) / seconds_since(start));
            if (r.op_count() != w.ops) return 1;
        }
        {
            std::vector<Batch> batches = w.batches;  // the copy is not timed
            Replica r;
            const auto start = std::chrono::steady_clock::now();
            for (Batch& b : batches) {
                if (!r.apply(std::move(b))) return 1;
            }
            move_rates.push_back(static_cast<double>(w.ops) / seconds_since(start));
        }
    }
    std::printf("apply %zu ops (%zu batches, %zu tickets), median of %d runs:\n", w.ops, w.batches.size(),
                kTickets, kRuns);
    std::printf("  apply(const Batch&): %12.0f ops/s  (%.0f ops/s of CPU time)\n", median(copy_rates),
                median(copy_cpu_rates));
    std::printf("  apply(Batch&&):      %12.0f ops/s\n", median(move_rates));

    // ---- 2. merge two replicas of 10,000 tickets that diverged by 1,000 edits each ---------------
    const Workload base_work = make_workload(2, 0);
    Replica base;
    for (const Batch& b : base_work.batches) {
        if (!base.apply(b)) return 1;
    }
    const auto edits_a = make_edits(base_work.tickets, 0xA, 3, 1000);
    const auto edits_b = make_edits(base_work.tickets, 0xB, 4, 1000);
    std::vector<double> merge_seconds;
    std::size_t examined = 0;
    std::size_t applied = 0;
    bool converged = true;
    for (int run = 0; run < kRuns; ++run) {
        Replica a = base;
        Replica b = base;
        for (const Batch& e : edits_a) {
            if (!a.apply(e)) return 1;
        }
        for (const Batch& e : edits_b) {
            if (!b.apply(e)) return 1;
        }
        const Replica b_before = b;
        const auto start = std::chrono::steady_clock::now();
        const MergeOutcome into_a = a.merge(b_before);
        const MergeOutcome into_b = b.merge(a);
        merge_seconds.push_back(seconds_since(start));
        examined = b_before.op_count() + a.op_count();
        applied = into_a.applied + into_b.applied;
        if (run == 0) converged = a.canonical_state() == b.canonical_state();
    }
    const double t = median(merge_seconds);
    std::printf("merge 2 replicas x %zu tickets (%zu ops each), diverged by 1,000 edits each; both ways,\n"
                "median of %d runs:\n", kTickets, base.op_count() + 1000, kRuns);
    std::printf("  %.2f ms  |  %.0f ops examined/s  |  %zu ops applied  |  converged: %s\n", t * 1e3,
                static_cast<double>(examined) / t, applied, converged ? "yes" : "NO");
    return converged ? 0 : 1;
}
