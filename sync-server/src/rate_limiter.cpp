// rate_limiter.cpp — token buckets in least-recently-used order, counted in whole units (a token is
// 60,000 units and a bucket gains per_minute units a millisecond), so refill has no rounding drift.
// Not here: the numbers (server_config.h), the refusals (routes.cpp, api_routes.cpp).
#include "rate_limiter.h"

#include <algorithm>
#include <chrono>

namespace lb::server {

RateLimiter::RateLimiter(std::uint32_t per_minute, std::uint32_t burst, Clock now_ms, std::size_t max_keys)
    : per_minute_(per_minute),
      full_credit_(std::int64_t{std::max<std::uint32_t>(burst, 1)} * kUnitsPerToken),
      refill_all_ms_(per_minute == 0 ? 0 : (full_credit_ + per_minute_ - 1) / per_minute_),
      now_ms_(std::move(now_ms)),
      max_keys_(std::max<std::size_t>(max_keys, 1)) {}

void RateLimiter::evict_idle(std::int64_t now) {
    // Least recently used at the back: stop at the first key used within a full refill.
    while (!order_.empty() && now - order_.back().last_ms >= refill_all_ms_) {
        index_.erase(order_.back().key);
        order_.pop_back();
    }
}

RateLimiter::Decision RateLimiter::take(std::string_view key) {
    if (per_minute_ == 0) return {};
    const std::int64_t now = now_ms_();
    std::lock_guard lock(mutex_);
    evict_idle(now);
    auto found = index_.find(key);
    if (found == index_.end()) {
        if (order_.size() >= max_keys_) {  // full of busy keys: the least recently used starts over
            index_.erase(order_.back().key);
            order_.pop_back();
        }
        order_.push_front(Bucket{std::string(key), full_credit_, now});
        found = index_.emplace(std::string_view(order_.front().key), order_.begin()).first;
    } else {
        order_.splice(order_.begin(), order_, found->second);  // list iterators stay valid
    }
    Bucket& b = *found->second;
    if (now > b.last_ms) {
        b.credit = std::min(full_credit_, b.credit + (now - b.last_ms) * per_minute_);
        b.last_ms = now;
    }
    if (b.credit >= kUnitsPerToken) {
        b.credit -= kUnitsPerToken;
        return {};
    }
    const std::int64_t wait_ms = (kUnitsPerToken - b.credit + per_minute_ - 1) / per_minute_;
    return {false, static_cast<int>(std::max<std::int64_t>(1, (wait_ms + 999) / 1000))};
}

std::size_t RateLimiter::tracked_keys() const {
    std::lock_guard lock(mutex_);
    return order_.size();
}

std::int64_t steady_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace lb::server
