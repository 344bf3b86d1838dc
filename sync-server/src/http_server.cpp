// http_server.cpp — Beast accept loop and per-connection sessions.
// Not here: routing (routes.cpp), the API (api_routes.cpp).
#include "http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace lb::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// After refusing an oversized request: how long and how much of the rest to read and drop.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerMaxBytes = 64 * 1024 * 1024;

// The read buffer: its free space is how much one read asks the socket for (at least 512 bytes).
// Left to grow by itself it stays near that, so a 64 KiB push took ~100 reads, each a recvmsg, a
// timer update and an epoll_wait. A request with a larger body gets room for up to kMaxReadChunk
// at once (its Content-Length known from the header); between requests a connection keeps at most
// kIdleReadBuffer, so thousands of idle devices cost little.
constexpr std::size_t kMaxReadChunk = 256 * 1024;
constexpr std::size_t kIdleReadBuffer = 8 * 1024;

// The per-IP limit's key for a peer: an IPv4 address (also when a dual-stack socket writes it as
// ::ffff:a.b.c.d), or an IPv6 address's /64 — one host usually holds a whole /64, so counting
// single IPv6 addresses would let it change address at will.
std::string rate_limit_key(const asio::ip::address& address) {
    if (address.is_v4()) return address.to_v4().to_string();
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
    return asio::ip::address_v6(bytes).to_string() + "/64";
}

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, const ServerConfig& config, const Router& router, std::atomic<int>& open,
            Metrics* metrics)
        : stream_(std::move(socket)), timer_(stream_.get_executor()), config_(config), router_(router), open_(open),
          metrics_(metrics) {
        ++open_;
        if (metrics_) metrics_->connection_opened();
        beast::error_code ec;
        auto peer = stream_.socket().remote_endpoint(ec);
        from_loopback_ = !ec && peer.address().is_loopback();
        if (!ec) client_address_ = rate_limit_key(peer.address());
    }
    ~Session() {
        --open_;
        if (metrics_) metrics_->connection_closed();
    }

    void start() { read_request(); }

