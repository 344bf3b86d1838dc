// metrics.h — the server's counters and gauges, rendered in the Prometheus text format
// (GET /metrics). One Metrics object per server, owned by main and passed in (no globals);
// every counter is an atomic, so the network threads update it without locks.
//
//   lifebuoy_http_requests_total{endpoint=…}   requests by endpoint group
//   lifebuoy_http_responses_total{class=…}     responses by status class (2xx, 3xx, 4xx, 5xx)
//   lifebuoy_http_request_duration_seconds{endpoint=…}  histogram: request read → reply ready
//                                              (a push's includes its commit; notify's its long-poll
//                                              wait); endpoints appear once they have answered
//   lifebuoy_ops_total{result=…}               pushed ops: accepted, duplicate, rejected
//   lifebuoy_push_groups_total, lifebuoy_push_group_pushes_total   group commits (push_committer.h)
//                                              and the pushes they stored: pushes per fsync
//   lifebuoy_ops_rejected_total{code=…}        rejected ops by reason code
//   lifebuoy_enrolments_total{role=…}          devices enrolled since start
//   lifebuoy_enrolment_repeats_total           enrolments answered again (the same enrolment_id)
//   lifebuoy_sign_ins_total{result}            sign-ins on another device (ok / failed proof)
//   lifebuoy_open_connections                  TCP connections open now
//   lifebuoy_live_waiters                      devices waiting on the live channel (connected devices)
//   lifebuoy_enrolled_devices, lifebuoy_ops_stored   read from the store at scrape time
//   lifebuoy_triage_decisions_total{rule=…}    the automation's changes by rule (priority.matrix,
//                                              sla.due_dates, dispatch.remote_least_load, …)
//   lifebuoy_escalations_total{rule=…}         SLA thresholds crossed (sla.resolution.at_risk, …)
//   lifebuoy_team_lead_notifications_total     escalations the team lead was told of
//   lifebuoy_escalation_passes_total           runs of the periodic escalation pass
//   lifebuoy_automation_refused_total          server batches the lifecycle table refused (bugs)
//   lifebuoy_kb_deflections_total{result=…}    pushed deflection events: accepted, duplicate, rejected
//   lifebuoy_kb_deflections_stored, lifebuoy_kb_articles   read from the store at scrape time
//   lifebuoy_rate_limited_total{scope=…}       requests refused over a rate limit: ip, device
//   lifebuoy_page_cache_pages{state=…}        the reserved page cache: used, free
//   lifebuoy_page_cache_overflow_bytes         cached pages beyond it (malloc)
//   lifebuoy_wal_checkpoints_total{outcome=…}  WAL checkpoints (wal_checkpointer.h): complete,
//                                              incomplete, by_writer, failed
// Not here: serving it (api_routes.cpp).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "lifebuoy/domain.h"

namespace lb::server {

enum class Endpoint : std::uint8_t {
    health, metrics, enroll, push, pull, notify, keys, info, web, other, kb_pull, kb_deflections, key_backup, sign_in_login,
    desk
};
inline constexpr std::size_t kEndpointCount = 15;
std::string_view endpoint_name(Endpoint e);

struct ScrapeGauges {
    std::int64_t enrolled_devices = 0;
    std::int64_t ops_stored = 0;
    std::size_t live_waiters = 0;
    std::int64_t kb_articles = 0;        // not retired
    std::int64_t kb_deflections = 0;     // stored
    std::int64_t page_cache_reserved = 0;        // pages of the reserved page cache (server_storage.h)
    std::int64_t page_cache_reserved_used = 0;   // of those, holding a database page
    std::int64_t page_cache_overflow_bytes = 0;  // cached pages beyond it, from malloc
};

// Counters by a label from a small set (reason codes, rule names), behind one mutex.
class LabelledCounters {
public:
    void add(std::string_view label, std::uint64_t n);
    void render(std::string& out, std::string_view name, std::string_view label_name) const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t, std::less<>> counts_;
};

// Upper bounds (seconds) of the request-duration histogram's buckets; +Inf follows.
inline constexpr std::array<double, 14> kDurationBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                             0.25,  0.5,    1,     2.5,  5,     10,  30};

