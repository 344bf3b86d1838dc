// engine.h — the client engine: answers the UI's commands from the local database.
//
// One Engine per device database. The platform layer (a Web Worker in the browser, a plain main()
// natively) creates it with an EngineEnvironment — where the database lives, what the clock says,
// where unsolicited events go — then feeds it command messages and connectivity observations.
// The engine itself performs no network I/O and reads no global clock.
//
// Storage: the database lives in the environment's FileSlots (OPFS in a browser, memory in tests
// and where OPFS is missing), through the slot VFS, in WAL mode (exclusive locking: no shared
// memory) with synchronous=FULL: a command that changed data answers only after its WAL frames
// are flushed, so "saved on this device" is true when the UI says it.
//
// Commands (protocol v1):
//   status      → {engine_version, protocol, sqlite_version, sodium_version,
//                  storage: {kind, durable, note, schema_version},
//                  connection: {online, known, last_contact_ms}}
//   save_draft  {form, fields: {name: text}} → {saved_at_ms}   the form's draft, durably
//   get_draft   {form} → {fields: {…}, saved_at_ms|null}
//   discard_draft {form} → {}
//   kb_import   {articles: [{id, text}]} → {imported, unchanged, kept}   Markdown files with
//               front matter (the app shell's starter set, the offline first-run seed);
//               unchanged articles are not re-indexed, and an article the server sent or
//               retired is not replaced by the bundle's copy (knowledge_base.h)
//   suggest, kb_search, kb_article, record_deflection: see engine/kb_commands.h (a deflection
//               is then sent by the sync machine: article id, version and time only)
//   categories, suggest_category: see engine/category_commands.h (the desk's catalogue)
//   sites       → {sites: [{site, time_zone}], default_site, synced}   where tickets can be filed
//               (desk_settings.h); create_ticket refuses a site the synced settings do not list
//   create_ticket {title, description, category?, impact? (not guests), urgency, site?, asset_tag?,
//               contact? ("portal"|"email"|"phone"), contact_detail? (the number or address;
//               sealed; checked by lifebuoy/contact_preference.h: a phone needs a number)}
//               → {ticket_id, state:"saved_on_device"}   one Batch (status new, requester, channel
//               web, …) authorised with authorize_batch, stored with its outbox row and with the
//               "new_ticket" draft discarded in ONE transaction; answered after COMMIT.
//   update_ticket {id, fields: {title?, description?, category?, impact?, urgency?, site?,
//               asset_tag?, status?, resolution_note?, satisfaction_rating? (1..5),
//               satisfaction_comment?, contact? (+ contact_detail?: a new preference replaces the
//               old detail), assignee? (a user id or null), priority? (with a top-level reason:
//               an internal note in the same batch says why)}, reason?} → {ticket_id, state:"saved_on_device"}; who may change what,
//               when, is the lifecycle table's (the requester: confirm resolved → closed, reopen
//               resolved → in_progress, rate once resolved or closed); a refusal is "forbidden"
//   add_comment {ticket_id, body, kind?="public_reply"} → {comment_id, state:"saved_on_device"}
//   queue {filter?: {view?: open|mine|team|unassigned|overdue|at_risk|waiting|closed|all, site?,
//               category?, query?}, sort?: {column: number|title|requester|category|priority|status|
//               assignee|site|due|updated, descending?}, offset?, limit? (≤ 20,000: the window of
//               rows the table shows)} → {total, offset, counts: {view: n}, now_ms, rows:
//               [{id, number, title, requester, category, priority, status, assignee, assignee_id,
//               site, due_ms, due: response|resolution, sla: none|ok|at_risk|overdue|paused|done,
//               left_ms, updated_ms}]} — technicians and admins only (forbidden otherwise);
//               queue_csv {the same} → {csv, rows}   (ticket_queue.h)
//   dashboard {} → {open, resolved, closed, statuses, priorities, open_by_status_priority: [[n]],
//               sla: {overdue, at_risk, paused, most_urgent: [{id, number, title, sla, left_ms,
//               assignee}]}, aging: [n × 6], technicians: [{name, open, resolved_recently}],
//               first_response / resolution: {count, median_ms, p90_ms}, trend: {first_day_ms,
//               opened: [n × 14], resolved: [n × 14]}, knowledge: {suggested, linked, solved,
//               deflections_here}, now_ms} — technicians and admins only (ticket_dashboard.h)
//   list_tickets {filter?: {status?: "open"|"closed"|<status>, query?: text}, sort?: "updated"|
//               "created"|"number"|"priority", offset?, limit? (≤ 500, default 50)}
//               → {total, unread, rows: [{id, number|null, title, status, priority, updated_ms,
//               unread, sync}]}; unread: news on the ticket (ticket_attention.h) newer than this
//               device has shown (mark_ticket_read); `unread` at the top counts the filtered rows
//   mark_ticket_read {id} → {ticket_id, unread:false}: the ticket's news has been shown (local
//               only; emits tickets_changed when that cleared a marker)
//               sync: {state: "saved_on_device"|"sent"|"received"|"rejected", number?, code?, message?}
//   get_ticket  {id} → {ticket: {…fields (incl. response_due_ms / resolution_due_ms from the
//               server's SLA rules, null until set), sync}, comments: [{id, kind, author, author_name (help desk
//               viewers only), body, posted_ms}], help_desk: [{id, name}] (technicians and admins,
//               for the assignee choice; help desk viewers only)
//               (those the role may see; for requesters and guests automatic notes come in plain words,
//               and only those that concern them; for the help desk whole, the people they name by
//               name: system_event_words.h), history: [<wire op>…]
//               (every op, merge order, with at_ms; for the help desk each also has by, by_kind
//               (you/person/automatic/unknown), current, value_name for people, and raced: {op_id,
//               value} when it raced this device's own change while offline: change_history.h)}; while the server has set no due dates, the ticket
//               also has expected_response_ms / expected_resolution_ms and due_estimated: true —
//               the server's own rules on the device's copy of the desk settings
//               (lifebuoy/triage/due_estimate.h)
//   enroll      {invite: code} | {guest: true} | {sign_in: {name, passphrase}} | {recover: secret},
//               display_name?, device_label?, platform?, email?
//               → {state:"pending"} (the sync loop sends it; sync_status reports the outcome). The
//               stored request carries a random 128-bit enrolment_id (32 lowercase hex) made here,
//               so every retry is the same enrolment: a server that used the invite but whose
//               answer was lost answers the retry with the same user and device (a new token).
//               Asking again with the same arguments while the enrolment waits keeps its id. The
//               e-mail is kept on the device and written as an op of the user's own once the
//               server's user record has been pulled.
//               sign_in / recover: another device of an existing person (engine_sign_in.cpp);
//               the passphrase is never stored. Errors: bad_sign_in_name, sign_in_failed (a
//               passphrase too short to be anyone's), recovery_link_malformed.
//   set_passphrase {sign_in_name, passphrase} → {state:"waiting", sign_in_name}  backs up this
//               person's key for signing in elsewhere (not guests); sent by the sync loop
//   recovery_link → {secret, state}  a guest's recovery secret (the UI shows <portal>#recover=<secret>)
//   sync_status → {enrolled, enrolling, role, user_id, pending_batches, sent_batches,
//               rejected_batches, rejected: [{batch_id, ticket_id, action, code, message}],
//               last_sync_ms, last_error, cursor, kb_cursor, unsent_deflections, next_sync_ms,
//               team_key: "held"|"waiting"|"not_needed" (engine_keys.cpp),
//               key_backup: {passphrase, recovery: null | {state: "waiting"|"stored"|"refused",
//               sign_in_name?, code?, message?, stored_at_ms?}}}
//   sync_now    → the same, after asking the sync loop to run at once (resets the backoff)
//   status also carries "sync": the sync_status object without the rejected list.
// Acting before enrolment: the device acts as a local REQUESTER with a random local user id (the
// least-privileged role that can file a complete ticket: impact, site, asset tag). At enrolment the
// pending (never sent) batches are re-stamped with the server's user id; if the server's role may
// not do what they do, the server rejects them and they stay visible with the reason.
// Errors: bad_arguments, not_found, forbidden / bad_transition / ticket_closed / … (authorize_batch
// codes), storage_error, quota_exceeded.
// Unknown commands answer the typed error "unknown_command".
// Events: "status_changed" (data: the status object) when connectivity changes; "tickets_changed"
// (data: {}) when a local change, a pull or a push answer changed what list_tickets / get_ticket show;
// "sync_changed" (data: {}) after every sync exchange (what sync_status says may have changed);
// "kb_changed" (data: {}) when a pulled page of articles changed what search finds;
// "desk_changed" (data: {}) when new desk settings changed what categories / sites answer.
// Sync: sync_next_request / sync_on_response / sync_due_at / sync_wake — see engine/sync_machine.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "commands/command_protocol.h"
#include "engine/change_history.h"
#include "engine/desk_settings.h"
#include "engine/device_keys.h"
#include "engine/file_slots.h"
#include "engine/knowledge_base.h"
#include "engine/local_store.h"
#include "engine/sync_machine.h"
#include "engine/ticket_queue.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/hlc.h"
#include "lifebuoy/lifecycle.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/sqlite_database.h"
#include "lifebuoy/views.h"
#include "lifebuoy/result.h"

