// engine_tickets.cpp — the ticket commands: create_ticket, update_ticket, add_comment (each one
// user action = one Batch, authorised with authorize_batch for the device's role, stored with its
// outbox row in ONE transaction and answered after COMMIT), list_tickets and get_ticket (read from
// the in-memory Replica, with each ticket's sync state from the outbox).
// Not here: sending the outbox (engine_sync.cpp). list_tickets scans the replica in memory: fine
// for a device's tickets; a technician's whole desk will want an indexed table (later).
#include <algorithm>
#include <map>

#include "engine/engine.h"
#include "engine/system_event_words.h"
#include "engine/ticket_attention.h"
#include "lifebuoy/contact_preference.h"
#include "lifebuoy/crypto/sealed_text.h"
#include "lifebuoy/triage/due_estimate.h"
#include "lifebuoy/views.h"
#include "lifebuoy/wire.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr std::size_t kDefaultListLimit = 50;
constexpr std::size_t kMaxListLimit = 500;
constexpr const char* kNewTicketDraft = "new_ticket";

commands::Response fail(std::uint64_t id, const Error& e) { return commands::error_response(id, e.code, e.message); }
commands::Response bad_args(std::uint64_t id, std::string why) {
    return commands::error_response(id, "bad_arguments", std::move(why));
}

// A text argument: nullopt when absent; an error when present but not a string.
Result<std::optional<std::string>> text_arg(const json& args, const char* name, bool required) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) {
        if (required) return make_error("bad_arguments", std::string(name) + " is required");
        return std::optional<std::string>();
    }
    if (!it->is_string()) return make_error("bad_arguments", std::string(name) + " must be text");
    return std::optional<std::string>(it->get<std::string>());
}

Result<EntityId> id_arg(const json& args, const char* name) {
    auto it = args.find(name);
    if (it == args.end() || !it->is_string()) return make_error("bad_arguments", std::string(name) + " must be an id");
    auto id = id128_from_hex(it->get<std::string>());
    if (!id) return make_error("bad_arguments", std::string(name) + " must be 32 lowercase hex digits");
    return *id;
}

// Ticket fields a command may set by name, and whether the value is a vocabulary word.
struct NamedField {
    const char* name;
    Field field;
    bool integer = false;  // a whole number in JSON; else text
};
// What update_ticket may set; whether this actor may set it on this ticket now is the lifecycle
// table's answer (authorize_batch in commit_local_batch).
constexpr NamedField kEditableFields[] = {
    {"title", Field::ticket_title},       {"description", Field::ticket_description},
    {"category", Field::ticket_category}, {"impact", Field::ticket_impact},
    {"urgency", Field::ticket_urgency},   {"site", Field::ticket_site},
    {"asset_tag", Field::ticket_asset_tag}, {"status", Field::ticket_status},
    {"resolution_note", Field::ticket_resolution_note},
    {"satisfaction_rating", Field::ticket_satisfaction_rating, true},
    {"satisfaction_comment", Field::ticket_satisfaction_comment},
    {"contact", Field::ticket_contact},
    {"contact_detail", Field::ticket_contact_detail},
    {"priority", Field::ticket_priority},  // with a reason (the help desk)
    {"assignee", Field::ticket_assignee},  // a user id, or null (the help desk)
};

// "contact" and "contact_detail" of a request, checked (contact_preference.h); nullopt when no
// contact is given. Code bad_arguments.
Result<std::optional<std::pair<ContactPreference, std::string>>> contact_args(const json& a) {
    auto contact = a.find("contact");
    if (contact == a.end() || contact->is_null()) return std::optional<std::pair<ContactPreference, std::string>>{};
    if (!contact->is_string()) return make_error("bad_arguments", "contact must be portal, email or phone");
    const ContactPreference preference = contact_preference_from_name(contact->get<std::string>());
    auto detail = a.find("contact_detail");
    if (detail != a.end() && !detail->is_null() && !detail->is_string())
        return make_error("bad_arguments", "contact_detail must be text");
    auto checked = check_contact_detail(preference, detail != a.end() && detail->is_string() ? detail->get<std::string>() : "");
    if (!checked) return make_error("bad_arguments", checked.error().message);
    return std::optional{std::pair{preference, std::move(checked.value())}};
}

