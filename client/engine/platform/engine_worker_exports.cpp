// engine_worker_exports.cpp — the engine module's C entry points for web/engine-worker.js.
//
// The Worker script opens the OPFS files named by lb_engine_storage_files() (one per line), then
// calls lb_engine_start() once — with opfs=1 when every handle opened, or opfs=0 and the reason
// (the engine then keeps its database in memory and says so). Every command message goes through
// lb_engine_handle(); the reply is posted back to the UI. Reachability probes of the sync server
// are reported with lb_engine_observe_connectivity(). Engine events are posted from here.
// Sync (engine/sync_machine.h): the Worker asks lb_engine_sync_next() for the next HTTP exchange
// (JSON {method, path, content_type, body_bytes} or ""); the body — already sealed, bytes, not
// text — is read from lb_engine_request_body() right after. It performs the exchange with fetch
// and hands the answer's bytes to lb_engine_sync_done() (status 0: no answer);
// lb_engine_sync_due_in() says when to ask again. lb_engine_notify_request() is the long-poll that
// wakes the loop when the server has news; its (sealed) answer goes to lb_engine_notify_done().
// Randomness for the engine comes from the browser's CSPRNG in 4 KiB refills (BrowserRandom).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include <emscripten.h>

#include "engine/engine.h"
#include "engine/memory_file_slots.h"
#include "engine/platform/opfs_file_slots.h"
#include "lifebuoy/crypto/secret.h"
#include "lifebuoy/random_source.h"

