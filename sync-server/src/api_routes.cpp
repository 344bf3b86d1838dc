// api_routes.cpp — one function per endpoint: open the request, call the service, seal the reply.
// Not here: the JSON decoders (api_codec.cpp), the logic (sync_service.cpp, sync_push.cpp).
#include "api_routes.h"

#include <nlohmann/json.hpp>

#include "lifebuoy/version.h"

namespace lb::server {
namespace {

using nlohmann::json;

Reply error_reply(const Error& error) { return json_reply(api_http_status(error.code), error_json(error)); }

Reply ok_reply(const RequestSeal& seal, std::string json_text) {
    return json_reply(200, seal_response(seal, std::move(json_text)));
}

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
    if (path == "/api/v1/info") return Endpoint::info;
    if (path == "/api/v1/kb/pull") return Endpoint::kb_pull;
    if (path == "/api/v1/kb/deflections") return Endpoint::kb_deflections;
    if (path == "/metrics") return Endpoint::metrics;
    return Endpoint::other;
}

Reply method_not_allowed(const char* allow) {
    Reply r = error_reply(make_error("method_not_allowed", std::string("use ") + allow));
    r.headers.emplace_back("Allow", allow);
    return r;
}

}  // namespace

Reply ApiRoutes::handle(const RequestView& request) const {
    const auto query_at = request.target.find('?');
    const std::string_view path = request.target.substr(0, query_at);
    const std::string_view query =
        query_at == std::string_view::npos ? std::string_view{} : request.target.substr(query_at + 1);
    const Endpoint endpoint = endpoint_of(path);
    metrics_.count_request(endpoint);
    const bool get = request.method == "GET", post = request.method == "POST";

    switch (endpoint) {
        case Endpoint::metrics: return get ? metrics() : method_not_allowed("GET");
        case Endpoint::info: return get ? info() : method_not_allowed("GET");
        case Endpoint::enroll: return post ? enroll(request) : method_not_allowed("POST");
        case Endpoint::push:
        case Endpoint::pull:
        case Endpoint::notify:
        case Endpoint::keys:
        case Endpoint::kb_pull:
        case Endpoint::kb_deflections: break;
        default: return error_reply(make_error("unknown_endpoint", "no such API endpoint"));
    }
    if (endpoint == Endpoint::push || endpoint == Endpoint::pull || endpoint == Endpoint::kb_pull ||
        endpoint == Endpoint::kb_deflections) {
        if (!post) return method_not_allowed("POST");
    } else if (endpoint == Endpoint::notify) {
        if (!get) return method_not_allowed("GET");
    } else if (!get && !post) {
        return method_not_allowed("GET, POST");
    }
    auto token = bearer_token(request.authorization);
    if (!token) return error_reply(make_error("unauthenticated", "send the device token: Authorization: Bearer <token>"));
    auto caller = service_.authenticate(*token);
    if (!caller) return error_reply(caller.error());
    switch (endpoint) {
        case Endpoint::push: return push(caller.value(), request);
        case Endpoint::pull: return pull(caller.value(), request);
        case Endpoint::notify: return notify(caller.value(), query);
        case Endpoint::kb_pull: return kb_pull(caller.value(), request);
        case Endpoint::kb_deflections: return kb_deflections(caller.value(), request);
        default: return keys(caller.value(), request);
    }
}

Reply ApiRoutes::info() const {
    json j{{"v", kApiVersion}, {"version", kProductVersion}, {"server_key", service_.server_public_key()},
           {"limits", limits_json(service_.config())}};
    auto policy = service_.guest_policy();
    j["guest_enrolment"] = policy ? policy.value() : "off";
    return json_reply(200, dump(j));
}

Reply ApiRoutes::enroll(const RequestView& request) const {
    auto opened = open_request(request.body, service_.config().max_request_body_bytes);
    if (!opened) return error_reply(opened.error());
    auto parsed = parse_enroll_request(opened.value().body);
    if (!parsed) return error_reply(parsed.error());
    auto e = service_.enroll(parsed.value(), request.from_loopback);
    if (!e) return error_reply(e.error());
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
    return ok_reply(opened.value().seal, dump(j));
}