std::int64_t ms_of(Hlc hlc) { return static_cast<std::int64_t>(hlc.ms()); }

json ticket_json(const Ticket& t) {
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); };
    return json{{"id", to_hex(t.id)},
                {"number", opt(t.number)},
                {"requester", to_hex(t.requester)},
                {"channel", to_name(t.channel)},
                {"category", t.category},
                {"impact", to_name(t.impact)},
                {"urgency", to_name(t.urgency)},
                {"priority", to_name(shown_priority(t))},
                {"status", to_name(t.status)},
                {"assignee", t.assignee ? json(to_hex(*t.assignee)) : json(nullptr)},
                {"team", t.team},
                {"site", t.site},
                {"asset_tag", t.asset_tag},
                {"title", t.title},
                {"description", t.description},
                {"resolution_note", t.resolution_note},
                {"satisfaction_rating", opt(t.satisfaction_rating)},  // 1..5, after resolution
                {"satisfaction_comment", t.satisfaction_comment},
                {"contact", t.contact == ContactPreference::unknown ? "portal" : to_name(t.contact)},
                {"contact_detail", t.contact_detail},
                {"response_due_ms", opt(t.response_due_ms)},      // set by the server's SLA rules
                {"resolution_due_ms", opt(t.resolution_due_ms)},
                {"created_ms", ms_of(t.created)},
                {"updated_ms", ms_of(t.updated)}};
}

}  // namespace

Actor Engine::actor() const {
    if (sync_.enrolled()) return Actor{*sync_.user_id, sync_.role};
    return Actor{sync_.local_user, Role::requester};
}

Ticket Engine::readable_ticket(Ticket t, bool* readable) {
    bool all = true;
    for (auto [field, text] : {std::pair{Field::ticket_title, &t.title}, std::pair{Field::ticket_description, &t.description},
                               std::pair{Field::ticket_resolution_note, &t.resolution_note},
                               std::pair{Field::ticket_satisfaction_comment, &t.satisfaction_comment},
                               std::pair{Field::ticket_contact_detail, &t.contact_detail}}) {
        OpenedText opened = keys_.open_text(replica_, EntityKind::ticket, t.id, t.id, field);
        all = all && opened.readable;
        *text = std::move(opened.text);
    }
    if (readable) *readable = all;
    return t;
}

Status Engine::commit_local_batch(Batch batch, const EntityId& ticket, std::string_view action,
                                  const std::function<Status()>& extra) {
    // Ticket text leaves this function only sealed: the outbox, the op log and the server see ciphertext.
    if (auto sealed = keys_.seal_batch(batch, replica_, *random_); !sealed) return sealed.error();
    if (auto allowed = authorize_batch(actor(), replica_, batch); !allowed) return allowed.error();
    const std::int64_t now = env_.now_ms();
    {
        auto tx = Transaction::begin(db_);
        if (!tx) return tx.error();
        if (auto s = insert_local_batch(db_, batch, ticket, action, now); !s) return s;
        if (extra) {
            if (auto s = extra(); !s) return s;
        }
        SyncState next = sync_;
        next.hlc = clock_.last();
        if (auto s = save_sync_state(db_, next); !s) return s;
        if (auto s = tx.value().commit(); !s) return s;
        sync_ = std::move(next);
    }
    // Durable now: the replica follows. It can not fail (authorize_batch validated the batch).
    if (auto applied = replica_.apply(std::move(batch)); !applied) return applied.error();
    if (failures_ == 0) due_at_ms_ = std::min(due_at_ms_, now);  // push soon, but keep a backoff
    emit("tickets_changed");  // other views of this database (tabs attached to it) refresh
    return Ok{};
}

