// call_worker.cpp — the call worker's loop: wait for a job, run it, repeat until stopped.
#include "call_worker.h"

#include <utility>

namespace lb::server {

CallWorker::CallWorker() : thread_([this] { run(); }) {}

CallWorker::~CallWorker() { stop(); }

bool CallWorker::submit(std::function<void()> job) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    queue_.push_back(std::move(job));
    queued_.notify_one();
    return true;
}

void CallWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
        queued_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

void CallWorker::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        job();
    }
}

}  // namespace lb::server
