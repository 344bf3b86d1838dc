// engine_sync.cpp — the sync state machine (sync_machine.h): which request comes next, and what an
// answer changes. Every answer that changes data is applied in ONE transaction: push results (each
// outbox batch accepted with its server seqs, or rejected with the server's reason — kept, shown,
// never dropped), pulled ops together with the new cursor and the clock. The in-memory Replica
// follows only after COMMIT. Also the enroll (with its enrolment_id, the idempotency key of the
// enrol request) and sync_status commands. The knowledge base's two
// steps (article pull, deflection push) are in engine_kb.cpp; their order and failures are here.
// Not here: HTTP (the platform), SQL (local_store.cpp).
#include <algorithm>
#include <limits>

#include "engine/engine.h"
#include "engine/kb_sync.h"
#include "lifebuoy/wire.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxEmailBytes = 254;  // RFC 5321 path limit
constexpr const char* kProfileDraft = "profile";  // a guest's e-mail, until the user has arrived

std::optional<std::int64_t> int_member(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

std::string text_member(const json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Error server_error(const json& body, std::string fallback_code, std::string fallback_message) {
    if (body.is_object()) {
        auto e = body.find("error");
        if (e != body.end() && e->is_object())
            return make_error(text_member(*e, "code"), text_member(*e, "message"));
    }
    return make_error(std::move(fallback_code), std::move(fallback_message));
}

// An outbox batch as a push carries it: its op ids in order (none if it does not decode — its
// answer's seqs are then left unread; the ops get their seqs when pulled back) and its shared form
// (wire.h; none when it has no such form: the push goes in the full form).
struct BatchToSend {
    std::vector<std::string> op_ids;
    std::optional<std::string> shared_form;
};
BatchToSend batch_to_send(std::string_view batch_json) {
    BatchToSend out;
    auto batch = decode_batch(batch_json);
    if (!batch) return out;
    out.op_ids.reserve(batch.value().ops.size());
    for (const Op& op : batch.value().ops) out.op_ids.push_back(to_hex(op.op_id));
    if (auto shared = encode_shared_batch(batch.value())) out.shared_form = std::move(shared).value();
    return out;
}

}  // namespace

// --- commands ------------------------------------------------------------------------------------

commands::Response Engine::enroll(const commands::Request& request) {
    if (sync_.enrolled()) return commands::error_response(request.id, "already_enrolled", "this device is enrolled");
    const json& a = request.args;
    json body = json::object();
    if (auto invite = a.find("invite"); invite != a.end() && invite->is_string() && !invite->get<std::string>().empty()) {
        body["invite"] = *invite;
    } else if (auto guest = a.find("guest"); guest != a.end() && guest->is_boolean() && guest->get<bool>()) {
        body["guest"] = true;
    } else if (a.contains("sign_in") || a.contains("recover")) {  // another device of an existing person
        auto signing_in = sign_in_enrolment(a);
        if (!signing_in) return commands::error_response(request.id, signing_in.error().code, signing_in.error().message);
        if (!signing_in.value()) {  // a passphrase: its login first, in the sync loop
            SyncState next = sync_;
            next.enroll_request.reset();
            next.last_error.reset();
            if (auto s = save_sync_state(db_, next); !s) return commands::error_response(request.id, s.error().code, s.error().message);
            sync_ = std::move(next);
            stopped_ = false;
            sync_wake(env_.now_ms());
            return commands::ok_response(request.id, {{"state", "pending"}});
        }
        body = std::move(*signing_in.value());
    } else {
        return commands::error_response(request.id, "bad_arguments",
                                        "enroll needs an invite code, guest: true, sign_in or recover");
    }
    if (!a.contains("sign_in")) pending_sign_in_.reset();  // another way in replaces a waiting sign-in
    if (auto email = a.find("email"); email != a.end()) {
        if (!email->is_string() || email->get<std::string>().find('@') == std::string::npos ||
            email->get<std::string>().size() > kMaxEmailBytes)
            return commands::error_response(request.id, "bad_arguments", "email must be an e-mail address");
    }
    for (const char* name : {"display_name", "device_label", "platform"}) {
        if (auto it = a.find(name); it != a.end() && it->is_string()) body[name] = *it;
    }
    // The enrolment's own id: stored with the request, so every retry is the same enrolment and a
    // server that used the invite but lost its answer answers again (sync_machine.h). Asking again
    // for the same enrolment while it is still waiting keeps its id.
    std::string enrolment_id = to_hex(random_id128(*random_));
    if (sync_.enroll_request) {
        json waiting = json::parse(*sync_.enroll_request, nullptr, false);
        if (waiting.is_object() && waiting.contains("enrolment_id")) {
            json earlier_id = waiting["enrolment_id"];
            waiting.erase("enrolment_id");
            if (waiting == body && earlier_id.is_string()) enrolment_id = earlier_id.get<std::string>();
        }
    }
    body["enrolment_id"] = enrolment_id;
    SyncState next = sync_;
    next.enroll_request = body.dump();
    next.last_error.reset();
    {
        auto tx = Transaction::begin(db_);
        if (!tx) return commands::error_response(request.id, tx.error().code, tx.error().message);
        if (auto email = a.find("email"); email != a.end()) {
            // Kept with the enrolment; becomes an op of the user's own once the user has arrived.
            if (auto s = store_draft(db_, kProfileDraft, json{{"email", *email}}.dump(), env_.now_ms()); !s)
                return commands::error_response(request.id, s.error().code, s.error().message);
        }
        if (auto s = save_sync_state(db_, next); !s) return commands::error_response(request.id, s.error().code, s.error().message);
        if (auto s = tx.value().commit(); !s) return commands::error_response(request.id, s.error().code, s.error().message);
    }
    sync_ = std::move(next);
    stopped_ = false;
    sync_wake(env_.now_ms());
    return commands::ok_response(request.id, {{"state", "pending"}});
}

Result<json> Engine::sync_summary(bool with_rejected) {
    auto stmt = db_.prepare("SELECT batch_id, ticket_id, action, state, attempts, error_code, error_message "
                            "FROM outbox WHERE state != 'accepted' ORDER BY seq");
    if (!stmt) return stmt.error();
    std::int64_t pending = 0, sent = 0, rejected_count = 0;
    json rejected = json::array();
    for (;;) {
        auto row = stmt.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const auto& s = stmt.value();
        if (s.column_text(3) == "pending") {
            ++pending;
            if (s.column_int(4) > 0) ++sent;
            continue;
        }
        ++rejected_count;
        if (with_rejected) {
            rejected.push_back({{"batch_id", s.column_text(0)}, {"ticket_id", s.column_text(1)},
                                {"action", s.column_text(2)}, {"code", s.column_text(5)},
                                {"message", s.column_text(6)}});
        }
    }
    auto unsent_deflections = unsent_deflection_count(db_);
    if (!unsent_deflections) return unsent_deflections.error();
    auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
    json last_error = last_failure_ ? json{{"code", last_failure_->code}, {"message", last_failure_->message}}
                                    : (sync_.last_error ? json{{"code", "enroll_failed"}, {"message", *sync_.last_error}}
                                                        : json(nullptr));
    auto backups = key_backup_summary();
    if (!backups) return backups.error();
    json summary{{"enrolled", sync_.enrolled()},
                 {"enrolling", sync_.enroll_request.has_value() || pending_sign_in_.has_value()},
                 {"stopped", stopped_},
                 {"role", to_name(actor().role)},
                 {"user_id", to_hex(actor().user)},
                 {"pending_batches", pending},
                 {"sent_batches", sent},
                 {"rejected_batches", rejected_count},
                 {"last_sync_ms", opt(sync_.last_sync_ms)},
                 {"last_error", std::move(last_error)},
                 {"cursor", sync_.cursor},
                 {"kb_cursor", sync_.kb_cursor},
                 {"unsent_deflections", unsent_deflections.value()},
                 {"next_sync_ms", opt(sync_due_at())},
                 // the help desk's key on this device: "held", "waiting" (a technician's or admin's
                 // device until a colleague's device wraps it to them), "not_needed" (requesters)
                 {"team_key", keys_.team().size() > 0 ? "held"
                              : (actor().role == Role::technician || actor().role == Role::admin) ? "waiting"
                                                                                                  : "not_needed"}};
    summary["key_backup"] = std::move(backups.value());
    if (with_rejected) summary["rejected"] = std::move(rejected);
    return summary;
}

commands::Response Engine::sync_status(const commands::Request& request) {
    auto summary = sync_summary(true);
    if (!summary) return commands::error_response(request.id, summary.error().code, summary.error().message);
    return commands::ok_response(request.id, std::move(summary.value()));
}

commands::Response Engine::sync_now(const commands::Request& request) {
    sync_wake(env_.now_ms());
    return sync_status(request);
}

// --- the machine ---------------------------------------------------------------------------------

std::optional<std::int64_t> Engine::sync_due_at() const {
    if (stopped_) return std::nullopt;
    if (!sync_.enrolled() && !sync_.enroll_request && !pending_sign_in_) return std::nullopt;
    return due_at_ms_;
}

void Engine::sync_wake(std::int64_t now_ms) {
    failures_ = 0;
    pull_more_ = true;
    kb_pull_more_ = true;
    deflections_owed_ = true;
    keys_owed_ = true;
    key_backup_owed_ = true;
    desk_owed_ = true;
    key_fetches_ = 0;
    due_at_ms_ = now_ms;
}

std::optional<SyncRequest> Engine::notify_request(int wait_seconds) {
    if (!sync_.enrolled() || stopped_) return std::nullopt;
    SyncRequest request;
    request.step = SyncStep::notify;
    request.method = "POST";
    request.path = "/api/v1/notify";
    json body{{"cursor", sync_.cursor}, {"wait", wait_seconds}};
    if (keys_version_ > 0) body["keys_version"] = keys_version_;  // a directory change wakes too
    request.body = body.dump();
    request.bearer = sync_.device_token;
    request.cursor = sync_.cursor;
    if (auto s = seal_request(request, env_.now_ms()); !s) return std::nullopt;
    return request;
}

bool Engine::notify_on_response(const SyncRequest& request, int http_status, std::string_view body) {
    if (http_status == 0) return false;
    auto opened = open_answer(request, http_status, body, env_.now_ms());
    if (!opened || http_status != 200) return false;
    json parsed = json::parse(opened.value(), nullptr, false);
    return parsed.is_object() && parsed.value("changed", false) == true;
}

void Engine::sync_failed(std::string code, std::string message, std::int64_t now_ms) {
    ++failures_;
    std::int64_t delay = kSyncBackoffBaseMs;
    for (int i = 1; i < failures_ && delay < kSyncBackoffMaxMs; ++i) delay *= 2;
    delay = std::min(delay, kSyncBackoffMaxMs);
    std::uint64_t r = 0;
    random_->fill(reinterpret_cast<std::uint8_t*>(&r), sizeof r);
    const double fraction = static_cast<double>(r >> 11) / static_cast<double>(std::uint64_t{1} << 53);
    delay -= static_cast<std::int64_t>(static_cast<double>(delay) * kSyncBackoffJitter * fraction);
    due_at_ms_ = now_ms + delay;
    last_failure_ = make_error(std::move(code), std::move(message));
}

std::optional<SyncRequest> Engine::sync_next_request(std::int64_t now_ms) {
    auto request = next_plain_request(now_ms);
    if (!request || request->step == SyncStep::server_info) return request;
    if (auto s = seal_request(*request, now_ms); !s) {  // nothing leaves unsealed
        in_flight_ = false;
        sync_failed(s.error().code, s.error().message, now_ms);
        return std::nullopt;
    }
    return request;
}

std::optional<SyncRequest> Engine::next_plain_request(std::int64_t now_ms) {
    if (in_flight_ || stopped_ || now_ms < due_at_ms_) return std::nullopt;
    // The platform's probe says the server is unreachable: wait for it to come back (that wakes
    // sync) rather than send into the void. Unknown reachability (no probe yet) does try.
    if (online_ == false) return std::nullopt;
    SyncRequest request;
    request.method = "POST";
    if (!sync_.enrolled()) {
        if (!sync_.enroll_request && !pending_sign_in_) return std::nullopt;
        if (!keys_.server()) {  // first learn and pin the server's key (the one plain call)
            in_flight_ = true;
            return server_info_request();
        }
        if (!sync_.enroll_request) {  // signing in: the name's login first
            auto login = next_sign_in_request();
            if (login) in_flight_ = true;
            return login;
        }
        request.step = SyncStep::enroll;
        request.path = "/api/v1/enroll";
        request.body = *sync_.enroll_request;
        in_flight_ = true;
        return request;
    }
    request.bearer = sync_.device_token;
    auto pending = pending_batches(db_, kSyncPushBatches);
    if (!pending) {
        sync_failed(pending.error().code, pending.error().message, now_ms);
        return std::nullopt;
    }
    if (!pending.value().empty()) {
        // Counted before sending, so "sent" is true even if the answer never comes.
        auto tx = Transaction::begin(db_);
        if (!tx) { sync_failed(tx.error().code, tx.error().message, now_ms); return std::nullopt; }
        // The batches in the shared form ("v":2: each op's entity, entity_id and node written once
        // per batch) unless this server refused that form, or a batch has none; "answer":"seqs":
        // each batch answered with its ops' seqs in the order sent, not their ids.
        std::vector<BatchToSend> to_send;
        bool shared_form = !full_form_pushes_;
        for (const PendingBatch& b : pending.value()) {
            to_send.push_back(batch_to_send(b.body));
            shared_form = shared_form && to_send.back().shared_form.has_value();
        }
        request.shared_form = shared_form;
        request.body = "{\"answer\":\"seqs\",\"v\":" + std::to_string(shared_form ? kPushVersionSharedForm : 1) + ",\"batches\":[";
        for (std::size_t i = 0; i < pending.value().size(); ++i) {
            const PendingBatch& b = pending.value()[i];
            if (auto s = count_attempt(db_, b.batch_id); !s) { sync_failed(s.error().code, s.error().message, now_ms); return std::nullopt; }
            if (i > 0) request.body += ',';
            request.body += shared_form ? *to_send[i].shared_form : b.body;
            request.batch_ids.push_back(b.batch_id);
            request.batch_op_ids.push_back(std::move(to_send[i].op_ids));
        }
        request.body += "]}";
        if (auto s = tx.value().commit(); !s) { sync_failed(s.error().code, s.error().message, now_ms); return std::nullopt; }
        request.step = SyncStep::push;
        request.path = "/api/v1/push";
        in_flight_ = true;
        emit("sync_changed");  // these batches now count as sent
        return request;
    }
    if (!pull_more_) {
        if (auto keys = next_keys_request()) {  // the key directory, then articles, then deflections
            in_flight_ = true;
            return keys;
        }
        if (auto backup = next_key_backup_request()) {  // a key backup waiting to be stored
            in_flight_ = true;
            return backup;
        }
        if (auto desk = next_desk_request()) {  // the help desk's settings
            in_flight_ = true;
            return desk;
        }
        if (auto kb = next_kb_request(now_ms)) {  // articles, then deflections
            in_flight_ = true;
            return kb;
        }
        if (now_ms < due_at_ms_) return std::nullopt;  // a storage failure just backed off
        // caught up: the next round when the poll interval is over (or on a wake)
        pull_more_ = kb_pull_more_ = deflections_owed_ = keys_owed_ = key_backup_owed_ = desk_owed_ = true;
        key_fetches_ = 0;
        due_at_ms_ = now_ms + kSyncPollIntervalMs;
        return std::nullopt;
    }
    request.step = SyncStep::pull;
    request.path = "/api/v1/pull";
    request.cursor = sync_.cursor;
    request.body = json{{"cursor", sync_.cursor}, {"max_ops", kSyncPullMaxOps}}.dump();
    in_flight_ = true;
    return request;
}

Status Engine::sync_on_response(const SyncRequest& request, int http_status, std::string_view body,
                                std::int64_t now_ms) {
    in_flight_ = false;
    Status result = apply_sync_response(request, http_status, body, now_ms);
    emit("sync_changed");
    return result;
}

Status Engine::apply_sync_response(const SyncRequest& request, int http_status, std::string_view body,
                                   std::int64_t now_ms) {
    if (request.step == SyncStep::server_info) {
        json info = http_status == 200 && check_json_bounds(body, kMaxSyncResponseBytes) ? json::parse(body, nullptr, false) : json();
        Status pinned = info.is_object() ? on_server_info(info)
                        : http_status == 0 ? Status(make_error("offline", "the server did not answer"))
                                           : Status(make_error("http_" + std::to_string(http_status),
                                                               "the server answered " + std::to_string(http_status)));
        if (!pinned) {
            if (pinned.error().code == "server_key_changed") {
                stopped_ = true;  // a person decides: never re-pinned silently
                last_failure_ = pinned.error();
                return Ok{};
            }
            sync_failed(pinned.error().code, pinned.error().message, now_ms);
            return pinned.error().code == "storage_error" ? pinned : Status(Ok{});
        }
        due_at_ms_ = now_ms;
        return Ok{};
    }
    std::string opened_body;
    if (http_status != 0) {
        auto opened = open_answer(request, http_status, body, now_ms);
        if (!opened && http_status == 404) opened = std::string(body);  // no such endpoint here: never data
        if (!opened) {
            const Error& why = opened.error();
            if (why.code == "server_key_changed") {
                stopped_ = true;
                last_failure_ = make_error(why.code, "the help desk's server no longer has the key this device trusts (" +
                                                         why.message + "); ask the help desk before signing in again");
                return Ok{};
            }
            if (request.step == SyncStep::kb_pull || request.step == SyncStep::deflections)
                pull_more_ = kb_pull_more_ = deflections_owed_ = true;
            if (request.step == SyncStep::keys || request.step == SyncStep::keys_upload) keys_owed_ = true;
            // clock skew and replays are retried at once (the offset / counters were corrected)
            sync_failed(why.code, why.message, now_ms);
            if (why.code == "envelope_clock_skew" || why.code == "envelope_replayed") due_at_ms_ = now_ms;
            return Ok{};
        }
        opened_body = std::move(opened.value());
        body = opened_body;
    }
    json parsed;
    if (check_json_bounds(body, kMaxSyncResponseBytes)) parsed = json::parse(body, nullptr, false);
    if (http_status == 0) {
        if (request.step == SyncStep::kb_pull || request.step == SyncStep::deflections)
            pull_more_ = kb_pull_more_ = deflections_owed_ = true;  // after the backoff: a whole round again
        sync_failed("offline", "the server did not answer", now_ms);
        return Ok{};
    }
    const bool key_step = request.step == SyncStep::keys || request.step == SyncStep::keys_upload;
    if (key_step && http_status != 200) {
        if (request.step == SyncStep::keys_upload) {  // not kept: the next round works it out again
            key_upload_.reset();
            uploading_team_key_.reset();
        }
        keys_owed_ = true;  // no answer or a server error: read the directory again after the backoff
        if (http_status == 404 || (http_status >= 400 && http_status < 500 && http_status != 401 &&
                                   http_status != 403 && http_status != 429)) {
            keys_owed_ = false;  // refused or unknown here: this round goes on without it
            if (http_status != 404)
                last_failure_ = server_error(parsed, "http_" + std::to_string(http_status), "the key directory refused the device's keys");
            due_at_ms_ = now_ms;
            return Ok{};
        }
    }
    if (request.step == SyncStep::key_backup && http_status >= 400 && http_status < 500 && http_status != 401 &&
        http_status != 403 && http_status != 429) {
        // refused (a name someone else holds, …): kept with the reason for the person to act on
        if (auto s = on_key_backup_response(request, http_status, parsed); !s) return s;
        due_at_ms_ = now_ms;
        return Ok{};
    }
    if (request.step == SyncStep::sign_in_login && http_status >= 400 && http_status < 500 && http_status != 429) {
        pending_sign_in_.reset();  // a name the server will not take: the person acts
        Error why = server_error(parsed, "http_" + std::to_string(http_status), "the server refused the sign-in");
        SyncState next = sync_;
        next.last_error = why.code + ": " + why.message;
        if (auto s = save_sync_state(db_, next); !s) return s;
        sync_ = std::move(next);
        last_failure_ = why;
        return Ok{};
    }
    if (request.step == SyncStep::desk && http_status != 200 && http_status != 401 && http_status != 403) {
        desk_owed_ = false;  // an older server (404) or a passing failure: the last settings stay
        if (http_status != 404) sync_failed("desk_settings", "the help desk's settings could not be read", now_ms);
        else due_at_ms_ = now_ms;
        return Ok{};
    }
    const bool kb_step = request.step == SyncStep::kb_pull || request.step == SyncStep::deflections;
    if (kb_step && http_status == 404) {  // a server without the knowledge-base endpoints: skip them this round
        kb_pull_more_ = deflections_owed_ = false;
        due_at_ms_ = now_ms;
        return Ok{};
    }
    if (kb_step && http_status != 200 && http_status != 401 && http_status != 403)
        pull_more_ = kb_pull_more_ = deflections_owed_ = true;  // after the backoff: a whole round again
    if (http_status != 200) {
        Error why = server_error(parsed, "http_" + std::to_string(http_status), "the server answered " + std::to_string(http_status));
        if (request.step == SyncStep::push && request.shared_form && why.code == "unsupported_version") {
            full_form_pushes_ = true;  // a server from before the shared form: the same batches, in full, now
            due_at_ms_ = now_ms;
            return Ok{};
        }
        if (request.step == SyncStep::enroll && http_status >= 400 && http_status < 500 && http_status != 429) {
            // A bad or used invite, guests not allowed: the user must act. Keep why; stop asking.
            SyncState next = sync_;
            next.enroll_request.reset();
            next.last_error = why.code + ": " + why.message;
            if (auto s = save_sync_state(db_, next); !s) return s;
            sync_ = std::move(next);
            last_failure_ = why;
            return Ok{};
        }
        if (http_status == 401 || http_status == 403) {
            stopped_ = true;  // revoked or unknown device: enrol again
            last_failure_ = why;
            return Ok{};
        }
        sync_failed(why.code, why.message, now_ms);
        return Ok{};
    }
    if (!parsed.is_object()) {
        sync_failed("bad_response", "the server's answer is not a JSON object", now_ms);
        return Ok{};
    }
    Status applied = Ok{};
    switch (request.step) {
        case SyncStep::enroll: applied = on_enroll_response(http_status, parsed, now_ms); break;
        case SyncStep::push: applied = on_push_response(request, parsed, now_ms); break;
        case SyncStep::pull: applied = on_pull_response(request, parsed, now_ms); break;
        case SyncStep::kb_pull: applied = on_kb_pull_response(parsed); break;
        case SyncStep::deflections: applied = on_deflections_response(request, parsed, now_ms); break;
        case SyncStep::keys: applied = on_keys_response(parsed); break;
        case SyncStep::keys_upload: applied = on_keys_uploaded(); break;
        case SyncStep::sign_in_login: applied = on_sign_in_login(parsed); break;
        case SyncStep::key_backup: applied = on_key_backup_response(request, http_status, parsed); break;
        case SyncStep::desk: applied = on_desk_response(parsed); break;
        case SyncStep::server_info:
        case SyncStep::notify: break;  // handled above / by notify_on_response
    }
    if (!applied) {
        if (kb_step) pull_more_ = kb_pull_more_ = deflections_owed_ = true;
        sync_failed(applied.error().code, applied.error().message, now_ms);
        return applied.error().code == "bad_response" ? Status(Ok{}) : applied;
    }
    failures_ = 0;
    last_failure_.reset();
    due_at_ms_ = now_ms;
    return Ok{};
}

Status Engine::on_enroll_response(int, const json& body, std::int64_t) {
    const std::string token = text_member(body, "device_token");
    auto user = id128_from_hex(text_member(body, "user_id"));
    const Role role = role_from_name(text_member(body, "role"));
    if (token.empty() || !user || role == Role::unknown)
        return make_error("bad_response", "the enrolment answer lacks a token, user or role");
    auto pending = pending_batches(db_, std::numeric_limits<std::int32_t>::max());
    if (!pending) return pending.error();
    auto tx = Transaction::begin(db_);
    if (!tx) return tx.error();
    // Signing in on another device: the person's own key, from the answer, becomes this device's.
    auto adopted = adopt_signed_in_key(body);
    if (!adopted) return adopted.error();
    if (!adopted.value()) {
        SyncState next = sync_;
        next.enroll_request.reset();
        next.last_error = "sign_in_incomplete: the server signed this device in, but it could not open your key; "
                          "sign in again";
        if (auto s = save_sync_state(db_, next); !s) return s;
        if (auto s = tx.value().commit(); !s) return s;
        sync_ = std::move(next);
        return Ok{};
    }
    // Never sent (there was no token): re-stamp the local user id with the server's.
    for (const PendingBatch& p : pending.value()) {
        auto batch = decode_batch(p.body);
        if (!batch) return make_error("storage_error", "an outbox batch does not decode: " + batch.error().message);
        bool changed = false;
        for (Op& op : batch.value().ops) {
            if (auto* id = std::get_if<Id128>(&op.value); id && *id == sync_.local_user) {
                *id = *user;
                changed = true;
            }
        }
        if (changed) {
            if (auto s = rewrite_pending_batch(db_, batch.value()); !s) return s;
        }
    }
    SyncState next = sync_;
    next.device_token = token;
    next.user_id = *user;
    next.role = role;
    next.enroll_request.reset();
    next.last_error.reset();
    next.kb_cursor = 0;  // what this role may read: from the start (re-applying articles is harmless)
    keys_owed_ = true;   // publish this person's key and learn the team's in the first round
    key_fetches_ = 0;
    if (auto s = save_sync_state(db_, next); !s) return s;
    if (auto s = tx.value().commit(); !s) return s;
    sync_ = std::move(next);
    pull_more_ = kb_pull_more_ = deflections_owed_ = key_backup_owed_ = true;
    if (role == Role::guest) {  // a guest's way back from another device: a recovery link
        if (auto s = make_recovery_backup(); !s) return s;
    }
    if (auto s = reload_replica(); !s) return s;
    emit("tickets_changed");
    return Ok{};
}

Status Engine::on_push_response(const SyncRequest& request, const json& body, std::int64_t now_ms) {
    auto results = body.find("results");
    if (results == body.end() || !results->is_array()) return make_error("bad_response", "push answer without results");
    bool any_rejected = false;
    {
        auto tx = Transaction::begin(db_);
        if (!tx) return tx.error();
        for (const json& r : *results) {
            if (!r.is_object()) return make_error("bad_response", "a push result is not an object");
            const std::string batch_id = text_member(r, "batch_id");
            const auto ours = std::find(request.batch_ids.begin(), request.batch_ids.end(), batch_id);
            if (ours == request.batch_ids.end()) continue;  // not ours to mark (a batch that did not decode has no id)
            const std::string status = text_member(r, "status");
            if (status == "accepted" || status == "duplicate") {
                const auto index = static_cast<std::size_t>(ours - request.batch_ids.begin());
                const std::vector<std::string>* sent =
                    index < request.batch_op_ids.size() ? &request.batch_op_ids[index] : nullptr;
                if (auto seqs = r.find("seqs"); seqs != r.end() && seqs->is_array() && sent && seqs->size() == sent->size()) {
                    for (std::size_t k = 0; k < sent->size(); ++k) {  // the seqs form: in the order sent
                        const json& seq = (*seqs)[k];
                        if (!seq.is_number_integer() || seq.get<std::int64_t>() <= 0) continue;
                        if (auto s = mark_op_accepted(db_, (*sent)[k], seq.get<std::int64_t>()); !s) return s;
                    }
                } else if (auto ops = r.find("ops"); ops != r.end() && ops->is_array()) {
                    for (const json& o : *ops) {
                        auto seq = o.is_object() ? int_member(o, "seq") : std::nullopt;
                        if (!seq) continue;
                        if (auto s = mark_op_accepted(db_, text_member(o, "op_id"), *seq); !s) return s;
                    }
                }
                if (auto s = mark_batch_accepted(db_, batch_id, now_ms); !s) return s;
            } else if (status == "rejected") {
                Error why = server_error(r, "rejected", "the server refused this change");
                if (why.code.empty()) why.code = "rejected";
                if (auto s = mark_batch_rejected(db_, batch_id, why, now_ms); !s) return s;
                any_rejected = true;
            }  // an unknown status: left pending, sent again
        }
        if (auto s = tx.value().commit(); !s) return s;
    }
    if (any_rejected) {  // the refused ops leave the replica (they stay in the database, marked)
        if (auto s = reload_replica(); !s) return s;
    }
    pull_more_ = true;
    emit("tickets_changed");
    return Ok{};
}

Status Engine::on_pull_response(const SyncRequest&, const json& body, std::int64_t now_ms) {
    auto cursor = int_member(body, "cursor");
    auto more = body.find("more");
    auto ops = body.find("ops");
    if (!cursor || *cursor < 0 || more == body.end() || !more->is_boolean() || ops == body.end() || !ops->is_array())
        return make_error("bad_response", "pull answer without cursor, more or ops");
    // Each op's own server_seq when the server lists them (seqs, same length), else the page's
    // cursor (an upper bound); kept so the ticket history can tell which change came first.
    auto seqs = body.find("seqs");
    const bool listed = seqs != body.end() && seqs->is_array() && seqs->size() == ops->size();
    std::vector<Op> fresh;
    std::vector<std::int64_t> fresh_seqs;
    for (std::size_t i = 0; i < ops->size(); ++i) {
        auto op = op_from_json((*ops)[i], "ops[" + std::to_string(i) + "]", false);
        if (!op) return make_error("bad_response", op.error().message);
        const Op* have = replica_.find_op(op.value().op_id);
        if (have && !same_content(*have, op.value())) continue;  // forged id: ours stays
        std::int64_t seq = *cursor;
        if (listed && (*seqs)[i].is_number_integer() && (*seqs)[i].get<std::int64_t>() > 0 &&
            (*seqs)[i].get<std::int64_t>() <= *cursor)
            seq = (*seqs)[i].get<std::int64_t>();
        fresh.push_back(std::move(op.value()));
        fresh_seqs.push_back(seq);
    }
    SyncState next = sync_;
    {
        auto tx = Transaction::begin(db_);
        if (!tx) return tx.error();
        for (std::size_t i = 0; i < fresh.size(); ++i) {
            // The clock learns every pulled time, or a later local edit could lose LWW to it.
            (void)clock_.observe(fresh[i].hlc, static_cast<std::uint64_t>(now_ms));
            if (auto s = insert_pulled_op(db_, fresh[i], fresh_seqs[i]); !s) return s;
        }
        next.cursor = std::max(next.cursor, *cursor);
        next.hlc = clock_.last();
        if (!more->get<bool>()) next.last_sync_ms = now_ms;
        if (auto s = save_sync_state(db_, next); !s) return s;
        if (auto s = tx.value().commit(); !s) return s;
    }
    sync_ = std::move(next);
    bool changed = false;
    for (Op& op : fresh) {
        Batch one{op.op_id, {std::move(op)}, {}};
        auto applied = replica_.apply(std::move(one));
        if (applied && applied.value().applied > 0) changed = true;
    }
    pull_more_ = more->get<bool>();
    if (auto s = write_pending_profile(); !s) return s;
    if (changed) emit("tickets_changed");
    return Ok{};
}

Status Engine::write_pending_profile() {
    if (!sync_.enrolled() || !replica_.exists(EntityKind::user, *sync_.user_id)) return Ok{};
    auto stmt = db_.prepare("SELECT fields FROM drafts WHERE form = ?1");
    if (!stmt) return stmt.error();
    stmt.value().bind(1, std::string_view(kProfileDraft));
    auto row = stmt.value().step();
    if (!row) return row.error();
    if (!row.value()) return Ok{};
    const std::string email = text_member(json::parse(stmt.value().column_text(0), nullptr, false), "email");
    auto forget = [this]() { return delete_draft(db_, kProfileDraft); };
    if (email.empty()) return forget();
    BatchBuilder builder(clock_, *random_, static_cast<std::uint64_t>(env_.now_ms()));
    builder.set(EntityKind::user, *sync_.user_id, Field::user_email, email);
    return commit_local_batch(builder.finish(), *sync_.user_id, "set_email", forget);
}

}  // namespace lb::engine