commands::Response Engine::create_ticket(const commands::Request& request) {
    const json& a = request.args;
    auto title = text_arg(a, "title", true);
    auto description = text_arg(a, "description", true);
    auto impact = text_arg(a, "impact", false);  // guests may not set it (the lifecycle table)
    auto urgency = text_arg(a, "urgency", true);
    for (auto* r : {&title, &description, &impact, &urgency})
        if (!*r) return fail(request.id, r->error());
    if (title.value()->empty()) return bad_args(request.id, "a ticket needs a title");
    if (impact.value() && impact_from_name(*impact.value()) == Impact::unknown)
        return bad_args(request.id, "impact must be high, medium or low");
    if (urgency_from_name(*urgency.value()) == Urgency::unknown) return bad_args(request.id, "urgency must be high, medium or low");

    const Actor who = actor();
    BatchBuilder builder(clock_, *random_, static_cast<std::uint64_t>(env_.now_ms()));
    const EntityId id = builder.new_entity_id();
    builder.set(EntityKind::ticket, id, Field::ticket_status, std::string("new"))
        .set(EntityKind::ticket, id, Field::ticket_requester, who.user)
        .set(EntityKind::ticket, id, Field::ticket_channel, std::string("web"))
        .set(EntityKind::ticket, id, Field::ticket_title, *title.value())
        .set(EntityKind::ticket, id, Field::ticket_description, *description.value())
        .set(EntityKind::ticket, id, Field::ticket_urgency, *urgency.value());
    // The ticket's own key, sealed to this person and (once the help desk has one) to the team.
    auto ticket_keys = keys_.make_ticket_key(id, *random_);
    builder.set(EntityKind::ticket, id, Field::ticket_requester_key, std::move(ticket_keys.requester_key));
    if (ticket_keys.team_key) builder.set(EntityKind::ticket, id, Field::ticket_team_key, std::move(*ticket_keys.team_key));
    if (impact.value()) builder.set(EntityKind::ticket, id, Field::ticket_impact, *impact.value());
    for (auto [name, field] : {std::pair{"category", Field::ticket_category}, std::pair{"site", Field::ticket_site},
                               std::pair{"asset_tag", Field::ticket_asset_tag}}) {
        auto v = text_arg(a, name, false);
        if (!v) return fail(request.id, v.error());
        if (field == Field::ticket_site && v.value() && !v.value()->empty() && desk_->synced() &&
            !desk_->has_site(*v.value()))
            return bad_args(request.id, "the help desk has no site called '" + *v.value() + "'");
        if (v.value() && !v.value()->empty()) builder.set(EntityKind::ticket, id, field, *v.value());
    }
    auto contact = contact_args(a);
    if (!contact) return fail(request.id, contact.error());
    if (contact.value()) {
        builder.set(EntityKind::ticket, id, Field::ticket_contact, std::string(to_name(contact.value()->first)));
        if (!contact.value()->second.empty())
            builder.set(EntityKind::ticket, id, Field::ticket_contact_detail, contact.value()->second);
    }
    Batch batch = builder.finish();
    auto discard_draft = [this]() { return delete_draft(db_, kNewTicketDraft); };
    if (auto s = commit_local_batch(std::move(batch), id, "create_ticket", discard_draft); !s) return fail(request.id, s.error());
    return commands::ok_response(request.id, {{"ticket_id", to_hex(id)}, {"state", "saved_on_device"}});
}

