// crypto_team_key_test.cpp — ticket keys sealed to the requester and the team, team keys wrapped
// to technicians, rotation and the keyring; every flipped byte / truncation of a sealed key;
// interoperability with libsodium's own crypto_box_seal.
// Not here: frozen answers (crypto_kat_test.cpp).
#include <doctest/doctest.h>

#include <vector>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/sealed_box.h"
#include "lifebuoy/crypto/team_keyring.h"

using namespace lb::crypto;
using lb::Id128;
using lb::test::as_bytes;
using lb::test::code_in;
using lb::test::cut;
using lb::test::DeterministicRandom;
using lb::test::flipped;

TEST_CASE("crypto sealed box: interoperable with crypto_box_seal / crypto_box_seal_open") {
    lb::test::require_crypto();
    DeterministicRandom random(21);
    const KeyPair alice = generate_key_pair(random);
    const auto ours = seal_box(as_bytes("hello"), alice.public_key, random);
    REQUIRE(ours.size() == 5 + kSealedBoxOverheadBytes);
    std::uint8_t plain[5];
    REQUIRE(crypto_box_seal_open(plain, ours.data(), ours.size(), alice.public_key.bytes.data(),
                                 alice.secret_key.data()) == 0);
    CHECK(std::string(reinterpret_cast<char*>(plain), 5) == "hello");

    std::vector<std::uint8_t> theirs(5 + crypto_box_SEALBYTES);
    REQUIRE(crypto_box_seal(theirs.data(), as_bytes("world").data(), 5, alice.public_key.bytes.data()) == 0);
    std::uint8_t out[5];
    REQUIRE(open_box(theirs, alice, out));
    CHECK(std::string(reinterpret_cast<char*>(out), 5) == "world");
    const KeyPair bob = generate_key_pair(random);
    CHECK_FALSE(open_box(theirs, bob, out));
    CHECK_FALSE(open_box(cut(theirs, 10), alice, out));
}

TEST_CASE("crypto ticket key: sealed to requester and team with public keys only") {
    lb::test::require_crypto();
    DeterministicRandom random(22);
    const KeyPair requester = generate_key_pair(random);
    TeamKeyring ring;
    const KeyPair technician = generate_key_pair(random);
    const PublicKey techs[] = {technician.public_key};
    const TeamRotation first = rotate_team_key(ring, techs, random);
    REQUIRE(first.wraps.size() == 1);

    // Server-side intake: it holds only public keys.
    const TicketKey key = TicketKey::generate(random);
    const auto for_requester = seal_ticket_key(key, requester.public_key, random);
    const auto for_team = seal_ticket_key(key, first.public_key, random);
    CHECK(for_requester.size() == kSealedKeyBytes);
    auto header = peek_sealed_key(for_team);
    REQUIRE(header.ok());
    CHECK(header.value().kind == SealedKeyKind::ticket_key);
    CHECK(header.value().recipient == first.key_id);
    CHECK(header.value().key == key.id());

    CHECK(open_ticket_key(for_requester, requester).value().id() == key.id());
    // The technician's device: unwrap the team key, then open through the ring.
    auto team = unwrap_team_secret(first.wraps[0].sealed, technician);
    REQUIRE(team.ok());
    CHECK(team.value().public_key == first.public_key);
    TeamKeyring device_ring;
    device_ring.add(std::move(team).value());
    auto opened = open_ticket_key(for_team, device_ring);
    REQUIRE(opened.ok());
    CHECK(opened.value().bytes().equals(key.bytes()));

    // Wrong recipients.
    CHECK(open_ticket_key(for_requester, technician).error().code == "wrong_key");
    CHECK(open_ticket_key(for_requester, device_ring).error().code == "wrong_key");
    CHECK(unwrap_team_secret(first.wraps[0].sealed, requester).error().code == "wrong_key");
    // A team wrap is not a ticket key, and the reverse.
    CHECK(open_ticket_key(first.wraps[0].sealed, technician).error().code == "sealed_key_tampered");
    CHECK(unwrap_team_secret(for_requester, requester).error().code == "sealed_key_tampered");
}

