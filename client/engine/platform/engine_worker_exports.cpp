// engine_worker_exports.cpp — the engine module's C entry points for web/engine-worker.js.
//
// The Worker script opens the OPFS files named by lb_engine_storage_files() (one per line), then
// calls lb_engine_start() once — with opfs=1 when every handle opened, or opfs=0 and the reason
// (the engine then keeps its database in memory and says so). Every command message goes through
// lb_engine_handle(); the reply is posted back to the UI. Reachability probes of the sync server
// are reported with lb_engine_observe_connectivity(). Engine events are posted from here.
#include <chrono>
#include <memory>
#include <string>

#include <emscripten.h>

#include "engine/engine.h"
#include "engine/memory_file_slots.h"
#include "engine/platform/opfs_file_slots.h"

namespace {

struct WorkerState {
    std::unique_ptr<lb::engine::FileSlots> storage;
    std::unique_ptr<lb::engine::Engine> engine;
    std::string reply;  // the last reply, copied by the caller at once
};
WorkerState g_worker;  // one engine per Worker

EM_JS(void, lb_js_post_event, (const char* text), { postMessage(UTF8ToString(text)); });

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
        std::vector<std::string> names(std::begin(lb::engine::kDatabaseFiles), std::end(lb::engine::kDatabaseFiles));
        g_worker.storage = std::make_unique<lb::engine::MemoryFileSlots>(names);
        env.storage_note = std::string("This browser may not keep offline data (") + fallback_reason + ").";
    }
    env.storage = g_worker.storage.get();
    env.now_ms = wall_clock_ms;
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

}
