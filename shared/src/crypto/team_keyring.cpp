// team_keyring.cpp — the ring of team keys, rotation, and opening ticket keys through it.
#include "lifebuoy/crypto/team_keyring.h"

#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/crypto/key_wrap.h"

namespace lb::crypto {

void TeamKeyring::add(KeyPair team_key) {
    const KeyId id = key_id_of(team_key.public_key);
    if (find(id) != nullptr) return;
    keys_.push_back(std::move(team_key));
    ids_.push_back(id);
}

bool TeamKeyring::set_current(const KeyId& id) {
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        if (ids_[i] == id) {
            current_ = i;
            return true;
        }
    }
    return false;
}

const KeyPair* TeamKeyring::find(const KeyId& id) const {
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        if (ids_[i] == id) return &keys_[i];
    }
    return nullptr;
}

const KeyPair* TeamKeyring::current() const { return keys_.empty() ? nullptr : &keys_[current_]; }

TeamRotation rotate_team_key(TeamKeyring& ring, std::span<const PublicKey> technicians, RandomSource& random) {
    KeyPair fresh = generate_key_pair(random);
    TeamRotation rotation;
    rotation.key_id = key_id_of(fresh.public_key);
    rotation.public_key = fresh.public_key;
    for (const PublicKey& technician : technicians) {
        rotation.wraps.push_back(TeamKeyWrap{technician, wrap_team_secret(fresh, technician, random)});
    }
    ring.add(std::move(fresh));
    const bool found = ring.set_current(rotation.key_id);
    (void)found;  // just added
    return rotation;
}

std::vector<TeamKeyWrap> wrap_keyring(const TeamKeyring& ring, const PublicKey& technician, RandomSource& random) {
    std::vector<TeamKeyWrap> wraps;
    for (const KeyPair& key : ring.keys()) {
        wraps.push_back(TeamKeyWrap{technician, wrap_team_secret(key, technician, random)});
    }
    return wraps;
}

Result<TicketKey> open_ticket_key(std::span<const std::uint8_t> sealed, const TeamKeyring& ring) {
    auto header = peek_sealed_key(sealed);
    if (!header) return header.error();
    const KeyPair* team = ring.find(header.value().recipient);
    if (team == nullptr) {
        return crypto_error(CryptoError::wrong_key,
                            "sealed to team key " + key_id_to_hex(header.value().recipient) + ", not in this keyring");
    }
    return open_ticket_key(sealed, *team);
}

}  // namespace lb::crypto
