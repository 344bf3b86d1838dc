// envelope.cpp — sealing and opening sync envelopes (format and checks: envelope.h).
#include "lifebuoy/crypto/envelope.h"

#include <sodium.h>

#include "bytes.h"
#include "lifebuoy/crypto/errors.h"

namespace lb::crypto {

static_assert(kEnvelopeNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kEnvelopeTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(crypto_kx_SESSIONKEYBYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kEnvelopeHeaderBytes == 90);

namespace {

struct ParsedEnvelope {
    EnvelopeHeader header;
    std::array<std::uint8_t, kEnvelopeNonceBytes> nonce{};
};

Result<ParsedEnvelope> parse(std::span<const std::uint8_t> envelope) {
    if (envelope.empty()) return crypto_error(CryptoError::envelope_truncated, "empty envelope");
    if (envelope[0] != kEnvelopeFormatVersion) {
        return crypto_error(CryptoError::envelope_unsupported_version, "unsupported envelope version");
    }
    if (envelope.size() < kEnvelopeOverheadBytes) {
        return crypto_error(CryptoError::envelope_truncated, "envelope shorter than its header and tag");
    }
    if (envelope.size() - kEnvelopeOverheadBytes > kMaxEnvelopePlaintextBytes) {
        return crypto_error(CryptoError::envelope_too_large, "envelope over its size limit");
    }
    detail::ByteReader in(envelope.subspan(1));
    ParsedEnvelope parsed;
    std::uint8_t kind = 0;
    // The size check above guarantees every read below.
    const bool read = in.u8(kind) && in.array(parsed.header.device.bytes) &&
                      in.array(parsed.header.server_key.bytes) && in.u64(parsed.header.counter) &&
                      in.u64(parsed.header.timestamp_ms) && in.array(parsed.nonce);
    if (!read) return crypto_error(CryptoError::envelope_truncated, "envelope header cut short");
    if (kind != static_cast<std::uint8_t>(EnvelopeKind::request) &&
        kind != static_cast<std::uint8_t>(EnvelopeKind::response)) {
        return crypto_error(CryptoError::envelope_misdirected, "neither a request nor a response");
    }
    parsed.header.kind = static_cast<EnvelopeKind>(kind);
    return parsed;
}

Result<std::vector<std::uint8_t>> seal(EnvelopeKind kind, const PublicKey& device, const KeyId& server_key,
                                       std::uint64_t counter, std::uint64_t now_ms,
                                       std::span<const std::uint8_t> plaintext, const SecretBytes<32>& key,
                                       RandomSource& random) {
    if (plaintext.size() > kMaxEnvelopePlaintextBytes) {
        return crypto_error(CryptoError::envelope_too_large, "plaintext over the envelope size limit");
    }
    std::array<std::uint8_t, kEnvelopeNonceBytes> nonce{};
    random.fill(nonce.data(), nonce.size());
    std::vector<std::uint8_t> out;
    out.reserve(kEnvelopeOverheadBytes + plaintext.size());
    detail::put_u8(out, kEnvelopeFormatVersion);
    detail::put_u8(out, static_cast<std::uint8_t>(kind));
    detail::put_bytes(out, device.bytes);
    detail::put_bytes(out, server_key.bytes);
    detail::put_u64(out, counter);
    detail::put_u64(out, now_ms);
    detail::put_bytes(out, nonce);
    out.resize(kEnvelopeOverheadBytes + plaintext.size());
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kEnvelopeHeaderBytes, &written, plaintext.data(),
                                               plaintext.size(), out.data(), kEnvelopeHeaderBytes, nullptr,
                                               nonce.data(), key.data());
    return out;
}

// Everything but the counter and clock checks, which differ by direction.
Result<OpenedEnvelope> open(std::span<const std::uint8_t> envelope, EnvelopeKind expected,
                            const PublicKey& device, const KeyId& server_key, const SecretBytes<32>& key) {
    auto parsed = parse(envelope);
    if (!parsed) return parsed.error();
    const EnvelopeHeader& header = parsed.value().header;
    if (header.kind != expected) {
        return crypto_error(CryptoError::envelope_misdirected,
                            expected == EnvelopeKind::request ? "expected a request" : "expected a response");
    }
    if (!(header.device == device)) {
        return crypto_error(CryptoError::wrong_key, "envelope belongs to another device");
    }
    if (header.server_key != server_key) {
        return crypto_error(CryptoError::wrong_key,
                            "envelope made for server key " + key_id_to_hex(header.server_key));
    }
    OpenedEnvelope opened;
    opened.counter = header.counter;
    opened.timestamp_ms = header.timestamp_ms;
    opened.plaintext.resize(envelope.size() - kEnvelopeOverheadBytes);
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            opened.plaintext.data(), &length, nullptr, envelope.data() + kEnvelopeHeaderBytes,
            envelope.size() - kEnvelopeHeaderBytes, envelope.data(), kEnvelopeHeaderBytes,
            parsed.value().nonce.data(), key.data()) != 0) {
        return crypto_error(CryptoError::envelope_tampered, "envelope failed authentication");
    }
    return opened;
}

}  // namespace

