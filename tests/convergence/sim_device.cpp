// sim_device.cpp — a device's engine on its files, and the random person using it.
#include "sim_device.h"

#include "lifebuoy/domain.h"
#include "lifebuoy/lifecycle.h"

namespace lb::convergence {

using nlohmann::json;

namespace {

const char* const kUrgencies[] = {"high", "medium", "low"};
const char* const kCategories[] = {"network", "hardware", "software", "access", "email", "printing"};
const char* const kWords[] = {"VPN drops",    "printer jams",    "laptop slow", "cannot sign in",
                              "mail bounces", "screen flickers", "disk full",   "Wi-Fi weak"};

template <typename T, std::size_t N>
const T& pick(SeededRandom& rng, const T (&items)[N]) {
    return items[rng.pick(N)];
}

}  // namespace

const char* role_name(DeviceRole role) {
    switch (role) {
        case DeviceRole::requester:
            return "requester";
        case DeviceRole::guest:
            return "guest";
        case DeviceRole::technician:
            return "technician";
    }
    return "?";
}

SimDevice::SimDevice(int index, DeviceRole role, std::string data_dir, std::uint64_t seed)
    : index_(index),
      role_(role),
      data_dir_(std::move(data_dir)),
      name_(std::string(role_name(role)) + "-" + std::to_string(index)),
      random_(seed) {}

SimDevice::~SimDevice() {
    close();
}

Status SimDevice::open() {
    close();
    auto slots = engine::NativeFileSlots::open(data_dir_);
    if (!slots) return slots.error();
    slots_ = std::move(slots.value());
    engine::EngineEnvironment env;
    env.storage = slots_.get();
    env.storage_note = "convergence device " + name_;
    env.now_ms = engine::system_sync_clock().now_ms;
    env.random = &random_;
    auto opened = engine::Engine::open(std::move(env));
    if (!opened) {
        slots_.reset();
        return opened.error();
    }
    engine_ = std::move(opened.value());
    return Ok{};
}

void SimDevice::close() {
    held.reset();
    engine_.reset();
    slots_.reset();
}

Result<json> SimDevice::call(const std::string& cmd, json args) {
    const json request{{"v", 1}, {"id", next_request_id_++}, {"cmd", cmd}, {"args", std::move(args)}};
    const json response = json::parse(engine_->handle_message(request.dump()), nullptr, false);
    if (!response.is_object()) return make_error("engine_error", "the engine's answer does not decode");
    if (response.value("ok", false)) return response.value("result", json::object());
    const json error = response.value("error", json::object());
    return make_error(error.value("code", std::string("engine_error")), error.value("message", std::string()));
}

std::optional<AckedAction> SimDevice::random_action(SeededRandom& rng, const std::string& tag, ActionCounts& counts) {
    const std::size_t roll = rng.pick(100);
    if (role_ == DeviceRole::technician) {
        if (roll < 40) return reply(rng, tag, rng.pick(3) == 0, counts);
        return update(rng, tag, counts);
    }
    if (roll < 45) return file_ticket(rng, tag, counts);
    if (roll < 80) return reply(rng, tag, false, counts);
    return update(rng, tag, counts);
}

std::optional<AckedAction> SimDevice::file_ticket(SeededRandom& rng, const std::string& tag, ActionCounts& counts) {
    const std::string title = std::string(pick(rng, kWords)) + " [" + tag + "]";
    json args{{"title", title},
              {"description", "filed by " + name_ + " during the convergence test"},
              {"urgency", pick(rng, kUrgencies)}};
    if (role_ != DeviceRole::guest) args["impact"] = pick(rng, kUrgencies);  // guests may not set impact
    if (rng.pick(2) == 0) args["category"] = pick(rng, kCategories);
    auto created = call("create_ticket", args);
    if (!created) {
        ++counts.refused_locally;
        ++counts.refused_by_code["create_ticket: " + created.error().code];
        return std::nullopt;
    }
    ++counts.acked;
    const std::string id = created.value()["ticket_id"].get<std::string>();
    return AckedAction{"create_ticket", id, id, title, false};
}

std::optional<json> SimDevice::random_ticket(SeededRandom& rng, bool open_only) {
    json filter = json::object();
    if (open_only) filter["status"] = "open";
    auto list = call("list_tickets", {{"filter", filter}, {"limit", 500}});
    if (!list || list.value()["rows"].empty()) return std::nullopt;
    const json& rows = list.value()["rows"];
    return rows[rng.pick(rows.size())];
}

std::optional<AckedAction> SimDevice::reply(SeededRandom& rng, const std::string& tag, bool internal,
                                            ActionCounts& counts) {
    auto ticket = random_ticket(rng, true);
    if (!ticket) {
        ++counts.nothing_to_do;
        return std::nullopt;
    }
    const std::string ticket_id = (*ticket)["id"].get<std::string>();
    const std::string body = std::string(internal ? "internal note" : "reply") + " [" + tag + "]";
    auto added =
        call("add_comment",
             {{"ticket_id", ticket_id}, {"body", body}, {"kind", internal ? "internal_note" : "public_reply"}});
    if (!added) {
        ++counts.refused_locally;
        ++counts.refused_by_code["add_comment: " + added.error().code];
        return std::nullopt;
    }
    ++counts.acked;
    return AckedAction{"add_comment", added.value()["comment_id"].get<std::string>(), ticket_id, body, false};
}

std::optional<AckedAction> SimDevice::update(SeededRandom& rng, const std::string& tag, ActionCounts& counts) {
    auto ticket = random_ticket(rng, true);
    if (!ticket) {
        ++counts.nothing_to_do;
        return std::nullopt;
    }
    const std::string ticket_id = (*ticket)["id"].get<std::string>();
    json fields = json::object();
    const std::size_t roll = rng.pick(100);
    if (role_ == DeviceRole::technician && roll < 60) {
        const TicketStatus from = status_from_name((*ticket)["status"].get<std::string>());
        auto next = allowed_transitions(Role::technician, from, false);
        if (next.empty()) {
            ++counts.nothing_to_do;
            return std::nullopt;
        }
        fields["status"] = std::string(to_name(next[rng.pick(next.size())]));
    } else if (role_ == DeviceRole::technician) {
        if (roll < 70)
            fields["impact"] = pick(rng, kUrgencies);
        else if (roll < 80)
            fields["urgency"] = pick(rng, kUrgencies);
        else if (roll < 90)
            fields["category"] = pick(rng, kCategories);
        else  // the same field the requester edits: last writer wins, on every replica alike
            fields["description"] = "rewritten by " + name_ + " [" + tag + "]";
    } else if (roll < 55) {
        fields["description"] = "more detail from " + name_ + " [" + tag + "]";
    } else if (roll < 90 && role_ == DeviceRole::requester) {
        fields["site"] = rng.pick(2) == 0 ? "london" : "new_york";  // guests may not set a site
    } else if (roll < 90) {
        fields["description"] = "a guest adds detail [" + tag + "]";
    } else {
        fields["status"] = "closed";  // the requester withdraws the ticket
    }
    auto updated = call("update_ticket", {{"id", ticket_id}, {"fields", fields}});
    if (!updated) {
        ++counts.refused_locally;
        ++counts.refused_by_code["update_ticket " + fields.begin().key() + ": " + updated.error().code];
        return std::nullopt;
    }
    ++counts.acked;
    return AckedAction{"update_ticket", ticket_id, ticket_id, "", false};
}

}  // namespace lb::convergence
