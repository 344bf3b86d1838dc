// triage/config_location.cpp — [SECTION] the byte of a syntax error (nlohmann SAX, no exceptions);
// [SECTION] a member path → its place in the text (a small walker over JSON that already parsed).
#include "lifebuoy/triage/config_location.h"

#include <optional>
#include <variant>
#include <vector>

#include "config_detail.h"

namespace lb::triage {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] positions and syntax errors
// ---------------------------------------------------------------------------------------------

ConfigLocation at_offset(std::string_view text, std::size_t offset, std::string path) {
    ConfigLocation where;
    where.path = std::move(path);
    where.line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++where.line;
            line_start = i + 1;
        }
    }
    where.column = (offset < text.size() ? offset : text.size()) - line_start + 1;
    return where;
}

// Records the first parse error; accepts every event.
struct FirstErrorSax {
    using number_integer_t = nlohmann::json::number_integer_t;
    using number_unsigned_t = nlohmann::json::number_unsigned_t;
    using number_float_t = nlohmann::json::number_float_t;
    using string_t = nlohmann::json::string_t;
    using binary_t = nlohmann::json::binary_t;

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(number_integer_t) { return true; }
    bool number_unsigned(number_unsigned_t) { return true; }
    bool number_float(number_float_t, const string_t&) { return true; }
    bool string(string_t&) { return true; }
    bool binary(binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(string_t&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
        offset = position;
        what = ex.what();
        return false;
    }

    std::optional<std::size_t> offset;
    std::string what;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] member paths
// ---------------------------------------------------------------------------------------------

using Step = std::variant<std::string, std::size_t>;  // a member name or an array index

// "sites[1].hours.mon" → sites, 1, hours, mon. nullopt when it is not a path.
std::optional<std::vector<Step>> split_path(std::string_view path) {
    std::vector<Step> steps;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos || close == i + 1) return std::nullopt;
            std::size_t index = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (path[k] < '0' || path[k] > '9') return std::nullopt;
                index = index * 10 + static_cast<std::size_t>(path[k] - '0');
            }
            steps.emplace_back(index);
            i = close + 1;
            if (i < path.size() && path[i] == '.') ++i;
            continue;
        }
        std::size_t end = i;
        while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
        if (end == i) return std::nullopt;
        steps.emplace_back(std::string(path.substr(i, end - i)));
        i = end;
        if (i < path.size() && path[i] == '.') ++i;
    }
    return steps;
}

// Walks JSON text that is known to parse. Positions are byte offsets.
class Walker {
public:
    explicit Walker(std::string_view text) : text_(text) {}

    // Offset of the member key or element that `steps` names, starting at the value at `pos`.
    std::optional<std::size_t> find(std::size_t pos, const std::vector<Step>& steps, std::size_t step) {
        pos = skip_space(pos);
        if (step == steps.size()) return pos;
        if (const auto* name = std::get_if<std::string>(&steps[step])) {
            if (pos >= text_.size() || text_[pos] != '{') return std::nullopt;
            pos = skip_space(pos + 1);
            while (pos < text_.size() && text_[pos] == '"') {
                const std::size_t key_at = pos;
                const std::size_t key_end = skip_string(pos);
                const std::string_view key = text_.substr(key_at + 1, key_end - key_at - 2);
                pos = skip_space(key_end);
                if (pos < text_.size() && text_[pos] == ':') pos = skip_space(pos + 1);
                if (key == *name) return step + 1 == steps.size() ? std::optional(key_at) : find(pos, steps, step + 1);
                pos = skip_space(skip_value(pos));
                if (pos < text_.size() && text_[pos] == ',') pos = skip_space(pos + 1);
            }
            return std::nullopt;
        }
        const std::size_t index = std::get<std::size_t>(steps[step]);
        if (pos >= text_.size() || text_[pos] != '[') return std::nullopt;
        pos = skip_space(pos + 1);
        for (std::size_t i = 0; pos < text_.size() && text_[pos] != ']'; ++i) {
            if (i == index) return find(pos, steps, step + 1);
            pos = skip_space(skip_value(pos));
            if (pos < text_.size() && text_[pos] == ',') pos = skip_space(pos + 1);
        }
        return std::nullopt;
    }

private:
    std::size_t skip_space(std::size_t pos) const {
        while (pos < text_.size() && (text_[pos] == ' ' || text_[pos] == '\t' || text_[pos] == '\n' || text_[pos] == '\r')) {
            ++pos;
        }
        return pos;
    }
    // pos at the opening quote → just after the closing quote.
    std::size_t skip_string(std::size_t pos) const {
        for (++pos; pos < text_.size(); ++pos) {
            if (text_[pos] == '\\') ++pos;
            else if (text_[pos] == '"') return pos + 1;
        }
        return pos;
    }
    std::size_t skip_value(std::size_t pos) const {
        if (pos >= text_.size()) return pos;
        if (text_[pos] == '"') return skip_string(pos);
        if (text_[pos] != '{' && text_[pos] != '[') {
            while (pos < text_.size() && text_[pos] != ',' && text_[pos] != '}' && text_[pos] != ']') ++pos;
            return pos;
        }
        std::size_t depth = 0;
        for (; pos < text_.size(); ++pos) {
            const char c = text_[pos];
            if (c == '"') pos = skip_string(pos) - 1;
            else if (c == '{' || c == '[') ++depth;
            else if ((c == '}' || c == ']') && --depth == 0) return pos + 1;
        }
        return pos;
    }

