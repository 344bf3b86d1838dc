// periodic_timer.h — runs a task now and then every `interval` on an io_context (an Asio
// steady_timer re-armed after each run), until stop() or the io_context stops. Runs never overlap:
// the next wait starts when a run ends, so a slow run delays the next one instead of piling up.
// The server's escalation pass runs on it; tests drive the pass directly with a hand-set clock.
// Not here: what the task does (SyncService::run_escalation_pass).
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace lb::server {

class PeriodicTimer {
public:
    PeriodicTimer(boost::asio::io_context& io, std::chrono::milliseconds interval, std::function<void()> task);
    ~PeriodicTimer();
    PeriodicTimer(const PeriodicTimer&) = delete;
    PeriodicTimer& operator=(const PeriodicTimer&) = delete;

    void start();  // the first run is right away (e.g. catching up after a restart)
    // No run starts after this (one in progress finishes). Call it on the io_context's thread or
    // once the io_context no longer runs (the destructor does).
    void stop();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace lb::server
