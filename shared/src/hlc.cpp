// hlc.cpp — the hybrid logical clock's send and receive rules. Not here: reading any wall clock.
#include "lifebuoy/hlc.h"

#include <algorithm>

namespace lb {
namespace {

std::uint64_t clamp_ms(std::uint64_t ms) { return std::min(ms, kHlcMaxMs); }

// The timestamp right after (ms, counter), advancing the millisecond when the counter is full.
Hlc next_after(std::uint64_t ms, std::uint64_t counter) {
    if (counter < kHlcMaxCounter) return Hlc::from(ms, static_cast<std::uint16_t>(counter + 1));
    if (ms < kHlcMaxMs) return Hlc::from(ms + 1, 0);
    return Hlc::from(kHlcMaxMs, static_cast<std::uint16_t>(kHlcMaxCounter));  // saturated (year 10889)
}

}  // namespace

std::string hlc_to_hex(Hlc hlc) { return u64_to_hex(hlc.packed); }

std::optional<Hlc> hlc_from_hex(std::string_view text) {
    const auto packed = u64_from_hex(text);
    if (!packed) return std::nullopt;
    return Hlc{*packed};
}

bool hlc_too_far_ahead(Hlc remote, std::uint64_t physical_ms, std::uint64_t max_drift_ms) {
    const std::uint64_t limit = clamp_ms(physical_ms) + max_drift_ms;
    return remote.ms() > limit;
}

Hlc HybridClock::now(std::uint64_t physical_ms) {
    const std::uint64_t pt = clamp_ms(physical_ms);
    if (pt > last_.ms()) {
        last_ = Hlc::from(pt, 0);
    } else {
        last_ = next_after(last_.ms(), last_.counter());
    }
    return last_;
}

ObserveResult HybridClock::observe(Hlc remote, std::uint64_t physical_ms) {
    const std::uint64_t pt = clamp_ms(physical_ms);
    ObserveResult result;
    result.ahead_ms = remote.ms() > pt ? remote.ms() - pt : 0;
    if (hlc_too_far_ahead(remote, pt, max_drift_ms_)) {
        // Policy: do not adopt; tick on our own time only.
        result.adopted = false;
        result.local = now(pt);
        return result;
    }
    const std::uint64_t l_old = last_.ms();
    const std::uint64_t l_new = std::max({l_old, remote.ms(), pt});
    if (l_new == l_old && l_new == remote.ms()) {
        last_ = next_after(l_new, std::max(last_.counter(), remote.counter()));
    } else if (l_new == l_old) {
        last_ = next_after(l_new, last_.counter());
    } else if (l_new == remote.ms()) {
        last_ = next_after(l_new, remote.counter());
    } else {
        last_ = Hlc::from(l_new, 0);
    }
    result.local = last_;
    return result;
}

}  // namespace lb
