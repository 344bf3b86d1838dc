// crypto_envelope_test.cpp — sealed sync envelopes: round trips both ways, every flipped byte,
// every truncation, replays, wrong keys, misdirection, clock skew, and the ReplayGuard's blob.
// Not here: frozen known answers (crypto_kat_test.cpp).
#include <doctest/doctest.h>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/envelope.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/replay_guard.h"

using namespace lb::crypto;
using lb::test::as_bytes;
using lb::test::code_in;
using lb::test::cut;
using lb::test::DeterministicRandom;
using lb::test::flipped;

namespace {

constexpr std::uint64_t kNow = 1'700'000'000'000;

struct Pair {
    DeterministicRandom random{7};
    KeyPair device = generate_key_pair(random);
    KeyPair server = generate_key_pair(random);
    DeviceChannel device_end = DeviceChannel::create(device, server.public_key).value();
    ServerChannel server_end = ServerChannel::create(server, device.public_key).value();
    ReplayGuard guard;

    std::vector<std::uint8_t> request(std::uint64_t counter, std::string_view text = "sync please",
                                      std::uint64_t now = kNow) {
        return device_end.seal_request(counter, now, as_bytes(text), random).value();
    }
};

std::string text_of(const OpenedEnvelope& opened) {
    return std::string(opened.plaintext.begin(), opened.plaintext.end());
}

}  // namespace

TEST_CASE("crypto envelope: request and response round trip") {
    lb::test::require_crypto();
    Pair p;
    const auto sealed = p.request(1, "{\"ops\":[]}");
    CHECK(sealed.size() == kEnvelopeOverheadBytes + 10);
    auto header = peek_envelope(sealed);
    REQUIRE(header.ok());
    CHECK(header.value().kind == EnvelopeKind::request);
    CHECK(header.value().device == p.device.public_key);
    CHECK(header.value().server_key == key_id_of(p.server.public_key));
    CHECK(header.value().counter == 1);

    auto opened = p.server_end.open_request(sealed, p.guard, kNow + 1000);
    REQUIRE(opened.ok());
    CHECK(text_of(opened.value()) == "{\"ops\":[]}");
    CHECK(opened.value().counter == 1);
    CHECK(opened.value().timestamp_ms == kNow);
    CHECK(p.guard.last_counter(p.device.public_key) == 1);

    auto reply = p.server_end.seal_response(1, kNow + 2000, as_bytes("ack"), p.random);
    REQUIRE(reply.ok());
    auto back = p.device_end.open_response(reply.value(), 1);
    REQUIRE(back.ok());
    CHECK(text_of(back.value()) == "ack");
    CHECK(back.value().timestamp_ms == kNow + 2000);

    // An empty body is allowed, and nonces differ between two seals of the same text.
    CHECK(p.server_end.open_request(p.request(2, ""), p.guard, kNow).ok());
    CHECK(p.request(3, "same") != p.request(3, "same"));
}

TEST_CASE("crypto envelope: every flipped byte of a request is rejected with a typed error") {
    lb::test::require_crypto();
    Pair p;
    const auto sealed = p.request(5, "a batch of ops, a few dozen bytes long");
    for (std::size_t at = 0; at < sealed.size(); ++at) {
        for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
            CAPTURE(at);
            ReplayGuard guard;
            auto opened = p.server_end.open_request(flipped(sealed, at, mask), guard, kNow);
            CHECK(code_in(opened, {"envelope_unsupported_version", "envelope_misdirected", "wrong_key",
                                   "envelope_tampered"}));
            CHECK(guard.size() == 0);  // never advanced by a rejected envelope
        }
    }
    // Header fields name their own error.
    CHECK(p.server_end.open_request(flipped(sealed, 0), p.guard, kNow).error().code == "envelope_unsupported_version");
    CHECK(p.server_end.open_request(flipped(sealed, 1, 0x03), p.guard, kNow).error().code == "envelope_misdirected");
    CHECK(p.server_end.open_request(flipped(sealed, 2), p.guard, kNow).error().code == "wrong_key");
    CHECK(p.server_end.open_request(flipped(sealed, 34), p.guard, kNow).error().code == "wrong_key");
    CHECK(p.server_end.open_request(flipped(sealed, 57), p.guard, kNow).error().code == "envelope_tampered");
    CHECK(p.server_end.open_request(flipped(sealed, sealed.size() - 1), p.guard, kNow).error().code == "envelope_tampered");
    CHECK(p.server_end.open_request(sealed, p.guard, kNow).ok());
}

