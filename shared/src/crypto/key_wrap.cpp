// key_wrap.cpp — ticket keys and team secret keys sealed to public keys (format: key_wrap.h).
#include "lifebuoy/crypto/key_wrap.h"

#include <cstring>

#include "bytes.h"
#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/crypto/sealed_box.h"

namespace lb::crypto {

static_assert(kSealedKeyBytes == kSealedKeyHeaderBytes + kSealedBoxOverheadBytes + kSealedKeyHeaderBytes + 32);

namespace {

constexpr std::size_t kInnerBytes = kSealedKeyHeaderBytes + 32;

std::vector<std::uint8_t> seal_key(SealedKeyKind kind, const PublicKey& recipient, const KeyId& key_id,
                                   const std::uint8_t* secret, RandomSource& random) {
    std::vector<std::uint8_t> out;
    out.reserve(kSealedKeyBytes);
    detail::put_u8(out, kSealedKeyFormatVersion);
    detail::put_u8(out, static_cast<std::uint8_t>(kind));
    detail::put_bytes(out, key_id_of(recipient).bytes);
    detail::put_bytes(out, key_id.bytes);
    SecretBuffer inner(kInnerBytes);
    std::memcpy(inner.data(), out.data(), kSealedKeyHeaderBytes);
    std::memcpy(inner.data() + kSealedKeyHeaderBytes, secret, 32);
    const std::vector<std::uint8_t> box = seal_box(inner.bytes(), recipient, random);
    detail::put_bytes(out, box);
    return out;
}

// Opens a sealed key of `kind` into `secret`; returns its header.
Result<SealedKeyHeader> open_key(std::span<const std::uint8_t> sealed, SealedKeyKind kind,
                                 const KeyPair& recipient, SecretBytes<32>& secret) {
    auto header = peek_sealed_key(sealed);
    if (!header) return header.error();
    if (header.value().kind != kind) {
        return crypto_error(CryptoError::sealed_key_tampered,
                            kind == SealedKeyKind::ticket_key ? "not a ticket key" : "not a team key");
    }
    if (header.value().recipient != key_id_of(recipient.public_key)) {
        return crypto_error(CryptoError::wrong_key,
                            "sealed to key " + key_id_to_hex(header.value().recipient));
    }
    SecretBuffer inner(kInnerBytes);
    if (!open_box(sealed.subspan(kSealedKeyHeaderBytes), recipient, std::span<std::uint8_t>(inner.data(), inner.size()))) {
        return crypto_error(CryptoError::sealed_key_tampered, "sealed key failed authentication");
    }
    if (!equal_constant_time(inner.data(), sealed.data(), kSealedKeyHeaderBytes)) {
        return crypto_error(CryptoError::sealed_key_tampered, "sealed key header altered");
    }
    std::memcpy(secret.data(), inner.data() + kSealedKeyHeaderBytes, 32);
    return header;
}

}  // namespace

Result<SealedKeyHeader> peek_sealed_key(std::span<const std::uint8_t> sealed) {
    if (sealed.empty()) return crypto_error(CryptoError::sealed_key_truncated, "empty sealed key");
    if (sealed[0] != kSealedKeyFormatVersion) {
        return crypto_error(CryptoError::sealed_key_unsupported_version, "unsupported sealed key version");
    }
    if (sealed.size() < kSealedKeyBytes) {
        return crypto_error(CryptoError::sealed_key_truncated, "sealed key cut short");
    }
    if (sealed.size() > kSealedKeyBytes) {
        return crypto_error(CryptoError::sealed_key_tampered, "sealed key longer than its format");
    }
    detail::ByteReader in(sealed.subspan(1));
    std::uint8_t kind = 0;
    SealedKeyHeader header;
    if (!in.u8(kind) || !in.array(header.recipient.bytes) || !in.array(header.key.bytes)) {
        return crypto_error(CryptoError::sealed_key_truncated, "sealed key header cut short");
    }
    if (kind != static_cast<std::uint8_t>(SealedKeyKind::ticket_key) &&
        kind != static_cast<std::uint8_t>(SealedKeyKind::team_key)) {
        return crypto_error(CryptoError::sealed_key_tampered, "unknown sealed key kind");
    }
    header.kind = static_cast<SealedKeyKind>(kind);
    return header;
}

std::vector<std::uint8_t> seal_ticket_key(const TicketKey& key, const PublicKey& recipient, RandomSource& random) {
    return seal_key(SealedKeyKind::ticket_key, recipient, key.id(), key.bytes().data(), random);
}

Result<TicketKey> open_ticket_key(std::span<const std::uint8_t> sealed, const KeyPair& recipient) {
    SecretBytes<kTicketKeyBytes> secret;
    auto header = open_key(sealed, SealedKeyKind::ticket_key, recipient, secret);
    if (!header) return header.error();
    TicketKey key = TicketKey::from_bytes(std::move(secret));
    if (key.id() != header.value().key) {
        return crypto_error(CryptoError::sealed_key_tampered, "ticket key does not match its id");
    }
    return key;
}

std::vector<std::uint8_t> wrap_team_secret(const KeyPair& team, const PublicKey& technician, RandomSource& random) {
    return seal_key(SealedKeyKind::team_key, technician, key_id_of(team.public_key), team.secret_key.data(), random);
}

Result<KeyPair> unwrap_team_secret(std::span<const std::uint8_t> sealed, const KeyPair& technician) {
    SecretKey secret;
    auto header = open_key(sealed, SealedKeyKind::team_key, technician, secret);
    if (!header) return header.error();
    auto team = key_pair_from_secret(std::move(secret));
    if (!team) return team.error();
    if (key_id_of(team.value().public_key) != header.value().key) {
        return crypto_error(CryptoError::sealed_key_tampered, "team key does not match its id");
    }
    return team;
}

}  // namespace lb::crypto
