// rate_limiter_test.cpp — the request rate limits: token buckets with a hand-set clock (burst,
// refill, Retry-After, keys independent, idle keys forgotten, memory bounded), the per-IP limit in
// the router (429 with Retry-After before any routing, loopback exempt unless configured), and
// /metrics counting refusals.
// Not here: the per-device limit through sealed calls over HTTP (tests/integration/rate_limits.test.mjs).
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "metrics.h"
#include "rate_limiter.h"
#include "routes.h"
#include "server_config.h"

using namespace lb::server;

namespace {

struct HandClock {
    std::int64_t now = 1'000'000;
    RateLimiter::Clock fn() {
        return [this] { return now; };
    }
};

}  // namespace

TEST_CASE("a bucket allows its burst at once, then one request per refill interval") {
    HandClock clock;
    RateLimiter limiter(60, 5, clock.fn());  // one a second, five saved up
    for (int i = 0; i < 5; ++i) CHECK(limiter.take("a").allowed);
    auto refused = limiter.take("a");
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after_seconds == 1);
    clock.now += 999;
    CHECK_FALSE(limiter.take("a").allowed);  // a refusal costs nothing, but no token yet
    clock.now += 1;
    CHECK(limiter.take("a").allowed);  // exactly one token after 1000 ms
    CHECK_FALSE(limiter.take("a").allowed);
    clock.now += 3'000;
    for (int i = 0; i < 3; ++i) CHECK(limiter.take("a").allowed);
    CHECK_FALSE(limiter.take("a").allowed);
    clock.now += 60'000;  // a long pause refills up to the burst, never beyond
    for (int i = 0; i < 5; ++i) CHECK(limiter.take("a").allowed);
    CHECK_FALSE(limiter.take("a").allowed);
}

TEST_CASE("Retry-After is the whole seconds until the next token, at least 1") {
    HandClock clock;
    RateLimiter slow(2, 1, clock.fn());  // a token every 30 s
    CHECK(slow.take("k").allowed);
    CHECK(slow.take("k").retry_after_seconds == 30);
    clock.now += 10'500;
    CHECK(slow.take("k").retry_after_seconds == 20);  // 19.5 s rounded up
    RateLimiter fast(6000, 1, clock.fn());            // a token every 10 ms
    CHECK(fast.take("k").allowed);
    auto r = fast.take("k");
    CHECK_FALSE(r.allowed);
    CHECK(r.retry_after_seconds == 1);
}

TEST_CASE("keys are independent: one flooding key leaves the others their whole burst") {
    HandClock clock;
    RateLimiter limiter(600, 3, clock.fn());
    for (int i = 0; i < 10; ++i) limiter.take("flood");
    CHECK_FALSE(limiter.take("flood").allowed);
    for (int i = 0; i < 3; ++i) CHECK(limiter.take("quiet").allowed);
    CHECK_FALSE(limiter.take("quiet").allowed);
    CHECK(limiter.take("third").allowed);
}

TEST_CASE("idle keys are forgotten once their bucket would be full again, memory stays bounded") {
    HandClock clock;
    RateLimiter limiter(60, 10, clock.fn(), /*max_keys=*/100);  // a full refill takes 10 s
    CHECK(limiter.take("a").allowed);
    CHECK(limiter.take("b").allowed);
    CHECK(limiter.tracked_keys() == 2);
    clock.now += 5'000;
    CHECK(limiter.take("b").allowed);  // b used again: a is now the least recently used
    clock.now += 5'000;                // a idle 10 s: full again, dropped; b idle 5 s: kept
    CHECK(limiter.take("c").allowed);
    CHECK(limiter.tracked_keys() == 2);
    // Forgetting an idle key changes nothing for it: it has its whole burst.
    clock.now += 20'000;
    for (int i = 0; i < 10; ++i) CHECK(limiter.take("a").allowed);
    CHECK_FALSE(limiter.take("a").allowed);
    CHECK(limiter.tracked_keys() == 1);

    // Many busy keys at once: never more than max_keys; the least recently used starts over.
    for (int i = 0; i < 1000; ++i) limiter.take("ip-" + std::to_string(i));
    CHECK(limiter.tracked_keys() == 100);
    for (int i = 0; i < 10; ++i) limiter.take("ip-999");  // the newest keeps its state
    CHECK_FALSE(limiter.take("ip-999").allowed);
}

TEST_CASE("per_minute 0 turns a limit off") {
    HandClock clock;
    RateLimiter off(0, 1, clock.fn());
    CHECK_FALSE(off.enabled());
    for (int i = 0; i < 1000; ++i) CHECK(off.take("k").allowed);
    CHECK(off.tracked_keys() == 0);
}

TEST_CASE("the limiter is safe from several threads and hands out exactly the burst") {
    HandClock clock;  // time stands still: exactly `burst` tokens exist
    RateLimiter limiter(60, 1000, clock.fn());
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i)
                if (limiter.take("shared").allowed) ++allowed;
        });
    for (auto& t : threads) t.join();
    CHECK(allowed.load() == 1000);
}

TEST_CASE("the router refuses over the per-IP limit with 429 and Retry-After, before routing") {
    HandClock clock;
    ServerConfig config;
    config.web_root = "/nonexistent-web-root";
    Metrics metrics;
    Router router(config, 1, nullptr, &metrics);
    RateLimiter limiter(60, 2, clock.fn());
    router.attach_ip_limiter(&limiter);
    RequestView remote{"GET", "/healthz", "", ""};
    remote.client_address = "203.0.113.7";
    CHECK(router.handle(remote).status == 200);
    CHECK(router.handle(remote).status == 200);
    Reply refused = router.handle(remote);
    CHECK(refused.status == 429);
    CHECK(refused.body.find("\"code\":\"rate_limited\"") != std::string::npos);
    bool retry_after = false;
    for (const auto& [k, v] : refused.headers) retry_after = retry_after || (k == "Retry-After" && v == "1");
    CHECK(retry_after);
    RequestView neighbour = remote;
    neighbour.client_address = "203.0.113.8";
    CHECK(router.handle(neighbour).status == 200);  // another address: its own bucket

    RequestView local = remote;  // this machine: exempt by default (a local proxy, the tests)
    local.client_address = "127.0.0.1";
    local.from_loopback = true;
    for (int i = 0; i < 10; ++i) CHECK(router.handle(local).status == 200);
    const std::string text = metrics.render({});
    CHECK(text.find("lifebuoy_rate_limited_total{scope=\"ip\"} 1\n") != std::string::npos);
    CHECK(text.find("lifebuoy_rate_limited_total{scope=\"device\"} 0\n") != std::string::npos);

    config.rate_limit_exempt_loopback = false;
    Router strict(config, 1, nullptr, &metrics);
    strict.attach_ip_limiter(&limiter);
    CHECK(strict.handle(local).status == 200);
    CHECK(strict.handle(local).status == 200);
    CHECK(strict.handle(local).status == 429);
}
