// live_notifier.h — who is waiting for changes, and waking them when a push lands.
//
// A device waiting on GET /api/v1/notify subscribes with its user, whether it sees everything
// (help desk) and the seq it has seen; after each committed push the service publishes the new
// high seq and the users the change concerns. A waiter is woken when the change concerns it (the
// help desk is woken by every change); it then pulls. A publish that raced the subscription wakes
// the waiter at once (it pulls and finds nothing or something — never misses a change).
// Thread-safe; wake callbacks run on the publishing thread and must only schedule work.
// Not here: timeouts and HTTP (the session's timer, http_server.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "lifebuoy/id128.h"

namespace lb::server {

class LiveNotifier {
public:
    using Wake = std::function<void()>;

    // `seen_published` is published() as read before the caller checked the store: a publish
    // after it wakes the waiter at once. Returns the id to unsubscribe with.
    std::uint64_t subscribe(const EntityId& user, bool sees_everything, std::int64_t seen_published, Wake wake);
    void unsubscribe(std::uint64_t id);
    void publish(std::int64_t seq, const std::vector<EntityId>& concerned_users);
    std::int64_t published() const;
    std::size_t waiting() const;

private:
    struct Waiter {
        EntityId user;
        bool sees_everything = false;
        Wake wake;
    };
    mutable std::mutex mutex_;
    std::map<std::uint64_t, Waiter> waiters_;
    std::uint64_t next_id_ = 1;
    std::int64_t published_ = 0;
};

}  // namespace lb::server
