// api_routes.cpp — opening a sealed call (api_envelope.h), then one function per endpoint: read
// what was sealed, call the service, seal the answer.
// Not here: the JSON decoders (api_codec.cpp), the logic (sync_service.cpp, sync_push.cpp).
#include "api_routes.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/version.h"
#include "server_storage.h"

namespace lb::server {
namespace {

using nlohmann::json;

Reply error_reply(const Error& error) { return json_reply(api_http_status(error.code), error_json(error)); }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json limits_json(const ServerConfig& c) {
    return json{{"max_request_body_bytes", c.max_request_body_bytes},
                {"max_push_batches", c.max_push_batches},
                {"max_batch_ops", c.max_batch_ops},
                {"max_pull_ops", c.max_pull_ops},
                {"max_pull_bytes", c.max_pull_bytes},
                {"max_long_poll_seconds", c.max_long_poll_seconds}};
}

Endpoint endpoint_of(std::string_view path) {
    if (path == "/api/v1/push") return Endpoint::push;
    if (path == "/api/v1/pull") return Endpoint::pull;
    if (path == "/api/v1/notify") return Endpoint::notify;
    if (path == "/api/v1/enroll") return Endpoint::enroll;
    if (path == "/api/v1/keys") return Endpoint::keys;
    if (path == "/api/v1/keys/backup") return Endpoint::key_backup;
    if (path == "/api/v1/sign_in/login") return Endpoint::sign_in_login;
    if (path == "/api/v1/info") return Endpoint::info;
    if (path == "/api/v1/kb/pull") return Endpoint::kb_pull;
    if (path == "/api/v1/kb/deflections") return Endpoint::kb_deflections;
    if (path == "/api/v1/desk") return Endpoint::desk;
    if (path == "/metrics") return Endpoint::metrics;
    return Endpoint::other;
}

Reply method_not_allowed(const char* allow) {
    Reply r = error_reply(make_error("method_not_allowed", std::string("use ") + allow));
    r.headers.emplace_back("Allow", allow);
    return r;
}

// A request kept for the call worker (the session's buffers are not the worker's to read).
struct OwnedRequest {
    explicit OwnedRequest(const RequestView& r)
        : method(r.method), target(r.target), accept_encoding(r.accept_encoding), if_none_match(r.if_none_match),
          body(r.body), authorization(r.authorization), client_address(r.client_address), content_type(r.content_type),
          from_loopback(r.from_loopback) {}
    RequestView view() const {
        return RequestView{method, target, accept_encoding, if_none_match, body, authorization, from_loopback,
                           client_address, content_type};
    }
    std::string method, target, accept_encoding, if_none_match, body, authorization, client_address, content_type;
    bool from_loopback;
};

// Where another thread (the call worker, the store thread) leaves an answer for a parked session
// to collect once it is woken.
template <class T>
class AnswerSlot {
public:
    void put(T value) {
        std::lock_guard lock(mutex_);
        value_.emplace(std::move(value));
    }
    std::optional<T> take() {
        std::lock_guard lock(mutex_);
        std::optional<T> out;
        out.swap(value_);
        return out;
    }

private:
    std::mutex mutex_;
    std::optional<T> value_;
};

}  // namespace

Reply ApiRoutes::handle(const RequestView& request) const {
    const std::string_view path = request.target.substr(0, request.target.find('?'));
    const Endpoint endpoint = endpoint_of(path);
    metrics_.count_request(endpoint);
    Reply reply;
    if (worker_ && endpoint != Endpoint::other) {
        auto owned = std::make_shared<const OwnedRequest>(request);
        reply = on_call_worker([this, owned, path_size = path.size(), endpoint] {
            const RequestView view = owned->view();
            return route(view, view.target.substr(0, path_size), endpoint);
        });
    } else {
        reply = route(request, path, endpoint);
    }
    reply.endpoint = endpoint;
    return reply;
}

Reply ApiRoutes::on_call_worker(std::function<Reply()> job) const {
    if (!worker_) return job();
    auto slot = std::make_shared<AnswerSlot<Reply>>();
    auto abandoned = std::make_shared<std::atomic<bool>>(false);  // the session stopped waiting
    auto deferred = std::make_shared<Deferred>();
    deferred->max_wait = std::chrono::seconds(service_.config().storage_wait_seconds);
    CallWorker* worker = worker_;
    deferred->start = [worker, slot, abandoned, job = std::move(job)](std::function<void()> wake) {
        const bool queued = worker->submit([slot, abandoned, job, wake] {
            if (abandoned->load()) return;  // not started in time: never run
            slot->put(job());
            wake();
        });
        if (!queued) wake();  // shutting down: answered `unavailable` at once
        return std::function<void()>([abandoned] { abandoned->store(true); });
    };
    deferred->finish = [slot](bool) {
        if (auto reply = slot->take()) return std::move(*reply);
        // Not opened yet (or its answer not sealed yet): answered in plain JSON.
        Reply r = error_reply(make_error("unavailable", "the server's storage is held up: send the request again"));
        r.headers.emplace_back("Retry-After", "1");
        return r;
    };
    Reply r;
    r.deferred = std::move(deferred);
    return r;
}

Reply ApiRoutes::route(const RequestView& request, std::string_view path, Endpoint endpoint) const {
    const bool get = request.method == "GET", post = request.method == "POST";

    switch (endpoint) {
        case Endpoint::metrics: return get ? metrics() : method_not_allowed("GET");
        case Endpoint::info: return get ? info() : method_not_allowed("GET");
        case Endpoint::enroll:
        case Endpoint::push:
        case Endpoint::pull:
        case Endpoint::notify:
        case Endpoint::keys:
        case Endpoint::key_backup:
        case Endpoint::sign_in_login:
        case Endpoint::kb_pull:
        case Endpoint::kb_deflections:
        case Endpoint::desk: break;
        default: return error_reply(make_error("unknown_endpoint", "no such API endpoint"));
    }
    if (!post) return method_not_allowed("POST");
    Reply refusal;
    const bool grouped_push = endpoint == Endpoint::push && committer_;
    auto opened = open_call(request, path, refusal, /*counter_checked_later=*/grouped_push);
    if (!opened) return refusal;
    const SealedCall& call = opened.value();
    if (grouped_push && call.counter <= service_.push_counter_seen(crypto::public_key_to_text(call.device)))
        return envelope_refusal(envelope_replayed_error());
    if (device_limiter_) {
        const auto decision = device_limiter_->take(crypto::public_key_to_text(call.device));
        if (!decision.allowed) {
            metrics_.count_rate_limited("device");
            const std::string seconds = std::to_string(decision.retry_after_seconds);
            Reply r = sealed_error(call, make_error("rate_limited", "too many requests from this device: try again in " +
                                                                        seconds + " s"));
            r.headers.emplace_back("Retry-After", seconds);  // plain HTTP: readable without opening the answer
            return r;
        }
    }
    if (endpoint == Endpoint::enroll) return enroll(call, request.from_loopback);
    if (endpoint == Endpoint::sign_in_login) return sign_in_login(call);
    if (!call.request.token)
        return sealed_error(call, make_error("unauthenticated", "the sealed request carries no device token"));
    if (grouped_push) return push_grouped(call);  // token and counter: checked with the group
    auto caller = service_.authenticate(*call.request.token);
    if (!caller) return sealed_error(call, caller.error());
    // The token and the key must be the same device's: a token copied off one device is useless
    // from another, and a device's key cannot use someone else's token.
    if (caller.value().device_key != crypto::public_key_to_text(call.device))
        return sealed_error(call, make_error("unauthenticated",
                                             "this device token belongs to another device key: enrol this device again"));
    switch (endpoint) {
        case Endpoint::push: return push(caller.value(), call);
        case Endpoint::pull: return pull(caller.value(), call);
        case Endpoint::notify: return notify(caller.value(), call);
        case Endpoint::kb_pull: return kb_pull(caller.value(), call);
        case Endpoint::kb_deflections: return kb_deflections(caller.value(), call);
        case Endpoint::key_backup: return key_backup(caller.value(), call);
        case Endpoint::desk: return desk(call);
        default: return keys(caller.value(), call);
    }
}

Reply ApiRoutes::envelope_refusal(const Error& e) const {
    json j{{"error", {{"code", e.code}, {"message", e.message}}}, {"server_time_ms", service_.now_ms()}};
    if (e.code == "server_key_changed") j["server_key"] = service_.server_public_key();
    return json_reply(api_http_status(e.code), dump(j));
}

Result<ApiRoutes::SealedCall> ApiRoutes::open_call(const RequestView& request, std::string_view path,
                                                   Reply& refusal, bool counter_checked_later) const {
    const std::uint64_t now = service_.now_ms();
    auto refuse = [&](const Error& e) -> Result<SealedCall> {
        refusal = envelope_refusal(e);
        return e;
    };
    const std::size_t max_bytes = service_.config().max_request_body_bytes;
    if (request.body.size() > max_bytes)
        return refuse(make_error("too_large", "the request is over " + std::to_string(max_bytes) + " bytes"));
    const EnvelopeForm form = envelope_form_of_content_type(request.content_type);
    auto bytes = envelope_from_body(request.body, form, max_bytes);
    if (!bytes) return refuse(make_error(bytes.error().code, "sync API requests are sealed envelopes: " + bytes.error().message));
    auto header = crypto::peek_envelope(bytes.value());
    if (!header) return refuse(header.error());
    if (header.value().server_key != crypto::key_id_of(server_key_.public_key))
        return refuse(make_error("server_key_changed",
                                 "this request was sealed for server key " + crypto::key_id_to_hex(header.value().server_key) +
                                     ", not this server's " + crypto::key_id_to_hex(crypto::key_id_of(server_key_.public_key))));
    const std::string device_key = crypto::public_key_to_text(header.value().device);
    auto channel = crypto::ServerChannel::create(server_key_, header.value().device);
    if (!channel) return refuse(channel.error());
    crypto::ReplayGuard guard;
    if (!counter_checked_later) {
        auto last = service_.envelope_counter(device_key);
        if (!last) return refuse(last.error());
        guard.set_last_counter(header.value().device, last.value());
    }
    auto opened = channel.value().open_request(bytes.value(), guard, now);
    if (!opened) return refuse(opened.error());
    // Stored before anything is acted on: the same envelope can never be accepted twice.
    if (!counter_checked_later) {
        if (auto accepted = service_.accept_envelope_counter(device_key, opened.value().counter); !accepted)
            return refuse(accepted.error());
    }
    SealedCall call{std::make_shared<const crypto::ServerChannel>(std::move(channel.value())), opened.value().counter,
                    header.value().device, form, {}};
    const std::string_view plaintext(reinterpret_cast<const char*>(opened.value().plaintext.data()),
                                     opened.value().plaintext.size());
    auto parsed = parse_api_request_plaintext(plaintext, max_bytes);
    if (!parsed) {
        refusal = sealed_error(call, parsed.error());
        return parsed.error();
    }
    if (parsed.value().path != path) {
        Error e = make_error("bad_request", "this request was sealed for " + parsed.value().path);
        refusal = sealed_error(call, e);
        return e;
    }
    call.request = std::move(parsed.value());
    return call;
}

Reply ApiRoutes::sealed_reply(const SealedCall& call, unsigned status, std::string json_text) const {
    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(json_text.data()), json_text.size());
    auto sealed = call.channel->seal_response(call.counter, service_.now_ms(), bytes, random_);
    if (!sealed) return error_reply(sealed.error());  // over the envelope limit: nothing to seal
    Reply r;
    r.status = status;
    r.headers = {{"Content-Type", std::string(envelope_content_type(call.form))}, {"Cache-Control", "no-store"}};
    r.body = envelope_to_body(sealed.value(), call.form);
    return r;
}

