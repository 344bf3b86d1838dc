// engine_kb_article_test.cpp — the KB article parser (front matter + Markdown) and the
// Markdown-to-plain-text conversion: valid files, each typed error, odd but legal input.
#include <doctest/doctest.h>

#include <string>

#include "engine/kb_article.h"

using lb::engine::markdown_to_plain_text;
using lb::engine::parse_kb_article;

namespace {

std::string error_of(std::string_view text, std::string_view id = "some-article") {
    auto r = parse_kb_article(id, text);
    return r ? std::string("ok") : r.error().code;
}

}  // namespace

TEST_CASE("kb parser: a complete article with a flow tag list") {
    auto r = parse_kb_article("vpn-keeps-disconnecting",
                              "---\ntitle: VPN keeps disconnecting\ntags: [vpn, \"remote access\", drops]\n"
                              "category: Network and VPN\naudience: everyone\n---\n\n# Heading\n\nBody text.\n");
    REQUIRE(r.ok());
    const auto& a = r.value();
    CHECK(a.id == "vpn-keeps-disconnecting");
    CHECK(a.title == "VPN keeps disconnecting");
    CHECK(a.tags == std::vector<std::string>{"vpn", "remote access", "drops"});
    CHECK(a.category == "Network and VPN");
    CHECK(a.audience == "everyone");
    CHECK(a.version == 0);
    CHECK(a.body_markdown == "# Heading\n\nBody text.");
}

TEST_CASE("kb parser: block tag list, quotes, comments, CRLF, BOM, explicit id and version") {
    auto r = parse_kb_article("file-stem",
                              "\xEF\xBB\xBF---\r\n# a comment\r\ntitle: \"Lost phone: what now\"\r\ntags:\r\n"
                              "  - mfa\r\n  - 'lost phone'\r\nid: lost-phone\r\nversion: 7\r\n---\r\nBody\r\n");
    REQUIRE(r.ok());
    CHECK(r.value().title == "Lost phone: what now");
    CHECK(r.value().tags == std::vector<std::string>{"mfa", "lost phone"});
    CHECK(r.value().id == "lost-phone");
    CHECK(r.value().version == 7);
    CHECK(r.value().audience == "everyone");  // default
}

TEST_CASE("kb parser: every malformed file gets its own typed error") {
    CHECK(error_of("") == "kb_missing_front_matter");
    CHECK(error_of("title: x\n---\nbody") == "kb_missing_front_matter");
    CHECK(error_of("---\ntitle: x\ncategory: y\n") == "kb_unterminated_front_matter");
    CHECK(error_of("---\ntitle x\n---\nbody") == "kb_bad_front_matter_line");
    CHECK(error_of("---\ntitle: x\nauthor: me\n---\nbody") == "kb_unknown_field");
    CHECK(error_of("---\ntitle: x\ntitle: y\n---\nbody") == "kb_duplicate_field");
    CHECK(error_of("---\ncategory: c\n---\nbody") == "kb_missing_title");
    CHECK(error_of("---\ntitle: \"  \"\n---\nbody") == "kb_missing_title");
    CHECK(error_of("---\ntitle: x\n---\n  \n\n") == "kb_empty_body");
    CHECK(error_of("---\ntitle: \"x\n---\nbody") == "kb_bad_value");
    CHECK(error_of("---\ntitle: x\nversion: -1\n---\nbody") == "kb_bad_value");
    CHECK(error_of("---\ntitle: x\nversion: 1e3\n---\nbody") == "kb_bad_value");
    CHECK(error_of("---\ntitle: x\ntags: [a, b\n---\nbody") == "kb_bad_value");
    CHECK(error_of("---\ntitle: x\n---\nbody", "Bad Id!") == "kb_bad_id");
    CHECK(error_of("---\ntitle: x\nid: UPPER\n---\nbody") == "kb_bad_id");
    CHECK(error_of("---\ntitle: \xC3\x28\n---\nbody") == "kb_invalid_utf8");
    CHECK(error_of("---\ntitle: " + std::string(201, 'x') + "\n---\nbody") == "kb_bad_value");
    CHECK(error_of("---\ntitle: x\n---\n" + std::string(lb::engine::kKbMaxArticleBytes, 'a')) == "kb_too_large");
    std::string many_tags = "---\ntitle: x\ntags: [";
    for (int i = 0; i < 40; ++i) many_tags += "t" + std::to_string(i) + ",";
    CHECK(error_of(many_tags + "]\n---\nbody") == "kb_bad_value");
}

TEST_CASE("kb parser: never crashes on truncations of a valid file") {
    std::string text = "---\ntitle: \"Quoted: title\"\ntags:\n  - a\n  - b\nversion: 3\n---\n# H\n\n- item [link](http://x)\n";
    for (std::size_t n = 0; n <= text.size(); ++n) (void)parse_kb_article("t", text.substr(0, n));
    CHECK(parse_kb_article("t", text).ok());
}

TEST_CASE("markdown to plain text: markup removed, words kept") {
    CHECK(markdown_to_plain_text("# Reset your **password**\n\nUse the *self-service* page.") ==
          "Reset your password\nUse the self-service page.");
    CHECK(markdown_to_plain_text("See [the portal](https://portal.example.com) and ![a router](r.png).") ==
          "See the portal and a router.");
    CHECK(markdown_to_plain_text("1. First\n2. Second\n- bullet\n> quoted") == "First\nSecond\nbullet\nquoted");
    CHECK(markdown_to_plain_text("Run `outlook.exe /safe` now") == "Run outlook.exe /safe now");
    CHECK(markdown_to_plain_text("```\nError 0x80070005\n```") == "Error 0x80070005");
    CHECK(markdown_to_plain_text("| a | b |\n|---|---|\n| c | d |") == "a   b\nc   d");
    CHECK(markdown_to_plain_text("keep snake_case but _drop_ emphasis") == "keep snake_case but drop emphasis");
    CHECK(markdown_to_plain_text("line one\nline two") == "line one line two");
    CHECK(markdown_to_plain_text("a <br/> b \x02x\x03") == "a   b x");
    CHECK(markdown_to_plain_text("") == "");
}
