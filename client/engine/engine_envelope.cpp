// engine_envelope.cpp — every sync request this device sends leaves sealed, and every answer is
// opened before the sync machine reads it (issue #4; lifebuoy/api_envelope.h, crypto/envelope.h).
//
// Before enrolling, the device reads the server's public key from GET /api/v1/info (the one
// plain call) and pins it; a server that later presents another key is refused
// (server_key_changed: syncing stops and says so — re-pinning is a person's decision, never
// silent). Counters: each request takes the next; they are reserved in blocks in sync_state
// (stored before use), so a crash never reuses one. The envelope's time is the device clock plus
// the offset a server's envelope_clock_skew answer reported, so a device with a wrong clock keeps
// syncing. Answers that did not open, or plain answers to a sealed request, are never trusted for
// data.
// Not here: what each step sends or means (engine_sync.cpp, engine_kb.cpp, engine_keys.cpp).
#include "engine/engine.h"
#include "lifebuoy/api_envelope.h"
#include "lifebuoy/crypto/envelope.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr std::int64_t kCounterBlock = 256;

}  // namespace

std::optional<SyncRequest> Engine::server_info_request() const {
    SyncRequest request;
    request.step = SyncStep::server_info;
    request.method = "GET";
    request.path = "/api/v1/info";
    return request;
}

Status Engine::seal_request(SyncRequest& request, std::int64_t now_ms) {
    if (!keys_.server()) return make_error("no_server_key", "this device has not pinned the server's key yet");
    // The next counter, reserved durably in blocks.
    if (next_counter_ <= 0) next_counter_ = sync_.envelope_counter + 1;
    if (next_counter_ > sync_.envelope_counter) {
        SyncState next = sync_;
        next.envelope_counter = next_counter_ + kCounterBlock - 1;
        auto tx = Transaction::begin(db_);
        if (!tx) return tx.error();
        if (auto s = save_sync_state(db_, next); !s) return s;
        if (auto s = tx.value().commit(); !s) return s;
        sync_ = std::move(next);
    }
    const auto counter = static_cast<std::uint64_t>(next_counter_++);
    auto channel = crypto::DeviceChannel::create(keys_.device(), *keys_.server());
    if (!channel) return channel.error();
    const std::string plaintext = api_request_plaintext(request.path, request.bearer, request.body.empty() ? "{}" : request.body);
    auto sealed = channel.value().seal_request(
        counter, static_cast<std::uint64_t>(now_ms + envelope_clock_offset_ms_),
        std::span(reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size()), *random_);
    if (!sealed) return sealed.error();
    request.method = "POST";
    request.body = envelope_to_body(sealed.value(), EnvelopeForm::binary);  // raw bytes: a quarter fewer than text
    request.content_type = std::string(kApiEnvelopeBinaryContentType);
    request.bearer.reset();
    request.counter = counter;
    return Ok{};
}

Result<std::string> Engine::open_answer(const SyncRequest& request, int http_status, std::string_view body,
                                        std::int64_t now_ms) {
    if (request.counter == 0) return std::string(body);  // the plain call (server_info)
    const bool plain = body.empty() || body.front() == '{';
    if (plain) {
        // Refused before the server could open it: a hint, never data.
        json parsed = json::parse(body, nullptr, false);
        const json* error = parsed.is_object() && parsed.contains("error") ? &parsed["error"] : nullptr;
        const std::string code = error && error->is_object() ? error->value("code", std::string()) : std::string();
        const std::string message = error && error->is_object() ? error->value("message", std::string()) : std::string();
        if (code == "envelope_clock_skew" && parsed.contains("server_time_ms") && parsed["server_time_ms"].is_number_integer())
            envelope_clock_offset_ms_ = parsed["server_time_ms"].get<std::int64_t>() - now_ms;  // then retried
        if (code == "envelope_replayed") next_counter_ = 0;  // take counters above a fresh reservation
        if (code == "envelope_replayed" || code == "envelope_clock_skew") {
            SyncState next = sync_;
            next.envelope_counter += kCounterBlock;
            if (auto s = save_sync_state(db_, next); !s) return s.error();
            sync_ = std::move(next);
        }
        if (code.empty())
            return make_error(http_status == 200 ? "not_sealed" : "http_" + std::to_string(http_status),
                              http_status == 200 ? "the server's answer was not sealed" : "the server answered " + std::to_string(http_status));
        return make_error(code, message);
    }
    if (!keys_.server()) return make_error("no_server_key", "no pinned server key");
    // In the request's form; a server from before the binary form answers in text.
    auto bytes = envelope_from_body(body, envelope_form_of_answer(body), kMaxSyncResponseBytes);
    if (!bytes) return make_error("bad_response", "the server's answer is not an envelope: " + bytes.error().message);
    auto channel = crypto::DeviceChannel::create(keys_.device(), *keys_.server());
    if (!channel) return channel.error();
    auto opened = channel.value().open_response(bytes.value(), request.counter);
    if (!opened) return opened.error();  // altered, for another request, another key: never trusted
    return std::string(opened.value().plaintext.begin(), opened.value().plaintext.end());
}

Result<SyncRequest> Engine::sealed_call(std::string path, std::string body_json) {
    if (!sync_.enrolled()) return make_error("not_enrolled", "this device is not enrolled");
    SyncRequest request;
    request.method = "POST";
    request.path = std::move(path);
    request.body = std::move(body_json);
    request.bearer = sync_.device_token;
    if (auto s = seal_request(request, env_.now_ms()); !s) return s.error();
    return request;
}

Result<std::string> Engine::open_sealed_answer(const SyncRequest& request, int http_status, std::string_view body) {
    if (body.empty() || body.front() == '{') return make_error("not_sealed", "a plain answer");
    return open_answer(request, http_status, body, env_.now_ms());
}

Status Engine::on_server_info(const json& body) {
    auto text = body.find("server_key");
    if (text == body.end() || !text->is_string()) return make_error("bad_response", "the server's info names no key");
    auto key = crypto::public_key_from_text(text->get<std::string>());
    if (!key) return make_error("bad_response", "the server's key is malformed");
    return keys_.pin_server(db_, key.value());  // server_key_changed for another key than the pinned one
}

}  // namespace lb::engine
