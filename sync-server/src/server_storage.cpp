// server_storage.cpp — opening the server database and its migrations (append new versions at
// the end; never edit a released one). Not here: queries (sqlite_sync_store.cpp).
#include "server_storage.h"

#include <sqlite3.h>

#include <sys/mman.h>

#include <atomic>
#include <system_error>
#include <vector>

namespace lb::server {
namespace {

std::atomic<std::int64_t> reserved_cache_pages{0};  // set once, by reserve_page_cache

const std::vector<storage::Migration>& server_migrations() {
    static const std::vector<storage::Migration> migrations = {
        {1, R"sql(
            CREATE TABLE server_meta (
                key   TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
        )sql"},
        // 2: the sync log. Ops are stored as received (canonical wire JSON, content sealed); the
        // routing columns decide who may pull each op; tickets holds metadata only.
        {2, R"sql(
            CREATE TABLE ops (
                seq            INTEGER PRIMARY KEY AUTOINCREMENT,  -- server_seq: never reused
                op_id          TEXT NOT NULL UNIQUE,
                entity         TEXT NOT NULL,
                entity_id      TEXT NOT NULL,
                body           TEXT NOT NULL,
                ticket_id      TEXT,                -- routing: the ticket it is about
                owner_id       TEXT,                -- routing: the user it belongs to
                internal       INTEGER NOT NULL DEFAULT 0,
                batch_id       TEXT NOT NULL,
                device_id      TEXT,                -- who pushed it (NULL: the server)
                received_at_ms INTEGER NOT NULL
            );
            CREATE INDEX ops_by_entity ON ops(entity, entity_id, seq);
            CREATE INDEX ops_by_ticket ON ops(ticket_id, seq) WHERE ticket_id IS NOT NULL;
            CREATE INDEX ops_by_owner ON ops(owner_id, seq) WHERE owner_id IS NOT NULL;
            CREATE TABLE tickets (
                ticket_id   TEXT PRIMARY KEY NOT NULL,
                number      INTEGER UNIQUE,
                requester   TEXT NOT NULL,
                status      TEXT NOT NULL,
                category    TEXT NOT NULL,
                impact      TEXT NOT NULL,
                urgency     TEXT NOT NULL,
                priority    TEXT NOT NULL,
                assignee    TEXT,
                team        TEXT NOT NULL,
                site        TEXT NOT NULL,
                deleted     INTEGER NOT NULL,
                updated_seq INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX tickets_by_requester ON tickets(requester);
            CREATE INDEX tickets_by_assignee ON tickets(assignee) WHERE assignee IS NOT NULL;
            CREATE TABLE invites (
                code_hash      TEXT PRIMARY KEY NOT NULL,
                role           TEXT NOT NULL,
                display_name   TEXT NOT NULL,
                created_at_ms  INTEGER NOT NULL,
                expires_at_ms  INTEGER NOT NULL,
                used_at_ms     INTEGER,
                used_by_device TEXT
            ) WITHOUT ROWID;
            CREATE TABLE users (
                user_id       TEXT PRIMARY KEY NOT NULL,
                role          TEXT NOT NULL,
                display_name  TEXT NOT NULL,
                public_key    TEXT NOT NULL DEFAULT '',
                created_at_ms INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE devices (
                device_id     TEXT PRIMARY KEY NOT NULL,
                user_id       TEXT NOT NULL REFERENCES users(user_id),
                token_hash    TEXT NOT NULL UNIQUE,
                revoked       INTEGER NOT NULL DEFAULT 0,
                created_at_ms INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE team_keys (
                seq           INTEGER PRIMARY KEY AUTOINCREMENT,  -- the greatest is current
                key_id        TEXT NOT NULL UNIQUE,
                public_key    TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL
            );
            CREATE TABLE team_key_wraps (
                key_id  TEXT NOT NULL,
                user_id TEXT NOT NULL,
                wrap    TEXT NOT NULL,
                PRIMARY KEY (key_id, user_id)
            ) WITHOUT ROWID;
        )sql"},
        // 3: triage and dispatch. The automation's own state per ticket (SLA start, the priority
        // whose targets apply, first response, escalation levels recorded — so an escalation fires
        // once per threshold, across restarts too —, when to look again, whether it waits in the
        // team queue), the technicians of the triage config as users, invites for such a user.
        {3, R"sql(
            CREATE TABLE ticket_sla (
                ticket_id            TEXT PRIMARY KEY NOT NULL,
                filed_at_ms          INTEGER NOT NULL,
                sla_priority         TEXT NOT NULL,
                first_response_ms    INTEGER,
                first_response_level INTEGER NOT NULL DEFAULT 0,
                resolution_level     INTEGER NOT NULL DEFAULT 0,
                next_check_ms        INTEGER,
                queued               INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE INDEX ticket_sla_next_check ON ticket_sla(next_check_ms) WHERE next_check_ms IS NOT NULL;
            CREATE INDEX ticket_sla_queued ON ticket_sla(filed_at_ms) WHERE queued = 1;
            CREATE TABLE roster_users (
                technician TEXT PRIMARY KEY NOT NULL,
                user_id    TEXT NOT NULL UNIQUE
            ) WITHOUT ROWID;
            ALTER TABLE invites ADD COLUMN user_id TEXT;
        )sql"},
        // 4: the knowledge base. kb_versions keeps every version of every article as served to
        // devices (its seq is the kb cursor; a retired article's last version is a tombstone);
        // kb_articles points at each article's current version. was_public: some version reached
        // everyone, so a later help-desk-only version reaches everyone as a tombstone. Deflections
        // ("this solved my problem") as devices report them: article, version and time only.
        {4, R"sql(
            CREATE TABLE kb_versions (
                seq            INTEGER PRIMARY KEY AUTOINCREMENT,  -- the kb cursor: never reused
                article_id     TEXT NOT NULL,
                version        INTEGER NOT NULL,
                retired        INTEGER NOT NULL,     -- 1: a tombstone (devices remove the article)
                restricted     INTEGER NOT NULL,     -- 1: the help desk only (audience)
                title          TEXT NOT NULL,
                audience       TEXT NOT NULL,
                body           TEXT NOT NULL,        -- the article's JSON as devices receive it
                imported_at_ms INTEGER NOT NULL,
                UNIQUE (article_id, version)
            );
            CREATE TABLE kb_articles (
                article_id TEXT PRIMARY KEY NOT NULL,
                seq        INTEGER NOT NULL UNIQUE REFERENCES kb_versions(seq),  -- the current version
                was_public INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE kb_deflections (
                deflection_id   TEXT PRIMARY KEY NOT NULL,  -- 32 hex, made on the device
                article_id      TEXT NOT NULL,
                article_version INTEGER NOT NULL,
                at_ms           INTEGER NOT NULL,           -- when the person chose "this solved my problem"
                received_at_ms  INTEGER NOT NULL,
                device_id       TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX kb_deflections_by_article ON kb_deflections(article_id, at_ms);
        )sql"},
        // 5: repeated enrolments. A device names its enrolment with an id of its own
        // (enrolment_id); what the first answer created is kept so that the same enrolment
        // repeated within the window (its answer was lost) answers the same user and device.
        // credential: 'invite:<code hash>' or 'guest:<name hash>' — never a code or a token.
        // reissued_tokens: hashes of the tokens such repeats issued, valid beside the device's
        // token until the device uses one of them, which then becomes devices.token_hash.
        {5, R"sql(
            CREATE TABLE enrolments (
                enrolment_id  TEXT PRIMARY KEY NOT NULL,  -- 32 hex, made on the device
                credential    TEXT NOT NULL,
                user_id       TEXT NOT NULL REFERENCES users(user_id),
                device_id     TEXT NOT NULL REFERENCES devices(device_id),
                node          TEXT NOT NULL,              -- the node id the first answer gave
                created_at_ms INTEGER NOT NULL,
                repeats       INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE TABLE reissued_tokens (
                seq          INTEGER PRIMARY KEY,
                token_hash   TEXT NOT NULL UNIQUE,
                device_id    TEXT NOT NULL REFERENCES devices(device_id),
                issued_at_ms INTEGER NOT NULL
            );
            CREATE INDEX reissued_tokens_by_device ON reissued_tokens(device_id, seq);
        )sql"},
        // 6: sealed envelopes. Each device's envelope key (its enrolment's public_key), and the
        // last envelope counter accepted per device key — raised before a request is acted on, so
        // a replayed or re-ordered old request is refused, after a restart too.
        {6, R"sql(
            ALTER TABLE devices ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
            CREATE TABLE envelope_counters (
                device_key   TEXT PRIMARY KEY NOT NULL,   -- base64url public key
                last_counter INTEGER NOT NULL
            ) WITHOUT ROWID;
        )sql"},
        // 7: user-key backups (issue #4): a user's secret key wrapped under their passphrase (kind
        // 'passphrase', found by sign-in name) or a guest's recovery secret (kind 'recovery', found
        // by the recovery id), so another device can sign in. verifier: a keyed hash of the login
        // proof (crypto/passphrase.h) — never a passphrase or a proof. failures / locked_until_ms:
        // wrong proofs in a row and the lock they earned. One backup of each kind per user.
        {7, R"sql(
            CREATE TABLE key_backups (
                lookup          TEXT PRIMARY KEY NOT NULL,  -- 'name:<sign-in name>' or 'recovery:<32 hex>'
                user_id         TEXT NOT NULL REFERENCES users(user_id),
                kind            TEXT NOT NULL,
                verifier        TEXT NOT NULL,
                wrap            TEXT NOT NULL,              -- base64url, 114 bytes
                updated_at_ms   INTEGER NOT NULL,
                failures        INTEGER NOT NULL DEFAULT 0,
                locked_until_ms INTEGER NOT NULL DEFAULT 0,
                UNIQUE (user_id, kind)
            ) WITHOUT ROWID;
        )sql"},
        // 8: op authors (issue #10). The node an op names is bound to the person whose device
        // first pushed it; an op from anyone else naming that node is refused (node_taken), so the
        // help desk's devices can say who made a change ("changed by Omar while you were
        // offline"). Filled from the ops already stored.
        {8, R"sql(
            CREATE TABLE op_nodes (
                node          TEXT PRIMARY KEY NOT NULL,  -- 16 hex, as in the op
                user_id       TEXT NOT NULL REFERENCES users(user_id),
                device_id     TEXT NOT NULL,
                first_seen_ms INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT OR IGNORE INTO op_nodes(node, user_id, device_id, first_seen_ms)
                SELECT json_extract(o.body, '$.node'), d.user_id, o.device_id, MIN(o.received_at_ms)
                FROM ops o JOIN devices d ON d.device_id = o.device_id
                WHERE o.device_id IS NOT NULL AND json_valid(o.body)
                GROUP BY json_extract(o.body, '$.node');
        )sql"},
        // 9: disabled users (`lifebuoy-server user disable`): NULL while the person may use the
        // help desk; else when they were disabled (their devices are revoked; no sign-in, no invite).
        {9, R"sql(
            ALTER TABLE users ADD COLUMN disabled_at_ms INTEGER;
            CREATE INDEX users_disabled ON users(user_id) WHERE disabled_at_ms IS NOT NULL;
        )sql"},
    };
    return migrations;
}

}  // namespace

Result<ServerStorage> ServerStorage::open(const std::filesystem::path& data_dir, std::int64_t now_ms) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return make_error("storage_open_failed", "cannot create data folder " + data_dir.string() + ": " + ec.message());
    std::filesystem::path path = data_dir / "lifebuoy.db";
    bool created = !std::filesystem::exists(path, ec);
    auto db = storage::Database::open(path.string());
    if (!db) return db.error();
    storage::Database& d = db.value();
    // temp_store=MEMORY: the statement journals of a push's savepoints stay in memory (in a file
    // they cost a pwrite per journalled page, the push's largest CPU cost). cache_size: see
    // kPageCacheBytes (SQLite's default is 2 MiB).
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                               "PRAGMA temp_store=MEMORY"}) {
        if (auto s = d.exec(pragma); !s) return s.error();
    }
    if (auto s = d.exec("PRAGMA cache_size=-" + std::to_string(kPageCacheBytes / 1024)); !s) return s.error();
    if (auto s = d.migrate(server_migrations()); !s) return s.error();
    if (auto s = d.exec("INSERT OR IGNORE INTO server_meta(key, value) VALUES ('created_at_ms', '" +
                        std::to_string(now_ms) + "')");
        !s)
        return s.error();
    auto version = d.schema_version();
    if (!version) return version.error();
    return ServerStorage(std::move(d), std::move(path), version.value(), created);
}

Status ServerStorage::reserve_page_cache() {
    int header_bytes = 0;
    if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &header_bytes) != SQLITE_OK)
        return make_error("storage_error", "SQLite has started already: the page cache is reserved before");
    const int slot_bytes = (kDatabasePageBytes + header_bytes + 7) / 8 * 8;
    const int slots = static_cast<int>(kPageCacheBytes / kDatabasePageBytes);
    const std::size_t bytes = static_cast<std::size_t>(slot_bytes) * static_cast<std::size_t>(slots);
    void* block = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) return make_error("storage_error", "no memory for the page cache");
    (void)madvise(block, bytes, MADV_HUGEPAGE);  // a hint: without huge pages, 4 KiB ones
    if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, block, slot_bytes, slots) != SQLITE_OK) {
        munmap(block, bytes);
        return make_error("storage_error", "SQLite has started already: the page cache is reserved before");
    }
    reserved_cache_pages = slots;
    return Ok{};  // kept for the life of the process, as SQLite requires
}

ServerStorage::PageCacheUse ServerStorage::page_cache_use() {
    PageCacheUse use;
    use.reserved = reserved_cache_pages.load();
    sqlite3_int64 now = 0, highest = 0;
    if (sqlite3_status64(SQLITE_STATUS_PAGECACHE_USED, &now, &highest, 0) == SQLITE_OK) use.reserved_used = now;
    if (sqlite3_status64(SQLITE_STATUS_PAGECACHE_OVERFLOW, &now, &highest, 0) == SQLITE_OK) use.overflow_bytes = now;
    return use;
}

Status ServerStorage::backup_to(const std::filesystem::path& file) {
    std::error_code ec;
    if (std::filesystem::exists(file, ec))
        return make_error("backup_exists", file.string() + " exists already: name a new file for the backup");
    auto stmt = db_.prepare("VACUUM INTO ?1");
    if (!stmt) return stmt.error();
    const std::string path = file.string();
    stmt.value().bind(1, std::string_view(path));
    return stmt.value().run();
}

}  // namespace lb::server