commands::Response Engine::update_ticket(const commands::Request& request) {
    auto id = id_arg(request.args, "id");
    if (!id) return fail(request.id, id.error());
    if (!replica_.exists(EntityKind::ticket, id.value())) return commands::error_response(request.id, "not_found", "no such ticket");
    auto fields = request.args.find("fields");
    if (fields == request.args.end() || !fields->is_object() || fields->empty())
        return bad_args(request.id, "fields must be a non-empty object");
    BatchBuilder builder(clock_, *random_, static_cast<std::uint64_t>(env_.now_ms()));
    for (auto it = fields->begin(); it != fields->end(); ++it) {
        const NamedField* known = nullptr;
        for (const NamedField& f : kEditableFields)
            if (it.key() == f.name) known = &f;
        if (!known) return bad_args(request.id, "the field '" + it.key() + "' can not be changed here");
        if (known->field == Field::ticket_contact_detail) continue;  // with contact, below
        if (known->field == Field::ticket_assignee) {
            if (it.value().is_null()) {
                builder.set(EntityKind::ticket, id.value(), Field::ticket_assignee, Value{});
                continue;
            }
            auto who = it.value().is_string() ? id128_from_hex(it.value().get<std::string>()) : std::nullopt;
            if (!who || !replica_.exists(EntityKind::user, *who))
                return bad_args(request.id, "assignee must be the id of a user on this help desk, or null");
            builder.set(EntityKind::ticket, id.value(), Field::ticket_assignee, *who);
            continue;
        }
        if (known->integer) {
            if (!it.value().is_number_integer()) return bad_args(request.id, it.key() + " must be a whole number");
            builder.set(EntityKind::ticket, id.value(), known->field, it.value().get<std::int64_t>());
            continue;
        }
        if (!it.value().is_string()) return bad_args(request.id, it.key() + " must be text");
        builder.set(EntityKind::ticket, id.value(), known->field, it.value().get<std::string>());
    }
    // A person's priority wins over the matrix on the server (priority.override_kept): the reason
    // goes with it, as an internal note in the same batch, so the history says why.
    if (fields->contains("priority")) {
        auto reason = text_arg(request.args, "reason", false);
        if (!reason) return fail(request.id, reason.error());
        const auto& words = reason.value();
        if (!words || words->find_first_not_of(" \t\r\n") == std::string::npos)
            return bad_args(request.id, "a changed priority needs a reason");
        const std::string priority = fields->at("priority").is_string() ? fields->at("priority").get<std::string>() : "";
        if (priority_from_name(priority) == Priority::unknown)
            return bad_args(request.id, "priority must be critical, high, medium, low or planning");
        const EntityId note = builder.new_entity_id();
        builder.set(EntityKind::comment, note, Field::comment_ticket, id.value())
            .set(EntityKind::comment, note, Field::comment_kind, std::string("internal_note"))
            .set(EntityKind::comment, note, Field::comment_author, actor().user)
            .set(EntityKind::comment, note, Field::comment_body, "Priority set to " + priority + ": " + *words);
    }
    if (fields->contains("contact_detail") && !fields->contains("contact"))
        return bad_args(request.id, "contact_detail goes with contact (portal, email or phone)");
    auto contact = contact_args(*fields);
    if (!contact) return fail(request.id, contact.error());
    if (contact.value()) {  // a new preference replaces the old detail (or clears it)
        const std::string& detail = contact.value()->second;
        if (detail.empty()) builder.set(EntityKind::ticket, id.value(), Field::ticket_contact_detail, Value{});
        else builder.set(EntityKind::ticket, id.value(), Field::ticket_contact_detail, detail);
    }
    Batch batch = builder.finish();
    if (auto s = commit_local_batch(std::move(batch), id.value(), "update_ticket"); !s) return fail(request.id, s.error());
    return commands::ok_response(request.id, {{"ticket_id", to_hex(id.value())}, {"state", "saved_on_device"}});
}

commands::Response Engine::add_comment(const commands::Request& request) {
    auto ticket = id_arg(request.args, "ticket_id");
    if (!ticket) return fail(request.id, ticket.error());
    auto body = text_arg(request.args, "body", true);
    if (!body) return fail(request.id, body.error());
    if (body.value()->empty()) return bad_args(request.id, "a comment needs a body");
    auto kind = text_arg(request.args, "kind", false);
    if (!kind) return fail(request.id, kind.error());
    std::string kind_name = kind.value().value_or("public_reply");
    if (comment_kind_from_name(kind_name) == CommentKind::unknown) return bad_args(request.id, "unknown comment kind");
    BatchBuilder builder(clock_, *random_, static_cast<std::uint64_t>(env_.now_ms()));
    const EntityId id = builder.new_entity_id();
    builder.set(EntityKind::comment, id, Field::comment_ticket, ticket.value())
        .set(EntityKind::comment, id, Field::comment_kind, kind_name)
        .set(EntityKind::comment, id, Field::comment_author, actor().user)
        .set(EntityKind::comment, id, Field::comment_body, *body.value());
    Batch batch = builder.finish();
    if (auto s = commit_local_batch(std::move(batch), ticket.value(), "add_comment"); !s) return fail(request.id, s.error());
    return commands::ok_response(request.id, {{"comment_id", to_hex(id)}, {"state", "saved_on_device"}});
}

