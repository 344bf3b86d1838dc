// sync_users.cpp — the admin's people: SyncService::list_users and set_user_disabled
// (`lifebuoy-server user list | disable | enable`). Not here: enrolment (sync_enrolment.cpp, which
// refuses a disabled person's sign-ins and invites), devices (sync_devices.cpp).
#include "sync_service.h"

namespace lb::server {

Result<std::vector<UserListing>> SyncService::list_users() {
    std::lock_guard lock(mutex_);
    return store_.list_users();
}

Result<UserToggle> SyncService::set_user_disabled(const std::string& who, bool disabled) {
    std::lock_guard lock(mutex_);
    auto everyone = store_.list_users();
    if (!everyone) return everyone.error();
    std::vector<UserRow> matches;
    for (const UserListing& l : everyone.value())
        if (to_hex(l.user.id) == who || l.user.display_name == who) matches.push_back(l.user);
    if (matches.empty()) return make_error("not_found", "nobody called '" + who + "' on this help desk");
    if (matches.size() > 1)
        return make_error("ambiguous_name", "several people are called '" + who + "': give the user id (user list)");
    UserToggle toggle{matches.front(), matches.front().disabled == disabled};
    if (toggle.already) return toggle;
    const std::optional<std::int64_t> at =
        disabled ? std::optional<std::int64_t>(static_cast<std::int64_t>(now_ms_())) : std::nullopt;
    Status st = store_.transaction([&]() -> Status {
        if (auto s = store_.set_user_disabled(toggle.user.id, at); !s) return s;
        return disabled ? store_.revoke_user_devices(toggle.user.id) : Status(Ok{});
    });
    if (!st) return st.error();
    toggle.user.disabled = disabled;
    return toggle;
}

}  // namespace lb::server
