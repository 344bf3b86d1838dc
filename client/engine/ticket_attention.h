// ticket_attention.h — what on a ticket is news for the person holding this device: the unread
// marker of My tickets. News is a reply or a request for information written by another user, or a
// change of status made on another device to "waiting on requester", "resolved" or "closed" — the
// moments a requester has something to read or do. Automatic triage notes and the person's own
// changes are not news. The device remembers, per ticket, the latest news it has shown
// (ticket_reads, local_store.h); a ticket is unread while it has newer news.
// Pure: reads the replica only.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/replica.h"

namespace lb::engine {

// For each of `tickets` with news: when the latest happened (ms of its hybrid time). One pass over
// the replica's comments, then each ticket's status history.
std::map<EntityId, std::int64_t> latest_news_ms(const Replica& replica, const std::vector<EntityId>& tickets,
                                                const EntityId& me, NodeId my_node, Role viewer);

}  // namespace lb::engine
