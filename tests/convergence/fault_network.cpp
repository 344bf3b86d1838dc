// fault_network.cpp — seeded faults between the devices' sync machines and the real server.
#include "fault_network.h"

#include <chrono>

#include <nlohmann/json.hpp>

namespace lb::convergence {

namespace {

std::int64_t now_ms() {
    using namespace std::chrono;
    return static_cast<std::int64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace

FaultNetwork::FaultNetwork(engine::NativeHttpClient& http, SeededRandom& rng) : http_(http), rng_(rng) {}

engine::HttpReply FaultNetwork::send(SimDevice& device, const engine::SyncRequest& request) {
    ++device.requests_delivered;
    return http_.exchange(request);
}

void FaultNetwork::note_acknowledged(SimDevice& sim, const engine::SyncRequest& request, const engine::HttpReply& reply) {
    if (reply.status != 200 || request.path != "/api/v1/push") return;
    auto opened = sim.engine().open_sealed_answer(request, reply.status, reply.body);  // answers are sealed
    if (!opened) return;
    const int device = sim.index();
    const nlohmann::json body = nlohmann::json::parse(opened.value(), nullptr, false);
    if (!body.is_object() || !body.contains("results") || !body["results"].is_array()) return;
    for (const auto& result : body["results"]) {
        if (!result.is_object() || !result.contains("ops") || !result["ops"].is_array()) continue;
        for (const auto& op : result["ops"]) {
            if (!op.is_object() || !op.contains("seq") || !op.contains("op_id") || !op["op_id"].is_string()) continue;
            const std::string status = op.value("status", std::string());
            if (status == "accepted" || status == "duplicate")
                acked_ops_.emplace(op["op_id"].get<std::string>(), device);
        }
    }
}

Status FaultNetwork::deliver(SimDevice& device, const engine::SyncRequest& request, const engine::HttpReply& reply) {
    note_acknowledged(device, request, reply);
    ++stats_.exchanges;
    if (auto s = device.engine().sync_on_response(request, reply.status, reply.body, now_ms()); !s)
        return make_error(s.error().code, device.name() + ": sync_on_response failed: " + s.error().message);
    return Ok{};
}

Result<bool> FaultNetwork::step(SimDevice& device, std::uint64_t tick) {
    if (!device.is_open() || device.held) return false;
    auto request = device.engine().sync_next_request(now_ms());
    if (!request) return false;
    enum class Fault { none, drop_request, drop_reply, duplicate, delay_reply, late_request };
    Fault fault = Fault::none;
    if (faults_on && static_cast<int>(rng_.pick(100)) < fault_percent) {
        static constexpr Fault kAll[] = {Fault::drop_request, Fault::drop_reply, Fault::duplicate, Fault::delay_reply,
                                         Fault::late_request};
        fault = kAll[rng_.pick(std::size(kAll))];
        if (request->step == engine::SyncStep::enroll) ++stats_.enrolment_faults;
    }
    switch (fault) {
        case Fault::none: {
            engine::HttpReply reply = send(device, *request);
            if (auto s = deliver(device, *request, reply); !s) return s.error();
            return true;
        }
        case Fault::drop_request: {
            ++stats_.faults["drop_request"];
            if (auto s = deliver(device, *request, engine::HttpReply{}); !s) return s.error();
            return true;
        }
        case Fault::drop_reply: {
            ++stats_.faults["drop_reply"];
            (void)send(device, *request);
            if (auto s = deliver(device, *request, engine::HttpReply{}); !s) return s.error();
            return true;
        }
        case Fault::duplicate: {
            ++stats_.faults["duplicate_request"];
            engine::HttpReply first = send(device, *request);
            engine::HttpReply second = send(device, *request);
            if (auto s = deliver(device, *request, rng_.pick(2) == 0 ? first : second); !s) return s.error();
            return true;
        }
        case Fault::delay_reply: {
            ++stats_.faults["delay_reply"];
            engine::HttpReply reply = send(device, *request);
            device.held = HeldReply{*request, std::move(reply), tick + 1 + rng_.pick(40)};
            return true;
        }
        case Fault::late_request: {
            ++stats_.faults["late_request"];
            late_.push_back(LateRequest{device.index(), *request, tick + 1 + rng_.pick(60), device.requests_delivered});
            if (auto s = deliver(device, *request, engine::HttpReply{}); !s) return s.error();
            return true;
        }
    }
    return false;
}

Status FaultNetwork::deliver_due(std::vector<SimDevice*>& devices, std::uint64_t tick, bool all) {
    for (SimDevice* device : devices) {
        if (device->held && (all || device->held->due_tick <= tick)) {
            HeldReply held = std::move(*device->held);
            device->held.reset();
            if (!device->is_open()) continue;
            if (auto s = deliver(*device, held.request, held.reply); !s) return s;
        }
    }
    // Late requests: due ones go out in a random order (the network reorders them).
    for (;;) {
        std::vector<std::size_t> due;
        for (std::size_t i = 0; i < late_.size(); ++i)
            if (all || late_[i].due_tick <= tick) due.push_back(i);
        if (due.empty()) break;
        const std::size_t at = due[rng_.pick(due.size())];
        LateRequest late = std::move(late_[at]);
        late_.erase(late_.begin() + static_cast<std::ptrdiff_t>(at));
        SimDevice& device = *devices.at(static_cast<std::size_t>(late.device));
        if (device.requests_delivered > late.sent_before) ++stats_.reordered;
        (void)send(device, late.request);  // nobody waits for this answer any more
    }
    return Ok{};
}

}  // namespace lb::convergence
