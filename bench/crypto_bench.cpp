// crypto_bench.cpp — throughput of lb::crypto on one core, natively:
//   1. sync envelopes (seal_request / open_request) of 200 B and 4 KiB;
//   2. sealed content fields (seal_field / open_field) of 200 B and 4 KiB;
//   3. the peer measured in the same run: bare crypto_aead_xchacha20poly1305_ietf on the same
//      sizes (what the framing, padding and checks cost on top of the primitive);
//   4. Argon2id unlock (unwrap_secret_key with the production parameters);
//   5. base64url decoding of a sealed push envelope's text (64 KiB, ~112 ops): the table decoder
//      for public bytes (from_base64url_public, what the server opens every request with) against
//      libsodium's constant-time decoder (from_base64url) in the same run.
// Prints the median of several runs, as MB/s of plaintext and operations/s (ms for Argon2id),
// timed with process CPU time (less noisy than wall time on a shared machine).
// Not here: the browser (wasm) figures — bench/crypto_browser_bench.mjs (it runs this binary too).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <sodium.h>

#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/envelope.h"
#include "lifebuoy/crypto/init.h"
#include "lifebuoy/crypto/passphrase.h"

using namespace lb::crypto;

namespace {

constexpr int kRuns = 7;
constexpr int kArgonRuns = 5;
constexpr std::uint64_t kNow = 1'700'000'000'000;

double cpu_seconds_since(std::clock_t start) { return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Operations per run so that one run takes roughly 0.1 s or more.
int ops_for(std::size_t size) { return size <= 256 ? 40'000 : 8'000; }

void report(const char* what, std::size_t size, int ops, const std::vector<double>& seconds) {
    const double s = median(seconds);
    const double per_second = ops / s;
    std::printf("%-28s %6zu B  %9.1f MB/s  %10.0f ops/s\n", what, size,
                per_second * static_cast<double>(size) / 1e6, per_second);
}

void bench_envelopes(std::size_t size, SystemRandom& random) {
    const KeyPair device = generate_key_pair(random);
    const KeyPair server = generate_key_pair(random);
    const auto device_end = DeviceChannel::create(device, server.public_key).value();
    const auto server_end = ServerChannel::create(server, device.public_key).value();
    const std::vector<std::uint8_t> plaintext(size, 0x61);
    const int ops = ops_for(size);
    std::vector<double> seal_s, open_s;
    std::uint64_t counter = 0;
    ReplayGuard guard;
    for (int run = 0; run < kRuns; ++run) {
        std::vector<std::vector<std::uint8_t>> sealed;
        sealed.reserve(static_cast<std::size_t>(ops));
        std::clock_t start = std::clock();
        for (int i = 0; i < ops; ++i) sealed.push_back(device_end.seal_request(++counter, kNow, plaintext, random).value());
        seal_s.push_back(cpu_seconds_since(start));
        start = std::clock();
        for (const auto& envelope : sealed) {
            if (!server_end.open_request(envelope, guard, kNow).ok()) std::abort();
        }
        open_s.push_back(cpu_seconds_since(start));
    }
    report("envelope seal_request", size, ops, seal_s);
    report("envelope open_request", size, ops, open_s);
}

void bench_fields(std::size_t size, SystemRandom& random) {
    const TicketKey key = TicketKey::generate(random);
    const ContentContext ctx{lb::Id128{1, 2}, "description", lb::Id128{3, 4}};
    const std::string plaintext(size, 'a');
    const int ops = ops_for(size);
    std::vector<double> seal_s, open_s;
    for (int run = 0; run < kRuns; ++run) {
        std::vector<std::vector<std::uint8_t>> sealed;
        sealed.reserve(static_cast<std::size_t>(ops));
        std::clock_t start = std::clock();
        for (int i = 0; i < ops; ++i) sealed.push_back(seal_field(key, ctx, plaintext, random).value());
        seal_s.push_back(cpu_seconds_since(start));
        start = std::clock();
        for (const auto& field : sealed) {
            if (!open_field(key, ctx, field).ok()) std::abort();
        }
        open_s.push_back(cpu_seconds_since(start));
    }
    report("content seal_field", size, ops, seal_s);
    report("content open_field", size, ops, open_s);
}

void bench_bare_aead(std::size_t size, SystemRandom& random) {
    std::uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    std::uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    random.fill(key, sizeof key);
    const std::vector<std::uint8_t> plaintext(size, 0x61);
    std::vector<std::uint8_t> out(size + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    const int ops = ops_for(size);
    std::vector<double> seal_s;
    for (int run = 0; run < kRuns; ++run) {
        const std::clock_t start = std::clock();
        for (int i = 0; i < ops; ++i) {
            random.fill(nonce, sizeof nonce);
            crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), nullptr, plaintext.data(), size, nullptr, 0,
                                                       nullptr, nonce, key);
        }
        seal_s.push_back(cpu_seconds_since(start));
    }
    report("peer: bare xchacha20poly1305", size, ops, seal_s);
}

void bench_argon2id(SystemRandom& random) {
    const KeyPair user = generate_key_pair(random);
    const auto wrapped = wrap_secret_key(user, "a passphrase for the benchmark", random).value();
    std::vector<double> seconds;
    for (int run = 0; run < kArgonRuns; ++run) {
        const std::clock_t start = std::clock();
        if (!unwrap_secret_key(wrapped, "a passphrase for the benchmark").ok()) std::abort();
        seconds.push_back(cpu_seconds_since(start));
    }
    std::printf("argon2id unlock (opslimit %u, memlimit %u MiB): %.0f ms median of %d\n", kPassphraseOpslimit,
                kPassphraseMemlimitKiB / 1024, median(seconds) * 1e3, kArgonRuns);
}

void bench_base64url(std::size_t size, SystemRandom& random) {
    std::vector<std::uint8_t> bytes(size);
    random.fill(bytes.data(), bytes.size());
    const std::string text = to_base64url(bytes);
    const int ops = 2'000;
    std::vector<double> table_s, constant_time_s;
    for (int run = 0; run < kRuns; ++run) {
        std::clock_t start = std::clock();
        for (int i = 0; i < ops; ++i) {
            if (from_base64url_public(text, size).value().size() != size) std::abort();
        }
        table_s.push_back(cpu_seconds_since(start));
        start = std::clock();
        for (int i = 0; i < ops; ++i) {
            if (from_base64url(text, size).value().size() != size) std::abort();
        }
        constant_time_s.push_back(cpu_seconds_since(start));
    }
    report("base64url decode (public)", size, ops, table_s);
    report("peer: constant-time decode", size, ops, constant_time_s);
    std::printf("base64url table / constant-time speed: %.1fx\n", median(constant_time_s) / median(table_s));
}

}  // namespace

int main() {
    if (!init().ok()) return 1;
    SystemRandom random;
    std::printf("lb::crypto, one core, median of %d runs (CPU time)\n", kRuns);
    for (std::size_t size : {std::size_t{200}, std::size_t{4096}}) {
        bench_envelopes(size, random);
        bench_fields(size, random);
        bench_bare_aead(size, random);
    }
    bench_base64url(64 * 1024, random);
    bench_argon2id(random);
    return 0;
}
