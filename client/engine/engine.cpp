// engine.cpp — command dispatch and engine status.
#include "engine/engine.h"

#include <sodium.h>

#include "engine/schema.h"
#include "lifebuoy/version.h"

namespace lb::engine {

using nlohmann::json;

Result<std::unique_ptr<Engine>> Engine::open(EngineEnvironment env) {
    if (!env.now_ms) return make_error("bad_environment", "engine needs a clock");
    if (sodium_init() < 0) return make_error("crypto_unavailable", "libsodium failed to initialise");
    auto db = Database::open(env.database_path, env.database_vfs);
    if (!db) return db.error();
    if (auto s = db.value().migrate(local_schema_migrations()); !s) return s.error();
    auto version = db.value().schema_version();
    if (!version) return version.error();
    return std::unique_ptr<Engine>(new Engine(std::move(env), std::move(db.value()), version.value()));
}

Engine::Engine(EngineEnvironment env, Database db, int schema_version)
    : env_(std::move(env)), db_(std::move(db)), schema_version_(schema_version) {}

json Engine::status() const {
    return json{
        {"engine_version", kProductVersion},
        {"protocol", kCommandProtocolVersion},
        {"sqlite_version", storage::sqlite_library_version()},
        {"sodium_version", sodium_version_string()},
        {"storage", {{"kind", env_.storage_kind}, {"durable", env_.storage_durable},
                     {"schema_version", schema_version_}}},
        {"connection", {{"known", online_.has_value()},
                        {"online", online_.value_or(false)},
                        {"last_contact_ms", last_contact_ms_ ? json(*last_contact_ms_) : json(nullptr)}}},
    };
}

commands::Response Engine::handle(const commands::Request& request) {
    if (request.cmd == "status") return commands::ok_response(request.id, status());
    return commands::error_response(request.id, "unknown_command",
                                    "the engine does not know the command '" + request.cmd + "'");
}

std::string Engine::handle_message(std::string_view request_json) {
    auto request = commands::decode_request(request_json);
    if (!request) {
        return commands::encode_response(
            commands::error_response(0, request.error().code, request.error().message));
    }
    return commands::encode_response(handle(request.value()));
}

void Engine::observe_connectivity(bool server_reachable) {
    bool changed = !online_ || *online_ != server_reachable;
    online_ = server_reachable;
    if (server_reachable) last_contact_ms_ = env_.now_ms();
    if (changed && env_.emit_event)
        env_.emit_event(commands::encode_event({"status_changed", status()}));
}

}  // namespace lb::engine