TEST_CASE("crypto ticket key: every flipped byte and every truncation is rejected") {
    lb::test::require_crypto();
    DeterministicRandom random(23);
    const KeyPair requester = generate_key_pair(random);
    const TicketKey key = TicketKey::generate(random);
    const auto sealed = seal_ticket_key(key, requester.public_key, random);
    for (std::size_t at = 0; at < sealed.size(); ++at) {
        CAPTURE(at);
        CHECK(code_in(open_ticket_key(flipped(sealed, at), requester),
                      {"sealed_key_unsupported_version", "sealed_key_tampered", "wrong_key"}));
    }
    CHECK(open_ticket_key(flipped(sealed, 20), requester).error().code == "sealed_key_tampered");  // key id
    for (std::size_t length = 0; length < sealed.size(); ++length) {
        CAPTURE(length);
        CHECK(code_in(open_ticket_key(cut(sealed, length), requester), {"sealed_key_truncated"}));
    }
    auto longer = sealed;
    longer.push_back(0);
    CHECK(code_in(open_ticket_key(longer, requester), {"sealed_key_tampered"}));

    // Header rewritten consistently by someone without the key: still refused (header is inside).
    const TicketKey other = TicketKey::generate(random);
    auto relabelled = sealed;
    std::copy(other.id().bytes.begin(), other.id().bytes.end(), relabelled.begin() + 18);
    CHECK(open_ticket_key(relabelled, requester).error().code == "sealed_key_tampered");
    CHECK(open_ticket_key(sealed, requester).ok());
}

TEST_CASE("crypto team key: rotation keeps old tickets readable and leaves the removed technician out") {
    lb::test::require_crypto();
    DeterministicRandom random(24);
    const KeyPair ana = generate_key_pair(random);
    const KeyPair ben = generate_key_pair(random);
    const KeyPair cam = generate_key_pair(random);  // leaves later

    TeamKeyring admin_ring;  // the device that runs the rotation
    const PublicKey all[] = {ana.public_key, ben.public_key, cam.public_key};
    const TeamRotation v1 = rotate_team_key(admin_ring, all, random);
    CHECK(v1.wraps.size() == 3);
    const TicketKey old_ticket = TicketKey::generate(random);
    const auto old_sealed = seal_ticket_key(old_ticket, v1.public_key, random);

    const PublicKey remaining[] = {ana.public_key, ben.public_key};
    const TeamRotation v2 = rotate_team_key(admin_ring, remaining, random);
    CHECK(v2.key_id != v1.key_id);
    CHECK(admin_ring.size() == 2);
    CHECK(key_id_of(admin_ring.current()->public_key) == v2.key_id);
    REQUIRE(v2.wraps.size() == 2);
    for (const TeamKeyWrap& wrap : v2.wraps) {
        CHECK_FALSE(wrap.technician == cam.public_key);
        CHECK(peek_sealed_key(wrap.sealed).value().recipient != key_id_of(cam.public_key));
        CHECK(unwrap_team_secret(wrap.sealed, cam).error().code == "wrong_key");
    }
    const TicketKey new_ticket = TicketKey::generate(random);
    const auto new_sealed = seal_ticket_key(new_ticket, v2.public_key, random);

    // Ben rebuilds his ring from his wraps (v1 from before, v2 now): reads old and new tickets.
    TeamKeyring ben_ring;
    ben_ring.add(unwrap_team_secret(v1.wraps[1].sealed, ben).value());
    ben_ring.add(unwrap_team_secret(v2.wraps[1].sealed, ben).value());
    CHECK(ben_ring.set_current(v2.key_id));
    CHECK(open_ticket_key(old_sealed, ben_ring).value().id() == old_ticket.id());
    CHECK(open_ticket_key(new_sealed, ben_ring).value().id() == new_ticket.id());

    // Cam keeps only v1: old tickets (already seen), never new ones.
    TeamKeyring cam_ring;
    cam_ring.add(unwrap_team_secret(v1.wraps[2].sealed, cam).value());
    CHECK(open_ticket_key(old_sealed, cam_ring).ok());
    CHECK(open_ticket_key(new_sealed, cam_ring).error().code == "wrong_key");

    // On-boarding a new technician: every key, so old tickets are readable too.
    const KeyPair dee = generate_key_pair(random);
    const auto dee_wraps = wrap_keyring(admin_ring, dee.public_key, random);
    REQUIRE(dee_wraps.size() == 2);
    TeamKeyring dee_ring;
    for (const auto& wrap : dee_wraps) dee_ring.add(unwrap_team_secret(wrap.sealed, dee).value());
    CHECK(open_ticket_key(old_sealed, dee_ring).ok());
    CHECK(open_ticket_key(new_sealed, dee_ring).ok());

    // Keyring bookkeeping.
    dee_ring.add(unwrap_team_secret(dee_wraps[0].sealed, dee).value());  // duplicate: ignored
    CHECK(dee_ring.size() == 2);
    CHECK_FALSE(dee_ring.set_current(key_id_of(ana.public_key)));
    CHECK(TeamKeyring{}.current() == nullptr);
}
