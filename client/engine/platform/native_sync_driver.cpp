// native_sync_driver.cpp — run_sync: the engine's sync machine driven to "caught up" or a deadline.
#include "engine/platform/native_sync_driver.h"

#include <chrono>
#include <thread>

#include "engine/engine.h"

namespace lb::engine {
namespace {

// The engine's own account of its last exchange: null when it went well.
std::optional<Error> last_sync_error(Engine& engine) {
    const nlohmann::json status = engine.status();
    const nlohmann::json& sync = status.value("sync", nlohmann::json::object());
    auto it = sync.find("last_error");
    if (it == sync.end() || !it->is_object()) return std::nullopt;
    return make_error(it->value("code", std::string("sync_failed")), it->value("message", std::string()));
}

bool sync_stopped(Engine& engine) {
    const nlohmann::json status = engine.status();
    return status.value("sync", nlohmann::json::object()).value("stopped", false);
}

}  // namespace

SyncClock system_sync_clock() {
    SyncClock clock;
    clock.now_ms = [] {
        using namespace std::chrono;
        return static_cast<std::int64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    };
    clock.sleep_until_ms = [now = clock.now_ms](std::int64_t when) {
        const std::int64_t wait = when - now();
        if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    };
    return clock;
}

SyncRunReport run_sync(Engine& engine, SyncTransport& transport, const SyncClock& clock,
                       const SyncRunOptions& options) {
    SyncRunReport report;
    bool last_failed = false;
    int idle_but_due = 0;  // the machine is due yet sends nothing (e.g. it was told "offline")
    for (;;) {
        const std::int64_t now = clock.now_ms();
        if (auto request = engine.sync_next_request(now)) {
            HttpReply reply = transport.exchange(*request);
            if (auto s = engine.sync_on_response(*request, reply.status, reply.body, clock.now_ms()); !s) {
                report.error = s.error();  // the database failed: nothing more to try
                return report;
            }
            ++report.exchanges;
            idle_but_due = 0;
            auto failure = last_sync_error(engine);
            last_failed = reply.status != 200 || failure.has_value();
            if (last_failed) {
                ++report.failures;
                report.error =
                    failure ? *failure
                            : make_error("offline", reply.error.empty() ? "the server did not answer" : reply.error);
                if (reply.status == 0 && !reply.error.empty() && failure)
                    report.error->message += " (" + reply.error + ")";  // why: refused, timed out, …
                if (options.stop_at_first_failure) return report;
            } else {
                report.error.reset();
            }
            if (clock.now_ms() >= options.deadline_ms) break;
            continue;
        }
        const auto due = engine.sync_due_at();
        if (!due) {  // not enrolled, enrolment refused, or stopped by 401/403: the user must act
            if (!report.error) report.error = last_sync_error(engine);
            if (!report.error)
                report.error = sync_stopped(engine) ? make_error("stopped", "the server no longer accepts this device")
                                                    : make_error("not_enrolled", "this device is not enrolled");
            return report;
        }
        if (!last_failed && *due > now) {
            report.caught_up = true;
            report.error.reset();
            return report;
        }
        if (*due >= options.deadline_ms) break;
        if (*due <= now && ++idle_but_due > 2) {
            if (!report.error)
                report.error = make_error("sync_blocked", "the engine has nothing to send although it is due");
            return report;
        }
        clock.sleep_until_ms(*due);
    }
    if (!report.error) report.error = make_error("deadline", "sync did not finish in time");
    return report;
}

}  // namespace lb::engine