class Metrics {
public:
    void count_request(Endpoint e) { requests_[static_cast<std::size_t>(e)].fetch_add(1, std::memory_order_relaxed); }
    void count_response(unsigned status);
    void observe_duration(Endpoint e, double seconds);
    void count_push_group(std::size_t pushes) {
        push_groups_.fetch_add(1, std::memory_order_relaxed);
        push_group_pushes_.fetch_add(pushes, std::memory_order_relaxed);
    }
    void count_ops(std::size_t accepted, std::size_t duplicate, std::size_t rejected);
    void count_rejection(std::string_view code, std::size_t ops);
    void count_enrolment(Role role);
    void count_enrolment_repeat() { enrolment_repeats_.fetch_add(1, std::memory_order_relaxed); }
    void count_sign_in(bool ok) { (ok ? sign_ins_ok_ : sign_ins_failed_).fetch_add(1, std::memory_order_relaxed); }
    void count_triage_decision(std::string_view rule) { triage_decisions_.add(rule, 1); }
    void count_escalation(std::string_view rule) { escalations_.add(rule, 1); }
    void count_team_lead_notification() { lead_notifications_.fetch_add(1, std::memory_order_relaxed); }
    void count_escalation_pass() { escalation_passes_.fetch_add(1, std::memory_order_relaxed); }
    void count_automation_refused() { automation_refused_.fetch_add(1, std::memory_order_relaxed); }
    void count_deflections(std::size_t accepted, std::size_t duplicate, std::size_t rejected);
    // scope "ip" or "device" (anything else counts nowhere)
    void count_rate_limited(std::string_view scope) {
        if (scope == "ip") rate_limited_ip_.fetch_add(1, std::memory_order_relaxed);
        else if (scope == "device") rate_limited_device_.fetch_add(1, std::memory_order_relaxed);
    }
    void count_wal_checkpoint(std::string_view outcome) { wal_checkpoints_.add(outcome, 1); }
    void connection_opened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
    void connection_closed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
    std::int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

    std::string render(const ScrapeGauges& gauges) const;

private:
    std::array<std::atomic<std::uint64_t>, kEndpointCount> requests_{};
    std::array<std::atomic<std::uint64_t>, 6> responses_{};  // index = status / 100
    struct DurationHistogram {
        std::array<std::atomic<std::uint64_t>, kDurationBuckets.size() + 1> buckets{};  // not cumulative; last: +Inf
        std::atomic<std::uint64_t> sum_microseconds{0};
    };
    std::array<DurationHistogram, kEndpointCount> durations_{};
    std::atomic<std::uint64_t> ops_accepted_{0}, ops_duplicate_{0}, ops_rejected_{0};
    std::atomic<std::uint64_t> push_groups_{0}, push_group_pushes_{0};
    std::array<std::atomic<std::uint64_t>, kRoleCount> enrolments_{};
    std::atomic<std::uint64_t> enrolment_repeats_{0};
    std::atomic<std::uint64_t> sign_ins_ok_{0}, sign_ins_failed_{0};
    std::atomic<std::int64_t> open_connections_{0};
    LabelledCounters rejected_by_code_;  // stable codes: a small set
    LabelledCounters triage_decisions_, escalations_;  // rule names: a small set
    LabelledCounters wal_checkpoints_;                  // four outcomes
    std::atomic<std::uint64_t> lead_notifications_{0}, escalation_passes_{0}, automation_refused_{0};
    std::atomic<std::uint64_t> deflections_accepted_{0}, deflections_duplicate_{0}, deflections_rejected_{0};
    std::atomic<std::uint64_t> rate_limited_ip_{0}, rate_limited_device_{0};
};

}  // namespace lb::server
