// kb_api_codec.cpp — bounded decoding of the knowledge-base endpoints' requests.
// Not here: anything with state (this file is compiled into the api_request fuzz target).
#include "kb_api_codec.h"

namespace lb::server {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxWholeNumber = 1ULL << 53;  // exact in every JSON reader

Error invalid_kb_request(std::string message) { return make_error("bad_request", std::move(message)); }

bool is_lower_hex_32(const std::string& s) {
    if (s.size() != 32) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool is_kb_id(const std::string& s) {
    if (s.empty() || s.size() > kMaxKbArticleIdBytes) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

Status optional_kb_count(const json& body, const char* name, std::optional<std::size_t>& out) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return Ok{};
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 || it->get<std::uint64_t>() > (1ULL << 40))
        return invalid_kb_request(std::string(name) + ": must be a positive whole number");
    out = static_cast<std::size_t>(it->get<std::uint64_t>());
    return Ok{};
}

Result<std::int64_t> whole_number(const json& item, const char* name, const std::string& at, std::uint64_t min) {
    auto it = item.find(name);
    if (it == item.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() < min ||
        it->get<std::uint64_t>() > kMaxWholeNumber)
        return invalid_kb_request(at + "." + name + ": must be a whole number ≥ " + std::to_string(min));
    return static_cast<std::int64_t>(it->get<std::uint64_t>());
}

Result<DeflectionEvent> parse_deflection(const json& item, const std::string& at) {
    if (!item.is_object()) return invalid_kb_request(at + ": must be an object");
    DeflectionEvent d;
    auto id = item.find("id");
    if (id == item.end() || !id->is_string() || !is_lower_hex_32(id->get_ref<const std::string&>()))
        return make_error("bad_id", at + ".id: 32 lowercase hex digits");
    d.id = id->get<std::string>();
    auto article = item.find("article_id");
    if (article == item.end() || !article->is_string() || !is_kb_id(article->get_ref<const std::string&>()))
        return make_error("bad_id", at + ".article_id: an article id, 1-200 characters of [a-z0-9._-]");
    d.article_id = article->get<std::string>();
    auto version = whole_number(item, "article_version", at, 1);
    if (!version) return version.error();
    d.article_version = version.value();
    auto at_ms = whole_number(item, "at_ms", at, 0);
    if (!at_ms) return at_ms.error();
    d.at_ms = at_ms.value();
    return d;
}

}  // namespace

Result<KbPullRequest> parse_kb_pull_request(const json& body) {
    KbPullRequest r;
    auto cursor = body.find("cursor");
    if (cursor != body.end() && !cursor->is_null()) {
        if (!cursor->is_number_unsigned() || cursor->get<std::uint64_t>() > kMaxWholeNumber)
            return invalid_kb_request("cursor: must be a whole number ≥ 0");
        r.cursor = static_cast<std::int64_t>(cursor->get<std::uint64_t>());
    }
    if (auto s = optional_kb_count(body, "max_articles", r.max_articles); !s) return s.error();
    if (auto s = optional_kb_count(body, "max_bytes", r.max_bytes); !s) return s.error();
    return r;
}

Result<DeflectionPush> parse_deflection_push(const json& body) {
    auto v = body.find("v");
    if (v == body.end() || !v->is_number_integer() || v->get<std::int64_t>() != 1)
        return make_error("unsupported_version", "v: this server speaks version 1");
    auto list = body.find("deflections");
    if (list == body.end() || !list->is_array()) return invalid_kb_request("deflections: must be an array");
    if (list->empty()) return invalid_kb_request("deflections: empty");
    if (list->size() > kMaxDeflectionsPerPush)
        return make_error("too_many_deflections",
                          "deflections: at most " + std::to_string(kMaxDeflectionsPerPush) + " per push");
    DeflectionPush r;
    r.deflections.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& item = (*list)[i];
        auto parsed = parse_deflection(item, "deflections[" + std::to_string(i) + "]");
        std::string id;  // a refused entry still names its id when it can, so the device can match it
        if (parsed) {
            id = parsed.value().id;
        } else if (item.is_object()) {
            auto it = item.find("id");
            if (it != item.end() && it->is_string() && is_lower_hex_32(it->get_ref<const std::string&>()))
                id = it->get<std::string>();
        }
        r.ids.push_back(std::move(id));
        r.deflections.push_back(std::move(parsed));
    }
    return r;
}

}  // namespace lb::server
