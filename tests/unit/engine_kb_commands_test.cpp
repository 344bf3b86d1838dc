// engine_kb_commands_test.cpp — the knowledge-base commands: shapes of the replies, argument
// checking with typed errors, and "unknown_command" for anything else so the engine can chain.
#include <doctest/doctest.h>

#include "engine/kb_commands.h"

using nlohmann::json;
using lb::commands::Request;
using lb::engine::KnowledgeBase;

namespace {

struct Fixture {
    lb::storage::Database db;
    std::unique_ptr<KnowledgeBase> kb;
    Fixture() {
        db = std::move(lb::storage::Database::open(":memory:").value());
        kb = std::make_unique<KnowledgeBase>(std::move(KnowledgeBase::open(db).value()));
        lb::engine::KbArticle a;
        a.id = "vpn-keeps-disconnecting";
        a.title = "VPN keeps disconnecting";
        a.tags = {"vpn"};
        a.category = "Network";
        a.body_markdown = "Check the **Wi-Fi** under the VPN.";
        REQUIRE(kb->upsert(a).ok());
    }
    lb::commands::Response call(const std::string& cmd, json args) {
        Request r;
        r.id = 42;
        r.cmd = cmd;
        r.args = std::move(args);
        return lb::engine::handle_kb_command(*kb, r, 1'700'000'000'123);
    }
};

}  // namespace

TEST_CASE("kb commands: suggest, kb_search, kb_article and record_deflection answer their shapes") {
    Fixture f;
    auto s = f.call("suggest", {{"text", "vpn keeps disc"}});
    REQUIRE(s.ok);
    CHECK(s.id == 42);
    REQUIRE(s.result["hits"].size() == 1);
    CHECK(s.result["hits"][0]["id"] == "vpn-keeps-disconnecting");
    CHECK(s.result["hits"][0]["title_marked"] == "\x02VPN\x03 \x02keeps\x03 \x02" "disconnecting\x03");
    CHECK(s.result["hits"][0]["score"].get<double>() > 0);

    auto b = f.call("kb_search", {{"query", "wifi"}, {"category", "Network"}, {"limit", 10}});
    REQUIRE(b.ok);
    CHECK(b.result["hits"].size() == 1);
    auto none = f.call("kb_search", {{"query", "wifi"}, {"category", "Printing"}});
    REQUIRE(none.ok);
    CHECK(none.result["hits"].empty());

    auto a = f.call("kb_article", {{"id", "vpn-keeps-disconnecting"}});
    REQUIRE(a.ok);
    CHECK(a.result["version"] == 1);
    CHECK(a.result["markdown"] == "Check the **Wi-Fi** under the VPN.");
    CHECK(a.result["tags"] == json::array({"vpn"}));

    auto d = f.call("record_deflection", {{"article_id", "vpn-keeps-disconnecting"}, {"draft_title", "VPN drops"}});
    REQUIRE(d.ok);
    CHECK(d.result["deflection"] == 1);
    CHECK(d.result["at_ms"] == 1'700'000'000'123);
}

TEST_CASE("kb commands: kb_categories lists each category once, sorted, browsing with an empty query") {
    Fixture f;
    lb::engine::KbArticle printer;
    printer.id = "printer-offline";
    printer.title = "Printer shows offline";
    printer.category = "Printing";
    printer.body_markdown = "Turn it off and on.";
    REQUIRE(f.kb->upsert(printer).ok());
    lb::engine::KbArticle wifi = printer;
    wifi.id = "wifi-slow";
    wifi.title = "Wi-Fi is slow";
    wifi.category = "Network";
    REQUIRE(f.kb->upsert(wifi).ok());

    auto c = f.call("kb_categories", json::object());
    REQUIRE(c.ok);
    CHECK(c.result["categories"] == json::array({"Network", "Printing"}));

    auto network = f.call("kb_search", {{"query", ""}, {"category", "Network"}});
    REQUIRE(network.ok);
    REQUIRE(network.result["hits"].size() == 2);  // by title
    CHECK(network.result["hits"][0]["id"] == "vpn-keeps-disconnecting");
    CHECK(network.result["hits"][1]["id"] == "wifi-slow");
}

TEST_CASE("kb commands: bad arguments are typed errors") {
    Fixture f;
    auto code = [&](const std::string& cmd, json args) {
        auto r = f.call(cmd, std::move(args));
        CHECK_FALSE(r.ok);
        return r.error.code;
    };
    CHECK(code("suggest", json::object()) == "bad_arguments");
    CHECK(code("suggest", {{"text", 5}}) == "bad_arguments");
    CHECK(code("suggest", {{"text", "vpn"}, {"limit", 0}}) == "bad_arguments");
    CHECK(code("suggest", {{"text", "vpn"}, {"limit", 1000}}) == "bad_arguments");
    CHECK(code("suggest", {{"text", "vpn"}, {"limit", "5"}}) == "bad_arguments");
    CHECK(code("suggest", json::array()) == "bad_arguments");
    CHECK(code("kb_search", {{"query", true}}) == "bad_arguments");
    CHECK(code("kb_search", {{"query", "x"}, {"category", 1}}) == "bad_arguments");
    CHECK(code("kb_article", json::object()) == "bad_arguments");
    CHECK(code("kb_article", {{"id", "missing"}}) == "kb_article_not_found");
    CHECK(code("record_deflection", {{"draft_title", "x"}}) == "bad_arguments");
    CHECK(code("record_deflection", {{"article_id", "vpn-keeps-disconnecting"}, {"draft_title", 3}}) == "bad_arguments");
    CHECK(code("record_deflection", {{"article_id", "missing"}}) == "kb_article_not_found");
    CHECK(code("create_ticket", json::object()) == "unknown_command");
}