// Sync state of every ticket with an unanswered or rejected outbox row; other tickets are received.
namespace {
Result<std::map<std::string, json>> outbox_states(Database& db, const std::optional<std::string>& only) {
    std::string sql = "SELECT ticket_id, state, attempts, error_code, error_message FROM outbox WHERE state != 'accepted'";
    if (only) sql += " AND ticket_id = ?1";
    sql += " ORDER BY seq";
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    if (only) stmt.value().bind(1, *only);
    std::map<std::string, json> out;
    for (;;) {
        auto row = stmt.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const auto& s = stmt.value();
        json& state = out[s.column_text(0)];
        std::string st = s.column_text(1);
        if (st == "rejected") {
            if (!state.is_object() || state["state"] != "rejected")
                state = {{"state", "rejected"}, {"code", s.column_text(3)}, {"message", s.column_text(4)}};
        } else if (!state.is_object() || state["state"] == "saved_on_device") {
            state = {{"state", s.column_int(2) > 0 ? "sent" : "saved_on_device"}};
        }
    }
    return out;
}

json sync_of(const std::map<std::string, json>& states, const Ticket& t) {
    auto it = states.find(to_hex(t.id));
    if (it != states.end()) return it->second;
    if (t.number) return {{"state", "received"}, {"number", *t.number}};
    return {{"state", "sent"}};
}
}  // namespace

json Engine::ticket_sync_json(const std::string& ticket_hex) const {
    auto states = outbox_states(const_cast<Database&>(db_), ticket_hex);
    auto id = id128_from_hex(ticket_hex);
    if (!states || !id) return {{"state", "unknown"}};
    auto t = read_ticket(replica_, *id);
    if (!t) return {{"state", "unknown"}};
    return sync_of(states.value(), *t);
}

commands::Response Engine::list_tickets(const commands::Request& request) {
    const json& a = request.args;
    std::string status_filter, query, sort = "updated";
    if (auto f = a.find("filter"); f != a.end() && f->is_object()) {
        if (auto s = f->find("status"); s != f->end() && s->is_string()) status_filter = s->get<std::string>();
        if (auto q = f->find("query"); q != f->end() && q->is_string()) query = q->get<std::string>();
    }
    if (auto s = a.find("sort"); s != a.end() && s->is_string()) sort = s->get<std::string>();
    if (sort != "updated" && sort != "created" && sort != "number" && sort != "priority")
        return bad_args(request.id, "sort must be updated, created, number or priority");
    auto count_arg = [&](const char* name, std::size_t fallback) -> std::optional<std::size_t> {
        auto it = a.find(name);
        if (it == a.end()) return fallback;
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0) return std::nullopt;  // any non-negative whole number
        return static_cast<std::size_t>(it->get<std::int64_t>());
    };
    auto offset = count_arg("offset", 0);
    auto limit = count_arg("limit", kDefaultListLimit);
    if (!offset || !limit || *limit > kMaxListLimit) return bad_args(request.id, "offset and limit (≤ 500) must be counts");

    std::vector<Ticket> rows;
    for (const EntityId& id : replica_.entity_ids(EntityKind::ticket)) {
        auto t = read_ticket(replica_, id);
        if (!t || t->deleted) continue;
        t = readable_ticket(std::move(*t));
        if (status_filter == "open" && !is_open(t->status)) continue;
        if (status_filter == "closed" && is_open(t->status)) continue;
        if (!status_filter.empty() && status_filter != "open" && status_filter != "closed" &&
            to_name(t->status) != status_filter)
            continue;
        if (!query.empty() && t->title.find(query) == std::string::npos &&
            t->description.find(query) == std::string::npos)
            continue;
        rows.push_back(std::move(*t));
    }
    auto key = [&](const Ticket& t) -> std::pair<std::int64_t, std::int64_t> {
        if (sort == "created") return {-static_cast<std::int64_t>(t.created.packed >> 1), 0};
        if (sort == "number") return {t.number.value_or(kMaxTicketNumber), 0};
        if (sort == "priority") return {static_cast<std::int64_t>(shown_priority(t)), -ms_of(t.updated)};
        return {-static_cast<std::int64_t>(t.updated.packed >> 1), 0};
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const Ticket& x, const Ticket& y) {
        auto kx = key(x), ky = key(y);
        if (kx != ky) return kx < ky;
        return x.id < y.id;
    });
    auto states = outbox_states(db_, std::nullopt);
    if (!states) return fail(request.id, states.error());
    auto reads = load_ticket_reads(db_);
    if (!reads) return fail(request.id, reads.error());
    std::vector<EntityId> ids;
    for (const Ticket& t : rows) ids.push_back(t.id);
    const Actor who = actor();
    const auto news = latest_news_ms(replica_, ids, who.user, sync_.node, who.role);
    auto unread = [&](const Ticket& t) {
        auto n = news.find(t.id);
        if (n == news.end()) return false;
        auto seen = reads.value().find(to_hex(t.id));
        return seen == reads.value().end() || seen->second < n->second;
    };
    const auto unread_total = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), unread));
    json out = json::array();
    for (std::size_t i = *offset; i < rows.size() && i < *offset + *limit; ++i) {
        const Ticket& t = rows[i];
        out.push_back({{"id", to_hex(t.id)},
                       {"number", t.number ? json(*t.number) : json(nullptr)},
                       {"title", t.title},
                       {"status", to_name(t.status)},
                       {"priority", to_name(shown_priority(t))},
                       {"updated_ms", ms_of(t.updated)},
                       {"unread", unread(t)},
                       {"sync", sync_of(states.value(), t)}});
    }
    return commands::ok_response(request.id,
                                 {{"total", rows.size()}, {"unread", unread_total}, {"rows", std::move(out)}});
}

