// kb_admin.cpp — console text of `lifebuoy-server kb …` and the demo's starter import.
#include "kb_admin.h"

#include <cstdio>

#include "kb_import_files.h"
#include "utc_text.h"

namespace lb::server {
namespace {

Result<std::string> import_source(SyncService& service, const KbSource& source, bool retire_missing) {
    if (!source.problems.empty()) {
        std::string message = std::to_string(source.problems.size()) + " article file(s) have problems; nothing was imported:";
        for (const std::string& p : source.problems) message += "\n" + p;
        return make_error("kb_invalid_files", std::move(message));
    }
    auto summary = service.import_kb(source.articles, retire_missing);
    if (!summary) return summary.error();
    std::string out;
    for (const std::string& change : summary.value().changes) out += "  " + change + "\n";
    out += summary.value().line() + "\n";
    return out;
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

}  // namespace

Result<std::string> kb_import_command(SyncService& service, const std::filesystem::path& folder) {
    auto source = read_kb_folder(folder);
    if (!source) return source.error();
    return import_source(service, source.value(), /*retire_missing=*/true);
}

Result<std::string> import_starter_kb(SyncService& service, const std::filesystem::path& web_root) {
    auto source = read_kb_bundle(web_root / "kb" / "articles.json");
    if (!source) {
        if (source.error().code == "kb_bundle_missing") return std::string();
        return source.error();
    }
    return import_source(service, source.value(), /*retire_missing=*/false);
}

Result<std::string> kb_list_command(SyncService& service) {
    auto rows = service.kb_articles();
    if (!rows) return rows.error();
    std::string out;
    std::size_t live = 0;
    for (const KbCurrentRow& row : rows.value()) {
        const KbVersionRow& v = row.current;
        if (!v.retired) ++live;
        out += pad(v.article_id, 34) + " " + pad("v" + std::to_string(v.version), 5) + " " +
               pad(v.retired ? "retired" : (v.restricted ? "help desk only" : "everyone"), 14) + " " +
               pad(v.audience, 12) + " " + (v.retired ? "" : v.title) + "\n";
    }
    out += std::to_string(live) + " article(s) published, " + std::to_string(rows.value().size() - live) + " retired\n";
    return out;
}

Result<std::string> kb_deflections_command(SyncService& service) {
    auto rows = service.deflection_tallies();
    if (!rows) return rows.error();
    std::string out;
    std::int64_t total = 0;
    for (const DeflectionTally& t : rows.value()) {
        total += t.deflections;
        out += pad(std::to_string(t.deflections), 6) + " " + pad(t.article_id, 34) + " " +
               pad("v" + std::to_string(t.article_version), 5) + " last " + utc_minute(t.last_at_ms) + " UTC  " +
               (t.title.empty() ? "(an article this server never had)" : t.title) + "\n";
    }
    out += std::to_string(total) + " deflection(s): problems solved by an article instead of a ticket\n";
    return out;
}

}  // namespace lb::server
