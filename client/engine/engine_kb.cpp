// engine_kb.cpp — the engine's knowledge-base glue: the kb_import command (the app shell's bundled
// starter set, the offline first-run seed), the kb commands (a new deflection makes the sync
// machine owe a push), and the sync machine's two knowledge-base steps: pull article changes from
// the kb cursor (applied with the new cursor in ONE transaction) and push unsent deflections.
// Not here: the rules of bundled vs synced versions (knowledge_base_sync.cpp), JSON (kb_sync.cpp),
// the machine's order and failures (engine_sync.cpp).
#include <algorithm>

#include "engine/engine.h"
#include "engine/kb_article.h"
#include "engine/kb_commands.h"
#include "engine/kb_sync.h"

namespace lb::engine {

using nlohmann::json;

commands::Response Engine::kb_import(const commands::Request& request) {
    auto fail = [&](const Error& e) { return commands::error_response(request.id, e.code, e.message); };
    auto list = request.args.find("articles");
    if (list == request.args.end() || !list->is_array())
        return commands::error_response(request.id, "bad_arguments", "articles must be an array");
    std::vector<KbArticle> articles;
    for (const json& item : *list) {
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("text") ||
            !item["text"].is_string())
            return commands::error_response(request.id, "bad_arguments", "each article needs an id and a text");
        auto article = parse_kb_article(item["id"].get<std::string>(), item["text"].get<std::string>());
        if (!article) {
            return commands::error_response(request.id, article.error().code,
                                            item["id"].get<std::string>() + ": " + article.error().message);
        }
        articles.push_back(std::move(article.value()));
    }
    std::size_t imported = 0, unchanged = 0, kept = 0;
    {
        auto tx = Transaction::begin(db_);
        if (!tx) return fail(tx.error());
        for (const KbArticle& a : articles) {
            auto applied = kb_->apply_bundled(a);
            if (!applied) return fail(applied.error());
            switch (applied.value()) {
                case KbApplied::stored: ++imported; break;
                case KbApplied::unchanged: ++unchanged; break;
                case KbApplied::kept: ++kept; break;
            }
        }
        if (auto s = tx.value().commit(); !s) return fail(s.error());
    }
    if (imported > 0) {
        if (auto s = kb_->optimize(); !s) return fail(s.error());
    }
    return commands::ok_response(request.id, {{"imported", imported}, {"unchanged", unchanged}, {"kept", kept}});
}

commands::Response Engine::kb_command(const commands::Request& request) {
    const std::int64_t now = env_.now_ms();
    commands::Response response = handle_kb_command(*kb_, request, now);
    if (request.cmd == "record_deflection" && response.ok) {
        deflections_owed_ = true;
        if (failures_ == 0) due_at_ms_ = std::min(due_at_ms_, now);  // send soon, but keep a backoff
    }
    return response;
}

// After the op pull: the article pull while the server has more, then the deflection push while
// there is something to send. nullopt: both done for this round.
std::optional<SyncRequest> Engine::next_kb_request(std::int64_t now_ms) {
    SyncRequest request;
    request.method = "POST";
    request.bearer = sync_.device_token;
    if (kb_pull_more_) {
        request.step = SyncStep::kb_pull;
        request.path = "/api/v1/kb/pull";
        request.cursor = sync_.kb_cursor;
        request.body = json{{"cursor", sync_.kb_cursor}, {"max_articles", kSyncKbMaxArticles}}.dump();
        return request;
    }
    if (!deflections_owed_) return std::nullopt;
    std::vector<DeflectionToSend> unsent;
    {
        auto tx = Transaction::begin(db_);  // ids made now are stored before the first send
        if (!tx) { sync_failed(tx.error().code, tx.error().message, now_ms); return std::nullopt; }
        auto rows = unsent_deflections(db_, *random_, kSyncDeflectionsPerPush);
        if (!rows) { sync_failed(rows.error().code, rows.error().message, now_ms); return std::nullopt; }
        if (auto s = tx.value().commit(); !s) { sync_failed(s.error().code, s.error().message, now_ms); return std::nullopt; }
        unsent = std::move(rows.value());
    }
    if (unsent.empty()) {
        deflections_owed_ = false;
        return std::nullopt;
    }
    request.step = SyncStep::deflections;
    request.path = "/api/v1/kb/deflections";
    request.body = deflection_push_body(unsent);
    for (const DeflectionToSend& d : unsent) request.batch_ids.push_back(d.id);
    return request;
}

Status Engine::on_kb_pull_response(const json& body) {
    auto page = decode_kb_page(body);
    if (!page) return page.error();
    bool changed = false;
    SyncState next = sync_;
    {
        auto tx = Transaction::begin(db_);
        if (!tx) return tx.error();
        for (const KbSyncedArticle& item : page.value().articles) {
            auto applied = kb_->apply_synced(item);
            if (!applied) {
                if (applied.error().code == "kb_bad_article") return make_error("bad_response", applied.error().message);
                return applied.error();
            }
            if (applied.value() == KbApplied::stored) changed = true;
        }
        next.kb_cursor = std::max(next.kb_cursor, page.value().cursor);
        if (auto s = save_sync_state(db_, next); !s) return s;
        if (auto s = tx.value().commit(); !s) return s;
    }
    sync_ = std::move(next);
    kb_pull_more_ = page.value().more;
    if (changed) {
        if (!kb_pull_more_) (void)kb_->optimize();  // merging index segments is an optimisation only
        emit("kb_changed");
    }
    return Ok{};
}

Status Engine::on_deflections_response(const SyncRequest& request, const json& body, std::int64_t now_ms) {
    auto answers = decode_deflection_answer(body);
    if (!answers) return answers.error();
    {
        auto tx = Transaction::begin(db_);
        if (!tx) return tx.error();
        if (auto s = mark_deflections_answered(db_, request.batch_ids, answers.value(), now_ms); !s) return s;
        if (auto s = tx.value().commit(); !s) return s;
    }
    // More to send only if this answer moved something (else the next round tries again).
    deflections_owed_ = std::any_of(answers.value().begin(), answers.value().end(), [&](const DeflectionAnswer& a) {
        return std::find(request.batch_ids.begin(), request.batch_ids.end(), a.id) != request.batch_ids.end();
    });
    return Ok{};
}

}  // namespace lb::engine
