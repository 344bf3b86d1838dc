// triage_dispatch_bench.cpp — dispatch decisions per second (lifebuoy/triage/dispatch.h) with 100
// technicians (3 sites, 3 skills each of 10 categories, some onsite-only or remote-only, some on
// leave, capacity 200) and 10,000 open tickets (30 % onsite), median of 7 runs, on one core.
// Also times escalation checks (read_sla_clock + check_escalation) over the same 10,000 tickets.
// Not here: correctness (tests/unit/triage_dispatch_test.cpp).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "lifebuoy/triage/dispatch.h"
#include "lifebuoy/triage/escalation.h"
#include "lifebuoy/triage/sla.h"

using namespace lb;
using namespace lb::triage;

namespace {

using Rng = lb::SeededRandom;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main() {
    const std::vector<std::string> categories = {"access", "account_password", "hardware", "network_vpn", "email",
                                                 "printing", "software", "storage", "purchase", "hr"};
    const std::vector<std::string> sites = {"london", "berlin", "new_york"};
    Rng rng{7};
    std::vector<Technician> techs;
    for (std::uint64_t k = 0; k < 100; ++k) {
        Technician t;
        t.id = EntityId{0, 1000 + k};
        t.site = sites[k % 3];
        t.skills = {categories[k % 10]};
        while (t.skills.size() < 3) {
            const std::string& c = categories[rng.pick(categories.size())];
            if (std::find(t.skills.begin(), t.skills.end(), c) == t.skills.end()) t.skills.push_back(c);
        }
        t.works_remote = k % 7 != 0;
        t.works_onsite = k % 5 != 1;
        t.available = k % 13 != 4;
        t.load = static_cast<std::uint32_t>(rng.pick(10));
        t.max_load = 200;
        techs.push_back(std::move(t));
    }
    std::vector<DispatchTicket> tickets;
    const std::int64_t t0 = 1'750'000'000'000;
    for (std::uint64_t n = 0; n < 10'000; ++n) {
        DispatchTicket t;
        t.id = EntityId{1, n + 1};
        t.category = categories[rng.pick(categories.size())];
        t.site = sites[rng.pick(sites.size())];
        t.priority = static_cast<Priority>(rng.pick(5));
        t.mode = rng.pick(10) < 3 ? WorkMode::onsite : WorkMode::remote;
        t.created_ms = t0 + static_cast<std::int64_t>(n) * 60'000;
        t.due_ms = t.created_ms + static_cast<std::int64_t>(rng.pick(5 * 24 * 60)) * 60'000;
        tickets.push_back(std::move(t));
    }

    std::vector<double> rates;
    std::size_t assigned = 0;
    for (int run = 0; run < 7; ++run) {
        DispatchState state;
        const auto start = std::chrono::steady_clock::now();
        const auto r = dispatch(tickets, techs, state);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        assigned = r.assigned.size();
        rates.push_back(static_cast<double>(tickets.size()) / s);
    }
    std::printf("triage_dispatch_bench: 100 technicians, %zu open tickets (%zu assigned per run)\n", tickets.size(),
                assigned);
    std::printf("  dispatch decisions/s: %.0f (median of 7 runs)\n", median(rates));

    // Escalation sweep: the server's periodic check over every open ticket.
    const BusinessCalendar calendar = weekday_calendar("london", *find_time_zone("Europe/London"));
    const EscalationPolicy policy;
    std::vector<double> checks;
    std::size_t fired = 0;
    for (int run = 0; run < 7; ++run) {
        fired = 0;
        const auto start = std::chrono::steady_clock::now();
        for (const DispatchTicket& t : tickets) {
            SlaClockInput in;
            in.start_ms = t.created_ms;
            in.target_minutes = 8 * 60;
            auto reading = read_sla_clock(calendar, in, t0 + 3 * 86'400'000LL);
            if (!reading) continue;
            fired += check_escalation(t.id, std::nullopt, SlaTargetKind::resolution, reading.value(),
                                      EscalationLevel::none, policy)
                         .has_value();
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        checks.push_back(static_cast<double>(tickets.size()) / s);
    }
    std::printf("  escalation checks/s: %.0f (median of 7 runs; %zu of %zu tickets escalated)\n", median(checks),
                fired, tickets.size());
    return 0;
}
