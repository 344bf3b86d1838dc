// sign_in_name.h — the name a person signs in with on another device (with their passphrase):
// what makes one valid, and its one spelling, so the device and the server agree on it.
// A sign-in name: 3 to 64 characters after trimming spaces, letters (ASCII, lower-cased),
// digits and . _ @ + - only, starting with a letter or a digit ("dana.lee", "dana@example.com").
// Not here: who holds a name (the server's key_backups table), passphrases (crypto/passphrase.h).
#pragma once

#include <string>
#include <string_view>

#include "lifebuoy/result.h"

namespace lb {

inline constexpr std::size_t kMinSignInNameChars = 3;
inline constexpr std::size_t kMaxSignInNameChars = 64;

// Error bad_sign_in_name, with a message a person can act on.
[[nodiscard]] Result<std::string> normalize_sign_in_name(std::string_view name);

}  // namespace lb