commands::Response Engine::mark_ticket_read(const commands::Request& request) {
    auto id = id_arg(request.args, "id");
    if (!id) return fail(request.id, id.error());
    if (!replica_.exists(EntityKind::ticket, id.value())) return commands::error_response(request.id, "not_found", "no such ticket");
    const Actor who = actor();
    const auto news = latest_news_ms(replica_, {id.value()}, who.user, sync_.node, who.role);
    bool changed = false;
    if (auto n = news.find(id.value()); n != news.end()) {
        auto raised = raise_ticket_read(db_, to_hex(id.value()), n->second);
        if (!raised) return fail(request.id, raised.error());
        changed = raised.value();
    }
    if (changed) emit("tickets_changed");  // the list's marker (and other tabs) follow
    return commands::ok_response(request.id, {{"ticket_id", to_hex(id.value())}, {"unread", false}});
}

commands::Response Engine::get_ticket(const commands::Request& request) {
    auto id = id_arg(request.args, "id");
    if (!id) return fail(request.id, id.error());
    auto t = read_ticket(replica_, id.value());
    if (!t || t->deleted) return commands::error_response(request.id, "not_found", "no such ticket on this device");
    bool readable = true;
    t = readable_ticket(std::move(*t), &readable);
    json ticket = ticket_json(*t);
    ticket["readable"] = readable;  // false: this device lacks the ticket's key (yet)
    ticket["sync"] = ticket_sync_json(to_hex(t->id));
    // Not triaged by the help desk yet (filed offline, or just sent): what its rules will say.
    const bool open = t->status == TicketStatus::new_ || t->status == TicketStatus::triaged ||
                      t->status == TicketStatus::assigned || t->status == TicketStatus::in_progress;
    if (open && !t->response_due_ms && !t->resolution_due_ms) {
        auto estimate = triage::estimate_due_dates(desk_->config(), t->impact, t->urgency, t->site, ms_of(t->created));
        if (estimate) {
            auto opt = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); };
            ticket["expected_response_ms"] = opt(estimate.value().response_due_ms);
            ticket["expected_resolution_ms"] = opt(estimate.value().resolution_due_ms);
            ticket["due_estimated"] = true;
        }
    }
    json comments = json::array();
    const Role role = actor().role;
    const bool help_desk = role == Role::technician || role == Role::admin;
    // The display name of a user this device knows ("" otherwise): the people automatic notes name.
    auto user_name = [this](std::string_view hex) -> std::string {
        const std::optional<Id128> user_id = id128_from_hex(hex);
        if (!user_id) return {};
        auto user = read_user(replica_, *user_id);
        return user && !user->deleted ? user->display_name : std::string();
    };
    for (const Comment& c : read_comments(replica_, t->id, role)) {
        // a requester reads automatic notes in plain words, and only those that concern them; the
        // help desk reads them whole, with the people they name by name
        const bool system_words = c.kind == CommentKind::system_event;
        std::string text = keys_.open_text(replica_, EntityKind::comment, c.id, t->id, Field::comment_body, system_words).text;
        std::string body = !system_words ? std::move(text)
                           : help_desk   ? help_desk_words_for_event(text, user_name)
                                         : requester_words_for_event(text);
        if (body.empty()) continue;
        json comment{{"id", to_hex(c.id)}, {"kind", to_name(c.kind)}, {"author", to_hex(c.author)},
                     {"body", std::move(body)}, {"posted_ms", ms_of(c.posted)}};
        if (help_desk)  // the help desk sees which colleague wrote it (a requester reads "Help desk")
            if (auto author = read_user(replica_, c.author); author && !author->display_name.empty())
                comment["author_name"] = author->display_name;
        comments.push_back(std::move(comment));
    }
    auto history = ticket_history_json(*t, help_desk);
    if (!history) return fail(request.id, history.error());
    json result{{"ticket", std::move(ticket)}, {"comments", std::move(comments)}, {"history", std::move(history.value())}};
    if (help_desk) {  // who the ticket can be assigned to
        json people = json::array();
        for (const EntityId& user_id : replica_.entity_ids(EntityKind::user)) {
            auto user = read_user(replica_, user_id);
            if (user && !user->deleted && (user->role == Role::technician || user->role == Role::admin))
                people.push_back({{"id", to_hex(user_id)}, {"name", user->display_name}});
        }
        std::sort(people.begin(), people.end(), [](const json& a, const json& b) { return a["name"] < b["name"]; });
        result["help_desk"] = std::move(people);
    }
    return commands::ok_response(request.id, std::move(result));
}

