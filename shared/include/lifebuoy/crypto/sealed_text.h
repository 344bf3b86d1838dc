// crypto/sealed_text.h — ticket text as it travels in ops and rests in every database: the sealed
// field of content.h in text form, and which fields must be sealed.
//
// Features: `seal_text` / `open_text` (content.h's seal_field / open_field, as the text
// "sealed:" ‖ base64url(sealed field v1)); `check_sealed_text`, the shape check the server applies
// to every content value a person's device sends (it cannot open them, but it refuses plaintext, so
// a faulty or old client can never leave ticket text in the server's database); the size a sealed
// text takes, so a device can refuse a too-long title before sealing it; sealed ticket keys (the
// ticket's requester_key / team_key fields) as base64url text.
// Not here: which key opens a ticket (the client engine's content keys), the formats' bytes
// (content.h, key_wrap.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"
#include "lifebuoy/schema.h"

namespace lb::crypto {

inline constexpr std::string_view kSealedTextPrefix = "sealed:";

// The fields whose values are ticket text, sealed end to end: ticket title, description,
// resolution note, satisfaction comment; comment body. (System-event comments the server writes
// are its own words about metadata and stay readable.)
[[nodiscard]] bool is_sealed_content_field(EntityKind entity, Field field);

// Length of seal_text's output for a plaintext of `plaintext_bytes`.
[[nodiscard]] std::size_t sealed_text_size(std::size_t plaintext_bytes);
// The longest plaintext whose sealed text fits in `limit` bytes (a field's schema limit).
[[nodiscard]] std::size_t max_plaintext_for_sealed_text(std::size_t limit);

// Errors: those of seal_field.
[[nodiscard]] Result<std::string> seal_text(const TicketKey& key, const ContentContext& context,
                                            std::string_view plaintext, RandomSource& random);
// Errors: content_not_sealed (no prefix), bad_encoding, then those of open_field.
[[nodiscard]] Result<std::string> open_text(const TicketKey& key, const ContentContext& context,
                                            std::string_view sealed_text);
// The key id a sealed text names (unauthenticated). Errors: content_not_sealed, bad_encoding,
// content_truncated, content_unsupported_version.
[[nodiscard]] Result<KeyId> sealed_text_key_id(std::string_view sealed_text);
// Shape only (prefix, base64url, version byte, at least header + one pad block + tag): what the
// server can check without a key. Same errors as sealed_text_key_id.
[[nodiscard]] Status check_sealed_text(std::string_view value);

// Sealed ticket keys (key_wrap.h) in op values: base64url, no prefix.
[[nodiscard]] std::string sealed_key_to_text(std::span<const std::uint8_t> sealed);
// Errors: bad_encoding, then those of peek_sealed_key.
[[nodiscard]] Result<std::vector<std::uint8_t>> sealed_key_from_text(std::string_view text);
// The header of a sealed key in text form (what it is, for whom, of which key). Same errors.
[[nodiscard]] Result<SealedKeyHeader> peek_sealed_key_text(std::string_view text);

}  // namespace lb::crypto