namespace lb::engine {

using storage::Database;

struct EngineEnvironment {
    FileSlots* storage = nullptr;                // where the database lives (required)
    std::string storage_note;                    // why storage is what it is, shown to people
    std::function<std::int64_t()> now_ms;        // wall clock, Unix milliseconds
    std::function<void(const std::string&)> emit_event;  // encoded commands::Event
    // Node ids, entity ids, op ids, backoff jitter. Null: libsodium's randombytes_buf
    // (lb::crypto::SystemRandom), which the engine then owns. Tests pass a seeded source.
    RandomSource* random = nullptr;
    // Argon2id's cost for new passphrase backups (crypto/passphrase.h; tests pass small ones).
    crypto::PassphraseParams passphrase_params{};
};

class Engine {
public:
    static Result<std::unique_ptr<Engine>> open(EngineEnvironment env);

    // Takes an encoded request, returns the encoded response. Never throws.
    std::string handle_message(std::string_view request_json);
    commands::Response handle(const commands::Request& request);

    // The platform reports whether the sync server answered its last reachability probe.
    void observe_connectivity(bool server_reachable);

    nlohmann::json status();

    // --- sync, driven by the platform (sync_machine.h) ---
    // The next HTTP exchange to perform, or nullopt: nothing to do before sync_due_at(), or a
    // request is already in flight.
    std::optional<SyncRequest> sync_next_request(std::int64_t now_ms);
    // The answer to `request` (http_status 0: no answer). Errors are storage failures only; what
    // the server said (rejections, failures) is recorded and shown by sync_status.
    Status sync_on_response(const SyncRequest& request, int http_status, std::string_view body,
                            std::int64_t now_ms);
    // When sync_next_request may next return something (Unix ms); nullopt: not before a wake or a
    // command (not enrolled, nothing pending, or stopped by 401/403).
    std::optional<std::int64_t> sync_due_at() const;
    // The live channel said "changed", or the network came back: sync now (resets the backoff).
    void sync_wake(std::int64_t now_ms);
    // The long-poll that tells an online device to pull: a sealed POST /api/v1/notify from the cursor,
    // answered {"changed", "cursor"} (then sync_wake) after at most `wait_seconds`. nullopt when
    // not enrolled or stopped.
    std::optional<SyncRequest> notify_request(int wait_seconds);
    // The notify long-poll's answer (status 0: none): true when the server has news (then sync_wake).
    bool notify_on_response(const SyncRequest& request, int http_status, std::string_view body);

