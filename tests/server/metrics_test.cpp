// metrics_test.cpp — the Prometheus text of lifebuoy-server's metrics: the request-duration
// histogram's cumulative buckets, sum and count per endpoint, and the counters beside it.
// Not here: what the server counts where (tests/integration/sync_api.test.mjs scrapes a live one).
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "metrics.h"

using namespace lb::server;

namespace {

// The value on the line that starts with `series` followed by a space ("" when there is none).
std::string value_of(const std::string& text, const std::string& series) {
    const std::string start = series + " ";
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = text.find('\n', at);
        const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (line.rfind(start, 0) == 0) return line.substr(start.size());
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return "";
}

}  // namespace

TEST_CASE("the request-duration histogram is cumulative per endpoint, with sum and count") {
    Metrics metrics;
    metrics.observe_duration(Endpoint::push, 0.0004);  // ≤ 1 ms
    metrics.observe_duration(Endpoint::push, 0.003);   // ≤ 5 ms
    metrics.observe_duration(Endpoint::push, 0.003);
    metrics.observe_duration(Endpoint::push, 42.0);    // beyond the last bound: +Inf only
    metrics.observe_duration(Endpoint::pull, 0.01);    // exactly a bound: in that bucket
    const std::string text = metrics.render(ScrapeGauges{});

    CHECK(text.find("# TYPE lifebuoy_http_request_duration_seconds histogram\n") != std::string::npos);
    const std::string push = "lifebuoy_http_request_duration_seconds_bucket{endpoint=\"push\",le=\"";
    CHECK(value_of(text, push + "0.001\"}") == "1");
    CHECK(value_of(text, push + "0.0025\"}") == "1");
    CHECK(value_of(text, push + "0.005\"}") == "3");
    CHECK(value_of(text, push + "30\"}") == "3");
    CHECK(value_of(text, push + "+Inf\"}") == "4");
    CHECK(value_of(text, "lifebuoy_http_request_duration_seconds_count{endpoint=\"push\"}") == "4");
    CHECK(value_of(text, "lifebuoy_http_request_duration_seconds_sum{endpoint=\"push\"}") == "42.006400");

    const std::string pull = "lifebuoy_http_request_duration_seconds_bucket{endpoint=\"pull\",le=\"";
    CHECK(value_of(text, pull + "0.005\"}") == "0");
    CHECK(value_of(text, pull + "0.01\"}") == "1");
    CHECK(value_of(text, "lifebuoy_http_request_duration_seconds_count{endpoint=\"pull\"}") == "1");

    // An endpoint that never answered has no series (Prometheus treats absent as "no data yet").
    CHECK(text.find("lifebuoy_http_request_duration_seconds_count{endpoint=\"enroll\"}") == std::string::npos);
}

TEST_CASE("a negative or NaN duration counts as zero, never as garbage") {
    Metrics metrics;
    metrics.observe_duration(Endpoint::health, -1.0);
    metrics.observe_duration(Endpoint::health, std::numeric_limits<double>::quiet_NaN());
    const std::string text = metrics.render(ScrapeGauges{});
    CHECK(value_of(text, "lifebuoy_http_request_duration_seconds_bucket{endpoint=\"health\",le=\"0.001\"}") == "2");
    CHECK(value_of(text, "lifebuoy_http_request_duration_seconds_sum{endpoint=\"health\"}") == "0.000000");
}

TEST_CASE("counters render beside the histogram") {
    Metrics metrics;
    metrics.count_request(Endpoint::push);
    metrics.count_response(200);
    metrics.count_ops(3, 1, 2);
    const std::string text = metrics.render(ScrapeGauges{});
    CHECK(value_of(text, "lifebuoy_http_requests_total{endpoint=\"push\"}") == "1");
    CHECK(value_of(text, "lifebuoy_http_responses_total{class=\"2xx\"}") == "1");
    CHECK(value_of(text, "lifebuoy_ops_total{result=\"accepted\"}") == "3");
    CHECK(value_of(text, "lifebuoy_ops_total{result=\"duplicate\"}") == "1");
    CHECK(value_of(text, "lifebuoy_ops_total{result=\"rejected\"}") == "2");
}
