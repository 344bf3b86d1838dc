// shared_wire_test.cpp — the JSON wire format: canonical round trips, forward compatibility (unknown
// members, fields and entities pass through), and every class of hostile input coming back as a
// typed error, never an exception or a crash; the shared form of a batch (what devices push).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lifebuoy/wire.h"
#include "shared_test_support.h"

using namespace lb;

namespace {

const std::string kOpId = "0123456789abcdef0123456789abcdef";
const std::string kEntity = "fedcba9876543210fedcba9876543210";
const std::string kHlcText = "018bcfe568000002";
const std::string kNode = "000000000000d35c";

// A valid op document with `field` and raw JSON `value`; `extra` is spliced in as more members.
std::string op_json(const std::string& field, const std::string& value, const std::string& extra = "",
                    const std::string& entity = "ticket") {
    return R"({"v":1,"op_id":")" + kOpId + R"(","hlc":")" + kHlcText + R"(","node":")" + kNode +
           R"(","entity":")" + entity + R"(","entity_id":")" + kEntity + R"(","field":")" + field +
           R"(","value":)" + value + extra + "}";
}

std::string code_of(std::string_view json) {
    const auto r = decode_op(json);
    return r ? std::string("ok") : r.error().code;
}

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string temporaries.
std::string quoted(const std::string& s) {
    std::string out("\"");
    out.append(s).push_back('"');
    return out;
}

// The canonical form of a JSON text: sorted keys, no spaces.
std::string canonical(const std::string& text) { return nlohmann::json::parse(text).dump(); }

// decode_batch's answer; the push decoder's path (decode_batch_json on the parsed document) must
// give the same for every document that parses within the bounds.
std::string batch_code_of(std::string_view json) {
    const auto r = decode_batch(json);
    const std::string code = r ? std::string("ok") : r.error().code;
    if (check_json_bounds(json, kMaxBatchBytes)) {
        const auto tree = nlohmann::json::parse(json, nullptr, false);
        if (!tree.is_discarded()) {
            const auto from_tree = decode_batch_json(tree);
            CHECK((from_tree ? std::string("ok") : from_tree.error().code) == code);
            if (r && from_tree) CHECK(encode_batch(from_tree.value()) == encode_batch(r.value()));
        }
    }
    return code;
}

std::string batch_json(const std::string& ops, const std::string& extra = "") {
    return R"({"v":1,"batch_id":"00000000000000000000000000000001","ops":[)" + ops + "]" + extra + "}";
}

std::string inner_op(int i, const std::string& title = "\"t\"") {
    std::string id = kOpId;
    const std::string n = std::to_string(i);
    id.replace(id.size() - n.size(), n.size(), n);
    return R"({"op_id":")" + id + R"(","hlc":")" + kHlcText + R"(","node":")" + kNode +
           R"(","entity":"ticket","entity_id":")" + kEntity + R"(","field":"title","value":)" + title + "}";
}

}  // namespace

