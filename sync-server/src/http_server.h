// http_server.h — the HTTP/1.1 front end of lifebuoy-server on Boost.Asio/Beast.
//
// Asynchronous throughout: one acceptor and one session per connection on a small pool of
// io_context threads, so thousands of idle connections cost memory, not threads. Each session
// reads a request within the configured header/body limits and timeout, asks the Router, writes
// the reply (string or file body) and keeps the connection alive when the client allows.
// A Deferred reply (long-poll) parks the session on a timer — no thread waits. A request over a
// limit gets a JSON 413, then the rest of what the client sends is read and dropped for a moment
// before closing, so the client sees the answer instead of a connection reset.
// Each request carries its peer's address for the per-IP rate limit (the IPv4 address, also when
// written ::ffff:a.b.c.d, or the IPv6 /64) and whether it is loopback.
// Not here: what a path means (routes.h), the limit itself (rate_limiter.h, Router::handle).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "lifebuoy/result.h"
#include "metrics.h"
#include "routes.h"
#include "server_config.h"

namespace boost::asio {
class io_context;
}

namespace lb::server {

class HttpServer {
public:
    // metrics may be null (counts nothing).
    HttpServer(const ServerConfig& config, const Router& router, Metrics* metrics = nullptr);
    ~HttpServer();

    // Binds and listens; returns the bound port (useful with port 0) or a typed error.
    Result<unsigned short> listen();
    // Runs the io threads until stop() (or SIGINT/SIGTERM when handle_signals is true).
    void run(bool handle_signals);
    void stop();
    // The io_context the server runs, for other work on the same threads (the escalation timer).
    boost::asio::io_context& io_context();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lb::server
