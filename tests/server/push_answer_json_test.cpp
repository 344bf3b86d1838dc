// push_answer_json_test.cpp — the push answer written as text is exactly what a JSON tree of it
// dumps (nlohmann/json, sorted members, invalid UTF-8 replaced), for random results: batches with
// and without ids, every outcome, rejected ops without seq, error messages with quotes, control
// characters, non-ASCII and invalid UTF-8; and it parses back to the same values.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "api_routes.h"

using namespace lb;
using namespace lb::server;
using nlohmann::json;

namespace {

// The answer as the server built it before it was written directly (a tree, then dump).
std::string tree_dump(const PushResult& result) {
    json results = json::array();
    for (const BatchResult& b : result.batches) {
        json entry{{"status", outcome_name(b.outcome)}};
        if (b.batch_id) entry["batch_id"] = to_hex(*b.batch_id);
        if (b.error) entry["error"] = {{"code", b.error->code}, {"message", b.error->message}};
        json ops = json::array();
        for (const OpResult& op : b.ops) {
            json o{{"op_id", to_hex(op.op_id)}, {"status", outcome_name(op.outcome)}};
            if (op.outcome != OpOutcome::rejected) o["seq"] = op.seq;
            ops.push_back(std::move(o));
        }
        entry["ops"] = std::move(ops);
        results.push_back(std::move(entry));
    }
    json j{{"v", kApiVersion}, {"high_water", result.high_water}, {"results", std::move(results)}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string random_text(std::mt19937_64& rng) {
    static const std::string pieces[] = {"op_id_conflict", "a \"quoted\" word", "back\\slash", "tab\there",
                                         "line\nbreak", std::string("nul\0byte", 8), "\x01\x1f", "café",
                                         "日本", "\xff\xfe", "\xc3", "plain"};
    std::string out;
    const int n = static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) out += pieces[rng() % std::size(pieces)];
    return out;
}

PushResult random_result(std::mt19937_64& rng) {
    const OpOutcome outcomes[] = {OpOutcome::accepted, OpOutcome::duplicate, OpOutcome::rejected};
    PushResult r;
    r.high_water = static_cast<std::int64_t>(rng() % 1000000000);
    const int batches = static_cast<int>(rng() % 5);
    for (int i = 0; i < batches; ++i) {
        BatchResult b;
        if (rng() % 4) b.batch_id = Id128{rng(), rng()};
        b.outcome = outcomes[rng() % 3];
        if (rng() % 3 == 0) b.error = make_error(random_text(rng), random_text(rng));
        const int ops = static_cast<int>(rng() % 6);
        for (int k = 0; k < ops; ++k) b.ops.push_back({Id128{rng(), rng()}, outcomes[rng() % 3],
                                                       static_cast<std::int64_t>(rng() % 100000)});
        r.batches.push_back(std::move(b));
    }
    return r;
}

}  // namespace

TEST_CASE("the push answer written as text is what its JSON tree dumps") {
    CHECK(push_answer_json(PushResult{}) == tree_dump(PushResult{}));
    std::mt19937_64 rng(20261204);
    for (int i = 0; i < 2000; ++i) {
        const PushResult r = random_result(rng);
        const std::string text = push_answer_json(r);
        REQUIRE(text == tree_dump(r));
        const json parsed = json::parse(text);
        CHECK(parsed["results"].size() == r.batches.size());
        CHECK(parsed["high_water"] == r.high_water);
    }
}
