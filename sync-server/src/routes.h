// routes.h — what lifebuoy-server answers for each request, independent of sockets.
//
//   GET /healthz      {"status":"ok", "version", "schema_version"}   (never cached)
//   GET /metrics      Prometheus text (api_routes.h)
//   /api/v1/…         the sync API (api_routes.h); JSON 404 when no API is attached
//   GET|HEAD /…       the web bundle (static_files.h), 304 on a matching If-None-Match
//   anything else     405 with Allow
// Before any of it, the per-IP rate limit (when attached; loopback exempt unless configured
// otherwise): over it, 429 rate_limited with Retry-After, counted in /metrics.
// A Reply may be Deferred (a call on the call worker, a push's group commit, the live channel's
// long-poll): the session waits, on its own timer and without a thread, until the handler's
// wake-up or the deadline, then asks for the reply — which may be Deferred again (it waits again).
// The Router is called from the network threads; it holds no per-request state.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics.h"
#include "server_config.h"

namespace lb::server {

class ApiRoutes;
class Metrics;
class RateLimiter;

struct RequestView {
    std::string_view method;
    std::string_view target;
    std::string_view accept_encoding;
    std::string_view if_none_match;
    std::string_view body = {};
    std::string_view authorization = {};
    bool from_loopback = false;
    std::string_view client_address = {};  // the peer's IP address as text (the per-IP limit's key)
    std::string_view content_type = {};
};

struct Reply;

// A reply that is not ready yet.
struct Deferred {
    std::chrono::milliseconds max_wait{0};
    // Starts waiting; `wake` may be called from any thread, any number of times. Returns the
    // function that stops waiting (called once, on the session's strand).
    std::function<std::function<void()>(std::function<void()> wake)> start;
    // The reply, once woken (true) or at the deadline (false); it may be deferred in turn.
    std::function<Reply(bool woken)> finish;
};

struct Reply {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                // sent when `file` is empty
    std::filesystem::path file;      // otherwise: send this file
    std::uint64_t file_size = 0;
    bool head_only = false;          // HEAD: headers with the length, no body
    std::shared_ptr<Deferred> deferred;  // set: wait, then send deferred->finish()
    Endpoint endpoint = Endpoint::other;  // the duration histogram's label (metrics.h)
};

Reply json_reply(unsigned status, std::string body);

class Router {
public:
    Router(const ServerConfig& config, int schema_version, const ApiRoutes* api = nullptr,
           Metrics* metrics = nullptr);
    // The per-IP limit (server_config.h), applied to every request before it is routed; it must
    // outlive the router. None: no limit.
    void attach_ip_limiter(RateLimiter* limiter) { ip_limiter_ = limiter; }
    Reply handle(const RequestView& request) const;

private:
    Reply handle_static(const RequestView& request) const;
    std::filesystem::path web_root_;
    int schema_version_;
    const ApiRoutes* api_;
    Metrics* metrics_;
    RateLimiter* ip_limiter_ = nullptr;
    bool exempt_loopback_;
};

// 429 rate_limited, plain JSON, with Retry-After (seconds).
Reply rate_limited_reply(int retry_after_seconds, std::string_view scope);

}  // namespace lb::server
