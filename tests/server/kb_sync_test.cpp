// kb_sync_test.cpp — the server's knowledge base over the real SQLite store: import versioning
// (added, unchanged keeps its version, changed +1, missing retired as a tombstone, restored),
// validation errors as file:line with nothing changed, the paged pull for every enrolled role with
// the audience rule (help-desk-only articles for technicians; a public article that becomes
// help-desk-only reaches guests as a tombstone), deflections stored once by id and counted, the
// admin text, the starter set from the web bundle, and the request decoders.
// Not here: HTTP (tests/integration/kb_sync.test.mjs drives the real binary).
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "kb_admin.h"
#include "kb_import_files.h"
#include "server_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;
using nlohmann::json;

namespace {

engine::KbArticle article(const std::string& id, const std::string& body, const std::string& audience = "everyone") {
    engine::KbArticle a;
    a.id = id;
    a.title = "Title of " + id;
    a.tags = {"tag"};
    a.category = "Network";
    a.audience = audience;
    a.body_markdown = body;
    return a;
}

void write(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

std::string md(const std::string& title, const std::string& body, const std::string& audience = "everyone") {
    return "---\ntitle: " + title + "\ntags: [vpn]\ncategory: Network\naudience: " + audience + "\n---\n" + body + "\n";
}

// Every article document `p` receives from the cursor on, following pages; the last cursor in `cursor`.
std::vector<json> kb_pull_all(Desk& desk, const Person& p, std::int64_t& cursor, std::size_t page = 1000) {
    std::vector<json> out;
    for (int i = 0; i < 1000; ++i) {
        auto r = desk.service->kb_pull(p.caller, KbPullRequest{cursor, page, std::nullopt});
        REQUIRE(r.ok());
        for (const std::string& body : r.value().bodies) out.push_back(json::parse(body));
        cursor = r.value().cursor;
        if (!r.value().more) break;
    }
    return out;
}

std::vector<json> kb_pull_all(Desk& desk, const Person& p) {
    std::int64_t cursor = 0;
    return kb_pull_all(desk, p, cursor);
}

const json* find(const std::vector<json>& docs, const std::string& id) {
    for (const json& d : docs)
        if (d["id"] == id) return &d;
    return nullptr;
}

DeflectionPush deflections(std::initializer_list<DeflectionEvent> events) {
    DeflectionPush push;
    for (const DeflectionEvent& e : events) {
        push.ids.push_back(e.id);
        push.deflections.emplace_back(e);
    }
    return push;
}

}  // namespace

TEST_CASE("kb import: new articles get version 1, unchanged keep theirs, changed +1, missing are retired") {
    Desk desk;
    auto first = desk.service->import_kb({article("vpn", "Reconnect."), article("wifi", "Forget it."),
                                          article("fax", "Phone line.")}, true);
    REQUIRE(first.ok());
    CHECK(first.value().line() == "added 3, updated 0, retired 0, unchanged 0");

    auto second = desk.service->import_kb({article("vpn", "Reconnect."), article("wifi", "Forget the network first.")},
                                          true);
    REQUIRE(second.ok());
    CHECK(second.value().line() == "added 0, updated 1, retired 1, unchanged 1");

    auto rows = desk.service->kb_articles();
    REQUIRE(rows.ok());
    REQUIRE(rows.value().size() == 3);
    std::map<std::string, KbVersionRow> by_id;
    for (const auto& r : rows.value()) by_id[r.current.article_id] = r.current;
    CHECK(by_id["vpn"].version == 1);
    CHECK(by_id["wifi"].version == 2);
    CHECK(by_id["fax"].version == 2);
    CHECK(by_id["fax"].retired);
    CHECK(json::parse(by_id["fax"].body) == json{{"id", "fax"}, {"version", 2}, {"retired", true}});

    // A retired article that comes back is a new version; importing the same set again changes nothing.
    auto third = desk.service->import_kb({article("vpn", "Reconnect."), article("wifi", "Forget the network first."),
                                          article("fax", "Phone line.")}, true);
    REQUIRE(third.ok());
    CHECK(third.value().line() == "added 1, updated 0, retired 0, unchanged 2");
    auto again = desk.service->import_kb({article("vpn", "Reconnect."), article("wifi", "Forget the network first."),
                                          article("fax", "Phone line.")}, true);
    REQUIRE(again.ok());
    CHECK(again.value().line() == "added 0, updated 0, retired 0, unchanged 3");
    Person guest = desk.enrol(Role::guest);
    auto docs = kb_pull_all(desk, guest);
    REQUIRE(find(docs, "fax"));
    CHECK((*find(docs, "fax"))["version"] == 3);
    CHECK((*find(docs, "fax"))["markdown"] == "Phone line.");

    // An explicit front-matter version above the stored one is taken as it is.
    engine::KbArticle bumped = article("vpn", "Reconnect.");
    bumped.version = 7;
    auto fourth = desk.service->import_kb({bumped}, false);
    REQUIRE(fourth.ok());
    CHECK(fourth.value().updated == 1);
    CHECK(fourth.value().retired == 0);  // retire_missing off (the starter set)
}

TEST_CASE("kb import: two articles with one id are refused and nothing changes") {
    Desk desk;
    auto r = desk.service->import_kb({article("vpn", "a"), article("vpn", "b")}, true);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "kb_duplicate_id");
    CHECK(desk.service->kb_articles().value().empty());
}

