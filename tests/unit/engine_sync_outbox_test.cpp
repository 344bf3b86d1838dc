// engine_sync_outbox_test.cpp — ticket commands and the outbox: one user action is one batch,
// stored with its outbox row (and the draft discarded) in one transaction; a crash at any point
// loses nothing that was acknowledged and never leaves half an action; list/get read it back.
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"

using nlohmann::json;
using lb::test::TestDevice;

TEST_CASE("sync outbox: create_ticket is saved on the device with one outbox batch, draft discarded") {
    TestDevice d;
    REQUIRE(d.call("save_draft", {{"form", "new_ticket"}, {"fields", {{"title", "VPN"}}}})["ok"] == true);
    std::string id = d.create("VPN drops every hour — Zoë");
    CHECK(d.call("get_draft", {{"form", "new_ticket"}})["result"]["fields"] == json::object());

    json list = d.call("list_tickets");
    REQUIRE(list["ok"] == true);
    REQUIRE(list["result"]["total"] == 1);
    json row = list["result"]["rows"][0];
    CHECK(row["id"] == id);
    CHECK(row["title"] == "VPN drops every hour — Zoë");
    CHECK(row["status"] == "new");
    CHECK(row["priority"] == "high");  // medium impact × high urgency
    CHECK(row["number"].is_null());
    CHECK(row["sync"]["state"] == "saved_on_device");

    json status = d.call("sync_status");
    CHECK(status["result"]["pending_batches"] == 1);
    CHECK(status["result"]["enrolled"] == false);
    CHECK(status["result"]["role"] == "requester");

    REQUIRE(d.call("add_comment", {{"ticket_id", id}, {"body", "still broken"}})["ok"] == true);
    REQUIRE(d.call("update_ticket", {{"id", id}, {"fields", {{"title", "VPN drops hourly"}}}})["ok"] == true);
    json got = d.call("get_ticket", {{"id", id}});
    REQUIRE(got["ok"] == true);
    CHECK(got["result"]["ticket"]["title"] == "VPN drops hourly");
    CHECK(got["result"]["comments"].size() == 1);
    CHECK(got["result"]["comments"][0]["body"] == "still broken");
    CHECK(got["result"]["history"].size() == 9);  // 7 fields and the sealed ticket key at creation + the new title
    CHECK(d.call("sync_status")["result"]["pending_batches"] == 3);
}

TEST_CASE("sync outbox: commands refuse bad input and what the role may not do, with typed errors") {
    TestDevice d;
    CHECK(d.call("create_ticket", {{"description", "x"}, {"impact", "low"}, {"urgency", "low"}})["error"]["code"] == "bad_arguments");
    CHECK(d.call("create_ticket", {{"title", "t"}, {"description", "x"}, {"impact", "huge"}, {"urgency", "low"}})["error"]["code"] == "bad_arguments");
    std::string id = d.create("printer");
    // A requester may not change urgency after filing, nor move the ticket to in_progress.
    CHECK(d.call("update_ticket", {{"id", id}, {"fields", {{"urgency", "low"}}}})["error"]["code"] == "forbidden");
    CHECK(d.call("update_ticket", {{"id", id}, {"fields", {{"status", "in_progress"}}}})["error"]["code"] == "bad_transition");
    CHECK(d.call("get_ticket", {{"id", std::string(32, 'a')}})["error"]["code"] == "not_found");
    CHECK(d.call("add_comment", {{"ticket_id", id}, {"body", "x"}, {"kind", "internal_note"}})["error"]["code"] == "forbidden");
    CHECK(d.call("sync_status")["result"]["pending_batches"] == 1);  // refused actions store nothing
}

TEST_CASE("sync outbox: every acknowledged action survives a crash, nothing half-written appears") {
    TestDevice d;
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        ids.push_back(d.create("ticket " + std::to_string(i)));
        d.crash_and_reopen();  // a crash right after each acknowledgement
        json list = d.call("list_tickets", {{"limit", 100}});
        REQUIRE(list["result"]["total"] == i + 1);
        CHECK(d.call("sync_status")["result"]["pending_batches"] == i + 1);
    }
    // The node id and clock persist: the next ticket is stamped after every earlier one.
    const auto node = d.engine->sync_state().node;
    d.crash_and_reopen();
    CHECK(d.engine->sync_state().node == node);
    std::string last = d.create("after restarts");
    json list = d.call("list_tickets", {{"sort", "created"}});
    CHECK(list["result"]["rows"][0]["id"] == last);
}

TEST_CASE("sync outbox: a failed flush mid-action leaves neither the ops nor the outbox row") {
    TestDevice d;
    d.create("first");
    // Fail the flush of the commit (the WAL's), then the database's (a checkpoint's, when one runs).
    for (const char* file : {"lifebuoy.db-wal", "lifebuoy.db"}) {
        d.storage.at(file).fail_next_flush = true;
        json r = d.call("create_ticket", {{"title", "lost"}, {"description", ""}, {"impact", "low"}, {"urgency", "low"}});
        d.crash_and_reopen();
        json list = d.call("list_tickets");
        json status = d.call("sync_status")["result"];
        if (r["ok"] == true) {
            CHECK(list["result"]["total"] == 2);  // acknowledged: must be there
            d.crash_and_reopen();
        }
        // Ops and outbox agree: as many pending batches as tickets.
        CHECK(status["pending_batches"] == list["result"]["total"]);
        if (r["ok"] == true) break;
    }
    CHECK(d.call("list_tickets")["result"]["rows"].size() >= 1);
}