TEST_CASE("crypto envelope: every flipped byte of a response is rejected") {
    lb::test::require_crypto();
    Pair p;
    const auto reply = p.server_end.seal_response(9, kNow, as_bytes("ops since 42"), p.random).value();
    for (std::size_t at = 0; at < reply.size(); ++at) {
        CAPTURE(at);
        CHECK(code_in(p.device_end.open_response(flipped(reply, at), 9),
                      {"envelope_unsupported_version", "envelope_misdirected", "wrong_key", "envelope_tampered"}));
    }
    CHECK(p.device_end.open_response(reply, 9).ok());
}

TEST_CASE("crypto envelope: truncation at every length is rejected") {
    lb::test::require_crypto();
    Pair p;
    const auto sealed = p.request(1, "twenty bytes of text");
    for (std::size_t length = 0; length < sealed.size(); ++length) {
        CAPTURE(length);
        ReplayGuard guard;
        auto opened = p.server_end.open_request(cut(sealed, length), guard, kNow);
        if (length < kEnvelopeOverheadBytes) {
            CHECK(code_in(opened, {"envelope_truncated"}));
            CHECK(code_in(peek_envelope(cut(sealed, length)), {"envelope_truncated"}));
        } else {
            CHECK(code_in(opened, {"envelope_tampered"}));
        }
    }
    // Extra bytes appended fail as well.
    auto longer = sealed;
    longer.push_back(0);
    CHECK(code_in(p.server_end.open_request(longer, p.guard, kNow), {"envelope_tampered"}));
}

TEST_CASE("crypto envelope: replays and old counters are rejected, the guard survives a restart") {
    lb::test::require_crypto();
    Pair p;
    const auto first = p.request(1);
    const auto second = p.request(2);
    const auto fifth = p.request(5);
    REQUIRE(p.server_end.open_request(first, p.guard, kNow).ok());
    CHECK(p.server_end.open_request(first, p.guard, kNow).error().code == "envelope_replayed");
    REQUIRE(p.server_end.open_request(fifth, p.guard, kNow).ok());  // gaps are fine (lost requests)
    CHECK(p.server_end.open_request(second, p.guard, kNow).error().code == "envelope_replayed");  // re-ordered
    CHECK(p.server_end.open_request(fifth, p.guard, kNow).error().code == "envelope_replayed");
    CHECK(p.guard.last_counter(p.device.public_key) == 5);

    // Counter 0 is never fresh.
    ReplayGuard fresh;
    CHECK(p.server_end.open_request(p.request(0), fresh, kNow).error().code == "envelope_replayed");

    // Persisted and reloaded, the guard still refuses the old request.
    auto reloaded = ReplayGuard::decode(p.guard.encode());
    REQUIRE(reloaded.ok());
    CHECK(p.server_end.open_request(fifth, reloaded.value(), kNow).error().code == "envelope_replayed");
    CHECK(p.server_end.open_request(p.request(6), reloaded.value(), kNow).ok());

    // A response for another request (stale, or replayed) is refused by the device.
    const auto reply_to_5 = p.server_end.seal_response(5, kNow, as_bytes("r5"), p.random).value();
    CHECK(p.device_end.open_response(reply_to_5, 6).error().code == "envelope_replayed");
    CHECK(p.device_end.open_response(reply_to_5, 5).ok());
}

