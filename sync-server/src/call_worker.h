// call_worker.h — the thread that runs the sync API's calls and the escalation pass, so that the
// network thread never waits for storage. Every call takes the service's lock and the database
// (its envelope counter at least); on the network thread, one call held up behind a slow commit or
// a database locked by another process would stall every connection with it — health checks, the
// web shell, the live channel's timers. Here such a call waits alone; its session is parked (a
// Deferred, api_routes.cpp) and answered 503 `unavailable` once storage_wait_seconds have passed.
//
// Jobs run in the order submitted. stop() lets the running job finish and drops the rest (their
// sessions are gone with the network thread; the devices send again). Any thread may submit.
// Not here: what a call does (api_routes.cpp), pushes' group commit (push_committer.h).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace lb::server {

class CallWorker {
public:
    CallWorker();
    ~CallWorker();  // stop()
    CallWorker(const CallWorker&) = delete;
    CallWorker& operator=(const CallWorker&) = delete;

    // Queues `job`; false (and `job` is not kept) once stopping.
    bool submit(std::function<void()> job);
    void stop();

private:
    void run();

    std::mutex mutex_;
    std::condition_variable queued_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::thread thread_;  // last: started once everything above exists
};

}  // namespace lb::server
