// crypto_content_test.cpp — end-to-end sealed ticket fields: round trips across the padding
// boundaries, every flipped byte, every truncation, swaps across tickets / fields / ops, wrong
// ticket keys, limits and bad contexts.
// Not here: sealing the ticket key to people (crypto_team_key_test.cpp), frozen answers
// (crypto_kat_test.cpp).
#include <doctest/doctest.h>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/content.h"

using namespace lb::crypto;
using lb::Id128;
using lb::test::code_in;
using lb::test::cut;
using lb::test::DeterministicRandom;
using lb::test::flipped;

namespace {
const Id128 kTicket{0x1111, 0x2222};
const Id128 kOtherTicket{0x1111, 0x2223};
const Id128 kOp{0xAAAA, 0xBBBB};
const Id128 kOtherOp{0xAAAA, 0xBBBC};
}  // namespace

TEST_CASE("crypto content: round trip across padding boundaries") {
    lb::test::require_crypto();
    DeterministicRandom random(11);
    const TicketKey key = TicketKey::generate(random);
    const ContentContext ctx{kTicket, "description", kOp};
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{127}, std::size_t{128},
                             std::size_t{200}, std::size_t{4096}, kMaxContentPlaintextBytes}) {
        CAPTURE(size);
        std::string text(size, 'x');
        for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
        auto sealed = seal_field(key, ctx, text, random);
        REQUIRE(sealed.ok());
        CHECK(sealed.value().size() == sealed_field_size(size));
        CHECK((sealed.value().size() - kContentHeaderBytes - kContentTagBytes) % kContentPadBlockBytes == 0);
        CHECK(peek_field_key_id(sealed.value()).value() == key.id());
        auto opened = open_field(key, ctx, sealed.value());
        REQUIRE(opened.ok());
        CHECK(opened.value() == text);
    }
    // Lengths inside one block are indistinguishable.
    CHECK(sealed_field_size(1) == sealed_field_size(127));
    CHECK(sealed_field_size(127) < sealed_field_size(128));
    // UTF-8 and NUL bytes survive.
    const std::string odd = std::string("Drucker \xC3\xBC" "ber VPN") + '\0' + "end";
    CHECK(open_field(key, ctx, seal_field(key, ctx, odd, random).value()).value() == odd);
}

TEST_CASE("crypto content: every flipped byte and every truncation is rejected") {
    lb::test::require_crypto();
    DeterministicRandom random(12);
    const TicketKey key = TicketKey::generate(random);
    const ContentContext ctx{kTicket, "title", kOp};
    const auto sealed = seal_field(key, ctx, "Printer on floor 3 jams", random).value();
    for (std::size_t at = 0; at < sealed.size(); ++at) {
        CAPTURE(at);
        CHECK(code_in(open_field(key, ctx, flipped(sealed, at)),
                      {"content_unsupported_version", "wrong_key", "content_tampered"}));
    }
    CHECK(open_field(key, ctx, flipped(sealed, 0)).error().code == "content_unsupported_version");
    CHECK(open_field(key, ctx, flipped(sealed, 1)).error().code == "wrong_key");
    CHECK(open_field(key, ctx, flipped(sealed, 20)).error().code == "content_tampered");  // nonce
    CHECK(open_field(key, ctx, flipped(sealed, 60)).error().code == "content_tampered");  // ciphertext

    for (std::size_t length = 0; length < sealed.size(); ++length) {
        CAPTURE(length);
        CHECK(code_in(open_field(key, ctx, cut(sealed, length)), {"content_truncated", "content_tampered"}));
    }
    auto longer = sealed;
    longer.push_back(0);
    CHECK(code_in(open_field(key, ctx, longer), {"content_tampered"}));
    CHECK(open_field(key, ctx, sealed).value() == "Printer on floor 3 jams");
}

TEST_CASE("crypto content: a ciphertext moved to another ticket, field or op fails") {
    lb::test::require_crypto();
    DeterministicRandom random(13);
    const TicketKey key = TicketKey::generate(random);
    const ContentContext ctx{kTicket, "description", kOp};
    const auto sealed = seal_field(key, ctx, "my password is in the screenshot", random).value();

    CHECK(open_field(key, {kOtherTicket, "description", kOp}, sealed).error().code == "content_tampered");
    CHECK(open_field(key, {kTicket, "title", kOp}, sealed).error().code == "content_tampered");
    CHECK(open_field(key, {kTicket, "resolution_note", kOp}, sealed).error().code == "content_tampered");
    CHECK(open_field(key, {kTicket, "description", kOtherOp}, sealed).error().code == "content_tampered");
    // A field name that is a prefix of another does not collide (length is in the data).
    const auto body = seal_field(key, {kTicket, "body", kOp}, "x", random).value();
    CHECK(open_field(key, {kTicket, "bod", kOp}, body).error().code == "content_tampered");

    // Two tickets' fields swapped by the server: each fails where it landed.
    DeterministicRandom random2(14);
    const TicketKey other_key = TicketKey::generate(random2);
    const auto other = seal_field(other_key, {kOtherTicket, "description", kOp}, "other text", random2).value();
    CHECK(open_field(key, ctx, other).error().code == "wrong_key");
    CHECK(open_field(other_key, {kOtherTicket, "description", kOp}, sealed).error().code == "wrong_key");
    // Even under the same key (should a key ever be shared), the ticket id catches it.
    const auto same_key_other_ticket = seal_field(key, {kOtherTicket, "description", kOp}, "t2", random).value();
    CHECK(open_field(key, ctx, same_key_other_ticket).error().code == "content_tampered");
}

TEST_CASE("crypto content: wrong key, limits, bad contexts") {
    lb::test::require_crypto();
    DeterministicRandom random(15);
    const TicketKey key = TicketKey::generate(random);
    const TicketKey other = TicketKey::generate(random);
    CHECK(key.id() != other.id());
    CHECK(key.duplicate().id() == key.id());
    const ContentContext ctx{kTicket, "body", kOp};
    const auto sealed = seal_field(key, ctx, "hello", random).value();
    CHECK(open_field(other, ctx, sealed).error().code == "wrong_key");

    // Same key id but other bytes (forged header): authentication still fails.
    auto forged = sealed;
    std::copy(other.id().bytes.begin(), other.id().bytes.end(), forged.begin() + 1);
    CHECK(open_field(other, ctx, forged).error().code == "content_tampered");

    const std::string big(kMaxContentPlaintextBytes + 1, 'a');
    CHECK(seal_field(key, ctx, big, random).error().code == "content_too_large");
    std::vector<std::uint8_t> huge(sealed_field_size(kMaxContentPlaintextBytes) + kContentPadBlockBytes, 0);
    huge[0] = kContentFormatVersion;
    CHECK(open_field(key, ctx, huge).error().code == "content_too_large");

    CHECK(seal_field(key, {Id128{}, "body", kOp}, "x", random).error().code == "content_bad_context");
    CHECK(seal_field(key, {kTicket, "body", Id128{}}, "x", random).error().code == "content_bad_context");
    CHECK(seal_field(key, {kTicket, "", kOp}, "x", random).error().code == "content_bad_context");
    CHECK(seal_field(key, {kTicket, "Body Text", kOp}, "x", random).error().code == "content_bad_context");
    CHECK(open_field(key, {kTicket, "", kOp}, sealed).error().code == "content_bad_context");
}
