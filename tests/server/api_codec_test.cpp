// api_codec_test.cpp — the sync API's request decoders and error mapping (api_codec.h): bounded
// parsing, typed errors naming the member, HTTP statuses, invite normalisation, bearer tokens.
// Not here: what the server does with a request (sync_service_test.cpp).
#include <doctest/doctest.h>

#include <string>

#include "api_codec.h"
#include "lifebuoy/wire.h"

using namespace lb;
using namespace lb::server;

TEST_CASE("open_request refuses oversized, too deep, malformed and non-object bodies with typed errors") {
    CHECK(open_request(R"({"a":1})", 1024).ok());
    CHECK(open_request(std::string(2000, ' '), 1024).error().code == "too_large");
    CHECK(open_request(std::string(100, '[') + std::string(100, ']'), 1 << 20).error().code == "too_deep");
    CHECK(open_request("{nope", 1024).error().code == "malformed_json");
    CHECK(open_request("\"\xff\"", 1024).error().code == "malformed_json");  // invalid UTF-8
    CHECK(open_request("[1]", 1024).error().code == "bad_request");
}

TEST_CASE("error codes map to HTTP statuses, everything unknown is bad input") {
    CHECK(api_http_status("unauthenticated") == 401);
    CHECK(api_http_status("forbidden") == 403);
    CHECK(api_http_status("invite_used") == 403);
    CHECK(api_http_status("too_large") == 413);
    CHECK(api_http_status("too_many_batches") == 413);
    CHECK(api_http_status("batch_too_large") == 413);
    CHECK(api_http_status("storage_error") == 500);
    CHECK(api_http_status("malformed_json") == 400);
    CHECK(api_http_status("something_new") == 400);
    CHECK(error_json(make_error("forbidden", "no \"way\"")) ==
          R"({"error":{"code":"forbidden","message":"no \"way\""}})");
}

TEST_CASE("push requests: version, batch count, and per-batch decode errors") {
    auto body = [](const std::string& text) { return open_request(text, 1 << 20).value().body; };
    CHECK(parse_push_request(body(R"({"batches":[]})"), 4).error().code == "unsupported_version");
    CHECK(parse_push_request(body(R"({"v":1,"batches":{}})"), 4).error().code == "bad_request");
    CHECK(parse_push_request(body(R"({"v":1,"batches":[]})"), 4).error().code == "bad_request");
    CHECK(parse_push_request(body(R"({"v":1,"batches":[1,2,3,4,5]})"), 4).error().code == "too_many_batches");
    const std::string good = R"({"v":1,"batch_id":"0123456789abcdef0123456789abcdef","ops":[{"op_id":"00000000000000000000000000000001","hlc":"0001000000000000","node":"0000000000000001","entity":"ticket","entity_id":"00000000000000000000000000000002","field":"status","value":"new"}]})";
    auto r = parse_push_request(body(R"({"v":1,"batches":[)" + good + R"(,7,{"v":1}]})"), 4);
    REQUIRE(r.ok());
    REQUIRE(r.value().batches.size() == 3);
    CHECK(r.value().batches[0].ok());
    CHECK(encode_batch(r.value().batches[0].value()) == encode_batch(decode_batch(good).value()));
    CHECK(r.value().batches[1].error().code == "bad_request");
    CHECK(r.value().batches[2].error().code == "missing_field");
}

TEST_CASE("push requests of version 2: batches in the shared form decode to the same batches, v3 is refused") {
    auto body = [](const std::string& text) { return open_request(text, 1 << 20).value().body; };
    const std::string full = R"({"v":1,"batch_id":"0123456789abcdef0123456789abcdef","ops":[{"op_id":"00000000000000000000000000000001","hlc":"0001000000000000","node":"0000000000000001","entity":"ticket","entity_id":"00000000000000000000000000000002","field":"status","value":"new"}]})";
    const std::string shared = encode_shared_batch(decode_batch(full).value()).value();
    auto v2 = parse_push_request(body(R"({"v":2,"batches":[)" + shared + "]}"), 4);
    REQUIRE(v2.ok());
    REQUIRE(v2.value().batches[0].ok());
    CHECK(encode_batch(v2.value().batches[0].value()) == encode_batch(decode_batch(full).value()));
    // The full form is not the shared one's: in a version 1 push a shared batch misses its members.
    auto v1 = parse_push_request(body(R"({"v":1,"batches":[)" + shared + "]}"), 4);
    REQUIRE(v1.ok());
    CHECK(v1.value().batches[0].error().code == "missing_field");
    // A full batch is a shared one that shares nothing.
    auto v2_full = parse_push_request(body(R"({"v":2,"batches":[)" + full + "]}"), 4);
    REQUIRE(v2_full.ok());
    CHECK(v2_full.value().batches[0].ok());
    CHECK(parse_push_request(body(R"({"v":3,"batches":[)" + full + "]}"), 4).error().code == "unsupported_version");
}