TEST_CASE("kb import command: every bad file is reported as file:line and nothing is imported") {
    Desk desk;
    TempDir folder("kb-folder");
    write(folder.path / "vpn-slow.md", md("VPN is slow", "Use a cable."));
    write(folder.path / "notes.txt", "not an article");  // ignored
    REQUIRE(kb_import_command(*desk.service, folder.path).ok());

    write(folder.path / "vpn-slow.md", md("VPN is slow", "Use a cable or move closer."));
    write(folder.path / "broken.md", "---\ntitle: Broken\ncolour: blue\n---\nBody.\n");
    write(folder.path / "no-title.md", "---\ntags: [x]\n---\nBody.\n");
    write(folder.path / "unterminated.md", "---\ntitle: Never closed\n");
    auto r = kb_import_command(*desk.service, folder.path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "kb_invalid_files");
    const std::string& m = r.error().message;
    CHECK(m.find((folder.path / "broken.md").string() + ":3: unknown front-matter key 'colour' (kb_unknown_field)") !=
          std::string::npos);
    CHECK(m.find((folder.path / "no-title.md").string() + ":1: article has no title (kb_missing_title)") != std::string::npos);
    CHECK(m.find((folder.path / "unterminated.md").string() + ":2: front matter has no closing '---'") != std::string::npos);
    auto rows = desk.service->kb_articles();
    REQUIRE(rows.value().size() == 1);
    CHECK(rows.value()[0].current.version == 1);  // the good change did not land either

    std::filesystem::remove(folder.path / "broken.md");
    std::filesystem::remove(folder.path / "no-title.md");
    std::filesystem::remove(folder.path / "unterminated.md");
    auto ok = kb_import_command(*desk.service, folder.path);
    REQUIRE(ok.ok());
    CHECK(ok.value().find("updated vpn-slow v1 → v2") != std::string::npos);
    CHECK(ok.value().find("added 0, updated 1, retired 0, unchanged 0") != std::string::npos);

    TempDir empty("kb-empty");
    std::filesystem::create_directories(empty.path);
    CHECK(kb_import_command(*desk.service, empty.path).error().code == "kb_folder_empty");
    CHECK(kb_import_command(*desk.service, empty.path / "missing").error().code == "kb_folder_missing");
}

TEST_CASE("kb pull: every role gets public articles, help-desk-only ones reach technicians only") {
    Desk desk;
    REQUIRE(desk.service->import_kb({article("vpn", "Reconnect."), article("runbook", "Restart the VPN concentrator.",
                                                                            "technicians")}, true).ok());
    Person guest = desk.enrol(Role::guest);
    Person requester = desk.enrol(Role::requester);
    Person tech = desk.enrol(Role::technician);
    for (const Person* p : {&guest, &requester}) {
        auto docs = kb_pull_all(desk, *p);
        REQUIRE(docs.size() == 1);
        CHECK(docs[0]["id"] == "vpn");
        CHECK(docs[0]["version"] == 1);
        CHECK(docs[0]["title"] == "Title of vpn");
        CHECK(docs[0]["markdown"] == "Reconnect.");
        CHECK(docs[0]["tags"] == json::array({"tag"}));
    }
    auto tech_docs = kb_pull_all(desk, tech);
    REQUIRE(tech_docs.size() == 2);
    CHECK(find(tech_docs, "runbook"));

    // A public article made help-desk-only reaches guests as a tombstone, without its text.
    std::int64_t guest_cursor = 0;
    (void)kb_pull_all(desk, guest, guest_cursor);
    REQUIRE(desk.service->import_kb({article("vpn", "Internal notes now.", "help desk"),
                                     article("runbook", "Restart the VPN concentrator.", "technicians")}, true).ok());
    auto after = kb_pull_all(desk, guest, guest_cursor);
    REQUIRE(after.size() == 1);
    CHECK(after[0] == json{{"id", "vpn"}, {"version", 2}, {"retired", true}});
    auto tech_after = kb_pull_all(desk, tech);
    CHECK((*find(tech_after, "vpn"))["markdown"] == "Internal notes now.");
}