Reply ApiRoutes::push(const Caller& caller, const RequestView& request) const {
    auto opened = open_request(request.body, service_.config().max_request_body_bytes);
    if (!opened) return error_reply(opened.error());
    auto parsed = parse_push_request(opened.value().body, service_.config().max_push_batches);
    if (!parsed) return error_reply(parsed.error());
    auto result = service_.push(caller, std::move(parsed).value());
    if (!result) return error_reply(result.error());
    json results = json::array();
    for (const BatchResult& b : result.value().batches) {
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
    json j{{"v", kApiVersion}, {"high_water", result.value().high_water}, {"results", std::move(results)}};
    return ok_reply(opened.value().seal, dump(j));
}

Reply ApiRoutes::pull(const Caller& caller, const RequestView& request) const {
    auto opened = open_request(request.body, service_.config().max_request_body_bytes);
    if (!opened) return error_reply(opened.error());
    auto parsed = parse_pull_request(opened.value().body);
    if (!parsed) return error_reply(parsed.error());
    auto page = service_.pull(caller, parsed.value());
    if (!page) return error_reply(page.error());
    // The stored op documents are spliced in as they are: no re-parse, no re-encode.
    std::string text = "{\"v\":" + std::to_string(kApiVersion) + ",\"cursor\":" + std::to_string(page.value().cursor) +
                       ",\"more\":" + (page.value().more ? "true" : "false") + ",\"ops\":[";
    for (std::size_t i = 0; i < page.value().bodies.size(); ++i) {
        if (i > 0) text.push_back(',');
        text += page.value().bodies[i];
    }
    text += "]}";
    return ok_reply(opened.value().seal, std::move(text));
}

Reply ApiRoutes::kb_pull(const Caller& caller, const RequestView& request) const {
    auto opened = open_request(request.body, service_.config().max_request_body_bytes);
    if (!opened) return error_reply(opened.error());
    auto parsed = parse_kb_pull_request(opened.value().body);
    if (!parsed) return error_reply(parsed.error());
    auto page = service_.kb_pull(caller, parsed.value());
    if (!page) return error_reply(page.error());
    // The stored article documents are spliced in as they are, like pulled ops.
    std::string text = "{\"v\":" + std::to_string(kApiVersion) + ",\"cursor\":" + std::to_string(page.value().cursor) +
                       ",\"more\":" + (page.value().more ? "true" : "false") + ",\"articles\":[";
    for (std::size_t i = 0; i < page.value().bodies.size(); ++i) {
        if (i > 0) text.push_back(',');
        text += page.value().bodies[i];
    }
    text += "]}";
    return ok_reply(opened.value().seal, std::move(text));
}

Reply ApiRoutes::kb_deflections(const Caller& caller, const RequestView& request) const {
    auto opened = open_request(request.body, service_.config().max_request_body_bytes);
    if (!opened) return error_reply(opened.error());
    auto parsed = parse_deflection_push(opened.value().body);
    if (!parsed) return error_reply(parsed.error());
    auto results = service_.push_deflections(caller, parsed.value());
    if (!results) return error_reply(results.error());
    json list = json::array();
    for (const DeflectionResult& r : results.value()) {
        json entry{{"status", outcome_name(r.outcome)}};
        if (!r.id.empty()) entry["id"] = r.id;
        if (r.error) entry["error"] = {{"code", r.error->code}, {"message", r.error->message}};
        list.push_back(std::move(entry));
    }
    return ok_reply(opened.value().seal, dump(json{{"v", kApiVersion}, {"results", std::move(list)}}));
}

Reply ApiRoutes::notify(const Caller& caller, std::string_view query) const {
    auto parsed = parse_notify_query(query);
    if (!parsed) return error_reply(parsed.error());
    const std::int64_t cursor = parsed.value().cursor;
    const int max_wait = service_.config().max_long_poll_seconds;
    const int wait = std::min(parsed.value().wait_seconds.value_or(max_wait), max_wait);
    auto answer = [cursor](bool changed) {
        return json_reply(200, "{\"v\":1,\"changed\":" + std::string(changed ? "true" : "false") +
                                   ",\"cursor\":" + std::to_string(cursor) + "}");
    };
    LiveNotifier& notifier = service_.notifier();
    const std::int64_t seen = notifier.published();  // before the check: a later publish wakes us
    auto changed = service_.has_changes(caller, cursor);
    if (!changed) return error_reply(changed.error());
    if (changed.value() || wait == 0) return answer(changed.value());

    auto deferred = std::make_shared<Deferred>();
    deferred->max_wait = std::chrono::seconds(wait);
    deferred->start = [&notifier, caller, seen](std::function<void()> wake) {
        const std::uint64_t id = notifier.subscribe(caller.user, sees_everything(caller.role), seen, std::move(wake));
        return std::function<void()>([&notifier, id] { notifier.unsubscribe(id); });
    };
    SyncService& service = service_;
    deferred->finish = [&service, caller, cursor, answer](bool woken) {
        if (!woken) return answer(false);
        auto now_changed = service.has_changes(caller, cursor);
        if (!now_changed) return error_reply(now_changed.error());
        return answer(now_changed.value());
    };
    Reply r;
    r.deferred = std::move(deferred);
    return r;
}

Reply ApiRoutes::keys(const Caller& caller, const RequestView& request) const {
    if (request.method == "GET") {
        auto dir = service_.key_directory(caller);
        if (!dir) return error_reply(dir.error());
        return json_reply(200, dump(dir.value()));
    }
    auto opened = open_request(request.body, service_.config().max_request_body_bytes);
    if (!opened) return error_reply(opened.error());
    auto parsed = parse_keys_upload(opened.value().body);
    if (!parsed) return error_reply(parsed.error());
    if (auto st = service_.upload_keys(caller, parsed.value()); !st) return error_reply(st.error());
    return ok_reply(opened.value().seal, R"({"v":1,"ok":true})");
}

Reply ApiRoutes::metrics() const {
    Reply r;
    r.headers = {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}, {"Cache-Control", "no-store"}};
    r.body = metrics_.render(service_.gauges());
    return r;
}

}  // namespace lb::server
