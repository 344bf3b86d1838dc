// sqlite_enrolment_store.cpp — SyncStore's queries for enrolment on SQLite: the enrolments a
// device named with its own enrolment_id, and the tokens their repeats issued (migration 5; only
// hashes of tokens are stored, as for devices.token_hash); user-key backups for signing in on
// another device (migration 7; a verifier of the proof, never the proof).
// Not here: deciding whether a request is a repeat (sync_enrolment.cpp), the schema.
#include "sqlite_store_helpers.h"
#include "sqlite_sync_store.h"

namespace lb::server {

using namespace sqlite_store;

Result<std::optional<EnrolmentRow>> SqliteSyncStore::enrolment(std::string_view enrolment_id) {
    auto s = first_row(db_,
                       "SELECT credential, user_id, device_id, node, created_at_ms, repeats FROM enrolments "
                       "WHERE enrolment_id = ?1", {enrolment_id});
    if (!s) return s.error();
    if (!s.value()) return std::optional<EnrolmentRow>{};
    const storage::Statement& st = *s.value();
    auto user = id_column(st, 1);
    auto device = id_column(st, 2);
    auto node = node_from_hex(st.column_text(3));
    if (!user || !device || !node) return corrupt("enrolment " + std::string(enrolment_id));
    return std::optional<EnrolmentRow>(EnrolmentRow{std::string(enrolment_id), st.column_text(0), user.value(),
                                                    device.value(), *node, st.column_int(4), st.column_int(5)});
}

Status SqliteSyncStore::put_enrolment(const EnrolmentRow& r) {
    const std::string user = to_hex(r.user), device = to_hex(r.device), node = node_to_hex(r.node);
    return run(db_,
               "INSERT INTO enrolments(enrolment_id, credential, user_id, device_id, node, created_at_ms, repeats) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(enrolment_id) DO UPDATE SET "
               "credential = excluded.credential, user_id = excluded.user_id, device_id = excluded.device_id, "
               "node = excluded.node, created_at_ms = excluded.created_at_ms, repeats = excluded.repeats",
               {std::string_view(r.enrolment_id), std::string_view(r.credential), std::string_view(user),
                std::string_view(device), std::string_view(node), r.created_at_ms, r.repeats});
}

Status SqliteSyncStore::count_enrolment_repeat(std::string_view enrolment_id) {
    return run(db_, "UPDATE enrolments SET repeats = repeats + 1 WHERE enrolment_id = ?1", {enrolment_id});
}

Status SqliteSyncStore::add_reissued_token(const EntityId& device, std::string_view token_hash, std::int64_t now_ms,
                                           std::size_t keep) {
    const std::string hex = to_hex(device);
    if (auto s = run(db_, "INSERT INTO reissued_tokens(token_hash, device_id, issued_at_ms) VALUES (?1, ?2, ?3)",
                     {token_hash, std::string_view(hex), now_ms});
        !s)
        return s;
    return run(db_,
               "DELETE FROM reissued_tokens WHERE device_id = ?1 AND seq NOT IN "
               "(SELECT seq FROM reissued_tokens WHERE device_id = ?1 ORDER BY seq DESC LIMIT ?2)",
               {std::string_view(hex), static_cast<std::int64_t>(keep)});
}

Result<std::optional<DeviceRow>> SqliteSyncStore::device_by_reissued_token(std::string_view token_hash) {
    auto s = first_row(db_,
                       "SELECT d.device_id, d.user_id, u.role, d.revoked, d.public_key FROM reissued_tokens r "
                       "JOIN devices d ON d.device_id = r.device_id JOIN users u ON u.user_id = d.user_id "
                       "WHERE r.token_hash = ?1", {token_hash});
    if (!s) return s.error();
    if (!s.value()) return std::optional<DeviceRow>{};
    const storage::Statement& st = *s.value();
    auto device = id_column(st, 0);
    auto user = id_column(st, 1);
    if (!device || !user) return corrupt("reissued token");
    return std::optional<DeviceRow>(DeviceRow{device.value(), user.value(), role_from_name(st.column_text(2)),
                                              st.column_int(3) != 0, st.column_text(4)});
}

Result<bool> SqliteSyncStore::has_reissued_tokens(const EntityId& device) {
    const std::string hex = to_hex(device);
    auto n = single_int(db_, "SELECT EXISTS(SELECT 1 FROM reissued_tokens WHERE device_id = ?1)",
                        {std::string_view(hex)});
    if (!n) return n.error();
    return n.value() != 0;
}

Status SqliteSyncStore::settle_device_token(const EntityId& device, std::string_view token_hash) {
    const std::string hex = to_hex(device);
    // The other reissued tokens go; the device's previous token stops working with the UPDATE.
    if (auto s = run(db_, "DELETE FROM reissued_tokens WHERE device_id = ?1", {std::string_view(hex)}); !s) return s;
    return run(db_, "UPDATE devices SET token_hash = ?2 WHERE device_id = ?1", {std::string_view(hex), token_hash});
}

Result<std::optional<KeyBackupRow>> SqliteSyncStore::key_backup(std::string_view lookup) {
    auto s = first_row(db_,
                       "SELECT user_id, kind, verifier, wrap, updated_at_ms, failures, locked_until_ms "
                       "FROM key_backups WHERE lookup = ?1", {lookup});
    if (!s) return s.error();
    if (!s.value()) return std::optional<KeyBackupRow>{};
    const storage::Statement& st = *s.value();
    auto user = id_column(st, 0);
    if (!user) return corrupt("key backup " + std::string(lookup));
    return std::optional<KeyBackupRow>(KeyBackupRow{std::string(lookup), user.value(), st.column_text(1),
                                                    st.column_text(2), st.column_text(3), st.column_int(4),
                                                    st.column_int(5), st.column_int(6)});
}

Status SqliteSyncStore::put_key_backup(const KeyBackupRow& r) {
    const std::string user = to_hex(r.user);
    if (auto s = run(db_, "DELETE FROM key_backups WHERE user_id = ?1 AND kind = ?2",
                     {std::string_view(user), std::string_view(r.kind)}); !s)
        return s;
    return run(db_,
               "INSERT INTO key_backups(lookup, user_id, kind, verifier, wrap, updated_at_ms, failures, "
               "locked_until_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0)",
               {std::string_view(r.lookup), std::string_view(user), std::string_view(r.kind),
                std::string_view(r.verifier), std::string_view(r.wrap), r.updated_at_ms});
}

Status SqliteSyncStore::set_key_backup_failures(std::string_view lookup, std::int64_t failures,
                                                std::int64_t locked_until_ms) {
    return run(db_, "UPDATE key_backups SET failures = ?2, locked_until_ms = ?3 WHERE lookup = ?1",
               {lookup, failures, locked_until_ms});
}

}  // namespace lb::server
