// envelope_fuzz.cpp — libFuzzer target for the crypto decoders of untrusted bytes: sealed
// envelopes (both ends), sealed content fields, sealed keys, passphrase-wrap headers and logins,
// recovery-secret wraps (opened: no KDF) and link text, persisted ReplayGuard blobs, key pair
// blobs, public key text and base64url (both decoders, which must agree), and the two HTTP body
// forms of an envelope (api_envelope.h).
// The first input byte picks a mode:
//   0  the rest is hostile bytes for every decoder: none may crash, every error carries a code,
//      a ReplayGuard blob that decodes re-encodes to the same bytes;
//   1  the rest edits a valid request ((position, xor) pairs): opens iff nothing changed;
//   2  the rest is a plaintext: envelope and content round trips return it exactly;
//   3  a valid request cut at a length taken from the rest: always refused, guard untouched.
// Not here: Argon2id (a hostile wrap could ask for seconds of work; a passphrase wrap's header is
// only parsed).
// Seeds: tests/fuzz/corpus/envelope/.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sodium.h>

#include "lifebuoy/api_envelope.h"
#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/envelope.h"
#include "lifebuoy/crypto/init.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/crypto/recovery_secret.h"
#include "lifebuoy/crypto/replay_guard.h"
#include "lifebuoy/random_source.h"

namespace {

using namespace lb::crypto;

constexpr std::uint64_t kNow = 1'700'000'000'000;

// Reproducible: ChaCha20 keyed by a fixed seed and the call number.
class FixedRandom final : public lb::RandomSource {
public:
    void fill(std::uint8_t* out, std::size_t size) override {
        std::array<std::uint8_t, randombytes_SEEDBYTES> key{};
        key.fill(0x5A);
        for (std::size_t i = 0; i < 8; ++i) key[i] ^= static_cast<std::uint8_t>(calls_ >> (8 * i));
        ++calls_;
        randombytes_buf_deterministic(out, size, key.data());
    }

private:
    std::uint64_t calls_ = 0;
};

struct World {
    FixedRandom random;
    KeyPair device;
    KeyPair server;
    DeviceChannel device_end;
    ServerChannel server_end;
    TicketKey ticket_key;
    UnlockKeys recovery_keys;

