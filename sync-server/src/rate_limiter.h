// rate_limiter.h — request rate limits per key (a client's IP address, a device's key): one token
// bucket per key, `per_minute` tokens refilled evenly, at most `burst` saved up. A request takes a
// token; with none left it is refused with how long until the next token (Retry-After, seconds).
//
// Thread-safe (one mutex; a call is a hash lookup and a list splice). The clock is passed in (a
// monotonic millisecond count; tests hand-set it). Memory is bounded: keys are kept in order of
// last use, a key untouched for as long as a whole bucket takes to refill is dropped (its bucket
// would be full again: forgetting it changes nothing), and past `max_keys` the least recently used
// key is dropped early (it starts over with a full bucket — lenient, never wrong for the caller).
// per_minute 0 turns the limit off (every request allowed, nothing kept).
// Not here: which requests are limited and what the refusal looks like (routes.cpp, api_routes.cpp),
// the numbers (server_config.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lb::server {

class RateLimiter {
public:
    using Clock = std::function<std::int64_t()>;  // monotonic milliseconds
    static constexpr std::size_t kDefaultMaxKeys = 100'000;

    RateLimiter(std::uint32_t per_minute, std::uint32_t burst, Clock now_ms, std::size_t max_keys = kDefaultMaxKeys);

    struct Decision {
        bool allowed = true;
        int retry_after_seconds = 0;  // when refused: ≥ 1, until a token is there again
    };
    Decision take(std::string_view key);

    bool enabled() const { return per_minute_ > 0; }
    std::size_t tracked_keys() const;  // for tests and bounds

private:
    struct Bucket {
        std::string key;
        std::int64_t credit = 0;   // tokens × kUnitsPerToken (exact: refill is per_minute units a ms)
        std::int64_t last_ms = 0;  // last refill (= last use)
    };
    using Order = std::list<Bucket>;  // most recently used first
    void evict_idle(std::int64_t now);

    static constexpr std::int64_t kUnitsPerToken = 60'000;  // ms in a minute
    const std::int64_t per_minute_;
    const std::int64_t full_credit_;    // burst × kUnitsPerToken
    const std::int64_t refill_all_ms_;  // an empty bucket is full again after this long
    const Clock now_ms_;
    const std::size_t max_keys_;
    mutable std::mutex mutex_;
    Order order_;
    std::unordered_map<std::string_view, Order::iterator> index_;  // views into order_'s keys
};

// A monotonic clock in milliseconds (std::chrono::steady_clock), for the server.
std::int64_t steady_now_ms();

}  // namespace lb::server
