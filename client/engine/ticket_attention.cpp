// ticket_attention.cpp — see ticket_attention.h.
#include "engine/ticket_attention.h"

#include <algorithm>
#include <set>
#include <string>
#include <variant>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/views.h"

namespace lb::engine {

std::map<EntityId, std::int64_t> latest_news_ms(const Replica& replica, const std::vector<EntityId>& tickets,
                                                const EntityId& me, NodeId my_node, Role viewer) {
    std::map<EntityId, std::int64_t> latest;
    const std::set<EntityId> wanted(tickets.begin(), tickets.end());
    auto note = [&latest](const EntityId& ticket, std::int64_t ms) {
        auto [it, inserted] = latest.emplace(ticket, ms);
        if (!inserted) it->second = std::max(it->second, ms);
    };
    for (const EntityId& id : replica.entity_ids(EntityKind::comment)) {
        auto c = read_comment(replica, id);
        if (!c || c->deleted || !wanted.count(c->ticket) || c->author == me || !can_see_comment(viewer, c->kind)) continue;
        if (c->kind != CommentKind::public_reply && c->kind != CommentKind::request_for_information) continue;
        note(c->ticket, static_cast<std::int64_t>(c->posted.ms()));
    }
    for (const EntityId& ticket : tickets) {
        for (const Op* op : replica.history(EntityKind::ticket, ticket, Field::ticket_status)) {
            if (op->node == my_node) continue;
            const auto* status = std::get_if<std::string>(&op->value);
            if (!status || (*status != "waiting_on_requester" && *status != "resolved" && *status != "closed")) continue;
            note(ticket, static_cast<std::int64_t>(op->hlc.ms()));
        }
    }
    return latest;
}

}  // namespace lb::engine
