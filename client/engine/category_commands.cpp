// category_commands.cpp — the catalogue and the category suggestion for the New ticket form.
#include "engine/category_commands.h"

#include "lifebuoy/triage/categorize.h"

namespace lb::engine {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSuggestTextBytes = 64 * 1024;

std::string text_or_empty(const json& args, const char* name, bool& ok) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) return {};
    if (!it->is_string()) ok = false;
    return it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool is_category_command(std::string_view cmd) { return cmd == "categories" || cmd == "suggest_category"; }

commands::Response handle_category_command(const commands::Request& request, const triage::CategoryMatcher& matcher) {
    const triage::CategoryCatalogue& catalogue = matcher.catalogue();
    if (request.cmd == "categories") {
        json list = json::array();
        for (const triage::Category& c : catalogue.categories) list.push_back({{"id", c.id}, {"label", c.label}});
        return commands::ok_response(request.id, {{"categories", std::move(list)}, {"fallback", catalogue.fallback}});
    }
    if (request.cmd == "suggest_category") {
        bool ok = true;
        std::string title = text_or_empty(request.args, "title", ok);
        std::string description = text_or_empty(request.args, "description", ok);
        if (!ok) return commands::error_response(request.id, "bad_arguments", "title and description must be text");
        if (title.size() + description.size() > kMaxSuggestTextBytes)
            return commands::error_response(request.id, "bad_arguments", "the text is too long to categorise");
        triage::CategorySuggestion s = matcher.suggest(title, description);
        json matched = json::array();
        for (const triage::MatchedTerm& m : s.matched) matched.push_back(m.term);
        return commands::ok_response(request.id, {{"category", s.category}, {"label", s.label},
                                                  {"confidence", s.confidence}, {"matched", std::move(matched)},
                                                  {"runner_up", s.runner_up}});
    }
    return commands::error_response(request.id, "unknown_command", "not a category command");
}

}  // namespace lb::engine
