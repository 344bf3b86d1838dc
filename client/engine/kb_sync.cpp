// kb_sync.cpp — decoding the server's article pages and deflection answers; the deflection outbox.
#include "engine/kb_sync.h"

#include <algorithm>

#include "lifebuoy/id128.h"

namespace lb::engine {

namespace {

using nlohmann::json;

Error bad_response(const std::string& why) { return make_error("bad_response", why); }

bool has_control_chars(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

Result<std::string> text(const json& j, const char* name, const std::string& at) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) return bad_response(at + "." + name + " must be a string");
    return it->get<std::string>();
}

Result<KbSyncedArticle> decode_article(const json& j, const std::string& at) {
    if (!j.is_object()) return bad_response(at + " is not an object");
    KbSyncedArticle item;
    auto id = text(j, "id", at);
    if (!id) return id.error();
    item.article.id = std::move(id.value());
    auto version = j.find("version");
    if (version == j.end() || !version->is_number_unsigned() || version->get<std::uint64_t>() < 1 ||
        version->get<std::uint64_t>() > (1ULL << 53))
        return bad_response(at + ".version must be a whole number ≥ 1");
    item.article.version = static_cast<std::int64_t>(version->get<std::uint64_t>());
    if (!is_valid_kb_id(item.article.id)) return bad_response(at + ".id is not an article id");
    if (auto retired = j.find("retired"); retired != j.end()) {
        if (!retired->is_boolean()) return bad_response(at + ".retired must be true or false");
        item.retired = retired->get<bool>();
    }
    if (item.retired) return item;
    for (auto [name, out] : {std::pair{"title", &item.article.title}, std::pair{"category", &item.article.category},
                             std::pair{"audience", &item.article.audience},
                             std::pair{"markdown", &item.article.body_markdown}}) {
        auto value = text(j, name, at);
        if (!value) return value.error();
        *out = std::move(value.value());
    }
    auto tags = j.find("tags");
    if (tags == j.end() || !tags->is_array() || tags->size() > kKbMaxTags)
        return bad_response(at + ".tags must be an array of at most " + std::to_string(kKbMaxTags) + " strings");
    for (const json& tag : *tags) {
        if (!tag.is_string()) return bad_response(at + ".tags must hold strings");
        item.article.tags.push_back(tag.get<std::string>());
    }
    // The search marks matches with control characters: none may come in through a title or tag.
    if (has_control_chars(item.article.title) || has_control_chars(item.article.category) ||
        std::any_of(item.article.tags.begin(), item.article.tags.end(), has_control_chars))
        return bad_response(at + " has control characters in its title, category or tags");
    if (auto valid = validate_kb_article(item.article); !valid) return bad_response(at + ": " + valid.error().message);
    return item;
}

}  // namespace

Result<KbPage> decode_kb_page(const json& body) {
    if (!body.is_object()) return bad_response("the article page is not an object");
    KbPage page;
    auto cursor = body.find("cursor");
    auto more = body.find("more");
    auto articles = body.find("articles");
    if (cursor == body.end() || !cursor->is_number_unsigned() || cursor->get<std::uint64_t>() > (1ULL << 53) ||
        more == body.end() || !more->is_boolean() || articles == body.end() || !articles->is_array())
        return bad_response("article page without cursor, more or articles");
    page.cursor = static_cast<std::int64_t>(cursor->get<std::uint64_t>());
    page.more = more->get<bool>();
    page.articles.reserve(std::min<std::size_t>(articles->size(), 4096));
    for (std::size_t i = 0; i < articles->size(); ++i) {
        auto item = decode_article((*articles)[i], "articles[" + std::to_string(i) + "]");
        if (!item) return item.error();
        page.articles.push_back(std::move(item.value()));
    }
    return page;
}