    std::string_view text_;
};

// The member path an error message starts with: "sites[0]: unknown member 'hour'" → "sites[0].hour";
// "config: …" → "" (the whole document).
std::string error_path(const Error& error) {
    const std::string& m = error.message;
    const std::size_t colon = m.find(": ");
    if (colon == std::string::npos) return {};
    std::string path = m.substr(0, colon);
    if (path == "config") path.clear();
    constexpr std::string_view kUnknown = "unknown member '";
    if (const std::size_t u = m.find(kUnknown, colon); u != std::string::npos) {
        const std::size_t begin = u + kUnknown.size();
        const std::size_t end = m.find('\'', begin);
        if (end != std::string::npos) path += (path.empty() ? "" : ".") + m.substr(begin, end - begin);
    }
    return path;
}

}  // namespace

namespace detail {

SyntaxError find_syntax_error(std::string_view text) {
    FirstErrorSax sax;
    (void)nlohmann::json::sax_parse(text, &sax);
    SyntaxError e;
    e.offset = sax.offset.value_or(0);
    const ConfigLocation where = at_offset(text, e.offset, "");
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error …"
    std::string why = sax.what;
    if (const std::size_t cut = why.find(": ", why.find("column")); cut != std::string::npos) why = why.substr(cut + 2);
    e.message = "line " + std::to_string(where.line) + ", column " + std::to_string(where.column) + ": " +
                (why.empty() ? std::string("syntax error") : why);
    return e;
}

}  // namespace detail

ConfigLocation locate_config_path(std::string_view json_text, std::string_view path) {
    ConfigLocation none;
    none.path = std::string(path);
    const auto steps = split_path(path);
    if (!steps) return none;
    Walker walker(json_text);
    const auto offset = walker.find(0, *steps, 0);
    if (!offset) return none;
    return at_offset(json_text, *offset, std::string(path));
}

ConfigLocation locate_config_error(std::string_view json_text, const Error& error) {
    if (error.code == "malformed_config" && error.message.rfind("config: not JSON", 0) == 0) {
        return at_offset(json_text, detail::find_syntax_error(json_text).offset, "");
    }
    const std::string path = error_path(error);
    if (path.empty()) {
        ConfigLocation whole;
        return whole;
    }
    ConfigLocation where = locate_config_path(json_text, path);
    // An unknown or missing member: fall back to its parent object, which exists.
    for (std::string parent = path; where.line == 0;) {
        const std::size_t cut = parent.find_last_of(".[");
        if (cut == std::string::npos || cut == 0) break;
        parent.resize(cut);
        where = locate_config_path(json_text, parent);
        where.path = path;
    }
    return where;
}

}  // namespace lb::triage
