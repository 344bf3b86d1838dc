// crypto_kat_test.cpp — known-answer tests: with a deterministic RandomSource every format's bytes
// are frozen here as hex (computed once), so an accidental change of a format, a label, an
// additional-data layout or a primitive shows up as a failing test. Each answer is also opened.
// Not here: behaviour under tampering (the other crypto_*_test.cpp suites).
#include <doctest/doctest.h>

#include <string>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/envelope.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/passphrase.h"

using namespace lb::crypto;
using lb::test::as_bytes;
using lb::test::DeterministicRandom;
using lb::test::hex;

namespace {

constexpr std::uint64_t kNow = 1'700'000'000'000;

// Frozen answers (device and server keys, then every nonce, drawn in order from seed 0x42).
constexpr const char* kDevicePublicKey = "2a60e2e0a344f177d887f4e251db54b2cac1accf977a8d8c16e4747e34e05241";
constexpr const char* kDeviceKeyId = "5b65137f0b94dd9b0151f6f1d4c31d16";
constexpr const char* kDeviceKeyText = "KmDi4KNE8XfYh_TiUdtUssrBrM-Xeo2MFuR0fjTgUkE";
constexpr const char* kRequest =
    "01012a60e2e0a344f177d887f4e251db54b2cac1accf977a8d8c16e4747e34e0524151155a87e6b8"
    "abb065ce66f390e3868d00000000000000070000018bcfe56800619d5a93be63e80313b8002c7d3e"
    "b4cdf674baf68700708d368d631a6e57061a01032080671c82740401bee1b42f1f977b3f89a5";
constexpr const char* kResponse =
    "01022a60e2e0a344f177d887f4e251db54b2cac1accf977a8d8c16e4747e34e0524151155a87e6b8"
    "abb065ce66f390e3868d00000000000000070000018bcfe568018d533096f969e152469e62d0bdb8"
    "811cc6fa00dce9d461dfc2e9525bc820bcb94fe2f5eaba9b4a9dd82fef0e02fde7bfba714a14";
constexpr const char* kSealedField =
    "01b1fbfc9a1610eca04af1b83ef1c94f96cd84cd31a3ce6fb253eb74a3a3ab7913d7f5509d0903b9"
    "1d8729dd8974358ddcf3921f7641eed6443ea2fb5e3728dd477a5cb467c6808e8f8b393b2d6da0d0"
    "ec3a9414c2398af1cf40d51917a92713fe19eea769359d87af1b07f44a40889ec4d069f1fc47cad0"
    "02fa8d1baa0dc22cffff6a071a69d9e260281b1f110671a7bba96447b7500c0ec04ac16c520882f4"
    "53366ae271cce5a19401160de98ce08f29de482051f87e39a9";
constexpr const char* kSealedTicketKey =
    "01015b65137f0b94dd9b0151f6f1d4c31d16b1fbfc9a1610eca04af1b83ef1c94f9635719a37cff4"
    "c6fac572479d8bd4ddae9cefdd11d6357ae84a4b18eba0d5d455fc17182c86cbe115b404b8e0784b"
    "c258e055225630c3948ed4c398088dded80f673d9f17fff774f6cc1700eb69a8dbbbeb090171fde2"
    "6392056727900f2cf285db6a86d5de6f81239bb883d2f9054bcb4635";
constexpr const char* kPassphraseWrap =  // Argon2id → 64 bytes: wrap key || login key
    "010200000002000001007d064e5d15b6ce325fcecfa3aa1a1f1f5b65137f0b94dd9b0151f6f1d4c3"
    "1d16e04eb269058f88fb2f2d43a8154ae3a878933a9367c2179a96cd495613b49e1690534eac5fcc"
    "c79d3fec2553eb7b584659a2b190fe84c588ecabca3b8bf13ac78e969fe8998de6d8";

}  // namespace

TEST_CASE("crypto kat: keys, envelope, content, sealed key and passphrase wrap") {
    lb::test::require_crypto();
    DeterministicRandom random(0x42);
    const KeyPair device = generate_key_pair(random);
    const KeyPair server = generate_key_pair(random);
    CHECK(hex(device.public_key.bytes) == kDevicePublicKey);
    CHECK(hex(key_id_of(device.public_key).bytes) == kDeviceKeyId);
    CHECK(public_key_to_text(device.public_key) == kDeviceKeyText);

    const auto device_end = DeviceChannel::create(device, server.public_key).value();
    const auto server_end = ServerChannel::create(server, device.public_key).value();
    const auto request = device_end.seal_request(7, kNow, as_bytes("hello server"), random).value();
    CHECK(hex(request) == kRequest);
    ReplayGuard guard;
    CHECK(server_end.open_request(request, guard, kNow).ok());
    const auto response = server_end.seal_response(7, kNow + 1, as_bytes("hello device"), random).value();
    CHECK(hex(response) == kResponse);
    CHECK(device_end.open_response(response, 7).ok());

    const TicketKey ticket_key = TicketKey::generate(random);
    const ContentContext ctx{lb::Id128{1, 2}, "title", lb::Id128{3, 4}};
    const auto field = seal_field(ticket_key, ctx, "Printer jam", random).value();
    CHECK(hex(field) == kSealedField);
    CHECK(open_field(ticket_key, ctx, field).value() == "Printer jam");

    const auto sealed_key = seal_ticket_key(ticket_key, device.public_key, random);
    CHECK(hex(sealed_key) == kSealedTicketKey);
    CHECK(open_ticket_key(sealed_key, device).value().id() == ticket_key.id());

    const auto wrap = wrap_secret_key(device, "passphrase of the KAT", random, PassphraseParams{2, 256}).value();
    CHECK(hex(wrap) == kPassphraseWrap);
    CHECK(unwrap_secret_key(wrap, "passphrase of the KAT").value().public_key == device.public_key);
}
