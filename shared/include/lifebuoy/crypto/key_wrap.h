// crypto/key_wrap.h — sealing a ticket key or a team secret key to a person's public key
// (crypto_box_seal construction, sealed_box.h), so only public keys are needed to seal: the
// server's intake can create a ticket readable by its requester and the help desk.
//
//   sealed key v1: [0]      version 0x01
//                  [1]      kind: 0x01 ticket key, 0x02 team secret key
//                  [2..18)  recipient key id (key_id_of(recipient public key))
//                  [18..34) id of the key inside (TicketKey::id / team key id)
//                  [34..)   seal_box(header[0..34) ‖ 32 key bytes) — 114 bytes
// The header is repeated inside the sealed box and compared after opening, so changing it fails
// with sealed_key_tampered; a header addressed to another key fails with wrong_key before opening.
// Not here: the team keyring and rotation (team_keyring.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::uint8_t kSealedKeyFormatVersion = 1;
inline constexpr std::size_t kSealedKeyHeaderBytes = 1 + 1 + kKeyIdBytes + kKeyIdBytes;
inline constexpr std::size_t kSealedKeyBytes = kSealedKeyHeaderBytes + 48 + kSealedKeyHeaderBytes + 32;

enum class SealedKeyKind : std::uint8_t { ticket_key = 1, team_key = 2 };

struct SealedKeyHeader {
    SealedKeyKind kind = SealedKeyKind::ticket_key;
    KeyId recipient;
    KeyId key;
};
// Errors: sealed_key_truncated, sealed_key_unsupported_version, sealed_key_tampered (unknown kind).
[[nodiscard]] Result<SealedKeyHeader> peek_sealed_key(std::span<const std::uint8_t> sealed);

// To the requester's user key, and to the team's current public key.
[[nodiscard]] std::vector<std::uint8_t> seal_ticket_key(const TicketKey& key, const PublicKey& recipient,
                                                        RandomSource& random);
[[nodiscard]] Result<TicketKey> open_ticket_key(std::span<const std::uint8_t> sealed, const KeyPair& recipient);

// The team secret key to a technician's user key. `team` is the team key pair; its id is
// key_id_of(team.public_key).
[[nodiscard]] std::vector<std::uint8_t> wrap_team_secret(const KeyPair& team, const PublicKey& technician,
                                                         RandomSource& random);
[[nodiscard]] Result<KeyPair> unwrap_team_secret(std::span<const std::uint8_t> sealed, const KeyPair& technician);

}  // namespace lb::crypto