TEST_CASE("kb pull: pages by count and bytes, the cursor jumps to the top when nothing more is visible") {
    Desk desk;
    std::vector<engine::KbArticle> set;
    for (int i = 0; i < 7; ++i) set.push_back(article("a" + std::to_string(i), std::string(100, 'x')));
    set.push_back(article("z-internal", "Only for us.", "internal"));  // last seq: invisible to guests
    REQUIRE(desk.service->import_kb(set, true).ok());
    Person guest = desk.enrol(Role::guest);
    auto page = desk.service->kb_pull(guest.caller, KbPullRequest{0, std::size_t{3}, std::nullopt});
    REQUIRE(page.ok());
    CHECK(page.value().bodies.size() == 3);
    CHECK(page.value().more);
    CHECK(page.value().cursor == 3);
    auto by_bytes = desk.service->kb_pull(guest.caller, KbPullRequest{3, std::nullopt, std::size_t{10}});
    REQUIRE(by_bytes.ok());
    CHECK(by_bytes.value().bodies.size() == 1);  // the first always fits
    std::int64_t cursor = 0;
    CHECK(kb_pull_all(desk, guest, cursor, 2).size() == 7);
    CHECK(cursor == 8);  // past the help-desk-only article the guest never sees
    CHECK(kb_pull_all(desk, guest, cursor).empty());
}