TEST_CASE("crypto envelope: wrong keys, other devices and misdirection") {
    lb::test::require_crypto();
    Pair p;
    const auto sealed = p.request(1);

    // Another server key (e.g. an impostor, or a re-initialised server).
    const KeyPair other_server = generate_key_pair(p.random);
    auto impostor = ServerChannel::create(other_server, p.device.public_key).value();
    CHECK(impostor.open_request(sealed, p.guard, kNow).error().code == "wrong_key");

    // The server opening it as if from another device.
    const KeyPair other_device = generate_key_pair(p.random);
    auto other_channel = ServerChannel::create(p.server, other_device.public_key).value();
    CHECK(other_channel.open_request(sealed, p.guard, kNow).error().code == "wrong_key");

    // Another device claiming this device's public key in the header: authentication fails.
    auto forger = DeviceChannel::create(other_device, p.server.public_key).value();
    auto forged = forger.seal_request(1, kNow, as_bytes("x"), p.random).value();
    std::copy(p.device.public_key.bytes.begin(), p.device.public_key.bytes.end(), forged.begin() + 2);
    CHECK(p.server_end.open_request(forged, p.guard, kNow).error().code == "envelope_tampered");

    // A request reflected back at the device as a response, and a response sent to the server.
    CHECK(p.device_end.open_response(sealed, 1).error().code == "envelope_misdirected");
    auto reply = p.server_end.seal_response(1, kNow, as_bytes("r"), p.random).value();
    CHECK(p.server_end.open_request(reply, p.guard, kNow).error().code == "envelope_misdirected");
    // Even with the kind byte rewritten, the direction keys differ.
    auto rewritten = reply;
    rewritten[1] = static_cast<std::uint8_t>(EnvelopeKind::request);
    CHECK(p.server_end.open_request(rewritten, p.guard, kNow).error().code == "envelope_tampered");

    CHECK(p.guard.size() == 0);
    // Low-order public keys cannot make a channel.
    PublicKey zero;
    CHECK(DeviceChannel::create(p.device, zero).error().code == "key_malformed");
    CHECK(ServerChannel::create(p.server, zero).error().code == "key_malformed");
}

TEST_CASE("crypto envelope: timestamps outside the skew window are refused") {
    lb::test::require_crypto();
    Pair p;
    CHECK(p.server_end.open_request(p.request(1, "x", kNow - kEnvelopeMaxClockSkewMs), p.guard, kNow).ok());
    CHECK(p.server_end.open_request(p.request(2, "x", kNow + kEnvelopeMaxClockSkewMs), p.guard, kNow).ok());
    auto late = p.request(3, "x", kNow - kEnvelopeMaxClockSkewMs - 1);
    auto early = p.request(4, "x", kNow + kEnvelopeMaxClockSkewMs + 1);
    CHECK(p.server_end.open_request(late, p.guard, kNow).error().code == "envelope_clock_skew");
    CHECK(p.server_end.open_request(early, p.guard, kNow).error().code == "envelope_clock_skew");
    CHECK(p.guard.last_counter(p.device.public_key) == 2);
    CHECK(p.server_end.open_request(late, p.guard, kNow - 10).ok());  // in time, it would have passed
}

TEST_CASE("crypto envelope: size limit checked before anything") {
    lb::test::require_crypto();
    Pair p;
    std::vector<std::uint8_t> big(kMaxEnvelopePlaintextBytes + 1, 'a');
    CHECK(p.device_end.seal_request(1, kNow, big, p.random).error().code == "envelope_too_large");
    big.resize(kMaxEnvelopePlaintextBytes + kEnvelopeOverheadBytes + 1);
    big[0] = kEnvelopeFormatVersion;
    CHECK(p.server_end.open_request(big, p.guard, kNow).error().code == "envelope_too_large");
}

TEST_CASE("crypto replay guard: blob round trip and every malformed blob refused") {
    lb::test::require_crypto();
    DeterministicRandom random(3);
    ReplayGuard guard;
    for (std::uint64_t i = 1; i <= 4; ++i) guard.set_last_counter(generate_key_pair(random).public_key, i * 1000);
    const auto blob = guard.encode();
    CHECK(blob.size() == 1 + 4 + 4 * 40);
    auto decoded = ReplayGuard::decode(blob);
    REQUIRE(decoded.ok());
    CHECK(decoded.value().encode() == blob);
    CHECK(ReplayGuard::decode(ReplayGuard{}.encode()).value().size() == 0);

    for (std::size_t length = 0; length < blob.size(); ++length) {
        CAPTURE(length);
        CHECK(code_in(ReplayGuard::decode(cut(blob, length)), {"replay_state_malformed"}));
    }
    CHECK(code_in(ReplayGuard::decode(flipped(blob, 0)), {"replay_state_malformed"}));
    CHECK(code_in(ReplayGuard::decode(flipped(blob, 4)), {"replay_state_malformed"}));  // count
    auto unsorted = blob;  // swap the first two entries
    std::swap_ranges(unsorted.begin() + 5, unsorted.begin() + 45, unsorted.begin() + 45);
    CHECK(code_in(ReplayGuard::decode(unsorted), {"replay_state_malformed"}));
}
