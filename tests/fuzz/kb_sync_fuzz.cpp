// kb_sync_fuzz.cpp — libFuzzer target for the engine's decoders of the knowledge base's sync
// answers (engine/kb_sync.h): the article page of POST /api/v1/kb/pull and the answer of POST
// /api/v1/kb/deflections — bytes from the network, so untrusted.
// Checks, besides "no crash, no sanitizer report, no exception": every refusal is bad_response; an
// accepted page has a cursor ≥ 0 and only articles with a valid id and a version ≥ 1, whose
// non-retired ones pass the knowledge base's own article checks with no control characters in
// the title (the search's match markers); every decoded answer names a non-empty error code when
// it is a refusal. The first input byte picks the decoder.
// Seeds: tests/fuzz/corpus/kb_sync/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/kb_sync.h"
#include "lifebuoy/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    if (!lb::check_json_bounds(input, 1024 * 1024)) return 0;  // what the engine checks first
    const nlohmann::json body = nlohmann::json::parse(input.begin(), input.end(), nullptr, /*allow_exceptions=*/false);
    if (data[0] % 2 == 0) {
        auto page = lb::engine::decode_kb_page(body);
        if (!page) {
            if (page.error().code != "bad_response") __builtin_trap();
            return 0;
        }
        if (page.value().cursor < 0) __builtin_trap();
        for (const auto& item : page.value().articles) {
            if (!lb::engine::is_valid_kb_id(item.article.id) || item.article.version < 1) __builtin_trap();
            if (item.retired) continue;
            if (!lb::engine::validate_kb_article(item.article)) __builtin_trap();
            for (char c : item.article.title)
                if (static_cast<unsigned char>(c) < 0x20) __builtin_trap();
        }
    } else {
        auto answers = lb::engine::decode_deflection_answer(body);
        if (!answers) {
            if (answers.error().code != "bad_response") __builtin_trap();
            return 0;
        }
        for (const auto& a : answers.value())
            if (!a.stored && a.error_code.empty()) __builtin_trap();
    }
    return 0;
}