namespace {

// The browser's CSPRNG in bulk: libsodium's wasm randombytes asks JS for every byte (about 4 µs
// each, so ~90 µs per 24-byte nonce — bench/crypto_browser_bench.mjs); one getRandomValues call
// per 4 KiB refill instead. getRandomValues takes at most 65,536 bytes a call.
EM_JS(void, lb_js_random_fill, (std::uint8_t* out, int size), {
    crypto.getRandomValues(HEAPU8.subarray(out, out + size));
});

class BrowserRandom final : public lb::RandomSource {
public:
    ~BrowserRandom() override { lb::crypto::wipe(pool_.data(), pool_.size()); }
    void fill(std::uint8_t* out, std::size_t size) override {
        while (size > 0) {
            if (used_ == pool_.size()) {
                lb_js_random_fill(pool_.data(), static_cast<int>(pool_.size()));
                used_ = 0;
            }
            const std::size_t n = std::min(size, pool_.size() - used_);
            std::memcpy(out, pool_.data() + used_, n);
            lb::crypto::wipe(pool_.data() + used_, n);  // a byte handed out is not kept
            used_ += n;
            out += n;
            size -= n;
        }
    }

private:
    std::array<std::uint8_t, 4096> pool_{};
    std::size_t used_ = pool_.size();
};

struct WorkerState {
    std::unique_ptr<lb::engine::FileSlots> storage;
    BrowserRandom random;  // ids, keys, nonces (outlives the engine)
    std::unique_ptr<lb::engine::Engine> engine;
    std::string reply;  // the last reply, copied by the caller at once
    std::string request_body;  // the last exchange's body, copied by the caller at once
    std::optional<lb::engine::SyncRequest> sync_in_flight;    // asked for by sync_next, not yet done
    std::optional<lb::engine::SyncRequest> notify_in_flight;  // the long-poll, until notify_done
};
WorkerState g_worker;  // one engine per Worker

// To this tab's UI, and to the other tabs attached to this engine (web/engine-worker.js).
EM_JS(void, lb_js_post_event, (const char* text), {
    const t = UTF8ToString(text);
    postMessage(t);
    if (self.lbBroadcastEvent) self.lbBroadcastEvent(t);
});

// The exchange's description; its body (bytes: JSON could not carry them) waits in
// g_worker.request_body for lb_engine_request_body().
const char* request_json(const lb::engine::SyncRequest& request) {
    nlohmann::json j{{"method", request.method}, {"path", request.path}, {"content_type", request.content_type},
                     {"body_bytes", request.body.size()}};
    g_worker.request_body = request.body;
    g_worker.reply = j.dump();
    return g_worker.reply.c_str();
}

std::int64_t wall_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* lb_engine_storage_files() {
    static std::string names;
    names.clear();
    for (const char* name : lb::engine::kDatabaseFiles) names += std::string(name) + "\n";
    return names.c_str();
}

// Returns "" on success, or the reason the engine could not start.
EMSCRIPTEN_KEEPALIVE const char* lb_engine_start(int opfs, const char* fallback_reason) {
    lb::engine::EngineEnvironment env;
    if (opfs) {
        g_worker.storage = std::make_unique<lb::engine::OpfsFileSlots>();
    } else {
        g_worker.storage = std::make_unique<lb::engine::MemoryFileSlots>(lb::engine::MemoryFileSlots::for_database());
        env.storage_note = std::string("This browser may not keep offline data (") + fallback_reason + ").";
    }
    env.storage = g_worker.storage.get();
    env.now_ms = wall_clock_ms;
    env.random = &g_worker.random;
    env.emit_event = [](const std::string& event) { lb_js_post_event(event.c_str()); };
    auto engine = lb::engine::Engine::open(std::move(env));
    if (!engine) {
        g_worker.reply = engine.error().code + ": " + engine.error().message;
        return g_worker.reply.c_str();
    }
    g_worker.engine = std::move(engine.value());
    return "";
}

EMSCRIPTEN_KEEPALIVE const char* lb_engine_handle(const char* request) {
    if (!g_worker.engine) {
        auto decoded = lb::commands::decode_request(request);
        g_worker.reply = lb::commands::encode_response(lb::commands::error_response(
            decoded ? decoded.value().id : 0, "engine_not_started", "the engine is not running"));
    } else {
        g_worker.reply = g_worker.engine->handle_message(request);
    }
    return g_worker.reply.c_str();
}

EMSCRIPTEN_KEEPALIVE void lb_engine_observe_connectivity(int server_reachable) {
    if (g_worker.engine) g_worker.engine->observe_connectivity(server_reachable != 0);
}

// The next sync exchange as JSON, or "" when there is none to make now.
EMSCRIPTEN_KEEPALIVE const char* lb_engine_sync_next() {
    if (!g_worker.engine || g_worker.sync_in_flight) return "";
    g_worker.sync_in_flight = g_worker.engine->sync_next_request(wall_clock_ms());
    if (!g_worker.sync_in_flight) return "";
    return request_json(*g_worker.sync_in_flight);
}

// The body of the exchange last returned by lb_engine_sync_next() or lb_engine_notify_request():
// its body_bytes bytes.
EMSCRIPTEN_KEEPALIVE const char* lb_engine_request_body() { return g_worker.request_body.data(); }

// The answer to the exchange lb_engine_sync_next() returned: `size` bytes at `body`. Returns "" or
// a storage error.
EMSCRIPTEN_KEEPALIVE const char* lb_engine_sync_done(int http_status, const char* body, int size) {
    g_worker.reply.clear();
    if (!g_worker.engine || !g_worker.sync_in_flight) return "";
    lb::engine::SyncRequest request = std::move(*g_worker.sync_in_flight);
    g_worker.sync_in_flight.reset();
    auto applied = g_worker.engine->sync_on_response(request, http_status, std::string_view(body, size), wall_clock_ms());
    if (!applied) g_worker.reply = applied.error().code + ": " + applied.error().message;
    return g_worker.reply.c_str();
}

// Milliseconds until the loop should ask again (0: now), or -1: not before a wake or a command.
EMSCRIPTEN_KEEPALIVE double lb_engine_sync_due_in() {
    if (!g_worker.engine) return -1;
    auto due = g_worker.engine->sync_due_at();
    if (!due) return -1;
    return static_cast<double>(std::max<std::int64_t>(0, *due - wall_clock_ms()));
}

EMSCRIPTEN_KEEPALIVE void lb_engine_sync_wake() {
    if (g_worker.engine) g_worker.engine->sync_wake(wall_clock_ms());
}

// The notify long-poll ({method, path, body, content_type}, sealed) or "" when this device is
// not enrolled. Its answer goes to lb_engine_notify_done.
EMSCRIPTEN_KEEPALIVE const char* lb_engine_notify_request(int wait_seconds) {
    if (!g_worker.engine) return "";
    g_worker.notify_in_flight = g_worker.engine->notify_request(wait_seconds);
    if (!g_worker.notify_in_flight) return "";
    return request_json(*g_worker.notify_in_flight);
}

// The long-poll's answer (status 0: none), `size` bytes at `body`: 1 when the server has news for
// this device.
EMSCRIPTEN_KEEPALIVE int lb_engine_notify_done(int http_status, const char* body, int size) {
    if (!g_worker.engine || !g_worker.notify_in_flight) return 0;
    lb::engine::SyncRequest request = std::move(*g_worker.notify_in_flight);
    g_worker.notify_in_flight.reset();
    return g_worker.engine->notify_on_response(request, http_status, std::string_view(body, size)) ? 1 : 0;
}

}
