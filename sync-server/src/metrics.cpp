// metrics.cpp — counting and the Prometheus text rendering. Not here: what is counted where.
#include "metrics.h"

#include <cmath>
#include <cstdio>

namespace lb::server {

std::string_view endpoint_name(Endpoint e) {
    static constexpr std::string_view kNames[kEndpointCount] = {
        "health", "metrics", "enroll", "push", "pull", "notify", "keys", "info", "web", "other", "kb_pull",
        "kb_deflections", "key_backup", "sign_in_login", "desk"};
    return kNames[static_cast<std::size_t>(e)];
}

void Metrics::count_response(unsigned status) {
    const std::size_t cls = status / 100;
    if (cls < responses_.size()) responses_[cls].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::observe_duration(Endpoint e, double seconds) {
    const auto i = static_cast<std::size_t>(e);
    if (i >= durations_.size()) return;
    if (!(seconds >= 0)) seconds = 0;  // (a clock never runs back; NaN never counts)
    std::size_t bucket = 0;
    while (bucket < kDurationBuckets.size() && seconds > kDurationBuckets[bucket]) ++bucket;
    durations_[i].buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    durations_[i].sum_microseconds.fetch_add(static_cast<std::uint64_t>(std::llround(seconds * 1e6)), std::memory_order_relaxed);
}

void Metrics::count_ops(std::size_t accepted, std::size_t duplicate, std::size_t rejected) {
    ops_accepted_.fetch_add(accepted, std::memory_order_relaxed);
    ops_duplicate_.fetch_add(duplicate, std::memory_order_relaxed);
    ops_rejected_.fetch_add(rejected, std::memory_order_relaxed);
}

void Metrics::count_deflections(std::size_t accepted, std::size_t duplicate, std::size_t rejected) {
    deflections_accepted_.fetch_add(accepted, std::memory_order_relaxed);
    deflections_duplicate_.fetch_add(duplicate, std::memory_order_relaxed);
    deflections_rejected_.fetch_add(rejected, std::memory_order_relaxed);
}

void LabelledCounters::add(std::string_view label, std::uint64_t n) {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(label);
    if (it == counts_.end()) it = counts_.emplace(std::string(label), 0).first;
    it->second += n;
}

void LabelledCounters::render(std::string& out, std::string_view name, std::string_view label_name) const {
    std::lock_guard lock(mutex_);
    for (const auto& [label, n] : counts_) {
        out.append(name).append("{").append(label_name).append("=\"").append(label).append("\"} ");
        out.append(std::to_string(n)).append("\n");
    }
}

void Metrics::count_rejection(std::string_view code, std::size_t ops) { rejected_by_code_.add(code, ops); }

void Metrics::count_enrolment(Role role) {
    const auto i = static_cast<std::size_t>(role);
    if (i < enrolments_.size()) enrolments_[i].fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const ScrapeGauges& gauges) const {
    std::string out;
    auto line = [&out](std::string_view name, std::string_view labels, auto value) {
        out.append(name);
        if (!labels.empty()) out.append("{").append(labels).append("}");
        out.append(" ").append(std::to_string(value)).append("\n");
    };
    auto help = [&out](std::string_view name, std::string_view type, std::string_view text) {
        out.append("# HELP ").append(name).append(" ").append(text).append("\n");
        out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    };
    help("lifebuoy_http_requests_total", "counter", "HTTP requests by endpoint group.");
    for (std::size_t i = 0; i < kEndpointCount; ++i) {
        line("lifebuoy_http_requests_total",
             "endpoint=\"" + std::string(endpoint_name(static_cast<Endpoint>(i))) + "\"", requests_[i].load());
    }
    help("lifebuoy_http_responses_total", "counter", "HTTP responses by status class.");
    for (std::size_t cls = 2; cls < responses_.size(); ++cls) {
        line("lifebuoy_http_responses_total", "class=\"" + std::to_string(cls) + "xx\"", responses_[cls].load());
    }
    help("lifebuoy_http_request_duration_seconds", "histogram",
         "Time from a request read to its reply ready, by endpoint group (push: its commit included; notify: its "
         "long-poll wait).");
    for (std::size_t i = 0; i < kEndpointCount; ++i) {
        const DurationHistogram& h = durations_[i];
        std::uint64_t counts[kDurationBuckets.size() + 1];
        std::uint64_t total = 0;
        for (std::size_t b = 0; b < h.buckets.size(); ++b) total += counts[b] = h.buckets[b].load(std::memory_order_relaxed);
        if (total == 0) continue;
        const std::string endpoint = "endpoint=\"" + std::string(endpoint_name(static_cast<Endpoint>(i))) + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < kDurationBuckets.size(); ++b) {
            cumulative += counts[b];
            char le[32];
            std::snprintf(le, sizeof le, "%g", kDurationBuckets[b]);
            line("lifebuoy_http_request_duration_seconds_bucket", endpoint + ",le=\"" + le + "\"", cumulative);
        }
        line("lifebuoy_http_request_duration_seconds_bucket", endpoint + ",le=\"+Inf\"", total);
        char sum[32];
        std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(h.sum_microseconds.load(std::memory_order_relaxed)) / 1e6);
        out.append("lifebuoy_http_request_duration_seconds_sum{").append(endpoint).append("} ").append(sum).append("\n");
        line("lifebuoy_http_request_duration_seconds_count", endpoint, total);
    }
    help("lifebuoy_ops_total", "counter", "Pushed ops by outcome.");
    line("lifebuoy_ops_total", "result=\"accepted\"", ops_accepted_.load());
    line("lifebuoy_ops_total", "result=\"duplicate\"", ops_duplicate_.load());
    line("lifebuoy_ops_total", "result=\"rejected\"", ops_rejected_.load());
    help("lifebuoy_push_groups_total", "counter", "Group commits of pushes (one transaction, one fsync each).");
    line("lifebuoy_push_groups_total", "", push_groups_.load());
    help("lifebuoy_push_group_pushes_total", "counter", "Pushes stored by group commits.");
    line("lifebuoy_push_group_pushes_total", "", push_group_pushes_.load());
    help("lifebuoy_ops_rejected_total", "counter", "Rejected ops by reason code.");
    rejected_by_code_.render(out, "lifebuoy_ops_rejected_total", "code");
    help("lifebuoy_enrolments_total", "counter", "Devices enrolled since start, by role.");
    for (std::size_t i = 0; i < enrolments_.size(); ++i) {
        line("lifebuoy_enrolments_total", "role=\"" + std::string(to_name(static_cast<Role>(i))) + "\"",
             enrolments_[i].load());
    }
    help("lifebuoy_enrolment_repeats_total", "counter",
         "Enrolments answered again for the same enrolment_id (the first answer was lost).");
    line("lifebuoy_enrolment_repeats_total", "", enrolment_repeats_.load());
    help("lifebuoy_sign_ins_total", "counter", "Sign-ins on another device with a passphrase or recovery link.");
    line("lifebuoy_sign_ins_total", "result=\"ok\"", sign_ins_ok_.load());
    line("lifebuoy_sign_ins_total", "result=\"failed\"", sign_ins_failed_.load());
    help("lifebuoy_open_connections", "gauge", "TCP connections open now.");
    line("lifebuoy_open_connections", "", open_connections_.load());
    help("lifebuoy_live_waiters", "gauge", "Devices connected to the live notification channel.");
    line("lifebuoy_live_waiters", "", gauges.live_waiters);
    help("lifebuoy_enrolled_devices", "gauge", "Enrolled devices not revoked.");
    line("lifebuoy_enrolled_devices", "", gauges.enrolled_devices);
    help("lifebuoy_ops_stored", "gauge", "Ops in the log.");
    line("lifebuoy_ops_stored", "", gauges.ops_stored);
    help("lifebuoy_triage_decisions_total", "counter", "Automatic triage changes (priority, due dates, dispatch) by rule.");
    triage_decisions_.render(out, "lifebuoy_triage_decisions_total", "rule");
    help("lifebuoy_escalations_total", "counter", "SLA thresholds crossed (at risk, breached) by rule.");
    escalations_.render(out, "lifebuoy_escalations_total", "rule");
    help("lifebuoy_team_lead_notifications_total", "counter", "Escalations the team lead was notified of.");
    line("lifebuoy_team_lead_notifications_total", "", lead_notifications_.load());
    help("lifebuoy_escalation_passes_total", "counter", "Runs of the periodic escalation pass.");
    line("lifebuoy_escalation_passes_total", "", escalation_passes_.load());
    help("lifebuoy_automation_refused_total", "counter", "Server-authored batches the lifecycle table refused.");
    line("lifebuoy_automation_refused_total", "", automation_refused_.load());
    help("lifebuoy_kb_deflections_total", "counter", "Pushed deflection events (\"this solved my problem\") by outcome.");
    line("lifebuoy_kb_deflections_total", "result=\"accepted\"", deflections_accepted_.load());
    line("lifebuoy_kb_deflections_total", "result=\"duplicate\"", deflections_duplicate_.load());
    line("lifebuoy_kb_deflections_total", "result=\"rejected\"", deflections_rejected_.load());
    help("lifebuoy_kb_deflections_stored", "gauge", "Deflection events stored (all time).");
    line("lifebuoy_kb_deflections_stored", "", gauges.kb_deflections);
    help("lifebuoy_kb_articles", "gauge", "Knowledge-base articles published (not retired).");
    line("lifebuoy_kb_articles", "", gauges.kb_articles);
    help("lifebuoy_page_cache_pages", "gauge", "Pages of the page cache reserved at start: holding a database page, free.");
    line("lifebuoy_page_cache_pages", "state=\"used\"", gauges.page_cache_reserved_used);
    line("lifebuoy_page_cache_pages", "state=\"free\"", gauges.page_cache_reserved - gauges.page_cache_reserved_used);
    help("lifebuoy_page_cache_overflow_bytes", "gauge", "Cached database pages beyond the reserved page cache (malloc).");
    line("lifebuoy_page_cache_overflow_bytes", "", gauges.page_cache_overflow_bytes);
    help("lifebuoy_rate_limited_total", "counter", "Requests refused with 429 over a rate limit, per client IP or per device.");
    line("lifebuoy_rate_limited_total", "scope=\"ip\"", rate_limited_ip_.load());
    line("lifebuoy_rate_limited_total", "scope=\"device\"", rate_limited_device_.load());
    help("lifebuoy_wal_checkpoints_total", "counter",
         "WAL checkpoints: complete / incomplete (by the checkpoint thread), by_writer (the WAL outgrew it), failed.");
    wal_checkpoints_.render(out, "lifebuoy_wal_checkpoints_total", "outcome");
    return out;
}

}  // namespace lb::server
