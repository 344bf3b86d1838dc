// native_http_client.cpp — NativeHttpClient on Boost.Beast: asynchronous operations run to
// completion on a private io_context, so beast::tcp_stream's deadline bounds every step.
#include "engine/platform/native_http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "lifebuoy/version.h"

namespace lb::engine {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct NativeHttpClient::Io {
    net::io_context ioc;
};

std::string ServerUrl::text() const {
    return "http://" + host + ":" + port + path_prefix;
}

Result<ServerUrl> parse_server_url(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    if (url.substr(0, kScheme.size()) != kScheme) {
        return make_error("bad_arguments", "the server URL must start with http:// (" + std::string(url) +
                                               "); for https put a TLS-terminating proxy in front");
    }
    std::string_view rest = url.substr(kScheme.size());
    if (rest.find_first_of("?#") != std::string_view::npos)
        return make_error("bad_arguments", "the server URL may not carry a query or fragment");
    ServerUrl out;
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        out.path_prefix = std::string(rest.substr(slash));
        while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
    }
    if (authority.find('@') != std::string_view::npos)
        return make_error("bad_arguments", "the server URL may not carry a user name");
    std::string_view host = authority;
    if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return make_error("bad_arguments", "unclosed [ in the server URL");
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return make_error("bad_arguments", "bad port in the server URL");
            out.port = std::string(after.substr(1));
        }
    } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        out.port = std::string(authority.substr(colon + 1));
    }
    if (host.empty()) return make_error("bad_arguments", "the server URL has no host");
    out.host = std::string(host);
    if (out.port.empty() || out.port.size() > 5 || out.port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(out.port) < 1 || std::stoi(out.port) > 65535)
        return make_error("bad_arguments", "the port of the server URL must be 1-65535");
    return out;
}

NativeHttpClient::NativeHttpClient(ServerUrl server, HttpClientLimits limits)
    : server_(std::move(server)), limits_(limits), io_(std::make_unique<Io>()) {}

NativeHttpClient::~NativeHttpClient() = default;

HttpReply NativeHttpClient::exchange(const SyncRequest& request) {
    return this->request(request.method, request.path, request.body, request.content_type);
}

namespace {

// Runs the io_context until the operation started by `start` completes; returns its error.
template <typename Start>
beast::error_code run_step(net::io_context& ioc, Start&& start) {
    beast::error_code result = net::error::operation_aborted;
    ioc.restart();
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.run();
    return result;
}

std::string describe(const char* step, const beast::error_code& ec) {
    if (ec == beast::error::timeout) return std::string(step) + ": timed out";
    if (ec == http::error::body_limit) return std::string(step) + ": the answer is larger than allowed";
    if (ec == http::error::header_limit) return std::string(step) + ": the answer's headers are larger than allowed";
    return std::string(step) + ": " + ec.message();
}

}  // namespace

HttpReply NativeHttpClient::request(std::string_view method, std::string_view target, std::string_view body,
                                    std::string_view content_type,
                                    std::optional<std::chrono::milliseconds> timeout) {
    HttpReply reply;
    const http::verb verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) {
        reply.error = "unknown HTTP method '" + std::string(method) + "'";
        return reply;
    }
    net::io_context& ioc = io_->ioc;
    beast::error_code ec;
    // Name lookup uses the system resolver (not bounded by the deadline; instant for addresses).
    tcp::resolver resolver(ioc);
    const auto endpoints = resolver.resolve(server_.host, server_.port, ec);
    if (ec) {
        reply.error = describe("cannot resolve the server", ec);
        return reply;
    }
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout.value_or(limits_.timeout));  // one deadline for the whole exchange
    ec = run_step(ioc, [&](auto handler) { stream.async_connect(endpoints, handler); });
    if (ec) {
        reply.error = describe("connect", ec);
        return reply;
    }
    http::request<http::string_body> req{verb, server_.path_prefix + std::string(target), 11};
    req.set(http::field::host, server_.host + ":" + server_.port);
    req.set(http::field::user_agent, std::string("lifebuoy-native/") + kProductVersion);
    req.keep_alive(false);
    if (!body.empty()) {
        req.set(http::field::content_type, content_type.empty() ? std::string_view("application/json") : content_type);
        req.body() = std::string(body);
    }
    req.prepare_payload();
    ec = run_step(ioc, [&](auto handler) { http::async_write(stream, req, handler); });
    if (ec) {
        reply.error = describe("send", ec);
        return reply;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(static_cast<std::uint64_t>(limits_.max_response_bytes));
    parser.header_limit(limits_.max_header_bytes);
    ec = run_step(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, handler); });
    if (ec) {
        reply.error = describe("receive", ec);
        return reply;
    }
    reply.status = static_cast<int>(parser.get().result_int());
    reply.body = std::move(parser.get().body());
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);  // the server may be gone: ignored
    return reply;
}

}  // namespace lb::engine
