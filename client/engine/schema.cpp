// schema.cpp — migrations of the engine's local database.
//
//   1 engine_meta   2 drafts
//   3 sync: ops (every op this device holds, local or pulled), outbox (one row per user action
//     until the server answered it; rejected rows are kept with the reason), sync_state (one row:
//     cursor, node, device token, user, role, clock, pending enrolment, last sync)
//   4 sync_state.kb_cursor: where the knowledge base's pull of article changes resumes (stored in
//     the same transaction as the articles it applied; the KB's own tables: knowledge_base.cpp)
//   5 ticket_reads: per ticket, the latest activity by others this device has shown (the unread
//     marker); local to the device, never synced
//   6 device_keys: the device's keys (device_keys.h) — "device", "user", "team:<key id>"
//     (base64url key-pair blobs), "team_public" (the team's current public key), "server" (the
//     pinned server key)
//   7 sync_state.envelope_counter: the highest envelope counter reserved (never reused after a crash)
// Released versions are never edited: a change is a new, higher version.
#include "engine/schema.h"

namespace lb::engine {

const std::vector<Migration>& local_schema_migrations() {
    static const std::vector<Migration> migrations = {
        {1, R"sql(
            CREATE TABLE engine_meta (
                key   TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
        )sql"},
        {2, R"sql(
            CREATE TABLE drafts (
                form        TEXT PRIMARY KEY NOT NULL,   -- e.g. "new_ticket"
                fields      TEXT NOT NULL,               -- JSON object {name: text}
                saved_at_ms INTEGER NOT NULL
            ) WITHOUT ROWID;
        )sql"},
        {3, R"sql(
            CREATE TABLE ops (
                op_id         TEXT PRIMARY KEY NOT NULL,   -- 32 hex
                body          TEXT NOT NULL,               -- wire JSON of the op (with "v")
                server_seq    INTEGER,                     -- null until the server accepted it
                batch_id      TEXT,                        -- local ops: their outbox batch
                rejected      INTEGER NOT NULL DEFAULT 0,  -- 1: the server refused it (kept)
                error_code    TEXT,
                error_message TEXT
            );                                             -- rowid: arrival order
            CREATE INDEX ops_batch ON ops(batch_id) WHERE batch_id IS NOT NULL;
            CREATE TABLE outbox (
                seq           INTEGER PRIMARY KEY AUTOINCREMENT,  -- push order
                batch_id      TEXT NOT NULL UNIQUE,
                body          TEXT NOT NULL,               -- wire JSON of the batch
                ticket_id     TEXT NOT NULL,               -- the ticket the action concerned
                action        TEXT NOT NULL,               -- create_ticket, update_ticket, add_comment
                created_at_ms INTEGER NOT NULL,
                state         TEXT NOT NULL DEFAULT 'pending'
                              CHECK (state IN ('pending', 'accepted', 'rejected')),
                attempts      INTEGER NOT NULL DEFAULT 0,
                answered_at_ms INTEGER,
                error_code    TEXT,
                error_message TEXT
            );
            CREATE INDEX outbox_ticket ON outbox(ticket_id);
            CREATE TABLE sync_state (
                id             INTEGER PRIMARY KEY CHECK (id = 1),
                cursor         INTEGER NOT NULL DEFAULT 0,
                node           TEXT NOT NULL,              -- 16 hex, random, this device's clock
                local_user     TEXT NOT NULL,              -- 32 hex: who acts before enrolment
                device_token   TEXT,                       -- null until enrolled
                user_id        TEXT,                       -- 32 hex, from the server
                role           TEXT,                       -- from the server
                hlc            TEXT NOT NULL DEFAULT '0000000000000000',
                enroll_request TEXT,                       -- JSON body to send, null if none
                last_sync_ms   INTEGER,
                last_error     TEXT
            );
        )sql"},
        {4, R"sql(
            ALTER TABLE sync_state ADD COLUMN kb_cursor INTEGER NOT NULL DEFAULT 0;
        )sql"},
        {5, R"sql(
            CREATE TABLE ticket_reads (
                ticket_id TEXT PRIMARY KEY NOT NULL,   -- 32 hex
                seen_ms   INTEGER NOT NULL             -- the activity shown, in ms of its hlc
            ) WITHOUT ROWID;
        )sql"},
        {6, R"sql(
            CREATE TABLE device_keys (
                name  TEXT NOT NULL UNIQUE,   -- user, team:<32 hex>, team_public
                value TEXT NOT NULL           -- base64url key-pair blob, or public key text
            );                                -- rowid: the order keys arrived
        )sql"},
        {7, R"sql(
            ALTER TABLE sync_state ADD COLUMN envelope_counter INTEGER NOT NULL DEFAULT 0;
        )sql"},
    };
    return migrations;
}

}  // namespace lb::engine
