// api_codec.cpp — bounded parsing of sync API requests into typed structs; error bodies.
// Not here: anything with state (this file is compiled into the api_request fuzz target).
#include "api_codec.h"

#include <algorithm>
#include <charconv>
#include <tuple>
#include <exception>

#include "lifebuoy/sign_in_name.h"
#include "lifebuoy/wire.h"

namespace lb::server {
namespace {

using nlohmann::json;

Error bad_request(std::string message) { return make_error("bad_request", std::move(message)); }

// An optional string member of at most `max_bytes`; absent or null leaves `out` unchanged.
Status optional_text(const json& body, const char* name, std::string& out, std::size_t max_bytes) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return Ok{};
    if (!it->is_string()) return bad_request(std::string(name) + ": must be a string");
    const auto& text = it->get_ref<const std::string&>();
    if (text.size() > max_bytes) return make_error("too_long", std::string(name) + ": too long");
    out = text;
    return Ok{};
}

Result<std::size_t> optional_count(const json& body, const char* name, std::optional<std::size_t>& out) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::size_t{0};
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 || it->get<std::uint64_t>() > (1ULL << 40))
        return bad_request(std::string(name) + ": must be a positive whole number");
    out = static_cast<std::size_t>(it->get<std::uint64_t>());
    return *out;
}

bool is_lower_hex(std::string_view s, std::size_t length) {
    if (s.size() != length) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

bool is_base64url(std::string_view s) {
    for (char c : s) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

Result<std::int64_t> parse_seq(std::string_view text, const char* name) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0)
        return bad_request(std::string(name) + ": must be a whole number ≥ 0");
    return value;
}

}  // namespace

Result<OpenedRequest> open_request(std::string_view bytes, std::size_t max_bytes) {
    if (auto st = check_json_bounds(bytes, max_bytes); !st) return st.error();
    try {
        json body = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
        if (body.is_discarded()) return make_error("malformed_json", "the request body is not JSON");
        if (!body.is_object()) return bad_request("the request body must be a JSON object");
        return OpenedRequest{std::move(body)};
    } catch (const std::exception&) {  // allocation failure and the like: never crash on input
        return make_error("malformed_json", "the request body could not be parsed");
    }
}

