// engine_kb_sync_test.cpp — the sync machine's knowledge-base steps against the fake server
// (engine_sync_test_support.h): after the op pull the device pulls article changes from its kb
// cursor (paged; the cursor lands with the articles; a page applied twice changes nothing), the
// server's versions replace older ones but never a newer bundled one, tombstones remove articles
// from search and keep the bundle from bringing them back, and deflections are pushed once (an id
// made on the device, no draft text), marked sent, refused ones kept and not resent; an older
// server without the endpoints is skipped quietly.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using nlohmann::json;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

namespace {

lb::engine::KbArticle article(const std::string& id, const std::string& title, const std::string& body,
                              const std::string& audience = "everyone") {
    lb::engine::KbArticle a;
    a.id = id;
    a.title = title;
    a.tags = {"test"};
    a.category = "Network";
    a.audience = audience;
    a.body_markdown = body;
    return a;
}

// The app shell's bundle entry for an article: {id, text} with front matter.
json bundled(const std::string& id, const std::string& title, const std::string& body, int version = 0) {
    std::string text = "---\ntitle: " + title + "\ntags: [test]\ncategory: Network\n";
    if (version > 0) text += "version: " + std::to_string(version) + "\n";
    text += "---\n" + body + "\n";
    return json{{"id", id}, {"text", text}};
}

json kb_article(TestDevice& d, const std::string& id) { return d.call("kb_article", {{"id", id}}); }

std::vector<std::string> suggested_ids(TestDevice& d, const std::string& text) {
    std::vector<std::string> ids;
    json reply = d.call("suggest", {{"text", text}});
    INFO(reply.dump());
    REQUIRE(reply["ok"] == true);
    for (const json& hit : reply["result"]["hits"]) ids.push_back(hit["id"]);
    return ids;
}

void enrol_guest(TestDevice& d) { REQUIRE(d.call("enroll", {{"guest", true}})["ok"] == true); }

// The key directory's steps come between the op pull and the article pull: answers them and
// returns the request after them.
std::optional<lb::engine::SyncRequest> after_key_steps(TestDevice& d, FakeSyncServer& server) {
    auto next = d.engine->sync_next_request(d.now);
    while (next && (next->step == lb::engine::SyncStep::keys || next->step == lb::engine::SyncStep::keys_upload ||
                    next->step == lb::engine::SyncStep::key_backup ||  // a guest's recovery backup too
                    next->step == lb::engine::SyncStep::desk)) {       // and the desk settings
        auto reply = server.handle(*next);
        REQUIRE(d.engine->sync_on_response(*next, reply.status, reply.body, d.now).ok());
        next = d.engine->sync_next_request(d.now);
    }
    return next;
}

// Performs exchanges until the next request is of `step`, and returns that request (not sent).
std::optional<lb::engine::SyncRequest> advance_to(TestDevice& d, FakeSyncServer& server, lb::engine::SyncStep step) {
    for (int i = 0; i < 20; ++i) {
        auto request = d.engine->sync_next_request(d.now);
        if (!request || request->step == step) return request;
        auto reply = server.handle(*request);
        REQUIRE(d.engine->sync_on_response(*request, reply.status, reply.body, d.now).ok());
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("kb sync: a guest device pulls the server's articles after the op pull, search finds them") {
    FakeSyncServer server;
    server.publish_article(article("vpn-drops", "VPN keeps disconnecting", "Reconnect the VPN client."), 1);
    server.publish_article(article("printer-jam", "Printer paper jam", "Open tray two."), 3);
    TestDevice d;
    enrol_guest(d);

    auto enroll = d.next_request(server);
    REQUIRE(enroll);
    auto reply = server.handle(*enroll);
    REQUIRE(d.engine->sync_on_response(*enroll, reply.status, reply.body, d.now).ok());
    auto pull = d.engine->sync_next_request(d.now);
    REQUIRE(pull);
    CHECK(pull->step == lb::engine::SyncStep::pull);
    reply = server.handle(*pull);
    REQUIRE(d.engine->sync_on_response(*pull, reply.status, reply.body, d.now).ok());
    auto kb = after_key_steps(d, server);
    REQUIRE(kb);
    CHECK(kb->step == lb::engine::SyncStep::kb_pull);
    CHECK(kb->path == "/api/v1/kb/pull");
    CHECK(server.plain(*kb).body["cursor"] == 0);
    reply = server.handle(*kb);
    REQUIRE(d.engine->sync_on_response(*kb, reply.status, reply.body, d.now).ok());
    CHECK_FALSE(d.engine->sync_next_request(d.now).has_value());  // nothing else: idle until the poll
    CHECK(*d.engine->sync_due_at() == d.now + lb::engine::kSyncPollIntervalMs);

    json vpn = kb_article(d, "vpn-drops");
    REQUIRE(vpn["ok"] == true);
    CHECK(vpn["result"]["version"] == 1);
    CHECK(kb_article(d, "printer-jam")["result"]["version"] == 3);
    CHECK(suggested_ids(d, "vpn disconnecting") == std::vector<std::string>{"vpn-drops"});
    CHECK(d.call("sync_status")["result"]["kb_cursor"] == 2);

    // The next round asks from the stored cursor, also after a restart.
    d.crash_and_reopen();
    CHECK(d.call("sync_status")["result"]["kb_cursor"] == 2);
    CHECK(kb_article(d, "vpn-drops")["result"]["version"] == 1);
}

TEST_CASE("kb sync: pages follow the cursor until no more, a page applied twice changes nothing") {
    FakeSyncServer server;
    server.page_articles = 2;
    for (int i = 0; i < 5; ++i)
        server.publish_article(article("article-" + std::to_string(i), "Article " + std::to_string(i), "Body."), 1);
    TestDevice d;
    enrol_guest(d);
    d.sync(server);
    CHECK(server.kb_pulls == 3);  // 2 + 2 + 1
    CHECK(d.call("sync_status")["result"]["kb_cursor"] == 5);
    for (int i = 0; i < 5; ++i) CHECK(kb_article(d, "article-" + std::to_string(i))["ok"] == true);

    // The first page again (a retry whose first answer was applied after all): harmless.
    lb::engine::SyncRequest again;
    again.step = lb::engine::SyncStep::kb_pull;
    const std::string first_page = server.kb_page_json(0);
    REQUIRE(d.engine->sync_on_response(again, 200, first_page, d.now).ok());
    CHECK(d.call("sync_status")["result"]["kb_cursor"] == 5);  // never backwards
    CHECK(d.call("kb_search", {{"query", ""}})["result"]["hits"].size() == 5);
    CHECK(kb_article(d, "article-0")["result"]["version"] == 1);
}

TEST_CASE("kb sync: the server's newer version replaces the bundled one, the bundle never undoes it") {
    FakeSyncServer server;
    TestDevice d;
    json seed = json::array({bundled("vpn-drops", "VPN drops", "Old advice."), bundled("wifi", "Wi-Fi", "Forget the network.")});
    json first = d.call("kb_import", {{"articles", seed}});
    REQUIRE(first["ok"] == true);
    CHECK(first["result"]["imported"] == 2);
    CHECK(kb_article(d, "vpn-drops")["result"]["version"] == 1);

    server.publish_article(article("vpn-drops", "VPN drops", "New advice: update the client."), 2);
    server.publish_article(article("wifi", "Wi-Fi", "Forget the network."), 1);  // the bundle's own version
    enrol_guest(d);
    d.sync(server);
    json vpn = kb_article(d, "vpn-drops")["result"];
    CHECK(vpn["version"] == 2);
    CHECK(vpn["markdown"] == "New advice: update the client.");

    // The next start imports the same bundle again: nothing goes back to the old text.
    json again = d.call("kb_import", {{"articles", seed}});
    CHECK(again["result"]["imported"] == 0);
    CHECK(again["result"]["unchanged"] == 1);  // wifi, identical at version 1
    CHECK(again["result"]["kept"] == 1);       // vpn-drops: the server's version 2 stays
    CHECK(kb_article(d, "vpn-drops")["result"]["markdown"] == "New advice: update the client.");

    // The same version with other content from the server wins over the bundle's copy…
    server.publish_article(article("wifi", "Wi-Fi", "Corrected on the server."), 1);
    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(kb_article(d, "wifi")["result"]["markdown"] == "Corrected on the server.");
    // …and a bundle with the old text at that version does not take it back.
    CHECK(d.call("kb_import", {{"articles", seed}})["result"]["kept"] == 2);
    CHECK(kb_article(d, "wifi")["result"]["markdown"] == "Corrected on the server.");
}

TEST_CASE("kb sync: a newer local bundled version is never replaced by an older one from the server") {
    FakeSyncServer server;
    TestDevice d;
    REQUIRE(d.call("kb_import", {{"articles", json::array({bundled("vpn-drops", "VPN drops", "Bundled v5.", 5)})}})["ok"] == true);
    server.publish_article(article("vpn-drops", "VPN drops", "Server v3."), 3);
    enrol_guest(d);
    d.sync(server);
    json vpn = kb_article(d, "vpn-drops")["result"];
    CHECK(vpn["version"] == 5);
    CHECK(vpn["markdown"] == "Bundled v5.");
    CHECK(d.call("sync_status")["result"]["last_error"].is_null());  // kept, not an error

    server.publish_article(article("vpn-drops", "VPN drops", "Server v6."), 6);
    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(kb_article(d, "vpn-drops")["result"]["markdown"] == "Server v6.");
}

TEST_CASE("kb sync: a tombstone removes the article from search, the bundle does not bring it back") {
    FakeSyncServer server;
    TestDevice d;
    json seed = json::array({bundled("fax-machine", "Fax machine offline", "Check the phone line of the fax.")});
    REQUIRE(d.call("kb_import", {{"articles", seed}})["result"]["imported"] == 1);
    CHECK(suggested_ids(d, "fax machine") == std::vector<std::string>{"fax-machine"});
    server.publish_article(article("fax-machine", "Fax machine offline", "Check the phone line of the fax."), 1);
    server.retire_article("fax-machine", 2);
    enrol_guest(d);
    d.sync(server);
    CHECK(kb_article(d, "fax-machine")["error"]["code"] == "kb_article_not_found");
    CHECK(suggested_ids(d, "fax machine").empty());

    json again = d.call("kb_import", {{"articles", seed}});
    CHECK(again["result"]["imported"] == 0);
    CHECK(again["result"]["kept"] == 1);
    CHECK(suggested_ids(d, "fax machine").empty());
    d.crash_and_reopen();  // the tombstone is stored, not just remembered
    CHECK(d.call("kb_import", {{"articles", seed}})["result"]["kept"] == 1);

    // Published again later: it comes back.
    server.publish_article(article("fax-machine", "Fax machine offline", "Fax is back."), 3);
    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(kb_article(d, "fax-machine")["result"]["version"] == 3);
    CHECK(suggested_ids(d, "fax machine") == std::vector<std::string>{"fax-machine"});
}

TEST_CASE("kb sync: a bad article page is refused whole and the cursor stays") {
    FakeSyncServer server;
    TestDevice d;
    enrol_guest(d);
    d.sync(server);
    lb::engine::SyncRequest kb;
    kb.step = lb::engine::SyncStep::kb_pull;
    kb.path = "/api/v1/kb/pull";
    const std::string bad_page =
        R"({"cursor":9,"more":false,"articles":[{"id":"good","version":1,"title":"Good","tags":[],"category":"",)"
        R"("audience":"everyone","markdown":"Fine."},{"id":"Bad Id","version":1,"retired":true}]})";
    REQUIRE(d.engine->sync_on_response(kb, 200, bad_page, d.now).ok());
    json status = d.call("sync_status")["result"];
    CHECK(status["kb_cursor"] == 0);
    CHECK(status["last_error"]["code"] == "bad_response");
    CHECK(kb_article(d, "good")["error"]["code"] == "kb_article_not_found");  // nothing of the page landed
}

TEST_CASE("kb sync: a deflection is pushed once with an id made on the device and no draft text") {
    FakeSyncServer server;
    server.publish_article(article("vpn-drops", "VPN keeps disconnecting", "Reconnect."), 4);
    TestDevice d;
    enrol_guest(d);
    d.sync(server);
    json recorded = d.call("record_deflection", {{"article_id", "vpn-drops"}, {"draft_title", "my secret draft words"}});
    REQUIRE(recorded["ok"] == true);
    CHECK(d.call("sync_status")["result"]["unsent_deflections"] == 1);

    auto push = advance_to(d, server, lb::engine::SyncStep::deflections);  // after the pulls of this round
    REQUIRE(push);
    server.lose_next_reply = true;  // the first answer never arrives
    CHECK(push->path == "/api/v1/kb/deflections");
    CHECK(server.plain(*push).body.dump().find("secret") == std::string::npos);
    auto reply = server.handle(*push);
    REQUIRE(d.engine->sync_on_response(*push, reply.status, reply.body, d.now).ok());
    CHECK(d.call("sync_status")["result"]["unsent_deflections"] == 1);
    REQUIRE(server.deflections.size() == 1);
    const std::string id = server.deflections.begin()->first;
    CHECK(id.size() == 32);
    json sent = server.deflections.begin()->second;
    CHECK(sent["article_id"] == "vpn-drops");
    CHECK(sent["article_version"] == 4);
    CHECK(sent["at_ms"] == d.now);
    CHECK(sent.size() == 4);  // id, article_id, article_version, at_ms: nothing else leaves the device

    d.crash_and_reopen();  // the tab died too; the id was stored before the first send
    d.now += 120'000;
    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(server.deflection_bodies.size() == 2);
    CHECK(json::parse(server.deflection_bodies[1])["deflections"][0]["id"] == id);  // the same id again
    CHECK(server.deflections.size() == 1);
    CHECK(d.call("sync_status")["result"]["unsent_deflections"] == 0);

    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(server.deflection_bodies.size() == 2);  // sent ones are not sent again
}

TEST_CASE("kb sync: a refused deflection is kept with the code and not resent, the others go through") {
    FakeSyncServer server;
    server.publish_article(article("vpn-drops", "VPN drops", "Reconnect."), 1);
    server.publish_article(article("wifi", "Wi-Fi", "Forget the network."), 1);
    server.refuse_deflections_of = {"wifi"};
    TestDevice d;
    enrol_guest(d);
    d.sync(server);
    REQUIRE(d.call("record_deflection", {{"article_id", "vpn-drops"}})["ok"] == true);
    REQUIRE(d.call("record_deflection", {{"article_id", "wifi"}})["ok"] == true);
    d.sync(server);
    CHECK(server.deflections.size() == 1);
    CHECK(d.call("sync_status")["result"]["unsent_deflections"] == 0);
    d.engine->sync_wake(d.now);
    d.sync(server);
    CHECK(server.deflection_bodies.size() == 1);
}

TEST_CASE("kb sync: a server without the knowledge-base endpoints is skipped without an error") {
    FakeSyncServer server;
    server.kb_missing = true;
    TestDevice d;
    enrol_guest(d);
    d.create("printer jam");
    CHECK(d.sync(server) == 10);  // the server's key, enroll, push, pull, keys ×2 and the user key, the
                                  // guest's recovery backup, desk settings (404 here), kb pull (404)
    json status = d.call("sync_status")["result"];
    CHECK(status["last_error"].is_null());
    CHECK(status["pending_batches"] == 0);
    CHECK(*d.engine->sync_due_at() == d.now + lb::engine::kSyncPollIntervalMs);
}

TEST_CASE("kb sync: an article pull that gets no answer backs off, then the round starts again") {
    FakeSyncServer server;
    server.publish_article(article("vpn-drops", "VPN drops", "Reconnect."), 1);
    TestDevice d;
    enrol_guest(d);
    auto enroll = d.next_request(server);
    auto reply = server.handle(*enroll);
    REQUIRE(d.engine->sync_on_response(*enroll, reply.status, reply.body, d.now).ok());
    auto pull = d.engine->sync_next_request(d.now);
    reply = server.handle(*pull);
    REQUIRE(d.engine->sync_on_response(*pull, reply.status, reply.body, d.now).ok());
    auto kb = after_key_steps(d, server);
    REQUIRE(kb->step == lb::engine::SyncStep::kb_pull);
    REQUIRE(d.engine->sync_on_response(*kb, 0, "", d.now).ok());
    CHECK(*d.engine->sync_due_at() > d.now);
    CHECK(d.call("sync_status")["result"]["last_error"]["code"] == "offline");
    d.now = *d.engine->sync_due_at();
    auto next = d.engine->sync_next_request(d.now);
    REQUIRE(next);
    CHECK(next->step == lb::engine::SyncStep::pull);
    auto answer = server.handle(*next);
    REQUIRE(d.engine->sync_on_response(*next, answer.status, answer.body, d.now).ok());
    d.sync(server);
    CHECK(kb_article(d, "vpn-drops")["ok"] == true);
    CHECK(d.call("sync_status")["result"]["last_error"].is_null());
}
