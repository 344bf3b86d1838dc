// replay_guard.cpp — last accepted counter per device, and its persisted blob.
#include "lifebuoy/crypto/replay_guard.h"

#include <cassert>

#include "bytes.h"
#include "lifebuoy/crypto/errors.h"

namespace lb::crypto {

namespace {
constexpr std::size_t kEntryBytes = kPublicKeyBytes + 8;
}

std::uint64_t ReplayGuard::last_counter(const PublicKey& device) const {
    auto it = last_.find(device);
    return it == last_.end() ? 0 : it->second;
}

void ReplayGuard::set_last_counter(const PublicKey& device, std::uint64_t counter) { last_[device] = counter; }

void ReplayGuard::accept(const PublicKey& device, std::uint64_t counter) {
    assert(is_fresh(device, counter));
    last_[device] = counter;
}

std::vector<std::uint8_t> ReplayGuard::encode() const {
    std::vector<std::uint8_t> out;
    out.reserve(1 + 4 + last_.size() * kEntryBytes);
    detail::put_u8(out, kReplayGuardFormatVersion);
    detail::put_u32(out, static_cast<std::uint32_t>(last_.size()));
    for (const auto& [device, counter] : last_) {
        detail::put_bytes(out, device.bytes);
        detail::put_u64(out, counter);
    }
    return out;
}

Result<ReplayGuard> ReplayGuard::decode(std::span<const std::uint8_t> blob) {
    detail::ByteReader in(blob);
    std::uint8_t version = 0;
    std::uint32_t count = 0;
    if (!in.u8(version) || version != kReplayGuardFormatVersion) {
        return crypto_error(CryptoError::replay_state_malformed, "missing or unsupported version");
    }
    if (!in.u32(count) || in.remaining() / kEntryBytes != count || in.remaining() % kEntryBytes != 0) {
        return crypto_error(CryptoError::replay_state_malformed, "entry count does not match the length");
    }
    ReplayGuard guard;
    const PublicKey* previous = nullptr;
    for (std::uint32_t i = 0; i < count; ++i) {
        PublicKey device;
        std::uint64_t counter = 0;
        if (!in.array(device.bytes) || !in.u64(counter)) {
            return crypto_error(CryptoError::replay_state_malformed, "entry cut short");
        }
        if (previous != nullptr && !(*previous < device)) {
            return crypto_error(CryptoError::replay_state_malformed, "devices not in ascending order");
        }
        auto [it, inserted] = guard.last_.emplace(device, counter);
        (void)inserted;
        previous = &it->first;
    }
    return guard;
}

}  // namespace lb::crypto
