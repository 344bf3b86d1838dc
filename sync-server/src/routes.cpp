// routes.cpp — request routing for health, metrics, the sync API and the web bundle.
// Not here: the API's endpoints (api_routes.cpp), file lookup (static_files.cpp).
#include "routes.h"

#include <nlohmann/json.hpp>

#include "api_routes.h"
#include "lifebuoy/version.h"
#include "metrics.h"
#include "rate_limiter.h"
#include "static_files.h"

namespace lb::server {

Reply json_reply(unsigned status, std::string body) {
    Reply r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}};
    r.body = std::move(body);
    return r;
}

Reply rate_limited_reply(int retry_after_seconds, std::string_view scope) {
    const std::string who = scope == "device" ? "this device" : "this address";
    nlohmann::json j{{"error",
                      {{"code", "rate_limited"},
                       {"message", "too many requests from " + who + ": try again in " +
                                       std::to_string(retry_after_seconds) + " s"}}}};
    Reply r = json_reply(429, j.dump());
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return r;
}

Router::Router(const ServerConfig& config, int schema_version, const ApiRoutes* api, Metrics* metrics)
    : web_root_(config.web_root), schema_version_(schema_version), api_(api), metrics_(metrics),
      exempt_loopback_(config.rate_limit_exempt_loopback) {}

Reply Router::handle(const RequestView& request) const {
    if (ip_limiter_ && !(exempt_loopback_ && request.from_loopback)) {
        const auto decision = ip_limiter_->take(request.client_address);
        if (!decision.allowed) {  // before any work: no parsing, no crypto, no database
            if (metrics_) metrics_->count_rate_limited("ip");
            return rate_limited_reply(decision.retry_after_seconds, "ip");
        }
    }
    std::string_view path = request.target.substr(0, request.target.find('?'));
    if (api_ && (path.rfind("/api/", 0) == 0 || path == "/metrics")) return api_->handle(request);
    const Endpoint endpoint = path == "/healthz" ? Endpoint::health : Endpoint::web;
    if (metrics_) metrics_->count_request(endpoint);
    Reply reply = handle_static(request);
    reply.endpoint = endpoint;
    return reply;
}

Reply Router::handle_static(const RequestView& request) const {
    bool is_get = request.method == "GET", is_head = request.method == "HEAD";
    if (!is_get && !is_head) {
        Reply r = json_reply(405, R"({"error":{"code":"method_not_allowed","message":"only GET and HEAD are served here"}})");
        r.headers.emplace_back("Allow", "GET, HEAD");
        return r;
    }
    std::string_view path = request.target.substr(0, request.target.find('?'));
    if (path == "/healthz") {
        nlohmann::json j{{"status", "ok"}, {"version", kProductVersion}, {"schema_version", schema_version_}};
        Reply r = json_reply(200, j.dump());
        r.head_only = is_head;
        return r;
    }
    if (path.rfind("/api/", 0) == 0) {
        return json_reply(404, R"({"error":{"code":"unknown_endpoint","message":"no such API endpoint"}})");
    }

    auto file = find_static_file(web_root_, request.target, request.accept_encoding);
    if (!file) {
        unsigned status = file.error().code == "bad_path" ? 400 : 404;
        Reply r;
        r.status = status;
        r.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}};
        r.body = status == 400 ? "Bad request path.\n" : "Not found.\n";
        return r;
    }
    const StaticFile& f = file.value();
    Reply r;
    r.headers = {{"Content-Type", f.content_type}, {"Cache-Control", "no-cache"}, {"ETag", f.etag},
                 {"Vary", "Accept-Encoding"}, {"X-Content-Type-Options", "nosniff"}};
    if (f.encoding == Encoding::Brotli) r.headers.emplace_back("Content-Encoding", "br");
    if (f.encoding == Encoding::Gzip) r.headers.emplace_back("Content-Encoding", "gzip");
    if (!request.if_none_match.empty() && request.if_none_match == f.etag) {
        r.status = 304;
        return r;
    }
    r.file = f.path;
    r.file_size = f.size;
    r.head_only = is_head;
    return r;
}

}  // namespace lb::server