Result<EnvelopeHeader> peek_envelope(std::span<const std::uint8_t> envelope) {
    auto parsed = parse(envelope);
    if (!parsed) return parsed.error();
    return parsed.value().header;
}

Result<DeviceChannel> DeviceChannel::create(const KeyPair& device, const PublicKey& server) {
    DeviceChannel channel;
    channel.device_ = device.public_key;
    channel.server_key_ = key_id_of(server);
    if (crypto_kx_client_session_keys(channel.rx_.data(), channel.tx_.data(), device.public_key.bytes.data(),
                                      device.secret_key.data(), server.bytes.data()) != 0) {
        return crypto_error(CryptoError::key_malformed, "unusable server public key");
    }
    return channel;
}

Result<std::vector<std::uint8_t>> DeviceChannel::seal_request(std::uint64_t counter, std::uint64_t now_ms,
                                                              std::span<const std::uint8_t> plaintext,
                                                              RandomSource& random) const {
    return seal(EnvelopeKind::request, device_, server_key_, counter, now_ms, plaintext, tx_, random);
}

Result<OpenedEnvelope> DeviceChannel::open_response(std::span<const std::uint8_t> envelope,
                                                    std::uint64_t request_counter) const {
    auto opened = open(envelope, EnvelopeKind::response, device_, server_key_, rx_);
    if (!opened) return opened.error();
    if (opened.value().counter != request_counter) {
        return crypto_error(CryptoError::envelope_replayed, "a response to another request");
    }
    return opened;
}

Result<ServerChannel> ServerChannel::create(const KeyPair& server, const PublicKey& device) {
    ServerChannel channel;
    channel.device_ = device;
    channel.server_key_ = key_id_of(server.public_key);
    if (crypto_kx_server_session_keys(channel.rx_.data(), channel.tx_.data(), server.public_key.bytes.data(),
                                      server.secret_key.data(), device.bytes.data()) != 0) {
        return crypto_error(CryptoError::key_malformed, "unusable device public key");
    }
    return channel;
}

Result<OpenedEnvelope> ServerChannel::open_request(std::span<const std::uint8_t> envelope, ReplayGuard& guard,
                                                   std::uint64_t now_ms) const {
    auto opened = open(envelope, EnvelopeKind::request, device_, server_key_, rx_);
    if (!opened) return opened.error();
    const std::uint64_t counter = opened.value().counter;
    if (!guard.is_fresh(device_, counter)) {
        return crypto_error(CryptoError::envelope_replayed,
                            "counter " + std::to_string(counter) + " not above the last accepted " +
                                std::to_string(guard.last_counter(device_)));
    }
    const std::uint64_t sent = opened.value().timestamp_ms;
    const std::uint64_t skew = sent > now_ms ? sent - now_ms : now_ms - sent;
    if (skew > kEnvelopeMaxClockSkewMs) {
        return crypto_error(CryptoError::envelope_clock_skew,
                            "request timestamp is " + std::to_string(skew / 1000) + " s from the server's clock");
    }
    guard.accept(device_, counter);
    return opened;
}

Result<std::vector<std::uint8_t>> ServerChannel::seal_response(std::uint64_t request_counter, std::uint64_t now_ms,
                                                               std::span<const std::uint8_t> plaintext,
                                                               RandomSource& random) const {
    return seal(EnvelopeKind::response, device_, server_key_, request_counter, now_ms, plaintext, tx_, random);
}

}  // namespace lb::crypto
