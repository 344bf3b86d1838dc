// crypto/envelope.h — the sealed envelope around every sync request and response between a device
// and the server: unreadable, unforgeable and not replayable, even over plain HTTP.
//
// Keys: crypto_kx between the device key pair (client) and the server key pair gives two session
// keys, one per direction, so a request can never be passed off as a response. Each message is
// XChaCha20-Poly1305 IETF with a random 24-byte nonce; the whole header is its additional data.
//   v1: [0]      version 0x01
//       [1]      kind: 0x01 request (device → server), 0x02 response (server → device)
//       [2..34)  device public key (tells the server whose session keys to derive)
//       [34..50) server key id (key_id_of(server public key))
//       [50..58) counter, u64 BE — request: the device's counter, strictly increasing, starting at
//                1; response: the counter of the request it answers
//       [58..66) sender's timestamp, Unix ms, u64 BE
//       [66..90) nonce
//       [90..)   ciphertext ‖ 16-byte tag
// Checks when opening, in order (each a typed error): truncated, version, size limit, kind,
// device and server key (wrong_key), authentication (envelope_tampered), counter
// (envelope_replayed), and for requests the timestamp against the server's clock
// (envelope_clock_skew). The ReplayGuard is only advanced when every check passed.
// Not here: HTTP, what the plaintext means (wire.h), enrolment of devices, persistence of counters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/replay_guard.h"
#include "lifebuoy/crypto/secret.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::uint8_t kEnvelopeFormatVersion = 1;
inline constexpr std::size_t kEnvelopeNonceBytes = 24;
inline constexpr std::size_t kEnvelopeHeaderBytes = 1 + 1 + kPublicKeyBytes + kKeyIdBytes + 8 + 8 + kEnvelopeNonceBytes;
inline constexpr std::size_t kEnvelopeTagBytes = 16;
inline constexpr std::size_t kEnvelopeOverheadBytes = kEnvelopeHeaderBytes + kEnvelopeTagBytes;
// Larger than the largest batch (wire.h) with room for a sync response.
inline constexpr std::size_t kMaxEnvelopePlaintextBytes = 8 * 1024 * 1024;
// How far a request's timestamp may be from the server's clock. Bounds how long an intercepted
// request that was never delivered stays usable; the counter already stops replays.
inline constexpr std::uint64_t kEnvelopeMaxClockSkewMs = 5 * 60 * 1000;

enum class EnvelopeKind : std::uint8_t { request = 1, response = 2 };

// The clear-text header, before authentication: for routing only (whose channel to open).
struct EnvelopeHeader {
    EnvelopeKind kind = EnvelopeKind::request;
    PublicKey device;
    KeyId server_key;
    std::uint64_t counter = 0;
    std::uint64_t timestamp_ms = 0;
};
// Errors: envelope_truncated, envelope_unsupported_version, envelope_too_large, envelope_misdirected.
[[nodiscard]] Result<EnvelopeHeader> peek_envelope(std::span<const std::uint8_t> envelope);

struct OpenedEnvelope {
    std::uint64_t counter = 0;
    std::uint64_t timestamp_ms = 0;
    std::vector<std::uint8_t> plaintext;
};

// The device's end. Move-only (holds session keys, wiped on destruction).
class DeviceChannel {
public:
    // `server` is the pinned key (check_pinned_server_key). Error key_malformed for a low-order key.
    [[nodiscard]] static Result<DeviceChannel> create(const KeyPair& device, const PublicKey& server);

    // `counter` must be greater than every counter this device used with this server key: the
    // caller persists it before sending. Error envelope_too_large.
    [[nodiscard]] Result<std::vector<std::uint8_t>> seal_request(
        std::uint64_t counter, std::uint64_t now_ms, std::span<const std::uint8_t> plaintext,
        RandomSource& random) const;
    // Accepts only the answer to the request sent with `request_counter` (a stale or replayed
    // response fails with envelope_replayed).
    [[nodiscard]] Result<OpenedEnvelope> open_response(std::span<const std::uint8_t> envelope,
                                                       std::uint64_t request_counter) const;

private:
    DeviceChannel() = default;
    PublicKey device_;
    KeyId server_key_;
    SecretBytes<32> rx_;  // server → device
    SecretBytes<32> tx_;  // device → server
};

// The server's end for one device (whose key comes from peek_envelope, checked against the
// enrolled devices by the caller).
class ServerChannel {
public:
    [[nodiscard]] static Result<ServerChannel> create(const KeyPair& server, const PublicKey& device);

    // On success records the counter in `guard`; the caller persists it before acting.
    [[nodiscard]] Result<OpenedEnvelope> open_request(std::span<const std::uint8_t> envelope,
                                                      ReplayGuard& guard, std::uint64_t now_ms) const;
    [[nodiscard]] Result<std::vector<std::uint8_t>> seal_response(
        std::uint64_t request_counter, std::uint64_t now_ms, std::span<const std::uint8_t> plaintext,
        RandomSource& random) const;

private:
    ServerChannel() = default;
    PublicKey device_;
    KeyId server_key_;
    SecretBytes<32> rx_;  // device → server
    SecretBytes<32> tx_;  // server → device
};

}  // namespace lb::crypto
