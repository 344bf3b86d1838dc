// kb_commands.cpp — argument checking and JSON shaping for the knowledge-base commands.
#include "engine/kb_commands.h"

namespace lb::engine {

namespace {

using nlohmann::json;

commands::Response bad(const commands::Request& r, const std::string& why) {
    return commands::error_response(r.id, "bad_arguments", why);
}

commands::Response fail(const commands::Request& r, const Error& e) {
    return commands::error_response(r.id, e.code, e.message);
}

// Reads an optional string argument; false when present but not a string.
bool string_arg(const json& args, const char* name, std::string& out) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) return true;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
}

// Reads an optional limit in 1..kKbMaxLimit; false when present but invalid.
bool limit_arg(const json& args, std::size_t& out) {
    auto it = args.find("limit");
    if (it == args.end() || it->is_null()) return true;
    if (!it->is_number_integer()) return false;
    auto v = it->get<std::int64_t>();
    if (v < 1 || v > static_cast<std::int64_t>(kKbMaxLimit)) return false;
    out = static_cast<std::size_t>(v);
    return true;
}

json hits_json(const std::vector<KbHit>& hits) {
    json out = json::array();
    for (const KbHit& h : hits)
        out.push_back({{"id", h.id}, {"title", h.title}, {"title_marked", h.title_marked},
                       {"snippet", h.snippet}, {"category", h.category}, {"score", h.score}});
    return json{{"hits", std::move(out)}};
}

}  // namespace

bool is_kb_command(std::string_view cmd) {
    return cmd == "suggest" || cmd == "kb_search" || cmd == "kb_article" || cmd == "kb_categories" ||
           cmd == "record_deflection";
}

commands::Response handle_kb_command(KnowledgeBase& kb, const commands::Request& r, std::int64_t now_ms) {
    if (!is_kb_command(r.cmd))
        return commands::error_response(r.id, "unknown_command", "unknown command '" + r.cmd + "'");
    if (!r.args.is_object()) return bad(r, "args must be an object");
    const json& args = r.args;

    if (r.cmd == "suggest" || r.cmd == "kb_search") {
        bool suggest = r.cmd == "suggest";
        const char* text_name = suggest ? "text" : "query";
        auto it = args.find(text_name);
        if (suggest && (it == args.end() || !it->is_string())) return bad(r, "suggest needs a string 'text'");
        std::string text, category;
        if (!string_arg(args, text_name, text)) return bad(r, std::string("'") + text_name + "' must be a string");
        if (!string_arg(args, "category", category)) return bad(r, "'category' must be a string");
        std::size_t limit = suggest ? 5 : 20;
        if (!limit_arg(args, limit)) return bad(r, "'limit' must be an integer from 1 to 100");
        auto hits = suggest ? kb.suggest(text, limit) : kb.search(text, category, limit);
        if (!hits) return fail(r, hits.error());
        return commands::ok_response(r.id, hits_json(hits.value()));
    }
    if (r.cmd == "kb_article") {
        auto it = args.find("id");
        if (it == args.end() || !it->is_string()) return bad(r, "kb_article needs a string 'id'");
        auto a = kb.get(it->get<std::string>());
        if (!a) return fail(r, a.error());
        const KbArticle& v = a.value();
        return commands::ok_response(r.id, {{"id", v.id}, {"version", v.version}, {"title", v.title},
                                            {"tags", v.tags}, {"category", v.category},
                                            {"audience", v.audience}, {"markdown", v.body_markdown}});
    }
    if (r.cmd == "kb_categories") {
        auto names = kb.categories();
        if (!names) return fail(r, names.error());
        return commands::ok_response(r.id, {{"categories", names.value()}});
    }
    // record_deflection
    auto it = args.find("article_id");
    if (it == args.end() || !it->is_string()) return bad(r, "record_deflection needs a string 'article_id'");
    std::string title;
    if (!string_arg(args, "draft_title", title)) return bad(r, "'draft_title' must be a string");
    auto seq = kb.record_deflection(it->get<std::string>(), title, now_ms);
    if (!seq) return fail(r, seq.error());
    return commands::ok_response(r.id, {{"deflection", seq.value()}, {"at_ms", now_ms}});
}

}  // namespace lb::engine
