// sealed_box.cpp — crypto_box_seal's construction with an injected ephemeral key.
#include "lifebuoy/crypto/sealed_box.h"

#include <cstring>

#include <sodium.h>

namespace lb::crypto {

static_assert(kSealedBoxOverheadBytes == crypto_box_SEALBYTES);

std::vector<std::uint8_t> seal_box(std::span<const std::uint8_t> message, const PublicKey& recipient,
                                   RandomSource& random) {
    const KeyPair ephemeral = generate_key_pair(random);
    std::uint8_t nonce[crypto_box_NONCEBYTES];
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, sizeof nonce);
    crypto_generichash_update(&state, ephemeral.public_key.bytes.data(), kPublicKeyBytes);
    crypto_generichash_update(&state, recipient.bytes.data(), kPublicKeyBytes);
    crypto_generichash_final(&state, nonce, sizeof nonce);

    std::vector<std::uint8_t> sealed(kSealedBoxOverheadBytes + message.size());
    std::memcpy(sealed.data(), ephemeral.public_key.bytes.data(), kPublicKeyBytes);
    if (crypto_box_easy(sealed.data() + kPublicKeyBytes, message.data(), message.size(), nonce,
                        recipient.bytes.data(), ephemeral.secret_key.data()) != 0) {
        // Only a low-order recipient key makes this fail; such a key cannot come out of
        // public_key_from_text or generate_key_pair. Return bytes nobody can open.
        sodium_memzero(sealed.data(), sealed.size());
    }
    return sealed;
}

bool open_box(std::span<const std::uint8_t> sealed, const KeyPair& recipient, std::span<std::uint8_t> out) {
    if (sealed.size() < kSealedBoxOverheadBytes || out.size() != sealed.size() - kSealedBoxOverheadBytes) {
        return false;
    }
    return crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), recipient.public_key.bytes.data(),
                                recipient.secret_key.data()) == 0;
}

}  // namespace lb::crypto
