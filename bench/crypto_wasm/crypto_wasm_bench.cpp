// crypto_wasm_bench.cpp — the browser half of the lb::crypto benchmark (issue #4): a bench-only
// WebAssembly module (bench/crypto_wasm/CMakeLists.txt; never part of dist/) linking
// lifebuoy_shared and the wasm build of libsodium 1.0.18 exactly as the engine module does, driven
// from a dedicated Worker of headless Chromium by bench/crypto_browser_bench.mjs.
//
// Features — C exports; text replies stay valid until the next call:
//   lb_crypto_bench_init()                  sodium_init; JSON {ok, sodium, randombytes} or {ok:false, error}
//   lb_crypto_bench_throughput(kind, size, rounds, random)
//                                           one group of rows at `size` bytes of plaintext with the
//                                           random source `random` (below), JSON
//                                           {ok, rows: [{name, size, ops, random, seconds: [per round]}]}:
//     "envelope"  DeviceChannel::seal_request, then ServerChannel::open_request of those envelopes
//     "content"   seal_field, then open_field of those fields
//     "aead"      peer: bare crypto_aead_xchacha20poly1305_ietf_encrypt with a random nonce
//     "random"    the random source's fill of `size` bytes (what a nonce costs here, see below)
//   lb_crypto_bench_make_wrap()             a fresh user key wrapped with the production Argon2id
//                                           parameters (wrap_secret_key) → base64url, "" on failure
//   lb_crypto_bench_unlock(wrap)            one unwrap_secret_key of it → ms (negative on failure)
//   lb_crypto_bench_small_argon2id()        diagnostic prelude: a user key wrapped and unwrapped with
//                                           1 pass over 8 MiB (the same code as the unlock, little
//                                           memory: warms the JIT, barely grows the heap) → ms
//   lb_crypto_bench_grow_heap(mib)          prelude: `mib` MiB allocated, zero-filled (every page
//                                           touched) and freed (grows and touches the heap, runs no
//                                           Argon2id) → ms
// Sizes, operation counts, keys, contexts and the passphrase are those of bench/crypto_bench.cpp
// (the native half), so the rows compare one for one. Each group runs one untimed warm-up round
// (a quarter of the operations: the JIT's tiers) before `rounds` timed ones. Timed with
// steady_clock — performance.now() in the browser, wall time — where the native bench uses CPU time.
// Random sources: "system" is SystemRandom as in production: libsodium's wasm randombytes_buf calls
// into JS (crypto.getRandomValues on a fresh 4-byte array, one byte kept) once per byte, so every
// 24-byte nonce is 24 JS calls. "sodium4k" and "js4k" are bench-only 4 KiB buffers (BufferedRandom)
// refilled by one randombytes_buf call (still 4,096 JS calls) or by one crypto.getRandomValues call.
// Key pairs and Argon2id wraps always use SystemRandom.
// Linked twice (CMakeLists.txt): 16 MiB and 80 MiB initial heap, for the unlock variants.
// Not here: statistics and the report (the node script), the page and Worker glue
// (bench/crypto_browser/), the native figures (bench/crypto_bench.cpp).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <emscripten.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/envelope.h"
#include "lifebuoy/crypto/init.h"
#include "lifebuoy/crypto/passphrase.h"

using namespace lb::crypto;

// One crypto.getRandomValues call for the whole block (at most 65536 bytes per call; the heap is
// not shared, so the view can be filled in place).
EM_JS(void, lb_bench_get_random_values, (std::uint8_t * out, std::size_t size),
      { crypto.getRandomValues(HEAPU8.subarray(out, out + size)); });

