// periodic_timer.cpp — a steady_timer re-armed after each run; handlers hold the state alive.
#include "periodic_timer.h"

#include <atomic>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace lb::server {

struct PeriodicTimer::State : std::enable_shared_from_this<PeriodicTimer::State> {
    State(boost::asio::io_context& io, std::chrono::milliseconds every, std::function<void()> run)
        : timer(io), interval(every), task(std::move(run)) {}

    void run_then_wait() {
        if (stopped.load()) return;
        task();
        if (stopped.load()) return;
        timer.expires_after(interval);
        timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec) self->run_then_wait();
        });
    }

    boost::asio::steady_timer timer;
    std::chrono::milliseconds interval;
    std::function<void()> task;
    std::atomic<bool> stopped{false};
};

PeriodicTimer::PeriodicTimer(boost::asio::io_context& io, std::chrono::milliseconds interval,
                             std::function<void()> task)
    : state_(std::make_shared<State>(io, interval, std::move(task))) {}

PeriodicTimer::~PeriodicTimer() { stop(); }

void PeriodicTimer::start() {
    boost::asio::post(state_->timer.get_executor(), [self = state_] { self->run_then_wait(); });
}

void PeriodicTimer::stop() {
    state_->stopped.store(true);
    state_->timer.cancel();
}

}  // namespace lb::server
