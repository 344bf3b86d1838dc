// native_sync_driver.h — the native platform's sync loop: drives Engine::sync_next_request /
// sync_on_response over a SyncTransport until the engine is caught up, or a deadline passes, or
// (when asked) the first failure. The browser's twin is the fetch loop in web/engine-worker.js.
//
// The driver treats every request generically (method, path, body, bearer): whatever step the
// sync machine grows, it needs no change here. "Caught up" means the machine had nothing to send
// and its next sync is not due before the poll interval, after an exchange that succeeded (so the
// outbox went out and the last pull said "no more"). Failures follow the engine's own backoff:
// the driver sleeps until sync_due_at() when that is before the deadline, else it stops.
// Not here: HTTP (native_http_client.h), the live notify long-poll (the CLI syncs on demand).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/sync_machine.h"
#include "lifebuoy/result.h"

namespace lb::engine {

class Engine;

struct HttpReply {
    int status = 0;  // 0: no answer (refused, reset, timed out, too large)
    std::string body;
    std::string error;  // why there was no answer, for people and logs
};

// One HTTP exchange for the sync machine. Implementations: NativeHttpClient, and the convergence
// test's fault-injecting transport.
class SyncTransport {
public:
    virtual ~SyncTransport() = default;
    virtual HttpReply exchange(const SyncRequest& request) = 0;
};

struct SyncClock {
    std::function<std::int64_t()> now_ms;              // Unix milliseconds
    std::function<void(std::int64_t)> sleep_until_ms;  // returns at (or after) that time
};
// The wall clock and a real sleep.
SyncClock system_sync_clock();

struct SyncRunOptions {
    std::int64_t deadline_ms = 0;        // stop trying at this time (Unix ms)
    bool stop_at_first_failure = false;  // one pass only (e.g. before a listing), no backoff waits
};

struct SyncRunReport {
    bool caught_up = false;
    int exchanges = 0;
    int failures = 0;            // exchanges the engine counted as failed (no answer, 5xx, …)
    std::optional<Error> error;  // why it is not caught up: the engine's last sync error, a
                                 // storage failure, "not_enrolled", "stopped" or "deadline"
};

SyncRunReport run_sync(Engine& engine, SyncTransport& transport, const SyncClock& clock, const SyncRunOptions& options);

}  // namespace lb::engine
