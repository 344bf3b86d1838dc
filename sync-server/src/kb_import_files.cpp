// kb_import_files.cpp — folder and bundle readers with file:line problem reports.
#include "kb_import_files.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace lb::server {
namespace {

Result<std::string> read_file(const std::filesystem::path& file, std::size_t max_bytes) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error("kb_unreadable", "cannot read " + file.string());
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_bytes) return make_error("kb_too_large", file.string() + " is too large");
    }
    return text;
}

// Parses one article; on failure appends "where:line: message (code)" to problems.
void parse_into(KbSource& source, const std::string& where, std::string_view id, std::string_view text) {
    std::size_t line = 1;
    auto article = engine::parse_kb_article(id, text, &line);
    if (!article) {
        source.problems.push_back(where + ":" + std::to_string(line) + ": " + article.error().message + " (" +
                                  article.error().code + ")");
        return;
    }
    source.articles.push_back(std::move(article.value()));
}

// Two files naming one id would silently overwrite each other: a problem of the second.
void check_duplicate_ids(KbSource& source, const std::vector<std::string>& where) {
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < source.articles.size(); ++i) {
        if (!seen.insert(source.articles[i].id).second)
            source.problems.push_back(where[i] + ":1: another file already has the id '" + source.articles[i].id +
                                      "' (kb_duplicate_id)");
    }
}

}  // namespace

Result<KbSource> read_kb_folder(const std::filesystem::path& folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        return make_error("kb_folder_missing", folder.string() + " is not a folder");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        if (entry.is_regular_file(ec) && entry.path().extension() == ".md") files.push_back(entry.path());
        if (files.size() > kMaxKbImportFiles)
            return make_error("kb_too_many_files", folder.string() + " has more than " +
                                                       std::to_string(kMaxKbImportFiles) + " articles");
    }
    if (ec) return make_error("kb_folder_missing", "cannot list " + folder.string() + ": " + ec.message());
    if (files.empty())
        return make_error("kb_folder_empty", folder.string() + " has no .md articles (importing it would retire every article)");
    std::sort(files.begin(), files.end());
    KbSource source;
    std::vector<std::string> where;
    for (const auto& file : files) {
        const std::string name = file.string();
        auto text = read_file(file, engine::kKbMaxArticleBytes + 1);  // one byte over: the parser names the limit
        if (!text) {
            source.problems.push_back(name + ":1: " + text.error().message + " (" + text.error().code + ")");
            continue;
        }
        const std::size_t before = source.articles.size();
        parse_into(source, name, file.stem().string(), text.value());
        if (source.articles.size() > before) where.push_back(name);
    }
    check_duplicate_ids(source, where);
    return source;
}

Result<KbSource> read_kb_bundle(const std::filesystem::path& articles_json) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(articles_json, ec))
        return make_error("kb_bundle_missing", articles_json.string() + " does not exist");
    auto text = read_file(articles_json, kMaxKbBundleBytes);
    if (!text) return make_error("kb_bundle_unreadable", text.error().message);
    auto list = nlohmann::json::parse(text.value(), nullptr, /*allow_exceptions=*/false);
    if (!list.is_array()) return make_error("kb_bundle_unreadable", articles_json.string() + " is not a JSON array");
    KbSource source;
    std::vector<std::string> where;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& item = list[i];
        std::string at = articles_json.string() + "[" + std::to_string(i) + "]";
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("text") ||
            !item["text"].is_string()) {
            source.problems.push_back(at + ":1: each entry needs an id and a text (kb_bundle_unreadable)");
            continue;
        }
        at += " " + item["id"].get<std::string>();
        const std::size_t before = source.articles.size();
        parse_into(source, at, item["id"].get_ref<const std::string&>(), item["text"].get_ref<const std::string&>());
        if (source.articles.size() > before) where.push_back(at);
    }
    check_duplicate_ids(source, where);
    return source;
}

}  // namespace lb::server