namespace {

constexpr std::uint64_t kNow = 1'700'000'000'000;
constexpr std::string_view kPassphrase = "a passphrase for the benchmark";

std::string g_reply;  // the last text reply, copied by the caller at once

const char* reply(const nlohmann::json& j) {
    g_reply = j.dump();
    return g_reply.c_str();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// As crypto_bench.cpp: operations per round so that one native round takes roughly 0.1 s or more.
int ops_for(std::size_t size) { return size <= 256 ? 40'000 : 8'000; }

struct Row {
    std::string name;
    std::vector<double> seconds;
};

// The bench's buffered random sources: bytes handed out from a 4 KiB block, refilled at once when
// used up; bytes handed out are wiped from the block (a wasm Worker never forks, so a block is
// never handed out twice). `refill` is one of the two below.
class BufferedRandom final : public lb::RandomSource {
public:
    using Refill = void (*)(std::uint8_t*, std::size_t);
    explicit BufferedRandom(Refill refill) : refill_(refill) {}
    BufferedRandom(const BufferedRandom&) = delete;
    BufferedRandom& operator=(const BufferedRandom&) = delete;
    ~BufferedRandom() override { sodium_memzero(block_.data(), block_.size()); }

    void fill(std::uint8_t* out, std::size_t size) override {
        while (size > 0) {
            if (used_ == block_.size()) {
                refill_(block_.data(), block_.size());
                used_ = 0;
            }
            const std::size_t n = std::min(size, block_.size() - used_);
            std::memcpy(out, block_.data() + used_, n);
            sodium_memzero(block_.data() + used_, n);
            used_ += n;
            out += n;
            size -= n;
        }
    }

private:
    Refill refill_;
    std::array<std::uint8_t, 4096> block_{};
    std::size_t used_ = 4096;  // empty: the first fill refills
};

// "sodium4k": libsodium's randombytes_buf for 4 KiB (in 1.0.18's wasm build still one JS call
// per byte: 4,096 calls per refill, only fewer calls into randombytes_buf).
void refill_sodium(std::uint8_t* out, std::size_t size) { randombytes_buf(out, size); }
// "js4k": one crypto.getRandomValues call per 4 KiB.
void refill_js(std::uint8_t* out, std::size_t size) { lb_bench_get_random_values(out, size); }

// The random source a throughput group uses: "system" (SystemRandom, as in production), "sodium4k"
// or "js4k"; null for an unknown name.
std::unique_ptr<lb::RandomSource> make_random(std::string_view name) {
    if (name == "system") return std::make_unique<SystemRandom>();
    if (name == "sodium4k") return std::make_unique<BufferedRandom>(refill_sodium);
    if (name == "js4k") return std::make_unique<BufferedRandom>(refill_js);
    return nullptr;
}

// Runs one warm-up round of ops/4, then `rounds` timed rounds; a round is `seal` then `open`,
// each timed alone. Returns false when an operation failed.
template <typename Seal, typename Open>
bool timed_rounds(int ops, int rounds, Row& seal_row, Row* open_row, Seal seal, Open open) {
    for (int round = -1; round < rounds; ++round) {
        const int n = round < 0 ? ops / 4 : ops;
        std::vector<std::vector<std::uint8_t>> sealed;
        sealed.reserve(static_cast<std::size_t>(n));
        auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) {
            if (!seal(sealed)) return false;
        }
        const double seal_s = seconds_since(start);
        start = std::chrono::steady_clock::now();
        if (open_row) {
            for (const auto& item : sealed) {
                if (!open(item)) return false;
            }
        }
        const double open_s = seconds_since(start);
        if (round < 0) continue;
        seal_row.seconds.push_back(seal_s);
        if (open_row) open_row->seconds.push_back(open_s);
    }
    return true;
}

bool bench_envelopes(std::size_t size, int rounds, std::vector<Row>& rows, lb::RandomSource& random) {
    const KeyPair device = generate_key_pair(random);
    const KeyPair server = generate_key_pair(random);
    auto device_end = DeviceChannel::create(device, server.public_key);
    auto server_end = ServerChannel::create(server, device.public_key);
    if (!device_end.ok() || !server_end.ok()) return false;
    const std::vector<std::uint8_t> plaintext(size, 0x61);
    std::uint64_t counter = 0;
    ReplayGuard guard;
    Row seal{"envelope seal_request", {}}, open{"envelope open_request", {}};
    const bool ok = timed_rounds(
        ops_for(size), rounds, seal, &open,
        [&](std::vector<std::vector<std::uint8_t>>& out) {
            auto envelope = device_end.value().seal_request(++counter, kNow, plaintext, random);
            if (!envelope.ok()) return false;
            out.push_back(std::move(envelope).value());
            return true;
        },
        [&](const std::vector<std::uint8_t>& envelope) {
            return server_end.value().open_request(envelope, guard, kNow).ok();
        });
    rows.push_back(std::move(seal));
    rows.push_back(std::move(open));
    return ok;
}

bool bench_fields(std::size_t size, int rounds, std::vector<Row>& rows, lb::RandomSource& random) {
    const TicketKey key = TicketKey::generate(random);
    const ContentContext ctx{lb::Id128{1, 2}, "description", lb::Id128{3, 4}};
    const std::string plaintext(size, 'a');
    Row seal{"content seal_field", {}}, open{"content open_field", {}};
    const bool ok = timed_rounds(
        ops_for(size), rounds, seal, &open,
        [&](std::vector<std::vector<std::uint8_t>>& out) {
            auto field = seal_field(key, ctx, plaintext, random);
            if (!field.ok()) return false;
            out.push_back(std::move(field).value());
            return true;
        },
        [&](const std::vector<std::uint8_t>& field) { return open_field(key, ctx, field).ok(); });
    rows.push_back(std::move(seal));
    rows.push_back(std::move(open));
    return ok;
}

bool bench_bare_aead(std::size_t size, int rounds, std::vector<Row>& rows, lb::RandomSource& random) {
    std::uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    std::uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    random.fill(key, sizeof key);
    const std::vector<std::uint8_t> plaintext(size, 0x61);
    std::vector<std::uint8_t> out(size + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    Row seal{"peer: bare xchacha20poly1305", {}};
    const bool ok = timed_rounds(
        ops_for(size), rounds, seal, nullptr,
        [&](std::vector<std::vector<std::uint8_t>>&) {
            random.fill(nonce, sizeof nonce);
            return crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), nullptr, plaintext.data(), size, nullptr,
                                                              0, nullptr, nonce, key) == 0;
        },
        [](const std::vector<std::uint8_t>&) { return true; });
    sodium_memzero(key, sizeof key);
    rows.push_back(std::move(seal));
    return ok;
}

