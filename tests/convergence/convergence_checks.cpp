// convergence_checks.cpp — quiescence, fresh pulls, and the comparisons of convergence_checks.h.
#include "convergence_checks.h"

#include <map>
#include <set>

#include "lifebuoy/views.h"
#include "lifebuoy/wire.h"

namespace lb::convergence {

using nlohmann::json;

namespace {

constexpr int kMaxQuiescenceRounds = 15;
constexpr std::int64_t kRoundSyncBudgetMs = 30'000;

std::size_t pending_batches(SimDevice& device) {
    auto status = device.call("sync_status");
    if (!status) return 0;
    return status.value().value("pending_batches", std::size_t{0});
}

// Ticket titles and comment bodies as `device` reads them (opened with its keys: the server holds
// them sealed), each counted per distinct ticket or comment. After check (a) the device's data is
// what the server serves it, so a text counted twice here is on the server twice.
void count_readable_texts(SimDevice& device, std::map<std::string, std::set<std::string>>& titles,
                          std::map<std::string, std::set<std::string>>& bodies) {
    for (std::size_t offset = 0;; offset += 500) {
        auto page = device.call("list_tickets", {{"offset", offset}, {"limit", 500}});
        if (!page) return;
        const json& rows = page.value()["rows"];
        for (const json& row : rows) {
            const std::string id = row.value("id", std::string());
            auto got = device.call("get_ticket", {{"id", id}});
            if (!got) continue;
            titles[got.value()["ticket"].value("title", std::string())].insert(id);
            for (const json& c : got.value()["comments"]) bodies[c.value("body", std::string())].insert(c.value("id", std::string()));
        }
        if (rows.size() < 500) return;
    }
}

// Up to `limit` op descriptions present in `a` and missing from `b`.
std::vector<std::string> missing_ops(const Replica& a, const Replica& b, std::size_t limit) {
    std::vector<std::string> out;
    for (const Op& op : a.log()) {
        if (b.contains(op.op_id)) continue;
        if (out.size() == limit) {
            out.push_back("…");
            break;
        }
        out.push_back(op_to_json(op, false).dump());
    }
    return out;
}

}  // namespace

Status ConvergenceChecks::quiesce() {
    s_.network_->faults_on = false;
    s_.server_->reap();
    if (!s_.server_->running()) {
        if (auto s = s_.server_->start(); !s) return s;
        s_.server_down_ = false;
    }
    if (auto s = s_.network_->deliver_due(s_.device_ptrs_, s_.tick_, /*all=*/true); !s) return s;
    for (SimDevice* device : s_.device_ptrs_)
        if (!device->is_open())
            if (auto s = device->open(); !s) return s;
    // The auditor, a technician who reads the whole log at the end, enrols now: its enrolment
    // writes user ops every technician sees, and they must reach the devices before the checks.
    const engine::SyncClock clock = engine::system_sync_clock();
    auditor_ = std::make_unique<SimDevice>(1000, DeviceRole::technician, s_.work_dir_ + "/auditor", 0xa0d17);
    if (auto s = auditor_->open(); !s) return s;
    if (auto e = auditor_->call("enroll", {{"invite", s_.auditor_invite_}}); !e) return e.error();
    {
        engine::SyncRunOptions options;
        options.deadline_ms = clock.now_ms() + kRoundSyncBudgetMs;
        const engine::SyncRunReport report = engine::run_sync(auditor_->engine(), *s_.http_, clock, options);
        if (!auditor_->engine().sync_state().enrolled())
            return make_error("auditor_enrolment_failed", report.error ? report.error->message : "not enrolled");
    }
    std::string unsettled;
    for (int round = 1; round <= kMaxQuiescenceRounds; ++round) {
        s_.quiescence_rounds_ = static_cast<std::size_t>(round);
        bool changed = false;
        unsettled.clear();
        for (SimDevice* device : s_.device_ptrs_) {
            const std::size_t before = device->engine().replica().op_count();
            device->engine().sync_wake(clock.now_ms());
            engine::SyncRunOptions options;
            options.deadline_ms = clock.now_ms() + kRoundSyncBudgetMs;
            const engine::SyncRunReport report = engine::run_sync(device->engine(), *s_.http_, clock, options);
            if (!report.caught_up) {
                changed = true;
                unsettled += "\n      " + device->name() + ": " +
                             (report.error ? report.error->message + " (" + report.error->code + ")" : "not caught up");
                if (report.error &&
                    (report.error->code == "not_enrolled" || report.error->code == "stopped" ||
                     report.error->code == "enroll_failed" || report.error->code.rfind("invite", 0) == 0))
                    return make_error("not_enrolled", device->name() + " can not sync: " + report.error->message +
                                                          " (" + report.error->code + ")");
            }
            if (device->engine().replica().op_count() != before || pending_batches(*device) > 0) changed = true;
        }
        if (!changed && round >= 2) return Ok{};
    }
    return make_error("no_quiescence", "the devices did not settle within " + std::to_string(kMaxQuiescenceRounds) +
                                           " sync rounds without faults" + unsettled);
}

Result<ConvergenceChecks::Pulled> ConvergenceChecks::pull_everything(SimDevice& device) {
    Pulled out;
    std::set<std::string> seen;
    std::int64_t cursor = 0;
    for (int page = 0; page < 100'000; ++page) {
        auto call = device.engine().sealed_call("/api/v1/pull", json{{"cursor", cursor}, {"max_ops", 1000}}.dump());
        if (!call) return make_error("pull_failed", call.error().message);
        engine::HttpReply reply = s_.http_->exchange(call.value());
        if (reply.status != 200)
            return make_error("pull_failed",
                              "pull answered " + std::to_string(reply.status) + " " + reply.error + reply.body);
        auto opened = device.engine().open_sealed_answer(call.value(), reply.status, reply.body);
        if (!opened) return make_error("pull_failed", "the pull's answer did not open: " + opened.error().message);
        const json body = json::parse(opened.value(), nullptr, false);
        if (!body.is_object() || !body.contains("ops") || !body["ops"].is_array() || !body.contains("cursor"))
            return make_error("pull_failed", "pull answer does not decode");
        for (std::size_t i = 0; i < body["ops"].size(); ++i) {
            auto op = op_from_json(body["ops"][i], "ops[" + std::to_string(i) + "]", false);
            if (!op) return make_error("pull_failed", "a pulled op does not decode: " + op.error().message);
            ++out.ops_served;
            if (!seen.insert(to_hex(op.value().op_id)).second) ++out.duplicate_ids;
            Batch one{op.value().op_id, {std::move(op.value())}, {}};
            if (auto applied = out.replica.apply(std::move(one)); !applied)
                return make_error("pull_failed", "a pulled op does not apply: " + applied.error().message);
        }
        cursor = body["cursor"].get<std::int64_t>();
        if (!body.value("more", false)) return out;
    }
    return make_error("pull_failed", "pull did not finish");
}

void ConvergenceChecks::check_all(std::vector<std::string>& failures) {
    auto everything = pull_everything(*auditor_);
    if (!everything) {
        failures.push_back(everything.error().message);
        return;
    }
    const Replica& server = everything.value().replica;
    s_.check_counts_["server ops"] = server.op_count();
    s_.check_counts_["server tickets"] = server.entity_ids(EntityKind::ticket).size();
    s_.check_counts_["server comments"] = server.entity_ids(EntityKind::comment).size();
    if (everything.value().duplicate_ids > 0)
        failures.push_back("(b) the server's log serves " + std::to_string(everything.value().duplicate_ids) +
                           " op id(s) more than once");

    // (a) and (d): each device against what the server serves its user.
    std::map<std::string, std::size_t> rejected_by_code;
    std::map<int, std::set<std::string>> rejected_tickets;  // device → tickets with a rejected batch
    for (SimDevice* device : s_.device_ptrs_) {
        const engine::SyncState& state = device->engine().sync_state();
        if (!state.enrolled()) {
            failures.push_back("(d) " + device->name() + " is not enrolled");
            continue;
        }
        auto status = device->call("sync_status");
        if (!status) {
            failures.push_back("(d) " + device->name() + ": sync_status failed: " + status.error().message);
            continue;
        }
        if (status.value().value("pending_batches", 0) != 0)
            failures.push_back("(d) " + device->name() + " still has " + status.value()["pending_batches"].dump() +
                               " batch(es) waiting to be sent");
        for (const json& r : status.value().value("rejected", json::array())) {
            ++rejected_by_code[r.value("code", std::string("?")) + " (" + r.value("action", std::string("?")) + ")"];
            rejected_tickets[device->index()].insert(r.value("ticket_id", std::string()));
        }
        auto served = pull_everything(*device);
        if (!served) {
            failures.push_back("(a) " + device->name() + ": " + served.error().message);
            continue;
        }
        const Replica& local = device->engine().replica();
        if (local.canonical_state() != served.value().replica.canonical_state()) {
            std::string detail = "(a) " + device->name() + " (" + role_name(device->role()) +
                                 ") differs from what the server serves it: " + std::to_string(local.op_count()) +
                                 " ops on the device, " + std::to_string(served.value().replica.op_count()) + " served";
            for (const std::string& op : missing_ops(local, served.value().replica, 3))
                detail += "\n      only on the device: " + op;
            for (const std::string& op : missing_ops(served.value().replica, local, 3))
                detail += "\n      only on the server: " + op;
            failures.push_back(detail);
        } else {
            ++s_.check_counts_["devices identical to their server view"];
        }
    }
    for (const auto& [code, n] : rejected_by_code) s_.check_counts_["not accepted, kept and shown: " + code] = n;

    // (b) every op a device saw acknowledged is on the server.
    for (const auto& [op_hex, device] : s_.network_->acknowledged_ops()) {
        auto id = id128_from_hex(op_hex);
        if (!id || !server.contains(*id))
            failures.push_back("(b) op " + op_hex + " acknowledged to " +
                               s_.device_ptrs_[static_cast<std::size_t>(device)]->name() + " is not on the server");
    }

    // (c) every acknowledged user action: on the server exactly once, or shown as not accepted.
    // Texts are sealed end to end: counted as the devices read them (each device sees at least
    // its own tickets and comments; the technicians every one whose key reached the team).
    std::map<std::string, std::set<std::string>> titles, bodies;
    for (SimDevice* device : s_.device_ptrs_) count_readable_texts(*device, titles, bodies);
    std::size_t verified = 0, shown_rejected = 0;
    for (SimDevice* device : s_.device_ptrs_) {
        for (const AckedAction& action : device->acked) {
            if (action.kind == "update_ticket") continue;  // covered by (a): no distinguishing text
            const bool is_ticket = action.kind == "create_ticket";
            auto id = id128_from_hex(action.entity_id);
            const bool present = id && server.exists(is_ticket ? EntityKind::ticket : EntityKind::comment, *id);
            const std::size_t copies = is_ticket ? titles[action.text].size() : bodies[action.text].size();
            const std::string where = device->name() + (action.in_crashed_child ? " (in a killed child)" : "");
            if (present && copies == 1) {
                ++verified;
            } else if (present) {
                failures.push_back("(c) " + action.kind + " \"" + action.text + "\" by " + where +
                                   " is on the server " + std::to_string(copies) + " times");
            } else if (rejected_tickets[device->index()].count(action.ticket_id)) {
                ++shown_rejected;
            } else {
                failures.push_back("(c) LOST: " + action.kind + " \"" + action.text + "\" acknowledged by " + where +
                                   " is not on the server and not shown as rejected");
            }
        }
    }
    s_.check_counts_["acknowledged tickets/comments found exactly once"] = verified;
    s_.check_counts_["acknowledged tickets/comments shown as not accepted"] = shown_rejected;
}

}  // namespace lb::convergence