std::string error_json(const Error& error) {
    json j{{"error", {{"code", error.code}, {"message", error.message}}}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

unsigned api_http_status(std::string_view code) {
    struct Entry {
        std::string_view code;
        unsigned status;
    };
    static constexpr Entry kTable[] = {
        {"unauthenticated", 401},
        {"forbidden", 403}, {"device_revoked", 403}, {"invite_invalid", 403}, {"invite_used", 403},
        {"sign_in_failed", 403}, {"sign_in_locked", 403},  // 403, not 429: a retry must be a person's
        {"invite_expired", 403}, {"guest_enrolment_disabled", 403}, {"user_disabled", 403},
        {"unknown_endpoint", 404},
        {"method_not_allowed", 405},
        {"enrolment_id_conflict", 409}, {"envelope_replayed", 409}, {"sign_in_name_taken", 409},
        {"too_large", 413}, {"too_many_batches", 413}, {"batch_too_large", 413}, {"too_many_deflections", 413},
        {"envelope_too_large", 413},
        {"rate_limited", 429},
        {"storage_error", 500}, {"internal_error", 500},
        {"unavailable", 503},
    };
    for (const auto& e : kTable) {
        if (e.code == code) return e.status;
    }
    return 400;  // every other code describes bad input
}

Result<EnrollRequest> parse_enroll_request(const json& body) {
    EnrollRequest r;
    std::string invite;
    if (auto st = optional_text(body, "invite", invite, kMaxApiTextBytes); !st) return st.error();
    for (char c : invite) {
        if (c == '-' || c == ' ') continue;
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if (!((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')))
            return make_error("invite_invalid", "invite: not an invite code");
        r.invite.push_back(lower);
    }
    if (auto it = body.find("guest"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) return bad_request("guest: must be true or false");
        r.guest = it->get<bool>();
    }
    for (auto [name, prefix, id_name] : {std::tuple{"sign_in", "name:", "name"}, std::tuple{"recover", "recovery:", "id"}}) {
        auto it = body.find(name);
        if (it == body.end() || it->is_null()) continue;
        if (!it->is_object() || r.sign_in) return bad_request(std::string(name) + ": must be an object, and only one way in");
        std::string who, proof;
        if (auto st = optional_text(*it, id_name, who, kMaxApiTextBytes); !st) return st.error();
        if (auto st = optional_text(*it, "proof", proof, kMaxApiTextBytes); !st) return st.error();
        if (std::string_view(name) == "sign_in") {
            auto normal = normalize_sign_in_name(who);
            if (!normal) return normal.error();
            who = normal.value();
        } else if (!is_lower_hex(who, 32)) {
            return bad_request("recover.id: must be 32 lowercase hex digits");
        }
        if (proof.empty()) return bad_request(std::string(name) + ".proof: missing");
        r.sign_in = SignInCredential{prefix + who, proof};
    }
    const int ways = (r.guest ? 1 : 0) + (r.invite.empty() ? 0 : 1) + (r.sign_in ? 1 : 0);
    if (ways != 1)
        return bad_request("give one of: an invite code, \"guest\":true, \"sign_in\" or \"recover\"");
    for (auto [name, out] : {std::pair{"display_name", &r.display_name}, std::pair{"device_label", &r.device_label},
                             std::pair{"platform", &r.platform}, std::pair{"public_key", &r.public_key}}) {
        if (auto st = optional_text(body, name, *out, kMaxApiTextBytes); !st) return st.error();
    }
    if (auto it = body.find("enrolment_id"); it != body.end() && !it->is_null()) {
        if (!it->is_string() || !is_lower_hex(it->get_ref<const std::string&>(), 32))
            return make_error("bad_enrolment_id", "enrolment_id: must be 32 lowercase hex digits");
        r.enrolment_id = it->get<std::string>();
    }
    return r;
}

Result<KeyBackupUpload> parse_key_backup_upload(const json& body) {
    KeyBackupUpload r;
    std::string who;
    for (auto [name, out] : {std::pair{"kind", &r.kind}, std::pair{"wrap", &r.wrap}, std::pair{"proof", &r.proof}}) {
        if (auto st = optional_text(body, name, *out, kMaxApiTextBytes); !st) return st.error();
        if (out->empty()) return bad_request(std::string(name) + ": missing");
    }
    if (r.kind == "passphrase") {
        if (auto st = optional_text(body, "sign_in_name", who, kMaxApiTextBytes); !st) return st.error();
        auto normal = normalize_sign_in_name(who);
        if (!normal) return normal.error();
        r.sign_in_name = normal.value();
        r.lookup = "name:" + r.sign_in_name;
    } else if (r.kind == "recovery") {
        if (auto st = optional_text(body, "recovery_id", who, kMaxApiTextBytes); !st) return st.error();
        if (!is_lower_hex(who, 32)) return bad_request("recovery_id: must be 32 lowercase hex digits");
        r.lookup = "recovery:" + who;
    } else {
        return bad_request("kind: \"passphrase\" or \"recovery\"");
    }
    return r;
}

Result<std::string> parse_sign_in_login_request(const json& body) {
    std::string name;
    if (auto st = optional_text(body, "name", name, kMaxApiTextBytes); !st) return st.error();
    return normalize_sign_in_name(name);
}

Result<std::string> parse_desk_request(const json& body) {
    std::string version;
    if (auto st = optional_text(body, "version", version, 64); !st) return st.error();
    return version;
}

Result<PushRequest> parse_push_request(const json& body, std::size_t max_batches) {
    auto v = body.find("v");
    const std::int64_t version = v != body.end() && v->is_number_integer() ? v->get<std::int64_t>() : 0;
    if (version != kApiVersion && version != kPushVersionSharedForm)
        return make_error("unsupported_version", "v: this server speaks versions 1 and 2 (batches in the shared form)");
    const bool shared_form = version == kPushVersionSharedForm;
    auto batches = body.find("batches");
    if (batches == body.end() || !batches->is_array()) return bad_request("batches: must be an array");
    if (batches->empty()) return bad_request("batches: empty");
    if (batches->size() > max_batches)
        return make_error("too_many_batches", "batches: at most " + std::to_string(max_batches) + " per push");
    PushRequest r;
    if (auto answer = body.find("answer"); answer != body.end()) {
        if (!answer->is_string()) return bad_request("answer: must be text (\"ops\" or \"seqs\")");
        if (answer->get_ref<const std::string&>() == "seqs") r.answer_form = PushAnswerForm::seqs;
    }
    r.batches.reserve(batches->size());
    for (const json& batch : *batches) {
        if (!batch.is_object()) {
            r.batches.emplace_back(bad_request("a batch must be a JSON object"));
            continue;
        }
        // The wire decoder is the one place that reads ops; the whole body already passed the
        // size and depth checks, which bound each batch (not printed and parsed again).
        r.batches.emplace_back(shared_form ? decode_shared_batch_json(batch) : decode_batch_json(batch));
    }
    return r;
}

Result<PullRequest> parse_pull_request(const json& body) {
    PullRequest r;
    auto cursor = body.find("cursor");
    if (cursor != body.end() && !cursor->is_null()) {
        if (!cursor->is_number_unsigned() || cursor->get<std::uint64_t>() > (1ULL << 53))
            return bad_request("cursor: must be a whole number ≥ 0");
        r.cursor = static_cast<std::int64_t>(cursor->get<std::uint64_t>());
    }
    if (auto n = optional_count(body, "max_ops", r.max_ops); !n) return n.error();
    if (auto n = optional_count(body, "max_bytes", r.max_bytes); !n) return n.error();
    return r;
}

Result<NotifyQuery> parse_notify_query(std::string_view query) {
    NotifyQuery r;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (key == "cursor") {
            auto seq = parse_seq(value, "cursor");
            if (!seq) return seq.error();
            r.cursor = seq.value();
        } else if (key == "wait") {
            auto seconds = parse_seq(value, "wait");
            if (!seconds) return seconds.error();
            r.wait_seconds = static_cast<int>(std::min<std::int64_t>(seconds.value(), 3600));
        }  // other parameters (cache busters) are ignored
    }
    return r;
}

Result<NotifyQuery> parse_notify_request(const json& body) {
    NotifyQuery r;
    auto pull = parse_pull_request(body);  // the same cursor rule
    if (!pull) return pull.error();
    r.cursor = pull.value().cursor;
    auto wait = body.find("wait");
    if (wait != body.end() && !wait->is_null()) {
        if (!wait->is_number_unsigned()) return bad_request("wait: must be a whole number of seconds ≥ 0");
        r.wait_seconds = static_cast<int>(std::min<std::uint64_t>(wait->get<std::uint64_t>(), 3600));
    }
    auto keys = body.find("keys_version");
    if (keys != body.end() && !keys->is_null()) {
        if (!keys->is_number_unsigned() || keys->get<std::uint64_t>() > std::uint64_t{1} << 62)
            return bad_request("keys_version: must be a whole number ≥ 0");
        r.keys_version = static_cast<std::int64_t>(keys->get<std::uint64_t>());
    }
    return r;
}

Result<KeysUpload> parse_keys_upload(const json& body) {
    KeysUpload r;
    for (auto [name, out] : {std::pair{"user_public_key", &r.user_public_key},
                             std::pair{"team_public_key", &r.team_public_key}}) {
        std::string text;
        if (auto st = optional_text(body, name, text, kMaxApiTextBytes); !st) return st.error();
        if (!text.empty()) *out = std::move(text);
    }
    auto wraps = body.find("team_key_wraps");
    if (wraps != body.end() && !wraps->is_null()) {
        if (!wraps->is_array()) return bad_request("team_key_wraps: must be an array");
        if (wraps->size() > kMaxKeyWrapsPerUpload)
            return make_error("too_many_items", "team_key_wraps: at most " + std::to_string(kMaxKeyWrapsPerUpload));
        for (std::size_t i = 0; i < wraps->size(); ++i) {
            const json& w = (*wraps)[i];
            const std::string at = "team_key_wraps[" + std::to_string(i) + "]";
            if (!w.is_object()) return bad_request(at + ": must be an object");
            TeamKeyWrap wrap;
            if (auto st = optional_text(w, "team_key_id", wrap.team_key_id, 32); !st) return st.error();
            if (auto st = optional_text(w, "user_id", wrap.user_id, 32); !st) return st.error();
            if (auto st = optional_text(w, "wrap", wrap.wrap, kMaxKeyWrapBytes); !st) return st.error();
            if (!is_lower_hex(wrap.team_key_id, 32) || !is_lower_hex(wrap.user_id, 32))
                return make_error("bad_id", at + ": ids are 32 lowercase hex digits");
            if (wrap.wrap.empty() || !is_base64url(wrap.wrap))
                return bad_request(at + ".wrap: must be base64url text");
            r.team_key_wraps.push_back(std::move(wrap));
        }
    }
    // Nothing to upload: the caller only reads the directory.
    return r;
}

std::optional<std::string> bearer_token(std::string_view authorization) {
    constexpr std::string_view kPrefix = "Bearer ";
    if (authorization.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    const std::string_view token = authorization.substr(kPrefix.size());
    if (!is_lower_hex(token, 64)) return std::nullopt;
    return std::string(token);
}

}  // namespace lb::server