Reply ApiRoutes::sealed_error(const SealedCall& call, const Error& error) const {
    return sealed_reply(call, api_http_status(error.code), error_json(error));
}

Reply ApiRoutes::info() const {
    json j{{"v", kApiVersion}, {"version", kProductVersion}, {"server_key", service_.server_public_key()},
           {"limits", limits_json(service_.config())}};
    auto policy = service_.guest_policy();
    j["guest_enrolment"] = policy ? policy.value() : "off";
    return json_reply(200, dump(j));
}

Reply ApiRoutes::enroll(const SealedCall& call, bool from_loopback) const {
    auto parsed = parse_enroll_request(call.request.body);
    if (!parsed) return sealed_error(call, parsed.error());
    // The device enrols the key its envelopes come from (a public_key it names must be that key).
    const std::string device_key = crypto::public_key_to_text(call.device);
    if (!parsed.value().public_key.empty() && parsed.value().public_key != device_key)
        return sealed_error(call, make_error("bad_key", "public_key: not the key this request was sealed with"));
    parsed.value().public_key = device_key;
    auto e = service_.enroll(parsed.value(), from_loopback);
    if (!e) return sealed_error(call, e.error());
    const Enrolment& en = e.value();
    json j{{"v", kApiVersion},
           {"device_token", en.device_token},
           {"user_id", to_hex(en.user)},
           {"device_id", to_hex(en.device)},
           {"role", to_name(en.role)},
           {"node", node_to_hex(en.node)},
           {"display_name", en.display_name},
           {"server_key", service_.server_public_key()},
           {"limits", limits_json(service_.config())}};
    if (!en.key_backup.empty()) j["key_backup"] = en.key_backup;
    return sealed_reply(call, 200, dump(j));
}

