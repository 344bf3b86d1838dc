// sync_escalation.cpp — SyncService::run_escalation_pass: the triage automation's periodic pass
// in one transaction (ticket_triage.h says what it does), then the users it concerns are woken.
// Not here: the timer that calls it (periodic_timer.h), the decisions (escalation_pass.cpp).
#include "automation_context.h"
#include "staged_changes.h"
#include "sync_service.h"
#include "ticket_triage.h"

namespace lb::server {

Result<EscalationPassReport> SyncService::run_escalation_pass() {
    if (!triage_) return EscalationPassReport{};
    std::lock_guard lock(mutex_);
    StagedChanges changes(store_);
    EscalationPassReport report;
    Status st = store_.transaction([&]() -> Status {
        AutomationContext automation{changes, clock_, random_, system_actor(), now_ms_()};
        auto pass = triage_->escalation_pass(automation);
        if (!pass) return pass.error();
        report = pass.value();
        if (auto saved = changes.save_ticket_rows(); !saved) return saved;
        return save_clock();
    });
    if (!st) return st.error();
    if (changes.last_seq() > 0) notifier_.publish(changes.last_seq(), changes.users_to_wake());
    return report;
}

}  // namespace lb::server
