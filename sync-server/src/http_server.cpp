// http_server.cpp — Beast accept loop and per-connection sessions.
#include "http_server.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace lb::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, const ServerConfig& config, const Router& router, std::atomic<int>& open)
        : stream_(std::move(socket)), config_(config), router_(router), open_(open) {
        ++open_;
    }
    ~Session() { --open_; }

    void start() { read_request(); }

private:
    void read_request() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
        parser_->body_limit(config_.max_request_body_bytes);
        stream_.expires_after(std::chrono::seconds(config_.request_timeout_seconds));
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == http::error::end_of_stream) return close();
        if (ec) {
            if (ec == http::error::body_limit || ec == http::error::header_limit)
                return send_error(413, "request too large");
            return close();  // timeouts and resets: nothing useful to answer
        }
        const auto& req = parser_->get();
        keep_alive_ = req.keep_alive();
        RequestView view{req.method_string(), req.target(), req[http::field::accept_encoding],
                         req[http::field::if_none_match]};
        send(router_.handle(view), req.version());
    }

    template <class Body>
    void apply_headers(http::response<Body>& res, const Reply& reply) {
        for (const auto& [name, value] : reply.headers) res.set(name, value);
        res.set(http::field::server, "lifebuoy-server");
        res.keep_alive(keep_alive_);
    }

    void send(Reply reply, unsigned version) {
        if (!reply.file.empty() && !reply.head_only) {
            beast::error_code ec;
            http::file_body::value_type body;
            body.open(reply.file.c_str(), beast::file_mode::scan, ec);
            if (ec) return send_error(404, "not found");
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

    void send_error(unsigned status, const char* message) {
        keep_alive_ = false;
        Reply r;
        r.status = status;
        r.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
        r.body = std::string(message) + "\n";
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
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const ServerConfig& config_;
    const Router& router_;
    std::atomic<int>& open_;
    bool keep_alive_ = false;
};

}  // namespace

struct HttpServer::Impl {
    Impl(const ServerConfig& c, const Router& r) : config(c), router(r), ioc(c.io_threads), acceptor(asio::make_strand(ioc)) {}

    void accept() {
        acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec) {
                if (open_connections.load() >= config.max_connections) {
                    beast::error_code ignored;
                    socket.close(ignored);  // over the limit: refuse rather than degrade everyone
                } else {
                    std::make_shared<Session>(std::move(socket), config, router, open_connections)->start();
                }
            }
            accept();
        });
    }

    const ServerConfig& config;
    const Router& router;
    asio::io_context ioc;
    tcp::acceptor acceptor;
    std::atomic<int> open_connections{0};
};

HttpServer::HttpServer(const ServerConfig& config, const Router& router)
    : impl_(std::make_unique<Impl>(config, router)) {}

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

}  // namespace lb::server
