// command_protocol.cpp — encoding and defensive decoding of UI ⇄ engine messages.
#include "commands/command_protocol.h"

#include "lifebuoy/version.h"

namespace lb::commands {
namespace {

using nlohmann::json;

Error bad_message(std::string why) { return make_error("bad_message", std::move(why)); }

Result<json> parse_object(std::string_view text) {
    if (text.size() > kMaxMessageBytes) return bad_message("message too large");
    json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return bad_message("not a JSON object");
    auto v = j.find("v");
    if (v == j.end() || !v->is_number_integer() || v->get<int>() != kCommandProtocolVersion)
        return bad_message("unsupported protocol version");
    return j;
}

}  // namespace

std::string encode_request(const Request& r) {
    return json{{"v", kCommandProtocolVersion}, {"id", r.id}, {"cmd", r.cmd}, {"args", r.args}}.dump();
}

std::string encode_response(const Response& r) {
    json j{{"v", kCommandProtocolVersion}, {"id", r.id}, {"ok", r.ok}};
    if (r.ok) j["result"] = r.result;
    else j["error"] = {{"code", r.error.code}, {"message", r.error.message}};
    // invalid UTF-8 in a message is replaced rather than thrown on
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode_event(const Event& e) {
    return json{{"v", kCommandProtocolVersion}, {"event", e.name}, {"data", e.data}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
}

Result<Request> decode_request(std::string_view text) {
    auto parsed = parse_object(text);
    if (!parsed) return parsed.error();
    const json& j = parsed.value();
    auto id = j.find("id");
    auto cmd = j.find("cmd");
    if (id == j.end() || !id->is_number_unsigned()) return bad_message("missing or invalid id");
    if (cmd == j.end() || !cmd->is_string()) return bad_message("missing or invalid cmd");
    Request r;
    r.id = id->get<std::uint64_t>();
    r.cmd = cmd->get<std::string>();
    if (auto args = j.find("args"); args != j.end()) {
        if (!args->is_object()) return bad_message("args must be an object");
        r.args = *args;
    }
    return r;
}

Result<EngineMessage> decode_engine_message(std::string_view text) {
    auto parsed = parse_object(text);
    if (!parsed) return parsed.error();
    const json& j = parsed.value();
    EngineMessage m;
    if (auto ev = j.find("event"); ev != j.end()) {
        if (!ev->is_string()) return bad_message("invalid event name");
        m.is_event = true;
        m.event.name = ev->get<std::string>();
        if (auto d = j.find("data"); d != j.end()) m.event.data = *d;
        return m;
    }
    auto id = j.find("id");
    auto ok = j.find("ok");
    if (id == j.end() || !id->is_number_unsigned()) return bad_message("missing or invalid id");
    if (ok == j.end() || !ok->is_boolean()) return bad_message("missing or invalid ok");
    m.response.id = id->get<std::uint64_t>();
    m.response.ok = ok->get<bool>();
    if (m.response.ok) {
        if (auto res = j.find("result"); res != j.end()) m.response.result = *res;
    } else {
        auto err = j.find("error");
        if (err == j.end() || !err->is_object()) return bad_message("missing error");
        auto code = err->find("code");
        auto message = err->find("message");
        m.response.error.code = code != err->end() && code->is_string() ? code->get<std::string>() : "unknown";
        m.response.error.message = message != err->end() && message->is_string() ? message->get<std::string>() : "";
    }
    return m;
}

Response ok_response(std::uint64_t id, nlohmann::json result) {
    Response r;
    r.id = id;
    r.ok = true;
    r.result = std::move(result);
    return r;
}

Response error_response(std::uint64_t id, std::string code, std::string message) {
    Response r;
    r.id = id;
    r.error = make_error(std::move(code), std::move(message));
    return r;
}

}  // namespace lb::commands
