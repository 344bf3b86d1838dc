// credentials.cpp — random tokens and invite codes; their BLAKE2b hashes (libsodium).
// Not here: where they are stored (sync_store.h).
#include "credentials.h"

#include <array>
#include <cstdint>

#include <sodium.h>

namespace lb::server {
namespace {

constexpr std::string_view kInviteAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // 31 symbols

std::string hex(const std::uint8_t* bytes, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[bytes[i] >> 4]);
        out.push_back(kDigits[bytes[i] & 0xF]);
    }
    return out;
}

std::string domain_hash(std::string_view domain, std::string_view secret) {
    std::array<std::uint8_t, crypto_generichash_BYTES> out{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, out.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_generichash_final(&state, out.data(), out.size());
    sodium_memzero(&state, sizeof state);
    return hex(out.data(), out.size());
}

}  // namespace

std::string new_device_token(RandomSource& random) {
    std::array<std::uint8_t, kDeviceTokenBytes> bytes{};
    random.fill(bytes.data(), bytes.size());
    std::string token = hex(bytes.data(), bytes.size());
    sodium_memzero(bytes.data(), bytes.size());
    return token;
}

std::string hash_device_token(std::string_view token) { return domain_hash("lifebuoy/device-token/v1\n", token); }

InviteCode new_invite_code(RandomSource& random) {
    InviteCode code;
    while (code.normalised.size() < kInviteCodeChars) {
        std::uint8_t byte = 0;
        random.fill(&byte, 1);
        if (byte >= 248) continue;  // 248 = 8 × 31: no modulo bias
        code.normalised.push_back(kInviteAlphabet[byte % kInviteAlphabet.size()]);
    }
    for (std::size_t i = 0; i < code.normalised.size(); ++i) {
        if (i > 0 && i % 6 == 0) code.display.push_back('-');
        code.display.push_back(code.normalised[i]);
    }
    return code;
}

std::string hash_invite_code(std::string_view normalised) {
    return domain_hash("lifebuoy/invite-code/v1\n", normalised);
}

std::string hash_guest_name(std::string_view display_name) {
    return domain_hash("lifebuoy/guest-name/v1\n", display_name);
}

}  // namespace lb::server
