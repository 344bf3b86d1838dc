// queue_bench.cpp — the engine's side of the technician's queue (issue #10) with 10,000 tickets
// on the device, on one core: what one refresh of the Queue tab costs in the engine Worker before
// the UI draws — reading every ticket from the replica (read_ticket), making the rows
// (queue_row: names, SLA marks), filtering and sorting (select_queue, view "open" by due date;
// and a search for a word), the counts per view, the JSON the UI receives, and the CSV export.
// Medians of 7 runs, in milliseconds, against the 16 ms of one frame at 60 fps (the engine answers
// in its Worker, so a refresh costs the UI no frame, but it bounds how fast filtering can feel).
// Not here: opening sealed text (cached by op id after the first read), the table's drawing (it
// draws only the rows in view: ImGuiListClipper), the browser frame-time benchmark (not written yet).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/ticket_queue.h"
#include "lifebuoy/op.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/views.h"

using namespace lb;
using namespace lb::engine;

namespace {

constexpr std::uint64_t kT0 = 1'796'083'200'000;  // 2026-12-01
constexpr std::size_t kTickets = 10'000;
constexpr std::size_t kTechnicians = 100;
constexpr int kRuns = 7;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double time_ms(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main() {
    SeededRandom random(7);
    HybridClock clock(0x9E7E, {});
    Replica replica;
    std::vector<EntityId> people, tickets;
    std::uint64_t now = kT0;
    for (std::size_t i = 0; i < kTechnicians + 500; ++i) {
        BatchBuilder b(clock, random, now++);
        const EntityId u = b.new_entity_id();
        b.set(EntityKind::user, u, Field::user_display_name, "Person " + std::to_string(i))
            .set(EntityKind::user, u, Field::user_role, std::string(i < kTechnicians ? "technician" : "requester"));
        people.push_back(u);
        if (!replica.apply(b.finish())) return 1;
    }
    const char* titles[] = {"VPN drops every hour", "Printer on floor 3 jams", "Outlook asks for password again",
                            "New laptop for a starter", "Badge does not open the side door"};
    const char* statuses[] = {"assigned", "in_progress", "waiting_on_requester", "assigned", "resolved", "closed"};
    const char* priorities[] = {"critical", "high", "medium", "low", "planning"};
    const char* sites[] = {"london", "new_york"};
    for (std::size_t i = 0; i < kTickets; ++i) {
        BatchBuilder b(clock, random, now++);
        const EntityId t = b.new_entity_id();
        const auto due = static_cast<std::int64_t>(kT0) + static_cast<std::int64_t>((i * 7919) % 5000) * 60000 - 1'000 * 60000;
        b.set(EntityKind::ticket, t, Field::ticket_number, static_cast<std::int64_t>(i + 1))
            .set(EntityKind::ticket, t, Field::ticket_requester, people[kTechnicians + i % 500])
            .set(EntityKind::ticket, t, Field::ticket_title, std::string(titles[i % 5]) + " #" + std::to_string(i))
            .set(EntityKind::ticket, t, Field::ticket_category, std::string("network_vpn"))
            .set(EntityKind::ticket, t, Field::ticket_status, std::string(statuses[i % 6]))
            .set(EntityKind::ticket, t, Field::ticket_priority, std::string(priorities[i % 5]))
            .set(EntityKind::ticket, t, Field::ticket_site, std::string(sites[i % 2]))
            .set(EntityKind::ticket, t, Field::ticket_response_due, due)
            .set(EntityKind::ticket, t, Field::ticket_resolution_due, due + 2'880 * 60000);
        if (i % 3 != 0) b.set(EntityKind::ticket, t, Field::ticket_assignee, people[i % kTechnicians]);
        tickets.push_back(t);
        if (!replica.apply(b.finish())) return 1;
    }

    triage::TriageConfig desk;
    QueueContext context;
    context.me = people[0];
    context.desk = &desk;
    context.now_ms = static_cast<std::int64_t>(kT0);
    for (const EntityId& u : people) context.names[u] = read_user(replica, u)->display_name;

    std::vector<double> read_ms, rows_ms, select_ms, search_ms, counts_ms, json_ms, csv_ms;
    std::size_t shown = 0, found = 0, csv_bytes = 0, json_bytes = 0;
    for (int run = 0; run < kRuns; ++run) {
        std::vector<Ticket> read;
        read_ms.push_back(time_ms([&] {
            for (const EntityId& id : replica.entity_ids(EntityKind::ticket)) read.push_back(*read_ticket(replica, id));
        }));
        std::vector<QueueRow> rows;
        rows_ms.push_back(time_ms([&] {
            for (Ticket& t : read) rows.push_back(queue_row(std::move(t), context));
        }));
        std::vector<QueueRow> selected;
        select_ms.push_back(time_ms([&] { selected = select_queue(rows, {"open", "", "", ""}, {"due", false}, context); }));
        search_ms.push_back(time_ms([&] { found = select_queue(rows, {"open", "", "", "printer"}, {"due", false}, context).size(); }));
        counts_ms.push_back(time_ms([&] { (void)view_counts(rows, {"open", "", "", ""}, context); }));
        json_ms.push_back(time_ms([&] {
            nlohmann::json out = nlohmann::json::array();
            for (const QueueRow& r : selected)
                out.push_back({{"id", to_hex(r.ticket.id)}, {"number", *r.ticket.number}, {"title", r.ticket.title},
                               {"requester", r.requester_name}, {"category", r.ticket.category},
                               {"priority", to_name(r.ticket.priority)}, {"status", to_name(r.ticket.status)},
                               {"assignee", r.assignee_name}, {"site", r.ticket.site},
                               {"due_ms", r.due_ms ? nlohmann::json(*r.due_ms) : nlohmann::json(nullptr)},
                               {"sla", to_name(r.sla)}, {"left_ms", r.left_ms}});
            json_bytes = out.dump().size();
        }));
        csv_ms.push_back(time_ms([&] { csv_bytes = queue_csv(selected).size(); }));
        shown = selected.size();
    }
    const double refresh = median(read_ms) + median(rows_ms) + median(select_ms) + median(counts_ms) + median(json_ms);
    std::printf("queue_bench: %zu tickets (%zu open shown, %zu found by a word), %zu people; medians of %d runs\n",
                kTickets, shown, found, context.names.size(), kRuns);
    std::printf("  read tickets from the replica   %7.2f ms\n", median(read_ms));
    std::printf("  rows (names, SLA marks)         %7.2f ms\n", median(rows_ms));
    std::printf("  filter + sort (open, by due)    %7.2f ms\n", median(select_ms));
    std::printf("  search one word                 %7.2f ms\n", median(search_ms));
    std::printf("  counts of the 9 views           %7.2f ms\n", median(counts_ms));
    std::printf("  JSON for the UI                 %7.2f ms  (%zu bytes)\n", median(json_ms), json_bytes);
    std::printf("  one refresh, total              %7.2f ms  = %.2f frames of 16 ms (in the engine Worker)\n", refresh,
                refresh / 16.0);
    std::printf("  CSV export                      %7.2f ms  (%zu bytes)\n", median(csv_ms), csv_bytes);
    return 0;
}
