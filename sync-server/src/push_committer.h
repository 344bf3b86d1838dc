// push_committer.h — group commit of pushes. The network threads open a push's envelope, parse it
// and queue it here; one store thread takes everything queued and stores it in ONE transaction
// (SyncService::push_sealed_group: one fsync for the lot), then hands each push its answer. While
// a group commits, the next one queues up, so under load many pushes share a flush, and the
// network thread goes on opening envelopes, parsing and sealing answers meanwhile; a lone push is
// taken at once (no waiting for company).
//
// Shutdown: stop() stores what is queued, then the thread ends; a push submitted after that is
// answered `unavailable` at once. Answers are called on the store thread.
// Not here: the HTTP side (api_routes.cpp parks the session until the answer), the storing itself
// (sync_push.cpp).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "metrics.h"
#include "sync_service.h"

namespace lb::server {

// A group stops growing at this many ops (one push more can take it past; a push never waits).
inline constexpr std::size_t kMaxGroupOps = 4096;

class PushCommitter {
public:
    using Answer = std::function<void(Result<PushResult>)>;

    // Counts each group in `metrics` (lifebuoy_push_groups_total, lifebuoy_push_group_pushes_total).
    PushCommitter(SyncService& service, Metrics& metrics, std::size_t max_group_ops = kMaxGroupOps);
    ~PushCommitter();  // stop()
    PushCommitter(const PushCommitter&) = delete;
    PushCommitter& operator=(const PushCommitter&) = delete;

    // Any thread.
    void submit(SealedPush push, Answer answer);
    void stop();

private:
    struct Queued {
        SealedPush push;
        Answer answer;
    };
    void run();

    SyncService& service_;
    Metrics& metrics_;
    const std::size_t max_group_ops_;
    mutable std::mutex mutex_;
    std::condition_variable queued_;
    std::deque<Queued> queue_;
    bool stopping_ = false;
    std::thread thread_;  // last: started once everything above exists
};

}  // namespace lb::server