Result<std::vector<DeflectionToSend>> unsent_deflections(storage::Database& db, RandomSource& random,
                                                         std::size_t limit) {
    auto q = db.prepare(
        "SELECT seq, deflection_id, article_id, article_version, at_ms FROM kb_deflections "
        "WHERE synced_at_ms IS NULL ORDER BY seq LIMIT ?1");
    if (!q) return q.error();
    q.value().bind(1, static_cast<std::int64_t>(limit));
    std::vector<std::pair<std::int64_t, DeflectionToSend>> rows;
    for (;;) {
        auto row = q.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const storage::Statement& s = q.value();
        DeflectionToSend d;
        d.id = s.column_is_null(1) ? std::string() : s.column_text(1);
        d.article_id = s.column_text(2);
        d.article_version = s.column_int(3);
        d.at_ms = s.column_int(4);
        rows.emplace_back(s.column_int(0), std::move(d));
    }
    std::vector<DeflectionToSend> out;
    for (auto& [seq, d] : rows) {
        if (d.id.empty()) {
            d.id = to_hex(random_id128(random));
            auto give = db.prepare("UPDATE kb_deflections SET deflection_id = ?2 WHERE seq = ?1");
            if (!give) return give.error();
            give.value().bind(1, seq).bind(2, d.id);
            if (auto s = give.value().run(); !s) return s.error();
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::string deflection_push_body(const std::vector<DeflectionToSend>& deflections) {
    json list = json::array();
    for (const DeflectionToSend& d : deflections)
        list.push_back({{"id", d.id}, {"article_id", d.article_id}, {"article_version", d.article_version},
                        {"at_ms", d.at_ms}});
    return json{{"v", 1}, {"deflections", std::move(list)}}.dump();
}

Result<std::vector<DeflectionAnswer>> decode_deflection_answer(const json& body) {
    if (!body.is_object()) return bad_response("the deflection answer is not an object");
    auto results = body.find("results");
    if (results == body.end() || !results->is_array()) return bad_response("deflection answer without results");
    std::vector<DeflectionAnswer> out;
    for (const json& r : *results) {
        if (!r.is_object()) return bad_response("a deflection result is not an object");
        auto id = r.find("id");
        auto status = r.find("status");
        if (id == r.end() || !id->is_string() || status == r.end() || !status->is_string()) continue;  // not ours to mark
        DeflectionAnswer a;
        a.id = id->get<std::string>();
        const std::string& s = status->get_ref<const std::string&>();
        if (s == "accepted" || s == "duplicate") {
            a.stored = true;
        } else if (s == "rejected") {
            a.error_code = "rejected";
            if (auto e = r.find("error"); e != r.end() && e->is_object()) {
                if (auto code = e->find("code"); code != e->end() && code->is_string() && !code->get_ref<const std::string&>().empty())
                    a.error_code = code->get<std::string>();
            }
        } else {
            continue;  // an unknown status: left unsent, sent again
        }
        out.push_back(std::move(a));
    }
    return out;
}

Status mark_deflections_answered(storage::Database& db, const std::vector<std::string>& sent,
                                 const std::vector<DeflectionAnswer>& answers, std::int64_t now_ms) {
    for (const DeflectionAnswer& a : answers) {
        if (std::find(sent.begin(), sent.end(), a.id) == sent.end()) continue;
        auto q = db.prepare(
            "UPDATE kb_deflections SET synced_at_ms = ?2, sync_error = ?3 WHERE deflection_id = ?1 "
            "AND synced_at_ms IS NULL");
        if (!q) return q.error();
        q.value().bind(1, a.id).bind(2, now_ms);
        if (a.stored) q.value().bind_null(3);
        else q.value().bind(3, a.error_code);
        if (auto s = q.value().run(); !s) return s;
    }
    return Ok{};
}

Result<std::int64_t> unsent_deflection_count(storage::Database& db) {
    return db.query_int("SELECT count(*) FROM kb_deflections WHERE synced_at_ms IS NULL");
}

}  // namespace lb::engine
