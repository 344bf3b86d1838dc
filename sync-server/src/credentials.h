// credentials.h — device tokens and invite codes: making them and hashing them for storage.
//
// A device token is 256 random bits (64 lowercase hex digits), handed to the device once at
// enrolment; an invite code is 24 symbols of a 31-letter alphabet (about 119 bits) in groups
// of six (no 0/o/1/l/i to misread). The server stores only BLAKE2b-256 hashes (crypto_generichash,
// domain-separated per kind), so a copy of the database cannot be used to sign in.
// Not here: checking an invite's role or expiry (sync_service.cpp), transport encryption.
#pragma once

#include <string>
#include <string_view>

#include "lifebuoy/random_source.h"

namespace lb::server {

inline constexpr std::size_t kDeviceTokenBytes = 32;
inline constexpr std::size_t kInviteCodeChars = 24;

std::string new_device_token(RandomSource& random);  // 64 hex digits
std::string hash_device_token(std::string_view token);

struct InviteCode {
    std::string display;     // "abcdef-ghjkmn-…", what people type or click
    std::string normalised;  // lowercase, no separators: what the API compares
};
InviteCode new_invite_code(RandomSource& random);
std::string hash_invite_code(std::string_view normalised);
// A guest's display name as a repeated enrolment's credential (sync_enrolment.cpp).
std::string hash_guest_name(std::string_view display_name);

}  // namespace lb::server
