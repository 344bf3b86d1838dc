// hlc.h — hybrid logical clock (Kulkarni et al., 2014): 48-bit milliseconds + 16-bit counter,
// ordered together with a 64-bit node id. Orders every op of every replica without trusting any
// single wall clock to be right.
//
// Features: Hlc value type (packed into 64 bits, so comparing two Hlcs is one integer compare);
// HybridClock with now() for a local event and observe() for a received timestamp; counter overflow
// (65,536 events in one millisecond) advances the logical millisecond instead of wrapping.
// Not here: reading the wall clock — the physical time in milliseconds is always passed in.
//
// FUTURE-TIMESTAMP POLICY (a device with a wrong clock must not freeze everyone else's edits):
//  1. A remote HLC more than kMaxClockDriftMs (5 minutes) ahead of this replica's physical time is
//     NOT adopted into the local clock: observe() leaves the clock where it was (it still ticks on
//     physical time) and reports `too_far_ahead` with how far ahead it was. So one bad clock can not
//     drag every replica's clock into the future, and later local edits keep normal timestamps.
//  2. The op itself is never dropped and never silently re-stamped by a replica that merges it:
//     every replica must apply the same bytes to converge, so merge stores it as received.
//  3. The single place that may change it is the ingress of the sync server (before it gives the op
//     a server_seq, so every replica sees only the clamped form): clamp_future_op() (op.h) replaces
//     an HLC that is too far ahead by the server clock's now() and records the original in the op's
//     `clamped_from`, which travels on the wire and stays in the history. A clamped op therefore
//     competes as an edit made when the server received it — the most honest time available.
//  4. Clients flag (do not clamp) such ops they receive by other paths, e.g. to show "this device's
//     clock looks wrong" next to the value.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lifebuoy/id128.h"

namespace lb {

inline constexpr std::uint64_t kHlcMaxMs = (std::uint64_t{1} << 48) - 1;  // year 10889
inline constexpr std::uint64_t kHlcMaxCounter = 0xFFFF;
// How far ahead of local physical time a remote clock may be and still be adopted.
inline constexpr std::uint64_t kMaxClockDriftMs = 5 * 60 * 1000;

struct Hlc {
    std::uint64_t packed = 0;  // ms << 16 | counter; 0 means "no timestamp"

    static constexpr Hlc from(std::uint64_t ms, std::uint16_t counter) {
        return Hlc{(ms << 16) | counter};
    }
    constexpr std::uint64_t ms() const { return packed >> 16; }
    constexpr std::uint16_t counter() const { return static_cast<std::uint16_t>(packed & 0xFFFF); }
    constexpr bool is_zero() const { return packed == 0; }

    friend constexpr bool operator==(const Hlc&, const Hlc&) = default;
    friend constexpr std::strong_ordering operator<=>(const Hlc&, const Hlc&) = default;
};

// Text form: 16 lowercase hex digits of `packed` (sorts like the clock).
std::string hlc_to_hex(Hlc hlc);
std::optional<Hlc> hlc_from_hex(std::string_view text);

// True when `remote` is more than `max_drift_ms` ahead of `physical_ms`.
bool hlc_too_far_ahead(Hlc remote, std::uint64_t physical_ms,
                       std::uint64_t max_drift_ms = kMaxClockDriftMs);

struct ObserveResult {
    Hlc local;                  // the clock after observing (also a valid timestamp for a reply)
    bool adopted = true;        // false: the remote time was too far ahead and was not taken in
    std::uint64_t ahead_ms = 0; // how far the remote time was ahead of physical time (0 if behind)
};

class HybridClock {
public:
    explicit HybridClock(NodeId node, Hlc last = {}, std::uint64_t max_drift_ms = kMaxClockDriftMs)
        : node_(node), last_(last), max_drift_ms_(max_drift_ms) {}

    NodeId node() const { return node_; }
    Hlc last() const { return last_; }  // persist this to resume after a restart

    // Timestamp for a local event (an op this replica authors). Strictly greater than every
    // timestamp this clock returned or adopted before.
    Hlc now(std::uint64_t physical_ms);

    // Takes a received timestamp into account (Kulkarni's receive rule), within the drift policy.
    ObserveResult observe(Hlc remote, std::uint64_t physical_ms);

private:
    NodeId node_;
    Hlc last_;
    std::uint64_t max_drift_ms_;
};

}  // namespace lb
