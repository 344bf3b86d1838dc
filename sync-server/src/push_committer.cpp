// push_committer.cpp — the store thread's loop: wait for pushes, take a group, store it, answer.
#include "push_committer.h"

#include <utility>
#include <vector>

#include "lifebuoy/errors.h"

namespace lb::server {

namespace {

std::size_t op_count(const PushRequest& request) {
    std::size_t n = 0;
    for (const auto& b : request.batches) n += b ? b.value().ops.size() : 1;
    return n;
}

}  // namespace

PushCommitter::PushCommitter(SyncService& service, Metrics& metrics, std::size_t max_group_ops)
    : service_(service), metrics_(metrics), max_group_ops_(max_group_ops), thread_([this] { run(); }) {}

PushCommitter::~PushCommitter() { stop(); }

void PushCommitter::submit(SealedPush push, Answer answer) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back(Queued{std::move(push), std::move(answer)});
            queued_.notify_one();
            return;
        }
    }
    answer(make_error("unavailable", "the server is shutting down: send the push again"));
}

void PushCommitter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void PushCommitter::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything queued is stored
        std::vector<SealedPush> group;
        std::vector<Answer> answers;
        std::size_t ops = 0;
        while (!queue_.empty() && (group.empty() || ops < max_group_ops_)) {
            ops += op_count(queue_.front().push.request);
            group.push_back(std::move(queue_.front().push));
            answers.push_back(std::move(queue_.front().answer));
            queue_.pop_front();
        }
        lock.unlock();
        auto results = service_.push_sealed_group(group);
        metrics_.count_push_group(group.size());
        for (std::size_t i = 0; i < answers.size(); ++i) answers[i](std::move(results[i]));
        lock.lock();
    }
}

}  // namespace lb::server
