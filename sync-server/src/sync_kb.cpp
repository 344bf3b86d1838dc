// sync_kb.cpp — SyncService's knowledge-base calls: the paged pull of article changes (any
// enrolled device; help-desk-only articles for technicians and admins), deflection events stored
// once by their device-made id, the admin import and reports. Each under the service's lock.
// Not here: JSON (kb_api_codec.cpp, api_routes.cpp), versions (kb_catalog.cpp), SQL (sqlite_kb_store.cpp).
#include <algorithm>

#include "sync_service.h"

namespace lb::server {

Result<KbPullPage> SyncService::kb_pull(const Caller& caller, const KbPullRequest& request) {
    KbPullQuery q;
    q.after_seq = request.cursor;
    q.help_desk = caller.role == Role::technician || caller.role == Role::admin;
    q.max_articles = std::min(request.max_articles.value_or(config_.max_pull_ops), config_.max_pull_ops);
    q.max_bytes = std::min(request.max_bytes.value_or(config_.max_pull_bytes), config_.max_pull_bytes);
    std::lock_guard lock(mutex_);
    return store_.kb_pull(q);
}

Result<std::vector<DeflectionResult>> SyncService::push_deflections(const Caller& caller, const DeflectionPush& push) {
    std::vector<DeflectionResult> results;
    std::size_t accepted = 0, duplicate = 0, rejected = 0;
    const auto received_at = static_cast<std::int64_t>(now_ms_());
    std::lock_guard lock(mutex_);
    Status stored = store_.transaction([&]() -> Status {
        results.clear();
        accepted = duplicate = rejected = 0;
        for (std::size_t i = 0; i < push.deflections.size(); ++i) {
            DeflectionResult r;
            r.id = i < push.ids.size() ? push.ids[i] : std::string();
            const auto& entry = push.deflections[i];
            if (!entry) {
                r.error = entry.error();
                ++rejected;
                results.push_back(std::move(r));
                continue;
            }
            const DeflectionEvent& d = entry.value();
            auto outcome = store_.add_deflection(
                DeflectionRow{d.id, d.article_id, d.article_version, d.at_ms, received_at, caller.device});
            if (!outcome) return outcome.error();
            switch (outcome.value()) {
                case DeflectionStored::added: r.outcome = OpOutcome::accepted; ++accepted; break;
                case DeflectionStored::duplicate: r.outcome = OpOutcome::duplicate; ++duplicate; break;
                case DeflectionStored::conflict:
                    r.error = make_error("deflection_id_conflict", "this id was recorded with other content");
                    ++rejected;
                    break;
            }
            results.push_back(std::move(r));
        }
        return Ok{};
    });
    if (!stored) return stored.error();
    metrics_.count_deflections(accepted, duplicate, rejected);
    return results;
}

Result<KbImportSummary> SyncService::import_kb(const std::vector<engine::KbArticle>& articles, bool retire_missing) {
    std::lock_guard lock(mutex_);
    return import_kb_articles(store_, articles, static_cast<std::int64_t>(now_ms_()), retire_missing);
}

Result<std::vector<KbCurrentRow>> SyncService::kb_articles() {
    std::lock_guard lock(mutex_);
    return store_.kb_current();
}

Result<std::vector<DeflectionTally>> SyncService::deflection_tallies() {
    std::lock_guard lock(mutex_);
    return store_.deflection_tallies();
}

}  // namespace lb::server