Reply ApiRoutes::sign_in_login(const SealedCall& call) const {
    auto name = parse_sign_in_login_request(call.request.body);
    if (!name) return sealed_error(call, name.error());
    auto login = service_.sign_in_login(name.value());
    if (!login) return sealed_error(call, login.error());
    return sealed_reply(call, 200, dump(json{{"v", kApiVersion}, {"name", name.value()}, {"login", login.value()}}));
}

Reply ApiRoutes::desk(const SealedCall& call) const {
    if (!desk_settings_) return sealed_error(call, make_error("unknown_endpoint", "this server shares no desk settings"));
    auto held = parse_desk_request(call.request.body);
    if (!held) return sealed_error(call, held.error());
    return sealed_reply(call, 200, desk_answer_json(*desk_settings_, held.value()));
}

Reply ApiRoutes::key_backup(const Caller& caller, const SealedCall& call) const {
    auto parsed = parse_key_backup_upload(call.request.body);
    if (!parsed) return sealed_error(call, parsed.error());
    if (auto st = service_.store_key_backup(caller, parsed.value()); !st) return sealed_error(call, st.error());
    json j{{"v", kApiVersion}, {"kind", parsed.value().kind}, {"stored", true}};
    if (!parsed.value().sign_in_name.empty()) j["sign_in_name"] = parsed.value().sign_in_name;
    return sealed_reply(call, 200, dump(j));
}

