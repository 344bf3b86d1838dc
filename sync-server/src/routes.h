// routes.h — what lifebuoy-server answers for each request, independent of sockets.
//
//   GET /healthz      {"status":"ok", "version", "schema_version"}   (never cached)
//   GET /api/…        JSON 404 with a typed error until the sync API lands
//   GET|HEAD /…       the web bundle (static_files.h), 304 on a matching If-None-Match
//   anything else     405 with Allow
// The Router is called from the network threads; it holds no per-request state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server_config.h"

namespace lb::server {

struct RequestView {
    std::string_view method;
    std::string_view target;
    std::string_view accept_encoding;
    std::string_view if_none_match;
};

struct Reply {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                // sent when `file` is empty
    std::filesystem::path file;      // otherwise: send this file
    std::uint64_t file_size = 0;
    bool head_only = false;          // HEAD: headers with the length, no body
};

class Router {
public:
    Router(const ServerConfig& config, int schema_version);
    Reply handle(const RequestView& request) const;

private:
    Reply json_reply(unsigned status, std::string body) const;
    std::filesystem::path web_root_;
    int schema_version_;
};

}  // namespace lb::server
