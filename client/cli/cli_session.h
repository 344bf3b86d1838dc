// cli_session.h — one run of lifebuoy-cli: the device's engine opened from its data folder
// (NativeFileSlots), the server it talks to (NativeHttpClient), engine commands as Results, and
// the two ways it syncs: a single best-effort pass after a local action, or "until caught up or
// the deadline" for `sync` and `enroll`.
//
// The server URL comes from --server, else $LIFEBUOY_SERVER, else the data folder's `server.url`
// (written by a successful enroll), else http://127.0.0.1:8080.
// Not here: argument parsing and exit codes (cli_main.cpp), printing (cli_output.h).
#pragma once

#include <memory>
#include <string>

#include "engine/engine.h"
#include "engine/platform/native_file_slots.h"
#include "engine/platform/native_http_client.h"
#include "engine/platform/native_sync_driver.h"

namespace lb::cli {

inline constexpr const char* kDefaultServerUrl = "http://127.0.0.1:8080";
inline constexpr const char* kServerUrlFile = "server.url";

struct CliOptions {
    std::string data_dir;
    std::string server;        // empty: see above
    bool offline = false;      // never touch the network
    int timeout_seconds = 15;  // the whole sync of one run
};

class CliSession {
public:
    // Errors: bad_arguments (server URL), storage_in_use, storage_open_failed, and the engine's
    // own opening errors.
    static Result<std::unique_ptr<CliSession>> open(const CliOptions& options);
    ~CliSession();

    // Runs one engine command; the result object, or the engine's typed error.
    Result<nlohmann::json> call(const std::string& cmd, nlohmann::json args = nlohmann::json::object());

    // After a local action: one pass (stops at the first failure). Nothing when --offline.
    engine::SyncRunReport sync_once();
    // `sync` and `enroll`: retries with the engine's backoff until caught up or the deadline.
    engine::SyncRunReport sync_until_caught_up();

    // Remembers the server URL in the data folder (after a successful enrolment).
    Status remember_server();
    const engine::ServerUrl& server() const { return http_->server(); }
    const std::string& data_dir() const { return options_.data_dir; }

private:
    CliSession() = default;
    engine::SyncRunReport run(bool stop_at_first_failure);

    CliOptions options_;
    std::unique_ptr<engine::NativeFileSlots> slots_;  // declared before engine_: outlives it
    std::unique_ptr<engine::Engine> engine_;
    std::unique_ptr<engine::NativeHttpClient> http_;
    std::uint64_t next_id_ = 1;
};

}  // namespace lb::cli
