// sqlite_kb_store.cpp — SyncStore's knowledge-base queries on SQLite: versioned articles (the
// kb_versions log, kb_articles pointing at each current version), the paged pull with the
// audience rule, deflections. Schema: migration 4 in server_storage.cpp.
#include <algorithm>

#include "kb_catalog.h"
#include "sqlite_store_helpers.h"
#include "sqlite_sync_store.h"

namespace lb::server {

using namespace sqlite_store;

namespace {

constexpr const char* kCurrentColumns =
    "v.article_id, v.version, v.retired, v.restricted, v.title, v.audience, v.body, v.imported_at_ms, a.seq, "
    "a.was_public";

KbCurrentRow read_current(const storage::Statement& s) {
    KbCurrentRow row;
    row.current.article_id = s.column_text(0);
    row.current.version = s.column_int(1);
    row.current.retired = s.column_int(2) != 0;
    row.current.restricted = s.column_int(3) != 0;
    row.current.title = s.column_text(4);
    row.current.audience = s.column_text(5);
    row.current.body = s.column_text(6);
    row.current.imported_at_ms = s.column_int(7);
    row.seq = s.column_int(8);
    row.was_public = s.column_int(9) != 0;
    return row;
}

}  // namespace

Result<std::vector<KbCurrentRow>> SqliteSyncStore::kb_current() {
    auto s = query(db_,
                   std::string("SELECT ") + kCurrentColumns +
                       " FROM kb_articles a JOIN kb_versions v ON v.seq = a.seq ORDER BY v.article_id",
                   {});
    if (!s) return s.error();
    std::vector<KbCurrentRow> rows;
    if (auto st = each_row(s.value(), [&](const storage::Statement& r) -> Status {
            rows.push_back(read_current(r));
            return Ok{};
        });
        !st)
        return st.error();
    return rows;
}

Status SqliteSyncStore::kb_put_version(const KbVersionRow& r) {
    auto seq = single_int(db_,
                          "INSERT INTO kb_versions(article_id, version, retired, restricted, title, audience, body, "
                          "imported_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING seq",
                          {std::string_view(r.article_id), r.version, std::int64_t{r.retired ? 1 : 0},
                           std::int64_t{r.restricted ? 1 : 0}, std::string_view(r.title), std::string_view(r.audience),
                           std::string_view(r.body), r.imported_at_ms});
    if (!seq) return seq.error();
    const std::int64_t public_now = !r.retired && !r.restricted ? 1 : 0;
    return run(db_,
               "INSERT INTO kb_articles(article_id, seq, was_public) VALUES (?1, ?2, ?3) "
               "ON CONFLICT(article_id) DO UPDATE SET seq = excluded.seq, "
               "was_public = max(kb_articles.was_public, excluded.was_public)",
               {std::string_view(r.article_id), seq.value(), public_now});
}

Result<KbPullPage> SqliteSyncStore::kb_pull(const KbPullQuery& q) {
    auto top = single_int(db_, "SELECT ifnull(max(seq), 0) FROM kb_articles", {});
    if (!top) return top.error();
    const auto limit = static_cast<std::int64_t>(q.max_articles) + 1;  // one more: another page?
    auto s = query(db_,
                   "SELECT a.seq, v.body, v.restricted, v.article_id, v.version FROM kb_articles a "
                   "JOIN kb_versions v ON v.seq = a.seq WHERE a.seq > ?1 "
                   "AND (?3 = 1 OR v.restricted = 0 OR a.was_public = 1) ORDER BY a.seq LIMIT ?2",
                   {q.after_seq, limit, std::int64_t{q.help_desk ? 1 : 0}});
    if (!s) return s.error();
    KbPullPage page;
    page.cursor = q.after_seq;
    std::size_t bytes = 0;
    for (;;) {
        auto row = s.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const storage::Statement& r = s.value();
        // A help-desk-only version reaches everyone else as a tombstone: they had a public one.
        std::string body = q.help_desk || r.column_int(2) == 0 ? r.column_text(1)
                                                               : kb_tombstone_json(r.column_text(3), r.column_int(4));
        if (page.bodies.size() >= q.max_articles || (!page.bodies.empty() && bytes + body.size() > q.max_bytes)) {
            page.more = true;
            break;
        }
        bytes += body.size();
        page.cursor = r.column_int(0);
        page.bodies.push_back(std::move(body));
    }
    if (!page.more && top.value() > page.cursor) page.cursor = top.value();
    return page;
}

Result<std::int64_t> SqliteSyncStore::kb_live_count() {
    return single_int(db_, "SELECT count(*) FROM kb_articles a JOIN kb_versions v ON v.seq = a.seq WHERE v.retired = 0",
                      {});
}

Result<DeflectionStored> SqliteSyncStore::add_deflection(const DeflectionRow& r) {
    auto have = first_row(db_, "SELECT article_id, article_version, at_ms FROM kb_deflections WHERE deflection_id = ?1",
                          {std::string_view(r.deflection_id)});
    if (!have) return have.error();
    if (have.value()) {
        const storage::Statement& s = *have.value();
        const bool same = s.column_text(0) == r.article_id && s.column_int(1) == r.article_version && s.column_int(2) == r.at_ms;
        return same ? DeflectionStored::duplicate : DeflectionStored::conflict;
    }
    const std::string device = to_hex(r.device);
    auto st = run(db_,
                  "INSERT INTO kb_deflections(deflection_id, article_id, article_version, at_ms, received_at_ms, "
                  "device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  {std::string_view(r.deflection_id), std::string_view(r.article_id), r.article_version, r.at_ms,
                   r.received_at_ms, std::string_view(device)});
    if (!st) return st.error();
    return DeflectionStored::added;
}

Result<std::vector<DeflectionTally>> SqliteSyncStore::deflection_tallies() {
    auto s = query(db_,
                   "SELECT d.article_id, d.article_version, ifnull(v.title, ''), count(*), max(d.at_ms) "
                   "FROM kb_deflections d LEFT JOIN kb_versions v "
                   "ON v.article_id = d.article_id AND v.version = d.article_version "
                   "GROUP BY d.article_id, d.article_version ORDER BY count(*) DESC, d.article_id, d.article_version",
                   {});
    if (!s) return s.error();
    std::vector<DeflectionTally> rows;
    if (auto st = each_row(s.value(), [&](const storage::Statement& r) -> Status {
            rows.push_back(DeflectionTally{r.column_text(0), r.column_int(1), r.column_text(2), r.column_int(3),
                                           r.column_int(4)});
            return Ok{};
        });
        !st)
        return st.error();
    return rows;
}

Result<std::int64_t> SqliteSyncStore::deflection_count() {
    return single_int(db_, "SELECT count(*) FROM kb_deflections", {});
}

}  // namespace lb::server
