// server_config.h — lifebuoy-server's settings and where each comes from.
//
// Precedence, lowest to highest: built-in defaults < config file (JSON) < environment
// (LIFEBUOY_HOST, LIFEBUOY_PORT, LIFEBUOY_DATA_DIR, LIFEBUOY_WEB_ROOT) < command-line flags.
// Every limit is a named field with a default here, so an operator can see and override it.
#pragma once

#include <cstdint>
#include <string>

#include "lifebuoy/result.h"

namespace lb::server {

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string data_dir = "data";
    std::string web_root = "dist";
    int io_threads = 1;
    std::size_t max_request_body_bytes = 8 * 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    int request_timeout_seconds = 30;
    int max_connections = 10000;
};

// Applies a JSON config file's recognised keys; unknown keys are an error (typos must not be
// silently ignored in a server's configuration).
Status apply_config_file(ServerConfig& config, const std::string& json_text);
// Applies LIFEBUOY_* variables, read through `getenv_fn` (tests pass a fake).
Status apply_environment(ServerConfig& config, const char* (*getenv_fn)(const char*));

}  // namespace lb::server