TEST_SUITE("shared.wire") {
    TEST_CASE("an op decodes into typed values and re-encodes to the same canonical bytes") {
        const std::string text = op_json("status", "\"in_progress\"");
        auto op = decode_op(text);
        REQUIRE(op);
        CHECK(op.value().entity == EntityKind::ticket);
        CHECK(op.value().field == Field::ticket_status);
        CHECK(std::get<std::string>(op.value().value) == "in_progress");
        CHECK(op.value().hlc == *hlc_from_hex(kHlcText));
        CHECK(op.value().node == 0xd35c);
        CHECK(encode_op(op.value()) == canonical(text));  // sorted keys, no spaces
    }

    TEST_CASE("values of every type round-trip") {
        test::Desk desk;
        auto b = desk.builder();
        const EntityId t = b.new_entity_id();
        const EntityId u = b.new_entity_id();
        b.set(EntityKind::ticket, t, Field::ticket_number, std::int64_t{1042})
            .set(EntityKind::ticket, t, Field::ticket_requester, u)
            .set(EntityKind::ticket, t, Field::ticket_assignee, Value{})  // null: unassigned
            .set(EntityKind::ticket, t, Field::ticket_title, std::string("Écran noir \"après\" mise à jour\n✓"))
            .set(EntityKind::user, u, Field::user_skills, TextList{"network", "printers"})
            .set(EntityKind::device, u, Field::device_revoked, true)
            .tombstone(EntityKind::kb_ref, u);
        const Batch batch = b.finish();
        const std::string text = encode_batch(batch);
        auto back = decode_batch(text);
        REQUIRE(back);
        CHECK(back.value().batch_id == batch.batch_id);
        REQUIRE(back.value().ops.size() == batch.ops.size());
        for (std::size_t i = 0; i < batch.ops.size(); ++i) CHECK(same_content(back.value().ops[i], batch.ops[i]));
        CHECK(encode_batch(back.value()) == text);
        for (const Op& op : batch.ops) {
            auto one = decode_op(encode_op(op));
            REQUIRE(one);
            CHECK(same_content(one.value(), op));
        }
    }

    TEST_CASE("encode_op writes exactly what the nlohmann path writes, for every value and awkward text") {
        test::Desk desk;
        auto b = desk.builder();
        const EntityId t = b.new_entity_id();
        const std::vector<std::string> texts = {
            "", "VPN drops every hour", "quote \" and backslash \\", "tab\tnew line\n\x01\x1f",
            "del \x7f", "Écran noir ✓ 日本語 😀", std::string("bad utf-8 \xff\xfe end"), std::string("cut \xe2\x82"),
            std::string(5000, 'x'), "zxcv0123_-ABC"};
        for (const std::string& text : texts) b.set(EntityKind::ticket, t, Field::ticket_title, text);
        b.set(EntityKind::ticket, t, Field::ticket_number, std::int64_t{-9'007'199'254'740'993})
            .set(EntityKind::ticket, t, Field::ticket_number, std::int64_t{0})
            .set(EntityKind::ticket, t, Field::ticket_requester, t)
            .set(EntityKind::ticket, t, Field::ticket_assignee, Value{})
            .set(EntityKind::user, t, Field::user_skills, TextList{"network", "imprimantes \"é\""})
            .set(EntityKind::device, t, Field::device_revoked, true)
            .set(EntityKind::device, t, Field::device_revoked, false);
        Batch batch = b.finish();
        batch.ops[0].clamped_from = Hlc::from(1'700'000'000'000, 3);
        auto unknown = decode_op(op_json("size", R"({"b":[1,2.5,null],"a":"é"})", "", "attachment"));
        REQUIRE(unknown);
        batch.ops.push_back(unknown.value());
        auto with_ext = decode_op(op_json("title", "\"x\"", R"(,"a_first":1,"zz_last":"z")"));
        REQUIRE(with_ext);
        batch.ops.push_back(with_ext.value());
        for (const Op& op : batch.ops) {
            const std::string expected = op_to_json(op, true).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            CHECK(encode_op(op) == expected);
        }
    }

    TEST_CASE("forward compatibility: what a newer version adds is kept and passed on") {
        SUBCASE("unknown members of an op") {
            auto op = decode_op(op_json("title", "\"x\"", R"(,"zz_new":{"b":[1,2.5,null],"a":"é"},"signature":"abc")"));
            REQUIRE(op);
            REQUIRE(op.value().ext);
            const std::string again = encode_op(op.value());
            CHECK(again.find(R"("zz_new":{"a":"é","b":[1,2.5,null]})") != std::string::npos);
            CHECK(again.find(R"("signature":"abc")") != std::string::npos);
            auto twice = decode_op(again);
            REQUIRE(twice);
            CHECK(encode_op(twice.value()) == again);
        }
        SUBCASE("an unknown field of a known entity, with any JSON value") {
            auto op = decode_op(op_json("sentiment", R"({"score":-0.5,"label":"upset"})"));
            REQUIRE(op);
            CHECK(op.value().field == Field::unknown);
            CHECK(field_name(op.value()) == "sentiment");
            CHECK(std::get<RawJson>(op.value().value).text == R"({"label":"upset","score":-0.5})");
            CHECK(code_of(encode_op(op.value())) == "ok");
            Replica r;  // merge keeps it like any other field
            Batch b;
            b.batch_id = Id128{0, 9};
            b.ops.push_back(op.value());
            REQUIRE(r.apply(b));
            CHECK(r.canonical_state().find("sentiment") != std::string::npos);
        }
        SUBCASE("an unknown entity kind") {
            auto op = decode_op(op_json("size", "1234", "", "attachment"));
            REQUIRE(op);
            CHECK(op.value().entity == EntityKind::unknown);
            CHECK(entity_name(op.value()) == "attachment");
            CHECK(encode_op(op.value()) == canonical(op_json("size", "1234", "", "attachment")));
        }
        SUBCASE("unknown members of a batch") {
            const std::string text = batch_json(inner_op(1), R"(,"priority_hint":"low")");
            auto b = decode_batch(text);
            REQUIRE(b);
            CHECK(encode_batch(b.value()).find(R"("priority_hint":"low")") != std::string::npos);
        }
        SUBCASE("a vocabulary word from a newer version decodes (the edge refuses to write it)") {
            auto op = decode_op(op_json("status", "\"on_hold\""));
            REQUIRE(op);
            CHECK(std::get<std::string>(op.value().value) == "on_hold");
        }
    }

    TEST_CASE("bounds are checked before parsing") {
        CHECK(code_of(std::string(kMaxOpBytes + 1, ' ')) == "too_large");
        CHECK(batch_code_of(std::string(kMaxBatchBytes + 1, '[')) == "too_large");
        std::string deep = op_json("title", "\"x\"", R"(,"n":)" + std::string(kMaxJsonDepth, '[') +
                                                      std::string(kMaxJsonDepth, ']'));
        CHECK(code_of(deep) == "too_deep");
        // brackets inside strings do not count
        CHECK(code_of(op_json("title", "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"")) == "ok");
        CHECK(code_of(std::string(100000, '[')) == "too_deep");
    }

    TEST_CASE("malformed JSON and invalid UTF-8 are typed errors") {
        CHECK(code_of("") == "malformed_json");
        CHECK(code_of("{") == "malformed_json");
        CHECK(code_of(R"({"v":1,})") == "malformed_json");
        CHECK(code_of(op_json("title", "\"\xff\xfe\"")) == "malformed_json");
        CHECK(code_of(op_json("title", "\"\xc0\xaf\"")) == "malformed_json");      // overlong '/'
        CHECK(code_of(op_json("title", "\"\xed\xa0\x80\"")) == "malformed_json");  // encoded surrogate
        CHECK(code_of(op_json("title", R"("\ud800")")) == "malformed_json");        // lone surrogate escape
        CHECK(code_of(op_json("title", "\"a\x01b\"")) == "malformed_json");        // raw control char
        CHECK(code_of(op_json("title", "\"ok\"") + "trailing") == "malformed_json");
    }

    TEST_CASE("wrong types and missing members") {
        CHECK(code_of("[]") == "wrong_type");
        CHECK(code_of("42") == "wrong_type");
        CHECK(code_of(R"({"op_id":")" + kOpId + "\"}") == "missing_field");  // no "v"
        CHECK(code_of(R"({"v":"1"})") == "wrong_type");
        CHECK(code_of(R"({"v":1.0})") == "wrong_type");
        CHECK(code_of(R"({"v":2})") == "unsupported_version");
        CHECK(code_of(R"({"v":-1})") == "unsupported_version");
        const std::string members[] = {"op_id", "hlc", "node", "entity", "entity_id", "field", "value"};
        for (const auto& m : members) {
            std::string text = op_json("title", "\"x\"");
            const auto at = text.find(quoted(m) + ":");
            REQUIRE(at != std::string::npos);
            const auto end = text.find_first_of(",}", text.find(':', at) + 1);
            text.erase(at, end - at + (text[end] == ',' ? 1 : 0));
            if (text[text.size() - 2] == ',') text.erase(text.size() - 2, 1);
            CAPTURE(text);
            CHECK(code_of(text) == "missing_field");
        }
        CHECK(code_of(op_json("title", "42")) == "wrong_type");
        CHECK(code_of(op_json("title", "[\"x\"]")) == "wrong_type");
        CHECK(code_of(op_json("number", "\"42\"")) == "wrong_type");
        CHECK(code_of(op_json("number", "2.5")) == "wrong_type");
        CHECK(code_of(op_json("deleted", "1")) == "wrong_type");
        CHECK(code_of(op_json("requester", "7")) == "wrong_type");
        CHECK(code_of(op_json("skills", "\"a\"", "", "user")) == "wrong_type");
        CHECK(code_of(op_json("skills", "[\"a\",1]", "", "user")) == "wrong_type");
        std::string numeric_id = op_json("title", "\"x\"");
        numeric_id.replace(numeric_id.find(quoted(kOpId)), kOpId.size() + 2, "12345");
        CHECK(code_of(numeric_id) == "wrong_type");
    }

    TEST_CASE("ids, clocks, names and tokens are strict") {
        auto with = [](const std::string& from, const std::string& to) {
            std::string text = op_json("title", "\"x\"");
            text.replace(text.find(from), from.size(), to);
            return code_of(text);
        };
        CHECK(with(kOpId, "0123456789ABCDEF0123456789ABCDEF") == "bad_id");
        CHECK(with(kOpId, "0123456789abcdef") == "bad_id");
        CHECK(with(kOpId, std::string(32, '0')) == "bad_id");
        CHECK(with(kEntity, "01234567-89ab-cdef-0123-456789abcdef") == "bad_id");
        CHECK(with(kNode, "0000000000000000") == "bad_id");
        CHECK(with(kHlcText, "018bcfe56800000") == "bad_hlc");
        CHECK(with(kHlcText, std::string(16, '0')) == "bad_hlc");
        CHECK(with("\"ticket\"", "\"Ticket\"") == "bad_value");
        CHECK(with("\"title\"", "\"\"") == "bad_value");
        CHECK(with("\"title\"", quoted(std::string(kMaxNameBytes + 1, 'x'))) == "bad_value");
        CHECK(code_of(op_json("status", "\"In Progress\"")) == "bad_value");
        CHECK(code_of(op_json("status", "null")) == "bad_value");  // not nullable
        CHECK(code_of(op_json("title", "\"x\"", R"(,"clamped_from":"nope")")) == "bad_hlc");
    }

    TEST_CASE("oversized strings and arrays, numbers out of range") {
        CHECK(code_of(op_json("title", quoted(std::string(2048, 'a')))) == "ok");
        CHECK(code_of(op_json("title", quoted(std::string(2049, 'a')))) == "too_long");
        CHECK(code_of(op_json("description", quoted(std::string(96 * 1024 + 1, 'a')))) == "too_long");
        std::string list = "[";
        for (std::size_t i = 0; i <= kMaxListItems; ++i) list.append(i ? ",\"s\"" : "\"s\"");
        list += "]";
        CHECK(code_of(op_json("skills", list, "", "user")) == "too_many_items");
        CHECK(code_of(op_json("skills", std::string("[").append(quoted(std::string(129, 's'))).append("]"), "", "user")) == "too_long");
        CHECK(code_of(op_json("satisfaction_rating", "5")) == "ok");
        CHECK(code_of(op_json("satisfaction_rating", "6")) == "out_of_range");
        CHECK(code_of(op_json("satisfaction_rating", "0")) == "out_of_range");
        CHECK(code_of(op_json("number", "-1")) == "out_of_range");
        CHECK(code_of(op_json("number", "9007199254740992")) == "out_of_range");
        CHECK(code_of(op_json("number", "18446744073709551615")) == "out_of_range");
        CHECK(code_of(op_json("number", "100000000000000000000000000000")) == "out_of_range");
        CHECK(code_of(op_json("number", "1e400")) != "ok");
        CHECK(code_of(op_json("response_due", "-9223372036854775808")) == "out_of_range");
        CHECK(code_of(op_json("sentiment", quoted(std::string(kMaxUnknownValueBytes, 'x')))) == "too_long");
        std::string many;
        for (std::size_t i = 0; i <= kMaxExtensionMembers; ++i) many.append(",\"x").append(std::to_string(i)).append("\":1");
        CHECK(code_of(op_json("title", "\"x\"", many)) == "too_many_items");
        CHECK(code_of(op_json("title", "\"x\"", ",\"x\":" + quoted(std::string(kMaxExtensionBytes, 'x')))) ==
              "too_long");
    }

    TEST_CASE("batch documents") {
        CHECK(batch_code_of(batch_json(inner_op(1) + "," + inner_op(2))) == "ok");
        CHECK(batch_code_of(batch_json("")) == "empty_batch");
        CHECK(batch_code_of(R"({"v":1,"batch_id":"00000000000000000000000000000001"})") == "missing_field");
        CHECK(batch_code_of(R"({"v":1,"batch_id":"00000000000000000000000000000001","ops":{}})") == "wrong_type");
        CHECK(batch_code_of(R"({"batch_id":"00000000000000000000000000000001","ops":[]})") == "missing_field");
        CHECK(batch_code_of(batch_json("17")) == "wrong_type");
        std::string ops;
        for (std::size_t i = 0; i <= kMaxBatchOps; ++i) ops.append(i ? "," : "").append(inner_op(static_cast<int>(i) + 1));
        CHECK(batch_code_of(batch_json(ops)) == "too_many_items");
        // the same op twice is a duplicate delivery; the same id with other content is refused
        CHECK(batch_code_of(batch_json(inner_op(1) + "," + inner_op(1))) == "ok");
        CHECK(batch_code_of(batch_json(inner_op(1) + "," + inner_op(1, "\"other\""))) == "op_id_conflict");
        // errors name the failing op
        const auto r = decode_batch(batch_json(inner_op(1) + "," + inner_op(2, "42")));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "wrong_type");
        CHECK(r.error().message.find("ops[1]") != std::string::npos);
        // a "v" inside a batch's op is allowed only if it is the batch's version
        CHECK(batch_code_of(batch_json(std::string(R"({"v":2,)").append(inner_op(1).substr(1)))) == "unsupported_version");
    }

    TEST_CASE("the shared form: entity, entity_id and node written once, the same batch back") {
        // Ops of two entities and two nodes: the first op's members are shared, the others keep theirs.
        std::string mixed = inner_op(1) + "," + inner_op(2);
        std::string other = inner_op(3);
        other.replace(other.find(kNode), kNode.size(), "000000000000beef");
        other.replace(other.find("\"entity\":\"ticket\""), 17, "\"entity\":\"comment\"");
        other.replace(other.find("\"field\":\"title\""), 15, "\"field\":\"body\"");
        mixed += "," + other;
        const auto full = decode_batch(batch_json(mixed, R"(,"later":{"x":1})"));
        REQUIRE(full.ok());
        const auto shared = encode_shared_batch(full.value());
        REQUIRE(shared.ok());
        const auto tree = nlohmann::json::parse(shared.value());
        CHECK(tree["shared"] == nlohmann::json{{"entity", "ticket"}, {"entity_id", kEntity}, {"node", kNode}});
        CHECK_FALSE(tree["ops"][0].contains("node"));
        CHECK_FALSE(tree["ops"][0].contains("entity_id"));
        CHECK(tree["ops"][2]["node"] == "000000000000beef");  // its own, not the shared one
        CHECK(tree["ops"][2]["entity"] == "comment");
        CHECK(tree["later"] == nlohmann::json{{"x", 1}});    // the extension passes through
        CHECK(shared.value().size() < encode_batch(full.value()).size());
        const auto back = decode_shared_batch_json(tree);
        REQUIRE(back.ok());
        CHECK(encode_batch(back.value()) == encode_batch(full.value()));

        // Written by hand: an op's own member wins over the shared one.
        const std::string own = R"({"v":1,"batch_id":"00000000000000000000000000000001",)"
                                R"("shared":{"entity":"ticket","entity_id":")" + kEntity + R"(","node":"000000000000beef"},)"
                                R"("ops":[{"op_id":")" + kOpId + R"(","hlc":")" + kHlcText + R"(","node":")" + kNode +
                                R"(","field":"title","value":"t"}]})";
        const auto decoded = decode_shared_batch_json(nlohmann::json::parse(own));
        REQUIRE(decoded.ok());
        CHECK(node_to_hex(decoded.value().ops[0].node) == kNode);
        CHECK(to_hex(decoded.value().ops[0].entity_id) == kEntity);
        // In the full form "shared" is nobody's default: ops must carry their members.
        CHECK(batch_code_of(own) == "missing_field");
    }

    TEST_CASE("the shared form's own errors are typed, a batch whose extension is called shared stays in full form") {
        const std::string op = R"({"op_id":")" + kOpId + R"(","hlc":")" + kHlcText + R"(","field":"title","value":"t"})";
        auto code = [&](const std::string& shared) {
            const std::string text = R"({"v":1,"batch_id":"00000000000000000000000000000001","shared":)" + shared +
                                     R"(,"ops":[)" + op + "]}";
            const auto r = decode_shared_batch_json(nlohmann::json::parse(text));
            return r ? std::string("ok") : r.error().code;
        };
        const std::string good = R"({"entity":"ticket","entity_id":")" + kEntity + R"(","node":")" + kNode + "\"}";
        CHECK(code(good) == "ok");
        CHECK(code("[]") == "wrong_type");
        CHECK(code(R"({"entity":"ticket","entity_id":")" + kEntity + R"(","node":")" + kNode + R"(","field":"title"})") == "bad_value");
        CHECK(code(R"({"entity":"ticket","entity_id":")" + kEntity + R"(","node":"0000000000000000"})") == "bad_id");
        CHECK(code(R"({"entity":"ticket","entity_id":"xyz","node":")" + kNode + "\"}") == "bad_id");
        CHECK(code(R"({"entity":"no such!","entity_id":")" + kEntity + R"(","node":")" + kNode + "\"}") == "bad_value");
        CHECK(code(R"({"entity":7,"entity_id":")" + kEntity + R"(","node":")" + kNode + "\"}") == "wrong_type");
        CHECK(code(R"({"entity":"ticket","node":")" + kNode + "\"}") == "missing_field");  // the op lacks it too

        // A later version's batch with a "shared" member of its own: kept in the full form, never re-read as ours.
        const auto full = decode_batch(batch_json(inner_op(1), R"(,"shared":{"x":1})"));
        REQUIRE(full.ok());
        const auto refused = encode_shared_batch(full.value());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == "bad_value");
    }

    TEST_CASE("property: random batches survive the shared form unchanged") {
        SeededRandom rng(20261205);
        const std::string nodes[] = {kNode, "000000000000beef", "00000000000000a1"};
        const std::string entities[] = {kEntity, "0123456789abcdef0123456789abcdef"};
        for (int round = 0; round < 500; ++round) {
            std::string ops;
            const int n = 1 + static_cast<int>(rng.next() % 8);
            for (int i = 0; i < n; ++i) {
                std::string o = inner_op(i + 1, quoted("t" + std::to_string(rng.next() % 1000)));
                o.replace(o.find(kNode), kNode.size(), nodes[rng.next() % 3]);
                o.replace(o.find(kEntity), kEntity.size(), entities[rng.next() % 2]);
                if (rng.next() % 4 == 0) o.insert(o.size() - 1, R"(,"note":"later")");
                ops.append(i ? "," : "").append(o);
            }
            const auto full = decode_batch(batch_json(ops));
            REQUIRE(full.ok());
            const auto shared = encode_shared_batch(full.value());
            REQUIRE(shared.ok());
            const auto back = decode_shared_batch_json(nlohmann::json::parse(shared.value()));
            REQUIRE(back.ok());
            CHECK(encode_batch(back.value()) == encode_batch(full.value()));
        }
    }

    TEST_CASE("garbage never throws and never crashes") {
        const std::string inputs[] = {
            "null", "true", "\"string\"", "{}", "[[[]]]", "{\"v\":1,\"ops\":null}", "\x00\x01\x02",
            "{\"v\":1e999}", "-", "{\"\":{\"\":{\"\":{}}}}", std::string(1000, '{'), std::string(1000, '"'),
            batch_json("null"), batch_json("[]"), batch_json("{}")};
        for (const auto& in : inputs) {
            CHECK_NOTHROW((void)decode_op(in));
            CHECK_NOTHROW((void)decode_batch(in));
            CHECK_FALSE(decode_op(in));
            CHECK_FALSE(decode_batch(in));
        }
    }
}