Reply ApiRoutes::push(const Caller& caller, const SealedCall& call) const {
    auto parsed = parse_push_request(call.request.body, service_.config().max_push_batches);
    if (!parsed) return sealed_error(call, parsed.error());
    const PushAnswerForm form = parsed.value().answer_form;
    auto result = service_.push(caller, std::move(parsed).value());
    if (!result) return sealed_error(call, result.error());
    return push_answer(call, result.value(), form);
}

Reply ApiRoutes::push_grouped(const SealedCall& call) const {
    auto parsed = parse_push_request(call.request.body, service_.config().max_push_batches);
    if (!parsed) return sealed_error(call, parsed.error());
    const PushAnswerForm form = parsed.value().answer_form;
    auto push = std::make_shared<SealedPush>(SealedPush{*call.request.token, crypto::public_key_to_text(call.device),
                                                        call.counter, std::move(parsed).value()});
    auto slot = std::make_shared<AnswerSlot<Result<PushResult>>>();
    auto deferred = std::make_shared<Deferred>();
    // Not stored by then: answered `unavailable` (it may still commit: a push is idempotent, the
    // device sends it again and gets duplicates).
    deferred->max_wait = std::chrono::seconds(service_.config().storage_wait_seconds);
    PushCommitter* committer = committer_;
    deferred->start = [committer, push, slot](std::function<void()> wake) {
        committer->submit(std::move(*push), [slot, wake = std::move(wake)](Result<PushResult> answer) {
            slot->put(std::move(answer));
            wake();
        });
        return std::function<void()>([] {});
    };
    deferred->finish = [this, call = call.for_answer(), slot, form](bool) {
        std::optional<Result<PushResult>> answer = slot->take();
        if (!answer) {
            Reply r = sealed_error(call, make_error("unavailable", "the push is taking long to store: send it again"));
            r.headers.emplace_back("Retry-After", "1");
            return r;
        }
        if (!*answer) {
            // A replayed envelope is refused in plain JSON, as every call's is before it opens.
            if (answer->error().code == "envelope_replayed") return envelope_refusal(answer->error());
            return sealed_error(call, answer->error());
        }
        return push_answer(call, answer->value(), form);
    };
    Reply r;
    r.deferred = std::move(deferred);
    return r;
}

