// engine_queue.cpp — the queue commands for technicians (issue #10; the rows, views and CSV are
// ticket_queue.h): one pass over the tickets on the device (their text opened with the keys this
// device holds — opened texts are cached by op id, so a refresh costs map lookups), the people's
// names and which tickets the help desk has answered.
// Not here: the table (client/ui/queue_screen.cpp).
#include "engine/engine.h"
#include "engine/ticket_queue.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxQueueRows = 20000;  // one answer: the table scrolls the rows it holds

// offset / limit of the rows answered (the table asks for the window it shows). Code bad_arguments.
Result<std::pair<std::size_t, std::size_t>> window_args(const json& a) {
    auto count = [&](const char* name, std::size_t fallback) -> Result<std::size_t> {
        auto it = a.find(name);
        if (it == a.end() || it->is_null()) return fallback;
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
            return make_error("bad_arguments", std::string(name) + " must be a count");
        return static_cast<std::size_t>(it->get<std::int64_t>());
    };
    auto offset = count("offset", 0);
    if (!offset) return offset.error();
    auto limit = count("limit", kMaxQueueRows);
    if (!limit) return limit.error();
    if (limit.value() > kMaxQueueRows)
        return make_error("bad_arguments", "limit: at most " + std::to_string(kMaxQueueRows) + " rows");
    return std::pair{offset.value(), limit.value()};
}

Result<std::pair<QueueFilter, QueueSort>> queue_args(const json& a) {
    QueueFilter filter;
    QueueSort sort;
    auto text = [](const json& object, const char* name, std::string& out) -> Status {
        auto it = object.find(name);
        if (it == object.end() || it->is_null()) return Ok{};
        if (!it->is_string()) return make_error("bad_arguments", std::string(name) + " must be text");
        out = it->get<std::string>();
        return Ok{};
    };
    if (auto f = a.find("filter"); f != a.end() && f->is_object()) {
        for (auto [name, out] : {std::pair{"view", &filter.view}, std::pair{"site", &filter.site},
                                 std::pair{"category", &filter.category}, std::pair{"query", &filter.query}})
            if (auto st = text(*f, name, *out); !st) return st.error();
    }
    if (auto s = a.find("sort"); s != a.end() && s->is_object()) {
        if (auto st = text(*s, "column", sort.column); !st) return st.error();
        if (auto d = s->find("descending"); d != s->end() && d->is_boolean()) sort.descending = d->get<bool>();
    }
    if (auto st = check_queue_request(filter, sort); !st) return st.error();
    return std::pair{filter, sort};
}

}  // namespace

std::map<EntityId, std::int64_t> Engine::first_help_desk_answers() const {
    std::map<EntityId, Role> roles;
    for (const EntityId& id : replica_.entity_ids(EntityKind::user))
        if (auto user = read_user(replica_, id)) roles[id] = user->role;
    std::map<EntityId, std::int64_t> first;
    for (const EntityId& id : replica_.entity_ids(EntityKind::comment)) {
        auto c = read_comment(replica_, id);
        if (!c || c->deleted) continue;
        if (c->kind != CommentKind::public_reply && c->kind != CommentKind::request_for_information) continue;
        auto role = roles.find(c->author);
        if (role == roles.end() || (role->second != Role::technician && role->second != Role::admin)) continue;
        const auto at = static_cast<std::int64_t>(c->posted.ms());
        auto [slot, fresh] = first.try_emplace(c->ticket, at);
        if (!fresh) slot->second = std::min(slot->second, at);
    }
    return first;
}

Result<std::vector<QueueRow>> Engine::queue_rows(QueueContext& context) {
    const Actor who = actor();
    if (who.role != Role::technician && who.role != Role::admin)
        return make_error("forbidden", "the queue is for the help desk's technicians");
    context.me = who.user;
    context.desk = &desk_->config();
    context.now_ms = env_.now_ms();
    for (const EntityId& id : replica_.entity_ids(EntityKind::user)) {
        auto user = read_user(replica_, id);
        if (!user) continue;
        context.names[id] = user->display_name;
        if (id == who.user) context.my_team = user->team;
    }
    context.answered = first_help_desk_answers();
    std::vector<QueueRow> rows;
    for (const EntityId& id : replica_.entity_ids(EntityKind::ticket)) {
        auto t = read_ticket(replica_, id);
        if (!t || t->deleted) continue;
        rows.push_back(queue_row(readable_ticket(std::move(*t)), context));
    }
    return rows;
}

commands::Response Engine::queue(const commands::Request& request) {
    auto args = queue_args(request.args);
    if (!args) return commands::error_response(request.id, args.error().code, args.error().message);
    const auto& [filter, sort] = args.value();
    auto window = window_args(request.args);
    if (!window) return commands::error_response(request.id, window.error().code, window.error().message);
    const auto [offset, limit] = window.value();
    QueueContext context;
    auto all = queue_rows(context);
    if (!all) return commands::error_response(request.id, all.error().code, all.error().message);
    const auto counts = view_counts(all.value(), filter, context);
    std::vector<QueueRow> rows = select_queue(std::move(all.value()), filter, sort, context);
    if (request.cmd == "queue_csv")
        return commands::ok_response(request.id, {{"csv", queue_csv(rows)}, {"rows", rows.size()}});
    json out = json::array();
    for (std::size_t i = offset; i < rows.size() && i < offset + limit; ++i) {
        const QueueRow& r = rows[i];
        const Ticket& t = r.ticket;
        out.push_back({{"id", to_hex(t.id)},
                       {"number", t.number ? json(*t.number) : json(nullptr)},
                       {"title", t.title},
                       {"requester", r.requester_name},
                       {"category", t.category},
                       {"priority", to_name(shown_priority(t))},
                       {"status", to_name(t.status)},
                       {"assignee", r.assignee_name},
                       {"assignee_id", t.assignee ? json(to_hex(*t.assignee)) : json(nullptr)},
                       {"site", t.site},
                       {"due_ms", r.due_ms ? json(*r.due_ms) : json(nullptr)},
                       {"due", r.response_due ? "response" : "resolution"},
                       {"sla", to_name(r.sla)},
                       {"left_ms", r.left_ms},
                       {"updated_ms", static_cast<std::int64_t>(t.updated.ms())}});
    }
    return commands::ok_response(request.id, {{"total", rows.size()},
                                              {"offset", offset},
                                              {"counts", counts},
                                              {"now_ms", context.now_ms},
                                              {"rows", std::move(out)}});
}

}  // namespace lb::engine
