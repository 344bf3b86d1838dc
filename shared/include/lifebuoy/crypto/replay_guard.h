// crypto/replay_guard.h — the server's memory of the last request counter accepted from each
// device, which makes a replayed or re-ordered old request fail with envelope_replayed.
//
// The caller persists it: either whole (encode/decode below) or one row per device
// (last_counter/set_last_counter), and must store the new counter before acting on the request
// (or in the same transaction), so a crash cannot make an old request acceptable again.
//   blob v1: [0]=0x01 | u32 BE count | count × (32-byte device public key | u64 BE counter),
//            keys strictly ascending (one entry per device)
// Not here: opening envelopes (envelope.h), storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::uint8_t kReplayGuardFormatVersion = 1;

class ReplayGuard {
public:
    // 0 for a device never seen (so a counter must start at 1).
    [[nodiscard]] std::uint64_t last_counter(const PublicKey& device) const;
    // Loading a persisted value; also lowers it (for tests, or a deliberate reset by an admin).
    void set_last_counter(const PublicKey& device, std::uint64_t counter);
    [[nodiscard]] bool is_fresh(const PublicKey& device, std::uint64_t counter) const {
        return counter > last_counter(device);
    }
    // Records an authenticated request's counter. Requires is_fresh (asserted).
    void accept(const PublicKey& device, std::uint64_t counter);
    [[nodiscard]] std::size_t size() const { return last_.size(); }

    [[nodiscard]] std::vector<std::uint8_t> encode() const;
    // Error replay_state_malformed for any blob encode() did not produce.
    [[nodiscard]] static Result<ReplayGuard> decode(std::span<const std::uint8_t> blob);

private:
    std::map<PublicKey, std::uint64_t> last_;
};

}  // namespace lb::crypto