private:
    void read_request() {
        if (buffer_.size() == 0 && buffer_.capacity() > kIdleReadBuffer) buffer_.shrink_to_fit();
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
        parser_->body_limit(config_.max_request_body_bytes);
        stream_.expires_after(std::chrono::seconds(config_.request_timeout_seconds));
        http::async_read_header(stream_, buffer_, *parser_,
                                beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    // The header is in (a body over the limit was refused with it): room for the body, then the body.
    void on_header(beast::error_code ec, std::size_t) {
        if (ec) return on_read(ec, 0);
        const auto length = parser_->content_length();
        const std::size_t free = buffer_.capacity() - buffer_.size();
        if (length && *length > free)
            buffer_.reserve(buffer_.size() + static_cast<std::size_t>(std::min<std::uint64_t>(*length, kMaxReadChunk)));
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        read_at_ = std::chrono::steady_clock::now();
        if (ec == http::error::end_of_stream) return close();
        if (ec) {
            if (ec == http::error::body_limit || ec == http::error::header_limit)
                return send_error(413, "too_large", "the request is over this server's size limit");
            if (ec == beast::error::timeout || ec == asio::error::eof || ec == asio::error::connection_reset ||
                ec == asio::error::operation_aborted)
                return close();  // nothing useful to answer
            return send_error(400, "bad_request", "the request is not valid HTTP/1.1");
        }
        const auto& req = parser_->get();
        keep_alive_ = req.keep_alive();
        RequestView view{req.method_string(), req.target(), req[http::field::accept_encoding],
                         req[http::field::if_none_match], req.body(), req[http::field::authorization],
                         from_loopback_, client_address_, req[http::field::content_type]};
        Reply reply = router_.handle(view);
        if (reply.deferred) return wait(std::move(reply.deferred), reply.endpoint, req.version());
        send(std::move(reply), req.version());
    }

    // Parks until the handler's wake-up or the deadline; the wake may come from any thread, and
    // late: a wake for a wait that has already timed out must not end the next request's wait on
    // this keep-alive connection (each wait has its own number; the wake cancels only its own).
    void wait(std::shared_ptr<Deferred> deferred, Endpoint endpoint, unsigned version) {
        auto self = shared_from_this();
        auto woken = std::make_shared<std::atomic<bool>>(false);
        const std::uint64_t this_wait = ++waits_;
        timer_.expires_after(deferred->max_wait);
        std::weak_ptr<Session> weak = self;
        auto stop = deferred->start([weak, woken, this_wait] {
            woken->store(true);
            if (auto s = weak.lock()) {
                asio::post(s->stream_.get_executor(), [s, this_wait] {
                    if (s->waits_ == this_wait) s->timer_.cancel();
                });
            }
        });
        timer_.async_wait([self, deferred, stop, woken, endpoint, version](beast::error_code) {
            stop();
            Reply reply = deferred->finish(woken->load());
            reply.endpoint = endpoint;
            // A reply may wait again (a call done on the call worker that parks: a push for its
            // group commit, a long-poll for news).
            if (reply.deferred) return self->wait(std::move(reply.deferred), endpoint, version);
            self->send(std::move(reply), version);
        });
    }

    template <class Body>
    void apply_headers(http::response<Body>& res, const Reply& reply) {
        for (const auto& [name, value] : reply.headers) res.set(name, value);
        res.set(http::field::server, "lifebuoy-server");
        res.keep_alive(keep_alive_);
    }

    void send(Reply reply, unsigned version) {
        if (metrics_) {
            metrics_->count_response(reply.status);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - read_at_;
            metrics_->observe_duration(reply.endpoint, took.count());
        }
        if (!reply.file.empty() && !reply.head_only) {
            beast::error_code ec;
            http::file_body::value_type body;
            body.open(reply.file.c_str(), beast::file_mode::scan, ec);
            if (ec) return send_error(404, "not_found", "not found");
            auto res = std::make_shared<http::response<http::file_body>>(
                std::piecewise_construct, std::make_tuple(std::move(body)),
                std::make_tuple(static_cast<http::status>(reply.status), version));
            apply_headers(*res, reply);
            res->prepare_payload();
            return write(res);
        }
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status), version);
        apply_headers(*res, reply);
        if (reply.head_only) {
            res->content_length(reply.file.empty() ? reply.body.size() : reply.file_size);
        } else {
            res->body() = std::move(reply.body);
            res->prepare_payload();
        }
        write(res);
    }

    void send_error(unsigned status, const char* code, const char* message) {
        keep_alive_ = false;
        linger_ = true;
        Reply r = json_reply(status, std::string(R"({"error":{"code":")") + code + R"(","message":")" + message + "\"}}");
        send(std::move(r), 11);
    }

    template <class Response>
    void write(std::shared_ptr<Response> res) {
        stream_.expires_after(std::chrono::seconds(config_.request_timeout_seconds));
        auto self = shared_from_this();
        http::async_write(stream_, *res, [self, res](beast::error_code ec, std::size_t) {
            if (ec || !self->keep_alive_) return self->close();
            self->read_request();
        });
    }

    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (linger_) drain();
    }

    // Reads and drops what the client still sends (bounded in time and bytes), so closing does not
    // reset the connection before the client has read our answer.
    void drain() {
        if (drained_ >= kLingerMaxBytes) return;
        if (!drain_buffer_) drain_buffer_ = std::make_unique<std::array<char, 16384>>();
        stream_.expires_after(kLingerTime);
        auto self = shared_from_this();
        stream_.async_read_some(asio::buffer(*drain_buffer_), [self](beast::error_code ec, std::size_t n) {
            self->drained_ += n;
            if (!ec) self->drain();
        });
    }

    beast::tcp_stream stream_;
    asio::steady_timer timer_;
    std::uint64_t waits_ = 0;  // deferred replies parked so far (wait()); only touched on the session's executor
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const ServerConfig& config_;
    const Router& router_;
    std::atomic<int>& open_;
    Metrics* metrics_;
    bool keep_alive_ = false;
    std::chrono::steady_clock::time_point read_at_;  // when the request was read (the duration histogram)
    bool from_loopback_ = false;
    std::string client_address_;
    bool linger_ = false;
    std::size_t drained_ = 0;
    std::unique_ptr<std::array<char, 16384>> drain_buffer_;
};

}  // namespace

struct HttpServer::Impl {
    Impl(const ServerConfig& c, const Router& r, Metrics* m)
        : config(c), router(r), metrics(m), ioc(c.io_threads), acceptor(asio::make_strand(ioc)) {}

    void accept() {
        acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec) {
                if (open_connections.load() >= config.max_connections) {
                    beast::error_code ignored;
                    socket.close(ignored);  // over the limit: refuse rather than degrade everyone
                } else {
                    std::make_shared<Session>(std::move(socket), config, router, open_connections, metrics)->start();
                }
            }
            accept();
        });
    }

    const ServerConfig& config;
    const Router& router;
    Metrics* metrics;
    asio::io_context ioc;
    tcp::acceptor acceptor;
    std::atomic<int> open_connections{0};
};

HttpServer::HttpServer(const ServerConfig& config, const Router& router, Metrics* metrics)
    : impl_(std::make_unique<Impl>(config, router, metrics)) {}

HttpServer::~HttpServer() = default;

Result<unsigned short> HttpServer::listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(impl_->config.host, ec);
    if (ec) return make_error("bad_config", "invalid host address '" + impl_->config.host + "'");
    tcp::endpoint endpoint(address, impl_->config.port);
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return make_error("listen_failed", "cannot listen on " + impl_->config.host + ":" +
                                               std::to_string(impl_->config.port) + ": " + ec.message());
    }
    impl_->accept();
    return acceptor.local_endpoint().port();
}

void HttpServer::run(bool handle_signals) {
    std::optional<asio::signal_set> signals;
    if (handle_signals) {
        signals.emplace(impl_->ioc, SIGINT, SIGTERM);
        signals->async_wait([this](beast::error_code, int) { stop(); });
    }
    std::vector<std::thread> threads;
    for (int i = 1; i < impl_->config.io_threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& t : threads) t.join();
}

void HttpServer::stop() { impl_->ioc.stop(); }

asio::io_context& HttpServer::io_context() { return impl_->ioc; }

}  // namespace lb::server
