// knowledge_base_sync.cpp — the two sources of articles: the app shell's bundled starter set and
// the server's versions and tombstones (rules in knowledge_base.h). Each call is one savepoint, so
// the caller's transaction (a pulled page with its kb cursor) lands all or nothing.
// Not here: JSON (kb_sync.h), storage primitives (knowledge_base.cpp).
#include "engine/knowledge_base.h"

namespace lb::engine {

namespace {

Status write_tombstone(storage::Database& db, std::string_view id, std::int64_t version) {
    auto q = db.prepare(
        "INSERT INTO kb_tombstones(id, version) VALUES (?1, ?2) "
        "ON CONFLICT(id) DO UPDATE SET version = max(version, excluded.version)");
    if (!q) return q.error();
    q.value().bind(1, id).bind(2, version);
    return q.value().run();
}

Status forget_tombstone(storage::Database& db, std::string_view id) {
    auto q = db.prepare("DELETE FROM kb_tombstones WHERE id = ?1");
    if (!q) return q.error();
    q.value().bind(1, id);
    return q.value().run();
}

}  // namespace

Result<std::optional<std::int64_t>> KnowledgeBase::retired_version(std::string_view id) {
    auto q = db_->prepare("SELECT version FROM kb_tombstones WHERE id = ?1");
    if (!q) return q.error();
    q.value().bind(1, id);
    auto row = q.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(q.value().column_int(0));
}

Result<KbApplied> KnowledgeBase::apply_bundled(const KbArticle& article) {
    if (auto v = validate_kb_article(article); !v) return v.error();
    const std::int64_t version = article.version > 0 ? article.version : 1;
    auto retired = retired_version(article.id);
    if (!retired) return retired.error();
    if (retired.value() && *retired.value() >= version) return KbApplied::kept;  // the server retired it
    auto stored = stored_version(article);
    if (!stored) return stored.error();
    const auto& have = stored.value();
    if (have && have->version > version) return KbApplied::kept;  // newer here
    if (have && have->version == version) {
        if (have->same_content) return KbApplied::unchanged;
        if (have->from_server) return KbApplied::kept;  // the server's content wins at one version
    }
    // New, older here, or the bundle's own earlier text (a new app shell fixed it): the bundle's.
    if (auto s = write_article(article, version, /*from_server=*/false, have ? have->doc : 0); !s) return s.error();
    return KbApplied::stored;
}

Result<KbApplied> KnowledgeBase::apply_synced(const KbSyncedArticle& item) {
    const KbArticle& a = item.article;
    if (!is_valid_kb_id(a.id) || a.version < 1)
        return make_error("kb_bad_article", "a synced article needs an id and a version ≥ 1");
    auto retired = retired_version(a.id);
    if (!retired) return retired.error();
    if (item.retired) {
        if (auto s = write_tombstone(*db_, a.id, a.version); !s) return s.error();
        auto stored = stored_version(a);
        if (!stored) return stored.error();
        if (!stored.value()) return retired.value() ? KbApplied::unchanged : KbApplied::stored;
        if (stored.value()->version > a.version) return KbApplied::kept;  // a newer bundled version
        if (auto s = remove(a.id); !s) return s.error();
        return KbApplied::stored;
    }
    if (retired.value() && *retired.value() >= a.version) return KbApplied::kept;  // an older page again
    if (auto v = validate_kb_article(a); !v) return v.error();
    auto stored = stored_version(a);
    if (!stored) return stored.error();
    const auto& have = stored.value();
    if (have && have->version > a.version) return KbApplied::kept;  // a newer bundled version stays
    if (retired.value()) {
        if (auto s = forget_tombstone(*db_, a.id); !s) return s.error();  // the article is back
    }
    if (have && have->version == a.version && have->same_content) {
        if (have->from_server) return KbApplied::unchanged;
        // The bundle's copy of this very version: now the server's (the bundle no longer overrides it).
        auto mark = db_->prepare("UPDATE kb_articles SET source = 'server' WHERE doc = ?1");
        if (!mark) return mark.error();
        mark.value().bind(1, have->doc);
        if (auto s = mark.value().run(); !s) return s.error();
        return KbApplied::unchanged;
    }
    if (auto s = write_article(a, a.version, /*from_server=*/true, have ? have->doc : 0); !s) return s.error();
    return KbApplied::stored;
}

}  // namespace lb::engine
