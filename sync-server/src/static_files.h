// static_files.h — serving the web bundle: safe path resolution, MIME types, caching, encodings.
//
// resolve_request_path() is pure and total (fuzzed and unit-tested): it turns a request target
// into a relative path inside the web root, or a typed error for anything that could escape it
// (.., encoded slashes, NUL, backslashes, over-long paths). find_static_file() then looks the
// file up on disk and picks the precompressed variant (.br, then .gz) the client accepts.
// Cache policy: every shell file is revalidated (Cache-Control: no-cache + ETag), because the
// file names are stable and the service worker does the offline caching by shell version.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "lifebuoy/result.h"

namespace lb::server {

inline constexpr std::size_t kMaxRequestPathBytes = 1024;

Result<std::string> resolve_request_path(std::string_view target);
std::string_view mime_type_for(std::string_view path);

enum class Encoding { Identity, Gzip, Brotli };
// Chooses what to send given the Accept-Encoding header and the variants that exist.
Encoding pick_encoding(std::string_view accept_encoding, bool have_brotli, bool have_gzip);

struct StaticFile {
    std::filesystem::path path;      // what to send (maybe the .br/.gz variant)
    std::string content_type;
    Encoding encoding = Encoding::Identity;
    std::uint64_t size = 0;
    std::string etag;                // quoted, distinct per encoding
};

Result<StaticFile> find_static_file(const std::filesystem::path& root, std::string_view target,
                                    std::string_view accept_encoding);

}  // namespace lb::server