std::string push_answer_json(const PushResult& result, PushAnswerForm form) {
    std::size_t ops = 0;
    for (const BatchResult& b : result.batches) ops += b.ops.size();
    std::string text;
    text.reserve(64 + result.batches.size() * 96 + ops * 72);
    text.append("{\"high_water\":").append(std::to_string(result.high_water)).append(",\"results\":[");
    for (std::size_t i = 0; i < result.batches.size(); ++i) {
        const BatchResult& b = result.batches[i];
        if (i > 0) text.push_back(',');
        text.push_back('{');
        if (b.batch_id) text.append("\"batch_id\":\"").append(to_hex(*b.batch_id)).append("\",");
        if (b.error) {  // free text: escaped (and any invalid UTF-8 replaced) by the library
            text.append("\"error\":").append(dump(json{{"code", b.error->code}, {"message", b.error->message}})).push_back(',');
        }
        if (form == PushAnswerForm::seqs) {
            text.append("\"seqs\":[");
            for (std::size_t k = 0; k < b.ops.size(); ++k) {
                if (k > 0) text.push_back(',');
                text.append(std::to_string(b.ops[k].outcome == OpOutcome::rejected ? 0 : b.ops[k].seq));
            }
        } else {
            text.append("\"ops\":[");
            for (std::size_t k = 0; k < b.ops.size(); ++k) {
                const OpResult& op = b.ops[k];
                if (k > 0) text.push_back(',');
                text.append("{\"op_id\":\"").append(to_hex(op.op_id)).push_back('"');
                if (op.outcome != OpOutcome::rejected) text.append(",\"seq\":").append(std::to_string(op.seq));
                text.append(",\"status\":\"").append(outcome_name(op.outcome)).append("\"}");
            }
        }
        text.append("],\"status\":\"").append(outcome_name(b.outcome)).append("\"}");
    }
    text.append("],\"v\":").append(std::to_string(kApiVersion)).push_back('}');
    return text;
}

Reply ApiRoutes::push_answer(const SealedCall& call, const PushResult& result, PushAnswerForm form) const {
    return sealed_reply(call, 200, push_answer_json(result, form));
}

Reply ApiRoutes::pull(const Caller& caller, const SealedCall& call) const {
    auto parsed = parse_pull_request(call.request.body);
    if (!parsed) return sealed_error(call, parsed.error());
    auto page = service_.pull(caller, parsed.value());
    if (!page) return sealed_error(call, page.error());
    // The stored op documents are spliced in as they are: no re-parse, no re-encode.
    std::string text = "{\"v\":" + std::to_string(kApiVersion) + ",\"cursor\":" + std::to_string(page.value().cursor) +
                       ",\"more\":" + (page.value().more ? "true" : "false") + ",\"ops\":[";
    for (std::size_t i = 0; i < page.value().bodies.size(); ++i) {
        if (i > 0) text.push_back(',');
        text += page.value().bodies[i];
    }
    text += "],\"seqs\":[";  // each op's server_seq (devices tell which change reached the server first)
    for (std::size_t i = 0; i < page.value().seqs.size(); ++i) {
        if (i > 0) text.push_back(',');
        text += std::to_string(page.value().seqs[i]);
    }
    text += "]}";
    return sealed_reply(call, 200, std::move(text));
}

Reply ApiRoutes::kb_pull(const Caller& caller, const SealedCall& call) const {
    auto parsed = parse_kb_pull_request(call.request.body);
    if (!parsed) return sealed_error(call, parsed.error());
    auto page = service_.kb_pull(caller, parsed.value());
    if (!page) return sealed_error(call, page.error());
    // The stored article documents are spliced in as they are, like pulled ops.
    std::string text = "{\"v\":" + std::to_string(kApiVersion) + ",\"cursor\":" + std::to_string(page.value().cursor) +
                       ",\"more\":" + (page.value().more ? "true" : "false") + ",\"articles\":[";
    for (std::size_t i = 0; i < page.value().bodies.size(); ++i) {
        if (i > 0) text.push_back(',');
        text += page.value().bodies[i];
    }
    text += "]}";
    return sealed_reply(call, 200, std::move(text));
}

