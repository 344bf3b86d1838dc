// kb_catalog.cpp — audience rule, article JSON, and the import transaction (versions, tombstones).
#include "kb_catalog.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace lb::server {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

KbVersionRow version_row(const engine::KbArticle& a, std::int64_t version, std::int64_t now_ms) {
    KbVersionRow row;
    row.article_id = a.id;
    row.version = version;
    row.restricted = kb_audience_is_help_desk_only(a.audience);
    row.title = a.title;
    row.audience = a.audience;
    row.body = kb_article_json(a, version);
    row.imported_at_ms = now_ms;
    return row;
}

}  // namespace

bool kb_audience_is_help_desk_only(std::string_view audience) {
    static const std::set<std::string, std::less<>> kHelpDesk = {
        "technicians", "technician", "help desk", "helpdesk", "help-desk", "service desk", "internal"};
    return kHelpDesk.count(lowercase(audience)) > 0;
}

std::string kb_article_json(const engine::KbArticle& a, std::int64_t version) {
    return dump(json{{"id", a.id},         {"version", version},         {"title", a.title},
                     {"tags", a.tags},     {"category", a.category},     {"audience", a.audience},
                     {"markdown", a.body_markdown}});
}

std::string kb_tombstone_json(std::string_view article_id, std::int64_t version) {
    return dump(json{{"id", article_id}, {"version", version}, {"retired", true}});
}

std::string KbImportSummary::line() const {
    return "added " + std::to_string(added) + ", updated " + std::to_string(updated) + ", retired " +
           std::to_string(retired) + ", unchanged " + std::to_string(unchanged);
}

Result<KbImportSummary> import_kb_articles(SyncStore& store, const std::vector<engine::KbArticle>& articles,
                                           std::int64_t now_ms, bool retire_missing) {
    std::set<std::string, std::less<>> ids;
    for (const engine::KbArticle& a : articles) {
        if (!engine::is_valid_kb_id(a.id) || a.title.empty())
            return make_error("kb_bad_article", "article '" + a.id + "' has no valid id or title");
        if (!ids.insert(a.id).second) return make_error("kb_duplicate_id", "two articles have the id '" + a.id + "'");
    }
    KbImportSummary summary;
    Status done = store.transaction([&]() -> Status {
        auto current = store.kb_current();
        if (!current) return current.error();
        std::map<std::string, const KbCurrentRow*, std::less<>> by_id;
        for (const KbCurrentRow& row : current.value()) by_id[row.current.article_id] = &row;

        std::vector<const engine::KbArticle*> sorted;
        for (const engine::KbArticle& a : articles) sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(), [](const auto* x, const auto* y) { return x->id < y->id; });
        for (const engine::KbArticle* a : sorted) {
            auto found = by_id.find(a->id);
            if (found == by_id.end()) {
                const std::int64_t version = std::max<std::int64_t>(1, a->version);
                if (auto s = store.kb_put_version(version_row(*a, version, now_ms)); !s) return s;
                ++summary.added;
                summary.changes.push_back("added " + a->id + " v" + std::to_string(version));
                continue;
            }
            const KbVersionRow& have = found->second->current;
            const bool same = !have.retired && have.body == kb_article_json(*a, have.version);
            if (same && a->version <= have.version) {
                ++summary.unchanged;
                continue;
            }
            const std::int64_t version = std::max(have.version + 1, a->version);
            if (auto s = store.kb_put_version(version_row(*a, version, now_ms)); !s) return s;
            ++(have.retired ? summary.added : summary.updated);
            summary.changes.push_back(std::string(have.retired ? "restored " : "updated ") + a->id + " v" +
                                      std::to_string(have.version) + " → v" + std::to_string(version));
        }
        if (!retire_missing) return Ok{};
        for (const KbCurrentRow& row : current.value()) {
            const KbVersionRow& have = row.current;
            if (have.retired || ids.count(have.article_id) > 0) continue;
            KbVersionRow tombstone;
            tombstone.article_id = have.article_id;
            tombstone.version = have.version + 1;
            tombstone.retired = true;
            tombstone.restricted = have.restricted;
            tombstone.title = have.title;
            tombstone.audience = have.audience;
            tombstone.body = kb_tombstone_json(have.article_id, tombstone.version);
            tombstone.imported_at_ms = now_ms;
            if (auto s = store.kb_put_version(tombstone); !s) return s;
            ++summary.retired;
            summary.changes.push_back("retired " + have.article_id + " (tombstone v" +
                                      std::to_string(tombstone.version) + ")");
        }
        return Ok{};
    });
    if (!done) return done.error();
    return summary;
}

}  // namespace lb::server