bool bench_random(std::size_t size, int rounds, std::vector<Row>& rows, lb::RandomSource& random) {
    std::vector<std::uint8_t> out(size);
    Row fill{"random fill", {}};
    const bool ok = timed_rounds(
        ops_for(size), rounds, fill, nullptr,
        [&](std::vector<std::vector<std::uint8_t>>&) {
            random.fill(out.data(), out.size());
            return true;
        },
        [](const std::vector<std::uint8_t>&) { return true; });
    rows.push_back(std::move(fill));
    return ok;
}

}  // namespace

extern "C" {

const char* lb_crypto_bench_init() {
    if (const auto status = init(); !status.ok()) return reply({{"ok", false}, {"error", status.error().message}});
    return reply({{"ok", true}, {"sodium", sodium_version_string()},
                  {"randombytes", randombytes_implementation_name()}});
}

const char* lb_crypto_bench_throughput(const char* kind, int size, int rounds, const char* random_name) {
    if (size <= 0 || rounds <= 0) return reply({{"ok", false}, {"error", "size and rounds must be positive"}});
    const std::string_view what = kind;
    const auto bytes = static_cast<std::size_t>(size);
    const auto source = make_random(random_name);
    if (!source) return reply({{"ok", false}, {"error", "unknown random source " + std::string(random_name)}});
    lb::RandomSource& random = *source;
    std::vector<Row> rows;
    bool ok = false;
    if (what == "envelope") ok = bench_envelopes(bytes, rounds, rows, random);
    else if (what == "content") ok = bench_fields(bytes, rounds, rows, random);
    else if (what == "aead") ok = bench_bare_aead(bytes, rounds, rows, random);
    else if (what == "random") ok = bench_random(bytes, rounds, rows, random);
    else return reply({{"ok", false}, {"error", "unknown kind " + std::string(what)}});
    if (!ok) return reply({{"ok", false}, {"error", std::string(what) + ": an operation failed"}});
    nlohmann::json out{{"ok", true}, {"rows", nlohmann::json::array()}};
    for (const Row& row : rows) {
        out["rows"].push_back({{"name", row.name}, {"size", size}, {"ops", ops_for(bytes)}, {"random", random_name},
                               {"seconds", row.seconds}});
    }
    return reply(out);
}

const char* lb_crypto_bench_make_wrap() {
    SystemRandom random;
    const KeyPair user = generate_key_pair(random);
    auto wrapped = wrap_secret_key(user, kPassphrase, random);
    g_reply = wrapped.ok() ? to_base64url(wrapped.value()) : std::string();
    return g_reply.c_str();
}

double lb_crypto_bench_unlock(const char* wrap_text) {
    const auto wrapped = from_base64url(wrap_text, kPassphraseWrapBytes);
    if (!wrapped.ok()) return -1;
    const auto start = std::chrono::steady_clock::now();
    const bool ok = unwrap_secret_key(wrapped.value(), kPassphrase).ok();
    const double ms = seconds_since(start) * 1e3;
    return ok ? ms : -1;
}

double lb_crypto_bench_small_argon2id() {
    SystemRandom random;
    const KeyPair user = generate_key_pair(random);
    const auto start = std::chrono::steady_clock::now();
    auto wrapped = wrap_secret_key(user, kPassphrase, random, PassphraseParams{1, 8 * 1024});
    const bool ok = wrapped.ok() && unwrap_secret_key(wrapped.value(), kPassphrase).ok();
    const double ms = seconds_since(start) * 1e3;
    return ok ? ms : -1;
}

double lb_crypto_bench_grow_heap(int mib) {
    if (mib <= 0) return -1;
    const auto start = std::chrono::steady_clock::now();
    {
        std::vector<std::uint8_t> block(static_cast<std::size_t>(mib) << 20);
        // The vector's zero-fill has touched every page; the barrier keeps the allocation and the
        // fill (sodium_memzero's volatile byte loop would add ~0.3 s of its own to the prelude).
        __asm__ __volatile__("" : : "r"(block.data()) : "memory");
    }  // freed: malloc keeps the grown heap for the unlock
    return seconds_since(start) * 1e3;
}

}  // extern "C"
