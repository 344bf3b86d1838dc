// crypto/team_keyring.h — the help desk's team keys: creation, rotation and the keyring a
// technician's device holds.
//
// A ticket key is sealed to the team's current public key; every technician holds the team secret
// keys, each wrapped to their user key (key_wrap.h). Rotation (a technician leaves) creates a new
// team key, makes it current and wraps it to the remaining technicians only; old keys stay in the
// ring so old tickets stay readable. A removed technician keeps what they already had (old keys):
// rotation protects tickets created after it.
// Not here: storing wraps (the server keeps them as opaque blobs), deciding who is a technician.
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

class TeamKeyring {
public:
    // Adds a team key (e.g. from unwrap_team_secret). The first key added becomes current;
    // adding a key already present does nothing.
    void add(KeyPair team_key);
    // False when `id` is not in the ring.
    [[nodiscard]] bool set_current(const KeyId& id);

    [[nodiscard]] const KeyPair* find(const KeyId& id) const;
    [[nodiscard]] const KeyPair* current() const;
    [[nodiscard]] std::size_t size() const { return keys_.size(); }
    // In the order added (oldest first).
    [[nodiscard]] std::span<const KeyPair> keys() const { return keys_; }

private:
    std::vector<KeyPair> keys_;
    std::vector<KeyId> ids_;  // ids_[i] = key_id_of(keys_[i].public_key)
    std::size_t current_ = 0;
};

struct TeamKeyWrap {
    PublicKey technician;
    std::vector<std::uint8_t> sealed;  // key_wrap.h format, kind team_key
};

struct TeamRotation {
    KeyId key_id;          // the new current key
    PublicKey public_key;  // what tickets are sealed to from now on
    std::vector<TeamKeyWrap> wraps;  // one per remaining technician
};

// A new team key, added to `ring` as current, wrapped to each of `technicians` (and to no one else).
// Also creates the first team key (empty ring) for the first technician.
[[nodiscard]] TeamRotation rotate_team_key(TeamKeyring& ring, std::span<const PublicKey> technicians,
                                           RandomSource& random);
// Every key in the ring wrapped to one technician (on-boarding: they can read old tickets too).
[[nodiscard]] std::vector<TeamKeyWrap> wrap_keyring(const TeamKeyring& ring, const PublicKey& technician,
                                                    RandomSource& random);
// A ticket key sealed to any team key in the ring. Errors: those of open_ticket_key; wrong_key
// when sealed to a team key not in the ring.
[[nodiscard]] Result<TicketKey> open_ticket_key(std::span<const std::uint8_t> sealed, const TeamKeyring& ring);

}  // namespace lb::crypto