TEST_CASE("kb deflections: stored once by their id, refused on conflict, counted and reported") {
    Desk desk;
    REQUIRE(desk.service->import_kb({article("vpn", "Reconnect.")}, true).ok());
    Person guest = desk.enrol(Role::guest);
    const std::string id1(32, 'a'), id2(32, 'b');
    auto first = desk.service->push_deflections(guest.caller, deflections({{id1, "vpn", 1, 1'000}, {id2, "vpn", 1, 2'000}}));
    REQUIRE(first.ok());
    REQUIRE(first.value().size() == 2);
    CHECK(first.value()[0].outcome == OpOutcome::accepted);
    CHECK(first.value()[0].id == id1);

    auto replay = desk.service->push_deflections(guest.caller, deflections({{id1, "vpn", 1, 1'000}}));
    REQUIRE(replay.ok());
    CHECK(replay.value()[0].outcome == OpOutcome::duplicate);
    auto conflict = desk.service->push_deflections(guest.caller, deflections({{id1, "vpn", 1, 5'000}}));
    REQUIRE(conflict.ok());
    CHECK(conflict.value()[0].outcome == OpOutcome::rejected);
    CHECK(conflict.value()[0].error->code == "deflection_id_conflict");

    // One bad entry is refused on its own.
    DeflectionPush mixed = deflections({{std::string(32, 'c'), "unknown-article", 2, 3'000}});
    mixed.ids.push_back("");
    mixed.deflections.emplace_back(make_error("bad_id", "deflections[1].id: 32 lowercase hex digits"));
    auto m = desk.service->push_deflections(guest.caller, mixed);
    REQUIRE(m.ok());
    CHECK(m.value()[0].outcome == OpOutcome::accepted);  // an article the server never had still counts
    CHECK(m.value()[1].outcome == OpOutcome::rejected);

    auto tallies = desk.service->deflection_tallies();
    REQUIRE(tallies.ok());
    REQUIRE(tallies.value().size() == 2);
    CHECK(tallies.value()[0].article_id == "vpn");
    CHECK(tallies.value()[0].deflections == 2);
    CHECK(tallies.value()[0].title == "Title of vpn");
    CHECK(tallies.value()[1].title.empty());

    const std::string metrics = desk.metrics.render(desk.service->gauges());
    CHECK(metrics.find("lifebuoy_kb_deflections_total{result=\"accepted\"} 3") != std::string::npos);
    CHECK(metrics.find("lifebuoy_kb_deflections_total{result=\"duplicate\"} 1") != std::string::npos);
    CHECK(metrics.find("lifebuoy_kb_deflections_total{result=\"rejected\"} 2") != std::string::npos);
    CHECK(metrics.find("lifebuoy_kb_deflections_stored 3") != std::string::npos);
    CHECK(metrics.find("lifebuoy_kb_articles 1") != std::string::npos);

    auto report = kb_deflections_command(*desk.service);
    REQUIRE(report.ok());
    CHECK(report.value().find("vpn") != std::string::npos);
    CHECK(report.value().find("3 deflection(s)") != std::string::npos);
    desk.reopen();  // stored, not just counted
    CHECK(desk.service->gauges().kb_deflections == 3);
}

TEST_CASE("kb starter set: imported from the web bundle's kb/articles.json, a missing bundle is no error") {
    Desk desk;
    TempDir web("kb-web");
    auto none = import_starter_kb(*desk.service, web.path);
    REQUIRE(none.ok());
    CHECK(none.value().empty());
    json bundle = json::array({{{"id", "vpn-slow"}, {"text", md("VPN is slow", "Use a cable.")}},
                               {{"id", "runbook"}, {"text", md("Runbook", "Internal.", "technicians")}}});
    write(web.path / "kb" / "articles.json", bundle.dump());
    auto r = import_starter_kb(*desk.service, web.path);
    REQUIRE(r.ok());
    CHECK(r.value().find("added 2, updated 0, retired 0, unchanged 0") != std::string::npos);
    auto list = kb_list_command(*desk.service);
    REQUIRE(list.ok());
    CHECK(list.value().find("help desk only") != std::string::npos);
    CHECK(list.value().find("2 article(s) published, 0 retired") != std::string::npos);

    write(web.path / "kb" / "articles.json", R"([{"id":"bad","text":"no front matter"}])");
    auto bad = import_starter_kb(*desk.service, web.path);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("articles.json[0] bad:1: article must start with") != std::string::npos);
}

TEST_CASE("kb decoders: pull and deflection requests are checked member by member") {
    // As the server sees them: parsed from text (numbers without a sign are unsigned there).
    auto wire = [](const json& j) { return json::parse(j.dump()); };
    auto pull = parse_kb_pull_request(wire(json{{"cursor", 5}, {"max_articles", 10}}));
    REQUIRE(pull.ok());
    CHECK(pull.value().cursor == 5);
    CHECK(*pull.value().max_articles == 10);
    CHECK(parse_kb_pull_request(wire(json{{"cursor", -1}})).error().code == "bad_request");
    CHECK(parse_kb_pull_request(wire(json{{"max_bytes", 0}})).error().code == "bad_request");

    const json good{{"id", std::string(32, 'f')}, {"article_id", "vpn-slow"}, {"article_version", 2}, {"at_ms", 17}};
    auto push = parse_deflection_push(wire(json{{"v", 1}, {"deflections", json::array({good, {{"id", "nope"}}})}}));
    REQUIRE(push.ok());
    REQUIRE(push.value().deflections.size() == 2);
    CHECK(push.value().deflections[0].ok());
    CHECK(push.value().deflections[0].value().article_version == 2);
    CHECK(push.value().deflections[1].error().code == "bad_id");
    CHECK(push.value().ids == std::vector<std::string>{std::string(32, 'f'), ""});
    json no_version = good;
    no_version["article_version"] = 0;
    CHECK(parse_deflection_push(wire(json{{"v", 1}, {"deflections", json::array({no_version})}}))
              .value().deflections[0].error().code == "bad_request");
    json with_text = good;
    with_text["article_id"] = "Not An Id";
    CHECK(parse_deflection_push(wire(json{{"v", 1}, {"deflections", json::array({with_text})}}))
              .value().deflections[0].error().code == "bad_id");
    CHECK(parse_deflection_push(wire(json{{"v", 2}, {"deflections", json::array({good})}})).error().code == "unsupported_version");
    CHECK(parse_deflection_push(wire(json{{"v", 1}, {"deflections", json::array()}})).error().code == "bad_request");
    json many = json::array();
    for (std::size_t i = 0; i <= kMaxDeflectionsPerPush; ++i) many.push_back(good);
    auto too_many = parse_deflection_push(wire(json{{"v", 1}, {"deflections", many}}));
    CHECK(too_many.error().code == "too_many_deflections");
    CHECK(api_http_status("too_many_deflections") == 413);
}

TEST_CASE("kb audience: help-desk audiences are recognised whatever their case, others are public") {
    CHECK(kb_audience_is_help_desk_only("technicians"));
    CHECK(kb_audience_is_help_desk_only("Help Desk"));
    CHECK(kb_audience_is_help_desk_only("internal"));
    for (const char* open : {"everyone", "employees", "managers", "new starters", ""})
        CHECK_FALSE(kb_audience_is_help_desk_only(open));
}
