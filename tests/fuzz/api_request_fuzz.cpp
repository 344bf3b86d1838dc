// api_request_fuzz.cpp — libFuzzer target for the sync API's request decoders (api_codec.h): the
// first code on the server that reads bytes from the network.
// Checks, besides "no crash, no sanitizer report, no exception": every refusal carries a code that
// maps to a 4xx status; an enrol request's enrolment_id, when decoded, is 32 digits; the push
// decoder never returns more batches than its limit, every batch it decodes re-encodes (wire.h) to
// a batch that decodes again, and each batch read from the parsed body is decoded as its printed
// text would be (decode_batch_json against decode_batch). The first input byte picks
// which decoder reads the rest (so each gets its own corpus region); the query-string decoder and
// the bearer-token parser read the same bytes.
// The knowledge-base decoders (kb_api_codec.h) are the same kind: a kb pull request keeps its
// cursor ≥ 0; a deflection push never holds more than kMaxDeflectionsPerPush entries, each decoded
// one with a 32-hex id, an article id and a version ≥ 1, and one id slot per entry.
// Seeds: tests/fuzz/corpus/api_request/.
// api_codec.cpp and kb_api_codec.cpp are compiled in directly: they depend on lb::shared and
// nlohmann/json only, so this target links what every fuzz target links (no lb::server_core).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../../sync-server/src/api_codec.cpp"
#include "lifebuoy/api_envelope.h"
#include "../../sync-server/src/kb_api_codec.cpp"

namespace {

void check_error(const lb::Error& e) {
    if (e.code.empty()) __builtin_trap();
    const unsigned status = lb::server::api_http_status(e.code);
    if (status < 400 || status >= 500) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned which = data[0] % 6;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    constexpr std::size_t kMaxBody = 1024 * 1024;
    constexpr std::size_t kMaxBatches = 8;

    if (auto q = lb::server::parse_notify_query(input); !q) check_error(q.error());
    if (auto token = lb::server::bearer_token(input); token && token->size() != 64) __builtin_trap();
    // What a sealed envelope holds once opened (api_envelope.h): path, token and the request object.
    if (auto plain = lb::parse_api_request_plaintext(input, kMaxBody); !plain) check_error(plain.error());
    else if (!plain.value().body.is_object()) __builtin_trap();

    auto opened = lb::server::open_request(input, kMaxBody);
    if (!opened) {
        check_error(opened.error());
        return 0;
    }
    const auto& body = opened.value().body;
    switch (which) {
        case 0: {
            auto push = lb::server::parse_push_request(body, kMaxBatches);
            if (!push) {
                check_error(push.error());
                break;
            }
            if (push.value().batches.size() > kMaxBatches) __builtin_trap();
            for (const auto& batch : push.value().batches) {
                if (!batch) {
                    check_error(batch.error());
                    continue;
                }
                const std::string encoded = lb::encode_batch(batch.value());
                if (encoded.size() <= lb::kMaxBatchBytes && !lb::decode_batch(encoded)) __builtin_trap();
            }
            // The push decoder reads each batch from the parsed body (decode_batch_json): the same
            // answer as printing it and decoding the text, the way it once did.
            for (const auto& element : body.at("batches")) {
                const std::string text = element.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                if (text.size() > lb::kMaxBatchBytes) continue;
                const auto from_tree = lb::decode_batch_json(element);
                const auto from_text = lb::decode_batch(text);
                if (from_tree.ok() != from_text.ok()) __builtin_trap();
                if (from_tree.ok() && lb::encode_batch(from_tree.value()) != lb::encode_batch(from_text.value()))
                    __builtin_trap();
                if (!from_tree.ok() && from_tree.error().code != from_text.error().code) __builtin_trap();
            }
            break;
        }
        case 1:
            if (auto pull = lb::server::parse_pull_request(body); !pull) check_error(pull.error());
            else if (pull.value().cursor < 0) __builtin_trap();
            break;
        case 2:
            if (auto enroll = lb::server::parse_enroll_request(body); !enroll) check_error(enroll.error());
            else if ((enroll.value().guest ? 1 : 0) + (enroll.value().invite.empty() ? 0 : 1) +
                         (enroll.value().sign_in ? 1 : 0) != 1)
                __builtin_trap();  // exactly one way in
            else if (const auto& id = enroll.value().enrolment_id; id && id->size() != 32) __builtin_trap();
            break;
        case 3:
            if (auto keys = lb::server::parse_keys_upload(body); !keys) check_error(keys.error());
            if (auto backup = lb::server::parse_key_backup_upload(body); !backup) check_error(backup.error());
            else if (backup.value().lookup.empty()) __builtin_trap();
            if (auto login = lb::server::parse_sign_in_login_request(body); !login) check_error(login.error());
            break;
        case 4:
            if (auto kb = lb::server::parse_kb_pull_request(body); !kb) check_error(kb.error());
            else if (kb.value().cursor < 0) __builtin_trap();
            break;
        default: {
            auto push = lb::server::parse_deflection_push(body);
            if (!push) {
                check_error(push.error());
                break;
            }
            const auto& entries = push.value().deflections;
            if (entries.size() > lb::server::kMaxDeflectionsPerPush || push.value().ids.size() != entries.size())
                __builtin_trap();
            for (const auto& entry : entries) {
                if (!entry) {
                    check_error(entry.error());
                    continue;
                }
                if (entry.value().id.size() != 32 || entry.value().article_id.empty() ||
                    entry.value().article_version < 1 || entry.value().at_ms < 0)
                    __builtin_trap();
            }
            break;
        }
    }
    (void)lb::server::error_json(lb::make_error("x", "y"));
    return 0;
}
