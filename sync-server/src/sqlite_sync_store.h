// sqlite_sync_store.h — SyncStore on the server's SQLite database (server_storage.h: WAL,
// synchronous=FULL, schema by migrations). Ids are stored as lowercase hex text.
//
// Pull visibility for a user who is not on the help desk, as one query: ops about tickets the
// user requested (internal notes left out), plus ops about the user and their devices.
// The triage queries are in sqlite_triage_store.cpp, the knowledge base's in sqlite_kb_store.cpp,
// repeated enrolments' in sqlite_enrolment_store.cpp.
// Not here: opening the file or migrations (server_storage.h), deciding what is stored.
#pragma once

#include "lifebuoy/sqlite_database.h"
#include "sync_store.h"

namespace lb::server {

class SqliteSyncStore final : public SyncStore {
public:
    // The database must outlive the store and already carry schema version ≥ 5.
    explicit SqliteSyncStore(storage::Database& db) : db_(db) {}

    Status transaction(const std::function<Status()>& body) override;
    Status transaction_flushed_later(const std::function<Status()>& body) override;
    Status savepoint(const std::function<Status()>& body) override;
    Result<std::optional<std::string>> meta(std::string_view key) override;
    Status set_meta(std::string_view key, std::string_view value) override;

    Result<std::optional<StoredOp>> find_op(const OpId& id) override;
    Result<std::vector<Op>> entity_ops(EntityKind kind, const EntityId& id) override;
    Result<std::int64_t> append_op(const OpToStore& op) override;
    Result<std::int64_t> high_water() override;
    Result<PullPage> pull(const PullQuery& query) override;
    Result<std::int64_t> op_count() override;

    Status upsert_ticket(const TicketRow& row) override;
    Result<std::optional<TicketRow>> ticket(const EntityId& id) override;
    Result<std::vector<TicketExportRow>> export_tickets() override;
    Result<std::int64_t> next_ticket_number() override;

    Status add_invite(const InviteRow& row) override;
    Result<std::optional<InviteRow>> invite(std::string_view code_hash) override;
    Status mark_invite_used(std::string_view code_hash, std::int64_t now_ms, const EntityId& device) override;
    Status add_user(const UserRow& row, std::int64_t now_ms) override;
    Result<std::optional<UserRow>> user(const EntityId& id) override;
    Status add_device(const DeviceRow& row, std::string_view token_hash, std::int64_t now_ms) override;
    Result<std::optional<DeviceRow>> device_by_token(std::string_view token_hash) override;
    Result<std::uint64_t> envelope_counter(std::string_view device_key) override;
    Result<bool> raise_envelope_counter(std::string_view device_key, std::uint64_t counter) override;
    Result<std::optional<DeviceRow>> device(const EntityId& id) override;
    Result<std::int64_t> device_count() override;
    Result<std::optional<KeyBackupRow>> key_backup(std::string_view lookup) override;
    Status put_key_backup(const KeyBackupRow& row) override;
    Status set_key_backup_failures(std::string_view lookup, std::int64_t failures,
                                   std::int64_t locked_until_ms) override;

    // sqlite_enrolment_store.cpp
    Result<std::optional<EnrolmentRow>> enrolment(std::string_view enrolment_id) override;
    Status put_enrolment(const EnrolmentRow& row) override;
    Status count_enrolment_repeat(std::string_view enrolment_id) override;
    Status add_reissued_token(const EntityId& device, std::string_view token_hash, std::int64_t now_ms,
                              std::size_t keep) override;
    Result<std::optional<DeviceRow>> device_by_reissued_token(std::string_view token_hash) override;
    Result<bool> has_reissued_tokens(const EntityId& device) override;
    Status settle_device_token(const EntityId& device, std::string_view token_hash) override;

    Result<std::optional<TicketSlaRow>> ticket_sla(const EntityId& ticket) override;
    Status put_ticket_sla(const TicketSlaRow& row) override;
    Result<std::vector<EntityId>> sla_checks_due(std::int64_t now_ms, std::size_t limit) override;
    Result<std::vector<EntityId>> queued_tickets(std::size_t limit) override;
    Result<std::vector<AssignedCount>> open_assignments() override;
    Result<std::optional<EntityId>> roster_user(std::string_view technician) override;
    Status set_roster_user(std::string_view technician, const EntityId& user) override;

    Status set_user_public_key(const EntityId& user, std::string_view public_key) override;
    Result<std::optional<EntityId>> node_owner(NodeId node) override;
    Status bind_node(NodeId node, const EntityId& user, const EntityId& device, std::int64_t now_ms) override;
    Result<std::vector<NodeOwnerRow>> node_owners() override;
    Result<std::vector<UserRow>> users_with_keys() override;
    Result<std::vector<UserRow>> help_desk_users() override;
    Status set_user_role(const EntityId& user, Role role) override;
    Status revoke_user_devices(const EntityId& user) override;
    Result<std::vector<UserListing>> list_users() override;
    Status set_user_disabled(const EntityId& user, std::optional<std::int64_t> at_ms) override;
    Result<std::vector<EntityId>> disabled_users() override;
    Status revoke_device(const EntityId& device) override;
    Result<std::vector<DeviceSummaryRow>> device_summaries() override;
    Status add_team_key(const TeamKeyRow& row, std::int64_t now_ms) override;
    Result<std::vector<TeamKeyRow>> team_keys() override;
    Status put_team_key_wrap(const TeamKeyWrapRow& row) override;
    Result<std::vector<TeamKeyWrapRow>> team_key_wraps(const EntityId& user) override;
    Result<std::vector<TeamKeyWrapRow>> all_team_key_wraps() override;

    // sqlite_kb_store.cpp
    Result<std::vector<KbCurrentRow>> kb_current() override;
    Status kb_put_version(const KbVersionRow& row) override;
    Result<KbPullPage> kb_pull(const KbPullQuery& query) override;
    Result<std::int64_t> kb_live_count() override;
    Result<DeflectionStored> add_deflection(const DeflectionRow& row) override;
    Result<std::vector<DeflectionTally>> deflection_tallies() override;
    Result<std::int64_t> deflection_count() override;

private:
    storage::Database& db_;
};

}  // namespace lb::server