    // A sealed call of this device outside the sync machine (tools, and the convergence checker's
    // fresh pull "as this device"): `body_json` to `path` with the device token. Needs enrolment.
    Result<SyncRequest> sealed_call(std::string path, std::string body_json);
    // An answer to a sealed request, opened (never applied). Errors: those of open_answer.
    Result<std::string> open_sealed_answer(const SyncRequest& request, int http_status, std::string_view body);

    // For tests and the convergence driver.
    const Replica& replica() const { return replica_; }
    const SyncState& sync_state() const { return sync_; }

private:
    Result<nlohmann::json> ticket_history_json(const Ticket& ticket, bool help_desk);
    Engine(EngineEnvironment env, Database db, int schema_version);
    Status load_sync();
    Status reload_replica();
    Actor actor() const;
    // Authorises `batch`, stores it with its outbox row (and runs `extra` in the same
    // transaction), commits, then applies it to the replica.
    // Seals its text first (device_keys.h).
    Status commit_local_batch(Batch batch, const EntityId& ticket, std::string_view action,
                              const std::function<Status()>& extra = {});
    // A ticket with its text opened for this device; `readable` false when some could not be.
    Ticket readable_ticket(Ticket t, bool* readable = nullptr);
    nlohmann::json ticket_sync_json(const std::string& ticket_hex) const;
    commands::Response create_ticket(const commands::Request& request);
    commands::Response update_ticket(const commands::Request& request);
    commands::Response add_comment(const commands::Request& request);
    commands::Response list_tickets(const commands::Request& request);
    // queue and queue_csv (engine_queue.cpp): the technician's queue
    commands::Response queue(const commands::Request& request);
    // dashboard (engine_dashboard.cpp): the technician's figures, from local data
    commands::Response dashboard(const commands::Request& request);
    Result<std::vector<QueueRow>> queue_rows(QueueContext& context);
    // ticket → when the help desk first answered it (a public reply or request for information by
    // a technician or admin); the queue's SLA clock and the dashboard's first-response times
    std::map<EntityId, std::int64_t> first_help_desk_answers() const;
    commands::Response get_ticket(const commands::Request& request);
    commands::Response mark_ticket_read(const commands::Request& request);
    commands::Response enroll(const commands::Request& request);
    commands::Response sync_status(const commands::Request& request);
    commands::Response sync_now(const commands::Request& request);
    // {enrolled, enrolling, role, user_id, pending_batches, sent_batches, rejected_batches,
    //  last_sync_ms, last_error, next_sync_ms}; with_rejected adds the rejected batches' list.
    Result<nlohmann::json> sync_summary(bool with_rejected);
    Status apply_sync_response(const SyncRequest& request, int http_status, std::string_view body,
                               std::int64_t now_ms);
    Status write_pending_profile();
    Status on_enroll_response(int http_status, const nlohmann::json& body, std::int64_t now_ms);
    Status on_push_response(const SyncRequest& request, const nlohmann::json& body, std::int64_t now_ms);
    Status on_pull_response(const SyncRequest& request, const nlohmann::json& body, std::int64_t now_ms);
    // The knowledge base's steps (engine_kb.cpp).
    commands::Response kb_command(const commands::Request& request);
    std::optional<SyncRequest> next_kb_request(std::int64_t now_ms);
    Status on_kb_pull_response(const nlohmann::json& body);
    Status on_deflections_response(const SyncRequest& request, const nlohmann::json& body, std::int64_t now_ms);
    // Sealed envelopes (engine_envelope.cpp).
    std::optional<SyncRequest> next_plain_request(std::int64_t now_ms);
    std::optional<SyncRequest> server_info_request() const;
    Status seal_request(SyncRequest& request, std::int64_t now_ms);
    Result<std::string> open_answer(const SyncRequest& request, int http_status, std::string_view body, std::int64_t now_ms);
    Status on_server_info(const nlohmann::json& body);
    // The help desk's settings (engine_desk.cpp).
    std::optional<SyncRequest> next_desk_request();
    Status on_desk_response(const nlohmann::json& body);
    // Signing in on another device and key backups (engine_sign_in.cpp).
    struct PendingSignIn {
        std::string name, passphrase, device_label, platform;
        PendingSignIn() = default;
        PendingSignIn(PendingSignIn&&) = default;
        PendingSignIn& operator=(PendingSignIn&&) = default;
        ~PendingSignIn() { wipe(); }
        void wipe();  // the passphrase, wiped
    };
    commands::Response set_passphrase(const commands::Request& request);
    commands::Response recovery_link(const commands::Request& request);
    // The enrolment body of a recover (now), or nullopt for a sign-in (after its login step).
    Result<std::optional<nlohmann::json>> sign_in_enrolment(const nlohmann::json& args);
    std::optional<SyncRequest> next_sign_in_request();
    Status on_sign_in_login(const nlohmann::json& body);
    // false: the answer carried a key this device cannot open (the person signs in again).
    Result<bool> adopt_signed_in_key(const nlohmann::json& enroll_answer);
    Status make_recovery_backup();
    std::optional<SyncRequest> next_key_backup_request();
    Status on_key_backup_response(const SyncRequest& request, int http_status, const nlohmann::json& body);
    Result<nlohmann::json> key_backup_summary();
    // The key directory's steps (engine_keys.cpp).
    std::optional<SyncRequest> next_keys_request();
    Status on_keys_response(const nlohmann::json& body);
    Status on_keys_uploaded();
    Status share_ticket_keys_with_team();
    void sync_failed(std::string code, std::string message, std::int64_t now_ms);
    void emit(const std::string& name);
    commands::Response save_draft(const commands::Request& request);
    commands::Response get_draft(const commands::Request& request);
    commands::Response discard_draft(const commands::Request& request);
    commands::Response kb_import(const commands::Request& request);