Reply ApiRoutes::kb_deflections(const Caller& caller, const SealedCall& call) const {
    auto parsed = parse_deflection_push(call.request.body);
    if (!parsed) return sealed_error(call, parsed.error());
    auto results = service_.push_deflections(caller, parsed.value());
    if (!results) return sealed_error(call, results.error());
    json list = json::array();
    for (const DeflectionResult& r : results.value()) {
        json entry{{"status", outcome_name(r.outcome)}};
        if (!r.id.empty()) entry["id"] = r.id;
        if (r.error) entry["error"] = {{"code", r.error->code}, {"message", r.error->message}};
        list.push_back(std::move(entry));
    }
    return sealed_reply(call, 200, dump(json{{"v", kApiVersion}, {"results", std::move(list)}}));
}

Reply ApiRoutes::notify(const Caller& caller, const SealedCall& call) const {
    auto parsed = parse_notify_request(call.request.body);
    if (!parsed) return sealed_error(call, parsed.error());
    const std::int64_t cursor = parsed.value().cursor;
    const std::optional<std::int64_t> keys_version = parsed.value().keys_version;
    const int max_wait = service_.config().max_long_poll_seconds;
    const int wait = std::min(parsed.value().wait_seconds.value_or(max_wait), max_wait);
    auto answer = [this, call = call.for_answer(), cursor](bool changed) {
        return sealed_reply(call, 200, "{\"v\":1,\"changed\":" + std::string(changed ? "true" : "false") +
                                           ",\"cursor\":" + std::to_string(cursor) + "}");
    };
    LiveNotifier& notifier = service_.notifier();
    const std::int64_t seen = notifier.published();  // before the check: a later publish wakes us
    auto changed = service_.has_changes(caller, cursor, keys_version);
    if (!changed) return sealed_error(call, changed.error());
    if (changed.value() || wait == 0) return answer(changed.value());

    auto deferred = std::make_shared<Deferred>();
    deferred->max_wait = std::chrono::seconds(wait);
    deferred->start = [&notifier, caller, seen](std::function<void()> wake) {
        const std::uint64_t id = notifier.subscribe(caller.user, sees_everything(caller.role), seen, std::move(wake));
        return std::function<void()>([&notifier, id] { notifier.unsubscribe(id); });
    };
    SyncService& service = service_;
    deferred->finish = [this, &service, caller, call = call.for_answer(), cursor, keys_version, answer](bool woken) {
        if (!woken) return answer(false);
        return on_call_worker([this, &service, caller, call, cursor, keys_version, answer] {
            auto now_changed = service.has_changes(caller, cursor, keys_version);
            if (!now_changed) return sealed_error(call, now_changed.error());
            return answer(now_changed.value());
        });
    };
    Reply r;
    r.deferred = std::move(deferred);
    return r;
}

Reply ApiRoutes::keys(const Caller& caller, const SealedCall& call) const {
    auto parsed = parse_keys_upload(call.request.body);
    if (!parsed) return sealed_error(call, parsed.error());
    const KeysUpload& upload = parsed.value();
    if (upload.user_public_key || upload.team_public_key || !upload.team_key_wraps.empty()) {
        if (auto st = service_.upload_keys(caller, upload); !st) return sealed_error(call, st.error());
    }
    auto dir = service_.key_directory(caller);
    if (!dir) return sealed_error(call, dir.error());
    return sealed_reply(call, 200, dump(dir.value()));
}

Reply ApiRoutes::metrics() const {
    Reply r;
    r.headers = {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}, {"Cache-Control", "no-store"}};
    ScrapeGauges gauges = service_.gauges();
    const auto cache = ServerStorage::page_cache_use();
    gauges.page_cache_reserved = cache.reserved;
    gauges.page_cache_reserved_used = cache.reserved_used;
    gauges.page_cache_overflow_bytes = cache.overflow_bytes;
    r.body = metrics_.render(gauges);
    return r;
}

}  // namespace lb::server
