// knowledge_base.cpp — schema, article storage and versions, deflections.
// The search side (query analysis, ranking, snippets) is in kb_search.cpp.
#include "engine/knowledge_base.h"

#include "engine/kb_rank.h"
#include "engine/kb_snippet.h"
#include "lifebuoy/utf8.h"

namespace lb::engine {

namespace {

constexpr const char* kSchemaSql = R"sql(
    CREATE TABLE IF NOT EXISTS kb_articles (
        doc      INTEGER PRIMARY KEY,          -- FTS5 rowid
        id       TEXT NOT NULL UNIQUE,
        version  INTEGER NOT NULL,
        title    TEXT NOT NULL,
        tags     TEXT NOT NULL,                -- tags joined by "\n" (indexed)
        category TEXT NOT NULL,
        audience TEXT NOT NULL,
        body     TEXT NOT NULL,                -- plain text of the Markdown (indexed, snippets)
        markdown TEXT NOT NULL,
        source   TEXT NOT NULL DEFAULT 'bundle'  -- 'bundle' (the app shell) or 'server' (synced)
    );
    CREATE TABLE IF NOT EXISTS kb_tombstones (    -- articles the server retired, and at which version
        id      TEXT PRIMARY KEY NOT NULL,
        version INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS kb_articles_category ON kb_articles(category);
    CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(
        title, tags, body, content='kb_articles', content_rowid='doc',
        tokenize='porter unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row');
    CREATE TRIGGER IF NOT EXISTS kb_articles_ai AFTER INSERT ON kb_articles BEGIN
        INSERT INTO kb_fts(rowid, title, tags, body) VALUES (new.doc, new.title, new.tags, new.body);
    END;
    CREATE TRIGGER IF NOT EXISTS kb_articles_ad AFTER DELETE ON kb_articles BEGIN
        INSERT INTO kb_fts(kb_fts, rowid, title, tags, body)
            VALUES ('delete', old.doc, old.title, old.tags, old.body);
    END;
    CREATE TRIGGER IF NOT EXISTS kb_articles_au AFTER UPDATE OF title, tags, body ON kb_articles BEGIN
        INSERT INTO kb_fts(kb_fts, rowid, title, tags, body)
            VALUES ('delete', old.doc, old.title, old.tags, old.body);
        INSERT INTO kb_fts(rowid, title, tags, body) VALUES (new.doc, new.title, new.tags, new.body);
    END;
    CREATE TABLE IF NOT EXISTS kb_deflections (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id      TEXT NOT NULL,
        article_version INTEGER NOT NULL,
        draft_title     TEXT NOT NULL,
        at_ms           INTEGER NOT NULL,
        synced_at_ms    INTEGER,               -- NULL until the server has answered for it
        deflection_id   TEXT,                  -- 32 hex, made on the device before its first send
        sync_error      TEXT                   -- the server refused it: its code (kept, not resent)
    );
)sql";

// Columns added after the first release of the tables above: (table, column, declaration).
constexpr const char* kAddedColumns[][3] = {
    {"kb_articles", "source", "TEXT NOT NULL DEFAULT 'bundle'"},
    {"kb_deflections", "deflection_id", "TEXT"},
    {"kb_deflections", "sync_error", "TEXT"},
};

std::string join_tags(const std::vector<std::string>& tags) {
    std::string out;
    for (const std::string& t : tags) {
        if (!out.empty()) out += '\n';
        out += t;
    }
    return out;
}

std::vector<std::string> split_tags(const std::string& joined) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < joined.size()) {
        std::size_t nl = joined.find('\n', start);
        if (nl == std::string::npos) nl = joined.size();
        if (nl > start) out.push_back(joined.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

}  // namespace

Status validate_kb_article(const KbArticle& a) {
    auto bad = [](const std::string& why) { return make_error("kb_bad_article", why); };
    if (!is_valid_kb_id(a.id)) return bad("article id must be 1-200 characters of [a-z0-9._-]");
    if (a.version < 0) return bad("version must not be negative");
    if (a.title.empty() || a.title.size() > kKbMaxTitleBytes) return bad("title must be 1-200 bytes");
    if (a.body_markdown.size() > kKbMaxArticleBytes) return bad("body is larger than 256 KiB");
    if (a.tags.size() > kKbMaxTags) return bad("too many tags");
    for (const std::string& t : a.tags)
        if (t.size() > kKbMaxTagBytes || t.find('\n') != std::string::npos || !is_valid_utf8(t))
            return bad("bad tag");
    for (const std::string* s : {&a.title, &a.category, &a.audience, &a.body_markdown})
        if (!is_valid_utf8(*s)) return bad("text is not valid UTF-8");
    return Ok{};
}

namespace {

// Runs `body` inside a savepoint: released on success, rolled back on error.
template <typename T, typename F>
Result<T> in_savepoint(storage::Database& db, F&& body) {
    if (auto s = db.exec("SAVEPOINT kb_write"); !s) return s.error();
    Result<T> r = body();
    if (!r) {
        (void)db.exec("ROLLBACK TO kb_write");
        (void)db.exec("RELEASE kb_write");
        return r;
    }
    if (auto s = db.exec("RELEASE kb_write"); !s) return s.error();
    return r;
}

}  // namespace

Status KnowledgeBase::ensure_schema(storage::Database& db) {
    if (auto s = db.exec(kSchemaSql); !s) return s;
    for (const auto& added : kAddedColumns) {  // a database made by an older engine
        auto present = db.query_int(std::string("SELECT count(*) FROM pragma_table_info('") + added[0] +
                                    "') WHERE name = '" + added[1] + "'");
        if (!present) return present.error();
        if (present.value() == 0) {
            if (auto s = db.exec(std::string("ALTER TABLE ") + added[0] + " ADD COLUMN " + added[1] + " " + added[2]); !s)
                return s;
        }
    }
    return Ok{};
}

Result<KnowledgeBase> KnowledgeBase::open(storage::Database& db, KbTuning tuning) {
    if (auto s = ensure_schema(db); !s) return s.error();
    if (auto s = kb_register_rank_function(db); !s) return s.error();
    if (auto s = kb_register_snippet_function(db); !s) return s.error();
    auto tokenizer = KbTokenizer::create(db);
    if (!tokenizer) return tokenizer.error();
    return KnowledgeBase(db, std::move(tokenizer.value()), tuning);
}

Result<std::int64_t> KnowledgeBase::upsert_one(const KbArticle& a) {
    if (auto v = validate_kb_article(a); !v) return v.error();
    std::string tags = join_tags(a.tags);
    auto find = db_->prepare(
        "SELECT doc, version, title, tags, category, audience, markdown FROM kb_articles WHERE id = ?1");
    if (!find) return find.error();
    find.value().bind(1, a.id);
    auto row = find.value().step();
    if (!row) return row.error();

    std::int64_t version = a.version > 0 ? a.version : 1;
    std::int64_t doc = 0;
    if (row.value()) {
        const storage::Statement& s = find.value();
        doc = s.column_int(0);
        std::int64_t stored = s.column_int(1);
        bool same = s.column_text(2) == a.title && s.column_text(3) == tags && s.column_text(4) == a.category &&
                    s.column_text(5) == a.audience && s.column_text(6) == a.body_markdown;
        if (same && a.version <= stored) return stored;  // nothing new
        if (a.version == 0) version = stored + 1;
        else if (a.version <= stored)
            return make_error("kb_stale_version", "article '" + a.id + "' version " + std::to_string(a.version) +
                                                      " is not newer than the stored version " + std::to_string(stored));
    }
    const char* sql = doc != 0
        ? "UPDATE kb_articles SET version=?2, title=?3, tags=?4, category=?5, audience=?6, body=?7, markdown=?8 "
          "WHERE doc=?9"
        : "INSERT INTO kb_articles (id, version, title, tags, category, audience, body, markdown) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    auto write = db_->prepare(sql);
    if (!write) return write.error();
    storage::Statement& w = write.value();
    if (doc == 0) w.bind(1, a.id);
    w.bind(2, version).bind(3, a.title).bind(4, tags).bind(5, a.category).bind(6, a.audience);
    w.bind(7, markdown_to_plain_text(a.body_markdown)).bind(8, a.body_markdown);
    if (doc != 0) w.bind(9, doc);
    if (auto s = w.run(); !s) return s.error();
    vocab_.loaded = false;
    return version;
}

Result<std::optional<KnowledgeBase::StoredVersion>> KnowledgeBase::stored_version(const KbArticle& a) {
    auto find = db_->prepare(
        "SELECT doc, version, source, title, tags, category, audience, markdown FROM kb_articles WHERE id = ?1");
    if (!find) return find.error();
    find.value().bind(1, a.id);
    auto row = find.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<StoredVersion>{};
    const storage::Statement& s = find.value();
    StoredVersion v;
    v.doc = s.column_int(0);
    v.version = s.column_int(1);
    v.from_server = s.column_text(2) == "server";
    v.same_content = s.column_text(3) == a.title && s.column_text(4) == join_tags(a.tags) &&
                     s.column_text(5) == a.category && s.column_text(6) == a.audience &&
                     s.column_text(7) == a.body_markdown;
    return std::optional<StoredVersion>(v);
}

Status KnowledgeBase::write_article(const KbArticle& a, std::int64_t version, bool from_server, std::int64_t doc) {
    if (auto v = validate_kb_article(a); !v) return v;
    const char* sql = doc != 0
        ? "UPDATE kb_articles SET version=?2, title=?3, tags=?4, category=?5, audience=?6, body=?7, markdown=?8, "
          "source=?10 WHERE doc=?9"
        : "INSERT INTO kb_articles (id, version, title, tags, category, audience, body, markdown, source) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10)";
    auto write = db_->prepare(sql);
    if (!write) return write.error();
    storage::Statement& w = write.value();
    if (doc == 0) w.bind(1, a.id);
    else w.bind(9, doc);
    w.bind(2, version).bind(3, a.title).bind(4, join_tags(a.tags)).bind(5, a.category).bind(6, a.audience);
    w.bind(7, markdown_to_plain_text(a.body_markdown)).bind(8, a.body_markdown);
    w.bind(10, std::string_view(from_server ? "server" : "bundle"));
    if (auto s = w.run(); !s) return s;
    vocab_.loaded = false;
    return Ok{};
}

Result<std::int64_t> KnowledgeBase::upsert(const KbArticle& article) {
    return in_savepoint<std::int64_t>(*db_, [&] { return upsert_one(article); });
}

Status KnowledgeBase::upsert_all(const std::vector<KbArticle>& articles) {
    return in_savepoint<Ok>(*db_, [&]() -> Status {
        for (const KbArticle& a : articles)
            if (auto r = upsert_one(a); !r) return r.error();
        return Ok{};
    });
}

Status KnowledgeBase::remove(std::string_view id) {
    auto del = db_->prepare("DELETE FROM kb_articles WHERE id = ?1");
    if (!del) return del.error();
    del.value().bind(1, id);
    if (auto s = del.value().run(); !s) return s;
    auto changed = db_->query_int("SELECT changes()");
    if (!changed) return changed.error();
    if (changed.value() == 0) return make_error("kb_article_not_found", "no article '" + std::string(id) + "'");
    vocab_.loaded = false;
    return Ok{};
}

Result<KbArticle> KnowledgeBase::get(std::string_view id) {
    auto q = db_->prepare(
        "SELECT id, version, title, tags, category, audience, markdown FROM kb_articles WHERE id = ?1");
    if (!q) return q.error();
    q.value().bind(1, id);
    auto row = q.value().step();
    if (!row) return row.error();
    if (!row.value()) return make_error("kb_article_not_found", "no article '" + std::string(id) + "'");
    const storage::Statement& s = q.value();
    KbArticle a;
    a.id = s.column_text(0);
    a.version = s.column_int(1);
    a.title = s.column_text(2);
    a.tags = split_tags(s.column_text(3));
    a.category = s.column_text(4);
    a.audience = s.column_text(5);
    a.body_markdown = s.column_text(6);
    return a;
}

Result<std::int64_t> KnowledgeBase::count() { return db_->query_int("SELECT count(*) FROM kb_articles"); }

Result<std::vector<std::string>> KnowledgeBase::categories() {
    auto q = db_->prepare("SELECT DISTINCT category FROM kb_articles WHERE category <> '' ORDER BY category");
    if (!q) return q.error();
    std::vector<std::string> out;
    for (;;) {
        auto row = q.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        out.push_back(q.value().column_text(0));
    }
    return out;
}

Result<std::int64_t> KnowledgeBase::record_deflection(std::string_view article_id, std::string_view draft_title,
                                                      std::int64_t at_ms) {
    if (draft_title.size() > kKbMaxDraftTitleBytes || !is_valid_utf8(draft_title))
        return make_error("bad_arguments", "draft_title must be valid UTF-8 of at most 1000 bytes");
    auto q = db_->prepare(
        "INSERT INTO kb_deflections (article_id, article_version, draft_title, at_ms) "
        "SELECT id, version, ?2, ?3 FROM kb_articles WHERE id = ?1");
    if (!q) return q.error();
    q.value().bind(1, article_id).bind(2, draft_title).bind(3, at_ms);
    if (auto s = q.value().run(); !s) return s.error();
    auto changed = db_->query_int("SELECT changes()");
    if (!changed) return changed.error();
    if (changed.value() == 0)
        return make_error("kb_article_not_found", "no article '" + std::string(article_id) + "'");
    return db_->query_int("SELECT last_insert_rowid()");
}

Status KnowledgeBase::optimize() { return db_->exec("INSERT INTO kb_fts(kb_fts) VALUES ('optimize')"); }

}  // namespace lb::engine
