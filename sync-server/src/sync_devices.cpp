// sync_devices.cpp — the admin's view of devices: listing them and signing one out
// (`lifebuoy-server list-devices`, `revoke-device`).
// Not here: signing a whole person out (remove_from_help_desk, sync_service.cpp), authentication
// (sync_enrolment.cpp), the command line (main.cpp).
#include <cctype>

#include "automation_context.h"
#include "lifebuoy/views.h"
#include "staged_changes.h"
#include "sync_service.h"

namespace lb::server {
namespace {

constexpr std::size_t kMinDeviceIdPrefix = 8;

bool is_lower_hex(std::string_view text) {
    for (char c : text) {
        if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

}  // namespace

Result<std::vector<DeviceListing>> SyncService::list_devices_locked() {
    auto rows = store_.device_summaries();
    if (!rows) return rows.error();
    std::vector<DeviceListing> out;
    out.reserve(rows.value().size());
    StagedChanges log(store_);  // read only: the devices' own ops (label, platform)
    for (const DeviceSummaryRow& row : rows.value()) {
        DeviceListing d;
        d.id = row.device.id;
        d.user = row.device.user;
        d.display_name = row.display_name;
        d.role = row.device.role;
        d.created_at_ms = row.created_at_ms;
        d.revoked = row.device.revoked;
        if (auto st = log.load(EntityKind::device, d.id); !st) return st.error();
        if (auto view = read_device(log.state(), d.id)) {
            d.label = view->label;
            d.platform = view->platform;
        }
        out.push_back(std::move(d));
    }
    return out;
}

Result<std::vector<DeviceListing>> SyncService::list_devices() {
    std::lock_guard lock(mutex_);
    return list_devices_locked();
}

Result<std::vector<TicketExportRow>> SyncService::export_tickets() {
    std::lock_guard lock(mutex_);
    return store_.export_tickets();
}

Result<RevokedDevice> SyncService::revoke_device(const std::string& device) {
    std::string wanted = device;
    for (char& c : wanted) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (wanted.size() < kMinDeviceIdPrefix || wanted.size() > 32 || !is_lower_hex(wanted))
        return make_error("bad_request",
                          "give the device id (32 hex digits, or its first 8 or more) as list-devices prints it");
    std::lock_guard lock(mutex_);
    auto all = list_devices_locked();
    if (!all) return all.error();
    std::vector<DeviceListing> matches;
    for (const DeviceListing& d : all.value())
        if (to_hex(d.id).rfind(wanted, 0) == 0) matches.push_back(d);
    if (matches.empty()) return make_error("not_found", "no device " + device + " on this help desk");
    if (matches.size() > 1)
        return make_error("ambiguous_id", "several devices start with " + device + ": give more of the id");
    RevokedDevice result{matches.front(), matches.front().revoked};
    if (result.already) return result;
    StagedChanges changes(store_);
    Status st = store_.transaction([&]() -> Status {
        if (auto s = store_.revoke_device(result.device.id); !s) return s;
        if (auto s = changes.load(EntityKind::device, result.device.id); !s) return s;
        if (!read_device(changes.state(), result.device.id)) return save_clock();  // not in the log: the row is all
        AutomationContext automation{changes, clock_, random_, system_actor(), now_ms_()};
        BatchBuilder builder = automation.builder();
        builder.set(EntityKind::device, result.device.id, Field::device_revoked, true);
        if (auto s = automation.commit(builder); !s) return s;
        return save_clock();
    });
    if (!st) return st.error();
    if (changes.last_seq() > 0) notifier_.publish(changes.last_seq(), changes.users_to_wake());
    result.device.revoked = true;
    return result;
}

}  // namespace lb::server