TEST_CASE("pull, notify, enrol and keys requests") {
    auto body = [](const std::string& text) { return open_request(text, 1 << 20).value().body; };
    auto pull = parse_pull_request(body(R"({"cursor":12,"max_ops":5})"));
    REQUIRE(pull.ok());
    CHECK(pull.value().cursor == 12);
    CHECK(pull.value().max_ops == 5u);
    CHECK_FALSE(pull.value().max_bytes.has_value());
    CHECK(parse_pull_request(body(R"({"cursor":-1})")).error().code == "bad_request");
    CHECK(parse_pull_request(body(R"({"cursor":1.5})")).error().code == "bad_request");
    CHECK(parse_pull_request(body(R"({"max_ops":0})")).error().code == "bad_request");

    auto q = parse_notify_query("cursor=7&wait=3&_=123");
    REQUIRE(q.ok());
    CHECK(q.value().cursor == 7);
    CHECK(q.value().wait_seconds == 3);
    CHECK(parse_notify_query("").value().cursor == 0);
    CHECK_FALSE(parse_notify_query("cursor=x").ok());
    CHECK_FALSE(parse_notify_query("cursor=99999999999999999999999").ok());

    auto e = parse_enroll_request(body(R"({"invite":"ABCDEF-ghjkmn pqrstu"})"));
    REQUIRE(e.ok());
    CHECK(e.value().invite == "abcdefghjkmnpqrstu");
    CHECK(parse_enroll_request(body(R"({"guest":true})")).value().guest);
    CHECK(parse_enroll_request(body(R"({})")).error().code == "bad_request");
    CHECK(parse_enroll_request(body(R"({"invite":"a!b"})")).error().code == "invite_invalid");
    CHECK(parse_enroll_request(body(R"({"guest":true,"display_name":")" + std::string(300, 'x') + "\"}"))
              .error().code == "too_long");
    CHECK_FALSE(e.value().enrolment_id.has_value());
    const std::string id(32, 'a');
    CHECK(parse_enroll_request(body(R"({"guest":true,"enrolment_id":")" + id + "\"}")).value().enrolment_id == id);
    CHECK_FALSE(parse_enroll_request(body(R"({"guest":true,"enrolment_id":null})")).value().enrolment_id.has_value());
    for (const std::string& bad : {std::string(R"("")"), R"(")" + std::string(31, 'a') + R"(")",
                                  R"(")" + std::string(33, 'a') + R"(")", R"(")" + std::string(32, 'A') + R"(")",
                                  R"(")" + std::string(31, 'a') + R"(g")", std::string("12"), std::string("[]")}) {
        CAPTURE(bad);
        auto refused = parse_enroll_request(body(R"({"guest":true,"enrolment_id":)" + bad + "}"));
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == "bad_enrolment_id");
        CHECK(api_http_status(refused.error().code) == 400);
    }
    CHECK(api_http_status("enrolment_id_conflict") == 409);

    // Signing in on another device: one way in only; names normalised; recovery ids are 32 hex.
    auto signing_in = parse_enroll_request(body(R"({"sign_in":{"name":" Dana.Lee ","proof":"cHJvb2Y"}})"));
    REQUIRE(signing_in.ok());
    CHECK(signing_in.value().sign_in->lookup == "name:dana.lee");
    CHECK(signing_in.value().sign_in->proof == "cHJvb2Y");
    CHECK(parse_enroll_request(body(R"({"recover":{"id":")" + id + R"(","proof":"x"}})")).value().sign_in->lookup ==
          "recovery:" + id);
    CHECK(parse_enroll_request(body(R"({"guest":true,"sign_in":{"name":"dana","proof":"x"}})")).error().code == "bad_request");
    CHECK(parse_enroll_request(body(R"({"sign_in":{"name":"da na","proof":"x"}})")).error().code == "bad_sign_in_name");
    CHECK(parse_enroll_request(body(R"({"sign_in":{"name":"dana"}})")).error().code == "bad_request");
    CHECK(parse_enroll_request(body(R"({"recover":{"id":"ABC","proof":"x"}})")).error().code == "bad_request");
    CHECK(parse_enroll_request(body(R"({"sign_in":{"name":"dana","proof":"x"},"recover":{"id":")" + id +
                                    R"(","proof":"x"}})")).error().code == "bad_request");
    CHECK(api_http_status("sign_in_failed") == 403);
    CHECK(api_http_status("sign_in_locked") == 403);
    CHECK(api_http_status("sign_in_name_taken") == 409);
    CHECK(parse_key_backup_upload(body(R"({"kind":"passphrase","sign_in_name":"Dana","wrap":"w","proof":"p"})")).value().lookup ==
          "name:dana");
    CHECK(parse_key_backup_upload(body(R"({"kind":"other","wrap":"w","proof":"p"})")).error().code == "bad_request");
    CHECK(parse_key_backup_upload(body(R"({"kind":"recovery","recovery_id":"zz","wrap":"w","proof":"p"})")).error().code ==
          "bad_request");
    CHECK(parse_sign_in_login_request(body(R"({"name":"DANA"})")).value() == "dana");
    CHECK(parse_sign_in_login_request(body(R"({"name":"x"})")).error().code == "bad_sign_in_name");

    CHECK(parse_keys_upload(body(R"({})")).ok());  // nothing to upload: the caller only reads the directory
    CHECK(parse_notify_request(body(R"({"cursor":5,"wait":3})")).value().cursor == 5);
    CHECK(parse_notify_request(body(R"({"cursor":-1})")).error().code == "bad_request");
    CHECK(parse_keys_upload(body(R"({"team_key_wraps":[{"team_key_id":"x","user_id":"y","wrap":"z"}]})"))
              .error().code == "bad_id");

    CHECK(bearer_token("Bearer " + std::string(64, 'a')) == std::string(64, 'a'));
    CHECK_FALSE(bearer_token("Bearer " + std::string(63, 'a')).has_value());
    CHECK_FALSE(bearer_token("Basic " + std::string(64, 'a')).has_value());
    CHECK_FALSE(bearer_token("Bearer " + std::string(64, 'A')).has_value());
}
