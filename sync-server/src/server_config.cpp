// server_config.cpp — reading lifebuoy-server's settings from a file and the environment.
// Not here: the defaults and what each limit means (server_config.h).
#include "server_config.h"

#include <charconv>
#include <string_view>

#include <nlohmann/json.hpp>

namespace lb::server {
namespace {

Result<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
        return make_error("bad_config", "port must be a number from 1 to 65535, got '" + std::string(text) + "'");
    return static_cast<std::uint16_t>(value);
}

bool valid_guest_enrolment(std::string_view value) {
    for (const char* v : kGuestEnrolmentValues) {
        if (value == v) return true;
    }
    return false;
}

}  // namespace

Status apply_config_file(ServerConfig& config, const std::string& json_text) {
    nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return make_error("bad_config", "the config file is not a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const nlohmann::json& v = it.value();
        auto want_string = [&](std::string& out) -> Status {
            if (!v.is_string()) return make_error("bad_config", "'" + key + "' must be a string");
            out = v.get<std::string>();
            return Ok{};
        };
        auto want_int = [&](auto& out, long long lo, long long hi) -> Status {
            if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
                return make_error("bad_config", "'" + key + "' must be a whole number from " +
                                                    std::to_string(lo) + " to " + std::to_string(hi));
            out = static_cast<std::remove_reference_t<decltype(out)>>(v.get<long long>());
            return Ok{};
        };
        Status s = Ok{};
        if (key == "host") s = want_string(config.host);
        else if (key == "port") s = want_int(config.port, 1, 65535);
        else if (key == "data_dir") s = want_string(config.data_dir);
        else if (key == "web_root") s = want_string(config.web_root);
        else if (key == "io_threads") s = want_int(config.io_threads, 1, 64);
        else if (key == "max_request_body_bytes") s = want_int(config.max_request_body_bytes, 1024, 1LL << 30);
        else if (key == "max_header_bytes") s = want_int(config.max_header_bytes, 1024, 1 << 20);
        else if (key == "request_timeout_seconds") s = want_int(config.request_timeout_seconds, 1, 3600);
        else if (key == "max_connections") s = want_int(config.max_connections, 1, 1000000);
        else if (key == "max_push_batches") s = want_int(config.max_push_batches, 1, 1024);
        else if (key == "max_batch_ops") s = want_int(config.max_batch_ops, 1, static_cast<long long>(lb::kMaxBatchOps));
        else if (key == "max_pull_ops") s = want_int(config.max_pull_ops, 1, 100000);
        else if (key == "max_pull_bytes") s = want_int(config.max_pull_bytes, 4096, 64LL << 20);
        else if (key == "max_long_poll_seconds") s = want_int(config.max_long_poll_seconds, 1, 300);
        else if (key == "storage_wait_seconds") s = want_int(config.storage_wait_seconds, 1, 600);
        else if (key == "invite_ttl_hours") s = want_int(config.invite_ttl_hours, 1, 24 * 365);
        else if (key == "rate_limit_per_ip_per_minute") s = want_int(config.rate_limit_per_ip_per_minute, 0, 1000000);
        else if (key == "rate_limit_ip_burst") s = want_int(config.rate_limit_ip_burst, 1, 1000000);
        else if (key == "rate_limit_per_device_per_minute") s = want_int(config.rate_limit_per_device_per_minute, 0, 1000000);
        else if (key == "rate_limit_device_burst") s = want_int(config.rate_limit_device_burst, 1, 1000000);
        else if (key == "rate_limit_exempt_loopback") {
            if (!v.is_boolean()) s = make_error("bad_config", "'rate_limit_exempt_loopback' must be true or false");
            else config.rate_limit_exempt_loopback = v.get<bool>();
        }
        else if (key == "guest_enrolment") {
            s = want_string(config.guest_enrolment);
            if (s && !valid_guest_enrolment(config.guest_enrolment))
                s = make_error("bad_config", "'guest_enrolment' must be default, off, loopback or on");
        }
        else s = make_error("bad_config", "unknown setting '" + key + "' in the config file");
        if (!s) return s;
    }
    return Ok{};
}

Status apply_environment(ServerConfig& config, const char* (*getenv_fn)(const char*)) {
    if (const char* v = getenv_fn("LIFEBUOY_HOST"); v && *v) config.host = v;
    if (const char* v = getenv_fn("LIFEBUOY_PORT"); v && *v) {
        auto port = parse_port(v);
        if (!port) return port.error();
        config.port = port.value();
    }
    if (const char* v = getenv_fn("LIFEBUOY_DATA_DIR"); v && *v) config.data_dir = v;
    if (const char* v = getenv_fn("LIFEBUOY_WEB_ROOT"); v && *v) config.web_root = v;
    return Ok{};
}

}  // namespace lb::server
