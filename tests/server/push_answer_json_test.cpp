// push_answer_json_test.cpp — the push answer written as text is exactly what a JSON tree of it
// dumps (nlohmann/json, sorted members, invalid UTF-8 replaced), for random results: batches with
// and without ids, every outcome, rejected ops without seq, error messages with quotes, control
// characters, non-ASCII and invalid UTF-8; and it parses back to the same values. The same for the
// "seqs" form devices ask for (each batch's seqs in op order, 0 for a rejected op, no op ids).
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
std::string tree_dump(const PushResult& result, PushAnswerForm form = PushAnswerForm::ops) {
    json results = json::array();
    for (const BatchResult& b : result.batches) {
        json entry{{"status", outcome_name(b.outcome)}};
        if (b.batch_id) entry["batch_id"] = to_hex(*b.batch_id);
        if (b.error) entry["error"] = {{"code", b.error->code}, {"message", b.error->message}};
        json ops = json::array();
        for (const OpResult& op : b.ops) {
            json o{{"op_id", to_hex(op.op_id)}, {"status", outcome_name(op.outcome)}};
            if (op.outcome != OpOutcome::rejected) o["seq"] = op.seq;
            ops.push_back(form == PushAnswerForm::seqs ? json(o.value("seq", std::int64_t{0})) : std::move(o));
        }
        entry[form == PushAnswerForm::seqs ? "seqs" : "ops"] = std::move(ops);
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

TEST_CASE("the seqs form: each batch's seqs in op order, 0 for a rejected op, otherwise the same answer") {
    CHECK(push_answer_json(PushResult{}, PushAnswerForm::seqs) == tree_dump(PushResult{}, PushAnswerForm::seqs));
    std::mt19937_64 rng(20261205);
    for (int i = 0; i < 2000; ++i) {
        const PushResult r = random_result(rng);
        const std::string text = push_answer_json(r, PushAnswerForm::seqs);
        REQUIRE(text == tree_dump(r, PushAnswerForm::seqs));
        const json parsed = json::parse(text);
        REQUIRE(parsed["results"].size() == r.batches.size());
        for (std::size_t b = 0; b < r.batches.size(); ++b) {
            const json& seqs = parsed["results"][b]["seqs"];
            REQUIRE(seqs.size() == r.batches[b].ops.size());
            for (std::size_t k = 0; k < seqs.size(); ++k) {
                const OpResult& op = r.batches[b].ops[k];
                CHECK(seqs[k] == (op.outcome == OpOutcome::rejected ? 0 : op.seq));
            }
            CHECK_FALSE(parsed["results"][b].contains("ops"));
        }
    }
}

TEST_CASE("a push asks for the seqs form with \"answer\":\"seqs\", anything else textual is the full form") {
    const json batch = json::parse(R"({"batch_id":"00000000000000000000000000000001","ops":[]})");
    auto form_of = [&](const json& answer) {
        json body{{"v", 1}, {"batches", json::array({batch})}};
        if (!answer.is_null()) body["answer"] = answer;
        return parse_push_request(body, 4);
    };
    CHECK(form_of(nullptr).value().answer_form == PushAnswerForm::ops);
    CHECK(form_of("seqs").value().answer_form == PushAnswerForm::seqs);
    CHECK(form_of("ops").value().answer_form == PushAnswerForm::ops);
    CHECK(form_of("ranges").value().answer_form == PushAnswerForm::ops);  // a later form: the full answer
    auto wrong = form_of(1);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "bad_request");
}
