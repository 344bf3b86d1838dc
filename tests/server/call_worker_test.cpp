// call_worker_test.cpp — CallWorker: jobs run on its own thread in the order submitted; stop()
// lets the running job finish, drops what is queued, and refuses later jobs.
// Not here: calls parked on it over HTTP (tests/integration/push_stall.test.mjs).
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "call_worker.h"

using namespace lb::server;

TEST_CASE("the call worker runs jobs on its own thread, in the order submitted") {
    CallWorker worker;
    std::mutex mutex;
    std::vector<int> ran;
    std::vector<std::thread::id> threads;
    std::promise<void> last;
    for (int i = 0; i < 100; ++i) {
        REQUIRE(worker.submit([&, i] {
            std::lock_guard lock(mutex);
            ran.push_back(i);
            threads.push_back(std::this_thread::get_id());
            if (i == 99) last.set_value();
        }));
    }
    last.get_future().wait();
    std::lock_guard lock(mutex);
    REQUIRE(ran.size() == 100);
    for (int i = 0; i < 100; ++i) CHECK(ran[static_cast<std::size_t>(i)] == i);
    for (const auto& id : threads) {
        CHECK(id == threads.front());
        CHECK(id != std::this_thread::get_id());
    }
}

TEST_CASE("stopping the call worker finishes the running job, drops the queued ones, refuses new ones") {
    CallWorker worker;
    std::promise<void> started;
    bool first_done = false, queued_ran = false;
    REQUIRE(worker.submit([&] {
        started.set_value();
        // Runs until stop() has begun: from then on, nothing more is taken.
        while (worker.submit([] {})) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        first_done = true;
    }));
    started.get_future().wait();  // the first job is running
    REQUIRE(worker.submit([&] { queued_ran = true; }));
    worker.stop();  // returns once the running job has finished
    CHECK(first_done);
    CHECK_FALSE(queued_ran);
    bool late_ran = false;
    CHECK_FALSE(worker.submit([&] { late_ran = true; }));
    CHECK_FALSE(late_ran);
    worker.stop();  // twice: nothing more to do
}