    EngineEnvironment env_;
    Database db_;
    int schema_version_ = 0;
    std::optional<KnowledgeBase> kb_;
    DeviceKeys keys_;
    std::optional<DeskSettings> desk_;  // set by open()
    OpAuthors op_authors_;              // who each node is (the help desk's key directory)
    std::optional<bool> online_;                 // unknown until the first probe
    std::optional<std::int64_t> last_contact_ms_;

    std::unique_ptr<RandomSource> own_random_;  // when env_.random was null
    RandomSource* random_ = nullptr;
    SyncState sync_;
    HybridClock clock_{1};
    Replica replica_;
    // sync machine (in memory: after a restart it starts again from "due now")
    bool in_flight_ = false;
    bool stopped_ = false;           // 401/403: wait for the user
    bool pull_more_ = true;          // a pull is owed (start, wake, after a push, "more")
    bool kb_pull_more_ = true;       // an article pull is owed (start, wake, each round, "more")
    bool deflections_owed_ = true;   // unsent deflections may wait (start, wake, a new one)
    bool keys_owed_ = true;          // the key directory is read once a round (start, wake, poll)
    int key_fetches_ = 0;            // this round's reads (an upload earns one more)
    std::optional<nlohmann::json> key_upload_;          // what the directory lacks, to POST
    std::optional<crypto::KeyPair> uploading_team_key_;  // a new team key, kept once accepted
    bool key_backup_owed_ = true;
    bool desk_owed_ = true;          // the desk settings are asked for once a round (engine_desk.cpp)
    bool full_form_pushes_ = false;  // this server refused a push in the shared form (an older one)
    std::int64_t keys_version_ = 0;  // the key directory's version last read (0: none yet)    // a waiting key backup may need sending (start, wake, each round)
    std::optional<PendingSignIn> pending_sign_in_;  // in memory only: the passphrase is never stored
    std::int64_t next_counter_ = 0;              // the next envelope counter (0: from sync_state)
    std::int64_t envelope_clock_offset_ms_ = 0;  // server time − device time, when a server said so
    int failures_ = 0;               // consecutive
    std::int64_t due_at_ms_ = 0;
    std::optional<Error> last_failure_;
};

}  // namespace lb::engine