// The ticket's field changes in merge order (wire ops, sealed text opened). For the help desk,
// each also says who made it (by: a name, "you" or the rule engine; by_kind: you, person,
// automatic, unknown), whether it is the value in force (current), and, for a change that raced
// one of this device's own while it was offline, that change of ours (raced: {value, op_id}).
Result<json> Engine::ticket_history_json(const Ticket& ticket, bool help_desk) {
    const std::vector<const Op*> ops = replica_.history(EntityKind::ticket, ticket.id);
    std::vector<std::optional<std::size_t>> raced(ops.size());
    if (help_desk) {
        auto facts = load_op_facts(db_, ops);
        if (!facts) return facts.error();
        raced = find_offline_races(ops, facts.value(), sync_.node);
    }
    auto value_of = [&](const Op& op) -> json {
        if (crypto::is_sealed_content_field(op.entity, op.field) && std::holds_alternative<std::string>(op.value))
            return keys_.open_op(replica_, op, ticket.id).text;
        return op_to_json(op, false)["value"];
    };
    auto name_of_user = [&](const json& value) -> std::string {
        auto id = value.is_string() ? id128_from_hex(value.get<std::string>()) : std::nullopt;
        if (!id) return "";
        auto user = read_user(replica_, *id);
        return user ? user->display_name : "";
    };
    json history = json::array();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op& op = *ops[i];
        json entry = op_to_json(op, false);
        entry["value"] = value_of(op);
        entry["at_ms"] = static_cast<std::int64_t>(op.hlc.ms());  // when, as the author's device saw it
        if (help_desk) {
            if (op.field == Field::ticket_assignee || op.field == Field::ticket_requester)
                entry["value_name"] = name_of_user(entry["value"]);
            if (op.node == sync_.node) {
                entry["by_kind"] = "you";
                entry["by"] = "You";
            } else if (op.node == op_authors_.server_node && op.node != 0) {
                entry["by_kind"] = "automatic";
                entry["by"] = "Help desk rules";
            } else if (auto who = op_authors_.user_of_node.find(op.node); who != op_authors_.user_of_node.end()) {
                auto user = read_user(replica_, who->second);
                entry["by_kind"] = "person";
                entry["by"] = user && !user->display_name.empty() ? user->display_name : "Someone";
            } else {
                entry["by_kind"] = "unknown";
                entry["by"] = "Another device";
            }
            const Op* winner = replica_.winner(EntityKind::ticket, ticket.id, op.field);
            entry["current"] = winner && winner->op_id == op.op_id;
            if (raced[i]) {
                const Op& ours = *ops[*raced[i]];
                json mine{{"op_id", to_hex(ours.op_id)}, {"value", value_of(ours)}};
                if (ours.field == Field::ticket_assignee) mine["value_name"] = name_of_user(mine["value"]);
                entry["raced"] = std::move(mine);
            }
        }
        history.push_back(std::move(entry));
    }
    return history;
}

}  // namespace lb::engine
