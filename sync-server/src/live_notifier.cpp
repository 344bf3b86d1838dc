// live_notifier.cpp — the waiter table. Not here: what a wake does (the HTTP session decides).
#include "live_notifier.h"

#include <algorithm>

namespace lb::server {

std::uint64_t LiveNotifier::subscribe(const EntityId& user, bool sees_everything, std::int64_t seen_published,
                                      Wake wake) {
    std::lock_guard lock(mutex_);
    if (published_ > seen_published) {
        wake();  // something landed between the caller's check and now
        return 0;
    }
    const std::uint64_t id = next_id_++;
    waiters_.emplace(id, Waiter{user, sees_everything, std::move(wake)});
    return id;
}

void LiveNotifier::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    waiters_.erase(id);
}

void LiveNotifier::publish(std::int64_t seq, const std::vector<EntityId>& concerned_users) {
    std::lock_guard lock(mutex_);
    published_ = std::max(published_, seq);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
        const Waiter& w = it->second;
        if (w.sees_everything ||
            std::find(concerned_users.begin(), concerned_users.end(), w.user) != concerned_users.end()) {
            w.wake();
            it = waiters_.erase(it);
        } else {
            ++it;
        }
    }
}

std::int64_t LiveNotifier::published() const {
    std::lock_guard lock(mutex_);
    return published_;
}

std::size_t LiveNotifier::waiting() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
}

}  // namespace lb::server
