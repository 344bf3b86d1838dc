// server_identity.h — the server's long-lived identity in its data folder: its X25519 key pair
// (the key devices pin and seal envelopes to), kept in `server.key` (the crypto library's 65-byte
// key-pair blob, mode 0600), created on first start.
// Not here: using the key (sealed envelopes plug in at api_codec.h's seam), rotating it.
#pragma once

#include <filesystem>

#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::server {

inline constexpr const char* kServerKeyFileName = "server.key";

// Reads data_dir/server.key, or creates it (owner-only) when absent. Errors: key_file_unreadable,
// key_malformed (a damaged file is never silently replaced: devices have pinned its public key).
Result<crypto::KeyPair> load_or_create_server_key(const std::filesystem::path& data_dir, RandomSource& random);

}  // namespace lb::server
