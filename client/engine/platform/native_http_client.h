// native_http_client.h — a small synchronous HTTP/1.1 client for the native engine: one request at
// a time to the sync server, plain TCP (Boost.Beast), every exchange under one deadline, the
// answer's size bounded. It is the native twin of the browser's fetch() in web/engine-worker.js.
//
// Features: "http://host[:port][/prefix]" server URLs; Bearer tokens; a connection per request
// (Connection: close — simple and restart-proof: a server killed between two requests leaves no
// stale socket behind); the whole exchange (resolve, connect, write, read) bounded by
// HttpClientLimits::timeout; answers larger than max_response_bytes, or with headers larger than
// max_header_bytes, are refused. No answer at all (refused, reset, timed out, too large) is
// status 0 with `error` saying why — exactly what Engine::sync_on_response expects.
// Not here: TLS (put a TLS-terminating proxy in front, or extend this file), retries and backoff
// (the engine's sync machine), the fault injection of the convergence test (tests/convergence).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/platform/native_sync_driver.h"
#include "engine/sync_machine.h"
#include "lifebuoy/result.h"

namespace lb::engine {

struct ServerUrl {
    std::string host;  // "127.0.0.1", "helpdesk.example"
    std::string port = "80";
    std::string path_prefix;   // "" or "/lifebuoy" (no trailing slash)
    std::string text() const;  // "http://host:port/prefix"
};

// Parses "http://host[:port][/prefix]". Errors (bad_arguments): another scheme (https included),
// no host, a port that is not 1-65535, a query or fragment.
Result<ServerUrl> parse_server_url(std::string_view url);

struct HttpClientLimits {
    std::chrono::milliseconds timeout{15'000};               // the whole exchange
    std::size_t max_response_bytes = kMaxSyncResponseBytes;  // body
    std::uint32_t max_header_bytes = 64 * 1024;
};

class NativeHttpClient final : public SyncTransport {
public:
    explicit NativeHttpClient(ServerUrl server, HttpClientLimits limits = {});
    ~NativeHttpClient() override;
    NativeHttpClient(const NativeHttpClient&) = delete;
    NativeHttpClient& operator=(const NativeHttpClient&) = delete;

    // `target`: path and query, e.g. "/api/v1/pull". `body` is sent as application/json when
    // non-empty. `timeout` overrides the limit for this request (a long-poll waits longer).
    // `content_type` names the body (a sealed envelope for sync calls; sync_machine.h).
    HttpReply request(std::string_view method, std::string_view target, std::string_view body,
                      std::string_view content_type, std::optional<std::chrono::milliseconds> timeout = std::nullopt);
    HttpReply exchange(const SyncRequest& request) override;

    const ServerUrl& server() const { return server_; }

private:
    struct Io;  // Boost stays out of this header
    ServerUrl server_;
    HttpClientLimits limits_;
    std::unique_ptr<Io> io_;
};

}  // namespace lb::engine
