// crypto/content.h — end-to-end encryption of ticket text (title, description, comment bodies,
// resolution notes) under a random per-ticket key.
//
// Each sealed field is XChaCha20-Poly1305 IETF over the plaintext padded with sodium_pad to a
// multiple of kContentPadBlockBytes (hides exact lengths). The additional data binds the ticket
// id, the field's wire name, the op id and the key id, so a ciphertext copied to another ticket,
// field or op fails with content_tampered.
//   sealed field v1: [0]=0x01 | [1..17) key id | [17..41) nonce | [41..) ciphertext ‖ 16-byte tag
//   additional data: "lifebuoy/content/v1" ‖ 0x01 ‖ ticket id (16, BE hi‖lo) ‖ op id (16)
//                    ‖ key id (16) ‖ u8 length ‖ field name
// Not here: sealing the ticket key to people (key_wrap.h), attachments (a stream format, later),
// the op values' text form (encoding.h: base64url).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/secret.h"
#include "lifebuoy/id128.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::uint8_t kContentFormatVersion = 1;
inline constexpr std::size_t kTicketKeyBytes = 32;  // crypto_aead_xchacha20poly1305_ietf_KEYBYTES
inline constexpr std::size_t kContentNonceBytes = 24;
inline constexpr std::size_t kContentHeaderBytes = 1 + kKeyIdBytes + kContentNonceBytes;
inline constexpr std::size_t kContentTagBytes = 16;
// Padding block: titles under 128 bytes all look alike; a 4 KiB comment grows by at most 128.
inline constexpr std::size_t kContentPadBlockBytes = 128;
// Larger than the largest text field of the schema (96 KiB).
inline constexpr std::size_t kMaxContentPlaintextBytes = 128 * 1024;

// The symmetric key of one ticket. Move-only; its id is BLAKE2b-128 keyed by the key over a fixed
// label (reveals nothing about the key, and cannot disagree with it).
class TicketKey {
public:
    [[nodiscard]] static TicketKey generate(RandomSource& random);
    [[nodiscard]] static TicketKey from_bytes(SecretBytes<kTicketKeyBytes> bytes);

    const KeyId& id() const { return id_; }
    const SecretBytes<kTicketKeyBytes>& bytes() const { return bytes_; }
    [[nodiscard]] TicketKey duplicate() const { return from_bytes(bytes_.duplicate()); }

private:
    TicketKey() = default;
    SecretBytes<kTicketKeyBytes> bytes_;
    KeyId id_;
};

// Where a ciphertext belongs. `field` is the wire name ("title", "body", ...): a token.
struct ContentContext {
    Id128 ticket_id;
    std::string_view field;
    Id128 op_id;  // the op that carries this value
};

// Size of seal_field's output for a plaintext of `plaintext_bytes`.
[[nodiscard]] std::size_t sealed_field_size(std::size_t plaintext_bytes);

// Errors: content_too_large, content_bad_context.
[[nodiscard]] Result<std::vector<std::uint8_t>> seal_field(const TicketKey& key, const ContentContext& context,
                                                           std::string_view plaintext, RandomSource& random);
// Errors: content_truncated, content_unsupported_version, content_too_large, content_bad_context,
// wrong_key (sealed under another ticket key), content_tampered.
[[nodiscard]] Result<std::string> open_field(const TicketKey& key, const ContentContext& context,
                                             std::span<const std::uint8_t> sealed);
// The key id of a sealed field (unauthenticated): which ticket key to fetch.
[[nodiscard]] Result<KeyId> peek_field_key_id(std::span<const std::uint8_t> sealed);

}  // namespace lb::crypto
