// engine.h — the client engine: answers the UI's commands from the local database.
//
// One Engine per device database. The platform layer (a Web Worker in the browser, a plain main()
// natively) creates it with an EngineEnvironment — where the database lives, what the clock says,
// where unsolicited events go — then feeds it command messages and connectivity observations.
// The engine itself performs no network I/O and reads no global clock.
//
// Commands (protocol v1):
//   status   → {engine_version, protocol, sqlite_version, sodium_version,
//               storage: {kind, durable, schema_version}, connection: {online, known, last_contact_ms}}
// Unknown commands answer the typed error "unknown_command".
// Events: "status_changed" (data: the status object) when connectivity changes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "commands/command_protocol.h"
#include "lifebuoy/sqlite_database.h"
#include "lifebuoy/result.h"

namespace lb::engine {

using storage::Database;

struct EngineEnvironment {
    std::string database_path = ":memory:";
    std::string database_vfs;                    // empty: SQLite's default VFS
    std::string storage_kind = "memory";         // shown to people: "memory", "file", "opfs"
    bool storage_durable = false;                // does a committed write survive a restart?
    std::function<std::int64_t()> now_ms;        // wall clock, Unix milliseconds
    std::function<void(const std::string&)> emit_event;  // encoded commands::Event
};

class Engine {
public:
    static Result<std::unique_ptr<Engine>> open(EngineEnvironment env);

    // Takes an encoded request, returns the encoded response. Never throws.
    std::string handle_message(std::string_view request_json);
    commands::Response handle(const commands::Request& request);

    // The platform reports whether the sync server answered its last reachability probe.
    void observe_connectivity(bool server_reachable);

    nlohmann::json status() const;

private:
    Engine(EngineEnvironment env, Database db, int schema_version);

    EngineEnvironment env_;
    Database db_;
    int schema_version_ = 0;
    std::optional<bool> online_;                 // unknown until the first probe
    std::optional<std::int64_t> last_contact_ms_;
};

}  // namespace lb::engine
