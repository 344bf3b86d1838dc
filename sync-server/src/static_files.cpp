// static_files.cpp — path resolution, MIME table, encoding negotiation and file lookup.
#include "static_files.h"

#include <algorithm>
#include <cstdio>
#include <array>
#include <cctype>
#include <system_error>
#include <utility>

namespace lb::server {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Error not_found() { return make_error("not_found", "no such file"); }

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// true when `header` lists `coding` with a non-zero q-value
bool accepts(std::string_view header, std::string_view coding) {
    std::size_t pos = 0;
    while (pos <= header.size()) {
        std::size_t comma = header.find(',', pos);
        std::string_view item = header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        std::string_view name = item.substr(0, item.find(';'));
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (name == coding) {
            auto q = item.find("q=");
            if (q == std::string_view::npos) return true;
            std::string_view value = item.substr(q + 2);
            return !(value.rfind("0", 0) == 0 && value.find_first_of("123456789") == std::string_view::npos);
        }
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return false;
}

}  // namespace

Result<std::string> resolve_request_path(std::string_view target) {
    if (target.size() > kMaxRequestPathBytes) return make_error("bad_path", "path too long");
    target = target.substr(0, target.find_first_of("?#"));
    if (target.empty() || target.front() != '/') return make_error("bad_path", "path must start with /");
    std::string decoded;
    decoded.reserve(target.size());
    for (std::size_t i = 0; i < target.size(); ++i) {
        char c = target[i];
        if (c == '%') {
            if (i + 2 >= target.size()) return make_error("bad_path", "truncated escape");
            int hi = hex_value(target[i + 1]), lo = hex_value(target[i + 2]);
            if (hi < 0 || lo < 0) return make_error("bad_path", "invalid escape");
            c = static_cast<char>(hi * 16 + lo);
            if (c == '/') return make_error("bad_path", "encoded slash");
            i += 2;
        }
        if (c == '\0' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
            return make_error("bad_path", "forbidden character");
        decoded.push_back(c);
    }
    // split into segments; reject '.', '..' and hidden files
    std::string out;
    std::size_t pos = 1;
    while (pos <= decoded.size()) {
        std::size_t slash = decoded.find('/', pos);
        std::string_view seg = std::string_view(decoded).substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
        if (!seg.empty()) {
            if (seg.front() == '.') return make_error("bad_path", "dot segment");
            if (!out.empty()) out.push_back('/');
            out.append(seg);
        }
        if (slash == std::string::npos) break;
        pos = slash + 1;
    }
    if (out.empty() || decoded.back() == '/') out += out.empty() ? "index.html" : "/index.html";
    return out;
}

std::string_view mime_type_for(std::string_view path) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".wasm", "application/wasm"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".ttf", "font/ttf"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    }};
    for (const auto& [ext, type] : kTypes)
        if (ends_with(path, ext)) return type;
    return "application/octet-stream";
}

Encoding pick_encoding(std::string_view accept_encoding, bool have_brotli, bool have_gzip) {
    if (have_brotli && accepts(accept_encoding, "br")) return Encoding::Brotli;
    if (have_gzip && accepts(accept_encoding, "gzip")) return Encoding::Gzip;
    return Encoding::Identity;
}

Result<StaticFile> find_static_file(const std::filesystem::path& root, std::string_view target,
                                    std::string_view accept_encoding) {
    auto relative = resolve_request_path(target);
    if (!relative) return relative.error();
    std::error_code ec;
    std::filesystem::path file = root / relative.value();
    if (!std::filesystem::is_regular_file(file, ec)) return not_found();

    auto variant = [&](const char* suffix) {
        std::filesystem::path p = file;
        p += suffix;
        std::error_code e;
        return std::filesystem::is_regular_file(p, e) ? p : std::filesystem::path();
    };
    std::filesystem::path br = variant(".br"), gz = variant(".gz");
    StaticFile out;
    out.content_type = std::string(mime_type_for(relative.value()));
    out.encoding = pick_encoding(accept_encoding, !br.empty(), !gz.empty());
    out.path = out.encoding == Encoding::Brotli ? br : out.encoding == Encoding::Gzip ? gz : file;
    out.size = std::filesystem::file_size(out.path, ec);
    if (ec) return not_found();
    auto mtime = std::filesystem::last_write_time(out.path, ec).time_since_epoch().count();
    char etag[80];
    std::snprintf(etag, sizeof etag, "\"%llx-%llx-%d\"", static_cast<unsigned long long>(out.size),
                  static_cast<unsigned long long>(mtime), static_cast<int>(out.encoding));
    out.etag = etag;
    return out;
}

}  // namespace lb::server
