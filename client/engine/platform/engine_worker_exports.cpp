// engine_worker_exports.cpp — the engine module's C entry points for web/engine-worker.js.
//
// The Worker script loads the module, calls lb_engine_start() once, then passes every command
// message through lb_engine_handle() and posts the reply back to the UI. It reports the result
// of each reachability probe of the sync server with lb_engine_observe_connectivity().
// Engine events (status changes) are posted to the UI directly from here.
#include <chrono>
#include <memory>
#include <string>

#include <emscripten.h>

#include "engine/engine.h"

namespace {

std::unique_ptr<lb::engine::Engine> g_engine;  // one engine per Worker
std::string g_reply;                           // the last reply, copied by the caller at once

EM_JS(void, lb_js_post_event, (const char* text), { postMessage(UTF8ToString(text)); });

std::int64_t wall_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

extern "C" {

// Returns an empty string on success, or the reason the engine could not start.
EMSCRIPTEN_KEEPALIVE const char* lb_engine_start() {
    lb::engine::EngineEnvironment env;
    env.database_path = ":memory:";
    env.storage_kind = "memory";
    env.storage_durable = false;
    env.now_ms = wall_clock_ms;
    env.emit_event = [](const std::string& event) { lb_js_post_event(event.c_str()); };
    auto engine = lb::engine::Engine::open(std::move(env));
    if (!engine) {
        g_reply = engine.error().code + ": " + engine.error().message;
        return g_reply.c_str();
    }
    g_engine = std::move(engine.value());
    return "";
}

EMSCRIPTEN_KEEPALIVE const char* lb_engine_handle(const char* request) {
    if (!g_engine) {
        g_reply = R"({"v":1,"id":0,"ok":false,"error":{"code":"engine_not_started","message":"the engine is not running"}})";
    } else {
        g_reply = g_engine->handle_message(request);
    }
    return g_reply.c_str();
}

EMSCRIPTEN_KEEPALIVE void lb_engine_observe_connectivity(int server_reachable) {
    if (g_engine) g_engine->observe_connectivity(server_reachable != 0);
}

}
