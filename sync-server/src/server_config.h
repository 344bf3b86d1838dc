// server_config.h — lifebuoy-server's settings and where each comes from.
//
// Precedence, lowest to highest: built-in defaults < config file (JSON) < environment
// (LIFEBUOY_HOST, LIFEBUOY_PORT, LIFEBUOY_DATA_DIR, LIFEBUOY_WEB_ROOT) < command-line flags.
// Every limit is a named constant (kDefault…) with a field here, so an operator can see and
// override it; assets/config/server.example.json lists every key with its default.
// Not here: reading files or flags (main.cpp), what the limits protect (http_server, sync_service).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "lifebuoy/result.h"
#include "lifebuoy/op.h"

namespace lb::server {

// HTTP front end
inline constexpr std::size_t kDefaultMaxRequestBodyBytes = 8 * 1024 * 1024;
inline constexpr std::size_t kDefaultMaxHeaderBytes = 16 * 1024;
inline constexpr int kDefaultRequestTimeoutSeconds = 30;
inline constexpr int kDefaultMaxConnections = 10000;
// Sync API
inline constexpr std::size_t kDefaultMaxPushBatches = 32;          // batches in one push request
inline constexpr std::size_t kDefaultMaxBatchOps = lb::kMaxBatchOps;  // ops in one batch (≤ the wire limit)
inline constexpr std::size_t kDefaultMaxPullOps = 1000;            // ops in one pull page
inline constexpr std::size_t kDefaultMaxPullBytes = 1024 * 1024;   // op bytes in one pull page
inline constexpr int kDefaultMaxLongPollSeconds = 25;              // longest wait of GET /api/v1/notify
// How long a request waits for storage — its turn on the call worker (call_worker.h), then a
// push's group commit — before it is answered 503 `unavailable` with Retry-After (storage held
// up: a stalled disk, another process holding the database's write lock). A push may still
// commit later; the device sends it again and is answered `duplicate` for what did.
inline constexpr int kDefaultStorageWaitSeconds = 60;
inline constexpr int kDefaultInviteTtlHours = 7 * 24;              // an invite code's lifetime
// Request rate limits (token buckets, rate_limiter.h; 0 per minute turns one off). Over a limit:
// 429 rate_limited with Retry-After. Per client IP address, in the HTTP layer before any work
// (every request: web bundle, health, metrics, API); per device key, once a sealed call is opened.
// A device syncs in rounds of a handful of requests plus a long-poll (≤ 25 s), 5–10 a minute when
// idle; catching up (a fresh device on a big help desk, a page per request) it sends hundreds back
// to back: 600 a minute with 600 saved up never holds a working device back (the integration
// suite's busiest device, with five-op pages, needs about 260 at once). An IP address may be a
// whole office behind NAT (about 500 idle devices fit), so it gets more.
inline constexpr std::uint32_t kDefaultRateLimitPerIpPerMinute = 3000;
inline constexpr std::uint32_t kDefaultRateLimitIpBurst = 600;
inline constexpr std::uint32_t kDefaultRateLimitPerDevicePerMinute = 600;
inline constexpr std::uint32_t kDefaultRateLimitDeviceBurst = 600;
// Loopback clients (this machine: the local portal, tests, a reverse proxy on the same host, which
// makes every client look like loopback) are exempt from the per-IP limit — never from the
// per-device one. Behind a proxy, limit per address at the proxy.
inline constexpr bool kDefaultRateLimitExemptLoopback = true;

// Who may enrol as a guest (the public support page):
//   "off"      nobody; "loopback" only clients on this machine; "on" anyone;
//   "default"  what the help desk's database says (first start's demo set-up writes "loopback",
//              `lifebuoy-server init` writes "off").
inline constexpr const char* kGuestEnrolmentValues[] = {"default", "off", "loopback", "on"};

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string data_dir = "data";
    std::string web_root = "dist";
    int io_threads = 1;
    std::size_t max_request_body_bytes = kDefaultMaxRequestBodyBytes;
    std::size_t max_header_bytes = kDefaultMaxHeaderBytes;
    int request_timeout_seconds = kDefaultRequestTimeoutSeconds;
    int max_connections = kDefaultMaxConnections;
    std::size_t max_push_batches = kDefaultMaxPushBatches;
    std::size_t max_batch_ops = kDefaultMaxBatchOps;
    std::size_t max_pull_ops = kDefaultMaxPullOps;
    std::size_t max_pull_bytes = kDefaultMaxPullBytes;
    int max_long_poll_seconds = kDefaultMaxLongPollSeconds;
    int storage_wait_seconds = kDefaultStorageWaitSeconds;
    int invite_ttl_hours = kDefaultInviteTtlHours;
    std::uint32_t rate_limit_per_ip_per_minute = kDefaultRateLimitPerIpPerMinute;
    std::uint32_t rate_limit_ip_burst = kDefaultRateLimitIpBurst;
    std::uint32_t rate_limit_per_device_per_minute = kDefaultRateLimitPerDevicePerMinute;
    std::uint32_t rate_limit_device_burst = kDefaultRateLimitDeviceBurst;
    bool rate_limit_exempt_loopback = kDefaultRateLimitExemptLoopback;
    std::string guest_enrolment = "default";
};

// Applies a JSON config file's recognised keys; unknown keys are an error (typos must not be
// silently ignored in a server's configuration).
Status apply_config_file(ServerConfig& config, const std::string& json_text);
// Applies LIFEBUOY_* variables, read through `getenv_fn` (tests pass a fake).
Status apply_environment(ServerConfig& config, const char* (*getenv_fn)(const char*));

}  // namespace lb::server
