// engine_change_history_test.cpp — which changes raced this device's own while it was offline
// (find_offline_races), and the op-author map's round trip through engine_meta (change_history.h).
// Not here: the server's node binding (tests/server/sync_service_test.cpp), the history panel in
// the browser (tests/browser/offline_edits.test.mjs).
#include <doctest/doctest.h>

#include "engine/change_history.h"
#include "engine/schema.h"

using namespace lb;
using namespace lb::engine;

namespace {

constexpr NodeId kMine = 0x1111, kOmar = 0x2222, kServer = 0x3333;

Op priority_op(std::uint8_t id, NodeId node, std::uint64_t ms, std::string value) {
    Op op;
    op.op_id.lo = id;
    op.hlc = Hlc::from(ms, 0);
    op.node = node;
    op.entity = EntityKind::ticket;
    op.field = Field::ticket_priority;
    op.value = std::move(value);
    return op;
}

}  // namespace

TEST_CASE("offline races: theirs arrived after ours was written, and they had not seen ours") {
    // Tess (this device) sets P1 offline; Omar sets P4 offline and syncs first (seq 10); Tess's
    // edit reaches the server after (seq 11), then Omar's arrives on her device.
    Op matrix = priority_op(1, kServer, 1000, "low");
    Op mine = priority_op(2, kMine, 2000, "critical");
    Op omars = priority_op(3, kOmar, 2050, "low");
    std::vector<const Op*> history{&matrix, &mine, &omars};
    std::map<OpId, OpFacts> facts{{matrix.op_id, {1, 5, false}}, {mine.op_id, {2, 11, true}}, {omars.op_id, {3, 10, false}}};
    auto raced = find_offline_races(history, facts, kMine);
    REQUIRE(raced.size() == 3);
    CHECK_FALSE(raced[0]);  // the matrix's value was here before Tess wrote hers
    CHECK_FALSE(raced[1]);  // our own change races nothing
    REQUIRE(raced[2]);
    CHECK(*raced[2] == 1);

    SUBCASE("ours still unsent: whatever arrives meanwhile was made without seeing it") {
        facts[mine.op_id].server_seq.reset();
        facts[omars.op_id].server_seq = 12;
        CHECK(find_offline_races(history, facts, kMine)[2] == std::optional<std::size_t>(1));
    }
    SUBCASE("on Omar's side: Tess's older edit arrives after his; her hybrid time shows she had not seen his") {
        std::map<OpId, OpFacts> his{{matrix.op_id, {1, 5, false}}, {omars.op_id, {2, 10, true}}, {mine.op_id, {3, 11, false}}};
        std::vector<const Op*> merged{&matrix, &mine, &omars};
        auto r = find_offline_races(merged, his, kOmar);
        CHECK(r[1] == std::optional<std::size_t>(2));  // Tess's P1 raced Omar's P4
        CHECK_FALSE(r[2]);
    }
    SUBCASE("not a race: they changed it after pulling ours (later on the server, later in hybrid time)") {
        facts[omars.op_id] = {3, 12, false};
        omars.hlc = Hlc::from(2500, 0);
        CHECK_FALSE(find_offline_races(history, facts, kMine)[2]);
    }
    SUBCASE("not a race: theirs was on this device before ours was written") {
        facts[omars.op_id].arrival = 0;
        CHECK_FALSE(find_offline_races(history, facts, kMine)[2]);
    }
    SUBCASE("another field never races") {
        omars.field = Field::ticket_site;
        omars.value = std::string("paris");
        CHECK_FALSE(find_offline_races(history, facts, kMine)[2]);
    }
    SUBCASE("ops this device has no facts for are left alone") {
        facts.erase(omars.op_id);
        CHECK_FALSE(find_offline_races(history, facts, kMine)[2]);
    }
}

TEST_CASE("offline races: with several of ours, the latest one before theirs arrived is named") {
    Op first = priority_op(1, kMine, 1000, "high");
    Op second = priority_op(2, kMine, 1100, "critical");
    Op theirs = priority_op(3, kOmar, 1050, "low");
    std::vector<const Op*> history{&first, &theirs, &second};
    std::map<OpId, OpFacts> facts{{first.op_id, {1, std::nullopt, true}}, {second.op_id, {2, std::nullopt, true}},
                                  {theirs.op_id, {3, 7, false}}};
    CHECK(find_offline_races(history, facts, kMine)[1] == std::optional<std::size_t>(2));
}

TEST_CASE("op authors: from the key directory, kept in engine_meta, malformed entries skipped") {
    auto db = storage::Database::open(":memory:");
    REQUIRE(db.ok());
    REQUIRE(db.value().migrate(local_schema_migrations()).ok());
    auto none = OpAuthors::load(db.value());
    REQUIRE(none.ok());
    CHECK(none.value().user_of_node.empty());
    CHECK(none.value().server_node == 0);

    const nlohmann::json directory{
        {"server_node", "0000000000003333"},
        {"op_nodes", {{{"node", "0000000000002222"}, {"user_id", "000000000000000000000000000000aa"}},
                      {{"node", "not hex"}, {"user_id", "000000000000000000000000000000bb"}},
                      {{"node", "0000000000004444"}},
                      "junk"}}};
    OpAuthors authors = OpAuthors::from_directory(directory);
    CHECK(authors.server_node == kServer);
    REQUIRE(authors.user_of_node.size() == 1);
    CHECK(to_hex(authors.user_of_node.at(kOmar)) == "000000000000000000000000000000aa");
    REQUIRE(authors.save(db.value()).ok());
    auto back = OpAuthors::load(db.value());
    REQUIRE(back.ok());
    CHECK(back.value() == authors);
}