    static World make() {
        if (!init().ok()) __builtin_trap();
        FixedRandom random;
        KeyPair device = generate_key_pair(random);
        KeyPair server = generate_key_pair(random);
        auto device_end = DeviceChannel::create(device, server.public_key);
        auto server_end = ServerChannel::create(server, device.public_key);
        if (!device_end || !server_end) __builtin_trap();
        TicketKey ticket_key = TicketKey::generate(random);
        UnlockKeys recovery_keys = recovery_unlock_keys(new_recovery_secret(random));
        return World{random, std::move(device), std::move(server), std::move(device_end).value(),
                     std::move(server_end).value(), std::move(ticket_key), std::move(recovery_keys)};
    }
};

World& world() {
    static World w = World::make();
    return w;
}

const ContentContext kContext{lb::Id128{1, 2}, "description", lb::Id128{3, 4}};

template <typename R>
void must_have_code(const R& result) {
    if (!result.ok() && result.error().code.empty()) __builtin_trap();
}

void hostile(std::span<const std::uint8_t> bytes) {
    World& w = world();
    ReplayGuard guard;
    must_have_code(peek_envelope(bytes));
    auto request = w.server_end.open_request(bytes, guard, kNow);
    must_have_code(request);
    if (!request.ok() && guard.size() != 0) __builtin_trap();
    must_have_code(w.device_end.open_response(bytes, 1));
    must_have_code(open_field(w.ticket_key, kContext, bytes));
    must_have_code(peek_field_key_id(bytes));
    must_have_code(peek_sealed_key(bytes));
    must_have_code(open_ticket_key(bytes, w.device));
    must_have_code(unwrap_team_secret(bytes, w.device));
    must_have_code(peek_wrapped_key_id(bytes));
    must_have_code(login_of_wrap(bytes));
    must_have_code(decode_passphrase_login(bytes));
    must_have_code(unwrap_secret_key(bytes, w.recovery_keys));  // no Argon2id: a recovery wrap's keys
    must_have_code(decode_key_pair(bytes));
    auto restored = ReplayGuard::decode(bytes);
    must_have_code(restored);
    if (restored.ok()) {
        const auto again = restored.value().encode();
        if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) __builtin_trap();
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    must_have_code(public_key_from_text(text));
    must_have_code(recovery_secret_from_text(text));
    auto decoded = from_base64url(text, 1024);
    must_have_code(decoded);
    if (decoded.ok() && to_base64url(decoded.value()) != text) __builtin_trap();  // canonical only
    auto decoded_public = from_base64url_public(text, 1024);  // the same answer, faster
    if (decoded_public.ok() != decoded.ok()) __builtin_trap();
    if (decoded.ok() && decoded_public.value() != decoded.value()) __builtin_trap();
    if (!decoded.ok() && decoded_public.error().code != decoded.error().code) __builtin_trap();
    // An HTTP body in either form (api_envelope.h): binary is the bytes themselves (or too_large);
    // text is the public decoder's answer; what decodes goes back to the same body.
    for (const lb::EnvelopeForm form : {lb::EnvelopeForm::binary, lb::EnvelopeForm::text}) {
        auto body = lb::envelope_from_body(text, form, 1024);
        must_have_code(body);
        if (!body.ok() && body.error().code != "too_large" && body.error().code != "not_an_envelope") __builtin_trap();
        if (form == lb::EnvelopeForm::binary && body.ok() != (text.size() <= 1024)) __builtin_trap();
        if (form == lb::EnvelopeForm::text && body.ok() != decoded_public.ok()) __builtin_trap();
        if (body.ok() && lb::envelope_to_body(body.value(), form) != text) __builtin_trap();
    }
    (void)lb::envelope_form_of_content_type(text);
    (void)lb::envelope_form_of_answer(text);
}

std::vector<std::uint8_t> valid_request(std::span<const std::uint8_t> plaintext) {
    auto sealed = world().device_end.seal_request(1, kNow, plaintext, world().random);
    if (!sealed) __builtin_trap();
    return std::move(sealed).value();
}

void edits(std::span<const std::uint8_t> bytes) {
    static const std::vector<std::uint8_t> original = valid_request(std::vector<std::uint8_t>(40, 0x61));
    std::vector<std::uint8_t> envelope = original;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
        envelope[bytes[i] % envelope.size()] ^= bytes[i + 1];
    }
    ReplayGuard guard;
    auto opened = world().server_end.open_request(envelope, guard, kNow);
    must_have_code(opened);
    if (opened.ok() != (envelope == original)) __builtin_trap();
}

void round_trip(std::span<const std::uint8_t> bytes) {
    World& w = world();
    ReplayGuard guard;
    auto opened = w.server_end.open_request(valid_request(bytes), guard, kNow);
    if (!opened.ok() || !std::equal(opened.value().plaintext.begin(), opened.value().plaintext.end(),
                                    bytes.begin(), bytes.end())) {
        __builtin_trap();
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    auto field = seal_field(w.ticket_key, kContext, text, w.random);
    if (!field.ok()) __builtin_trap();
    auto back = open_field(w.ticket_key, kContext, field.value());
    if (!back.ok() || back.value() != text) __builtin_trap();
}

void truncation(std::span<const std::uint8_t> bytes) {
    static const std::vector<std::uint8_t> original = valid_request(std::vector<std::uint8_t>(300, 0x62));
    std::size_t length = 0;
    for (std::uint8_t b : bytes) length = (length * 256 + b) % original.size();
    ReplayGuard guard;
    auto opened = world().server_end.open_request(std::span(original.data(), length), guard, kNow);
    if (opened.ok() || opened.error().code.empty() || guard.size() != 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> rest(data + 1, size - 1);
    switch (data[0] % 4) {
        case 0: hostile(rest); break;
        case 1: edits(rest); break;
        case 2: round_trip(rest); break;
        default: truncation(rest); break;
    }
    return 0;
}
