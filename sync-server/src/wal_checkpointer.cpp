// wal_checkpointer.cpp — WalCheckpointer: the writer's commit hook and the checkpoint thread.
#include "wal_checkpointer.h"

#include <sqlite3.h>

namespace lb::server {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(storage::Database& writer,
                                                                 const std::filesystem::path& database,
                                                                 Metrics* metrics, CheckpointThresholds thresholds) {
    auto own = storage::Database::open(database.string());
    if (!own) return own.error();
    // The checkpoint syncs the database file before the WAL frames it copied may be reused.
    if (auto s = own.value().exec("PRAGMA synchronous=FULL"); !s) return s.error();
    std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(writer, std::move(own).value(), metrics, thresholds));
    // Replaces the writer's automatic checkpoint (SQLite's own hook) with ours.
    sqlite3_wal_hook(writer.handle(), &WalCheckpointer::on_commit, checkpointer.get());
    return checkpointer;
}

WalCheckpointer::WalCheckpointer(storage::Database& writer, storage::Database own, Metrics* metrics,
                                 CheckpointThresholds thresholds)
    : writer_(writer), own_(std::move(own)), metrics_(metrics), thresholds_(thresholds), thread_([this] { run(); }) {}

WalCheckpointer::~WalCheckpointer() { stop(); }

void WalCheckpointer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    // After this no commit calls on_commit (the hook is swapped under the connection's mutex).
    sqlite3_wal_autocheckpoint(writer_.handle(), kCheckpointPages);
}

WalCheckpointer::Counts WalCheckpointer::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

void WalCheckpointer::count(std::uint64_t Counts::*field, std::string_view outcome) {
    ++(counts_.*field);
    if (metrics_) metrics_->count_wal_checkpoint(outcome);
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
    auto* checkpointer = static_cast<WalCheckpointer*>(self);
    if (wal_pages >= checkpointer->thresholds_.writer_pages) {
        // What SQLite's own hook does. Busy (the thread is checkpointing): the next commit tries again.
        if (sqlite3_wal_checkpoint(db, schema) == SQLITE_OK) {
            std::lock_guard lock(checkpointer->mutex_);
            checkpointer->count(&Counts::by_writer, "by_writer");
        }
        return SQLITE_OK;
    }
    if (wal_pages < checkpointer->thresholds_.wake_pages) return SQLITE_OK;
    {
        std::lock_guard lock(checkpointer->mutex_);
        checkpointer->due_ = true;
    }
    checkpointer->wake_.notify_one();
    return SQLITE_OK;
}

void WalCheckpointer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return due_ || stopping_; });
        if (stopping_) return;
        due_ = false;
        lock.unlock();
        int wal_frames = 0, copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
        lock.lock();
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            count(&Counts::failed, "failed");
        else if (rc == SQLITE_OK && copied == wal_frames)
            count(&Counts::checkpoints, "complete");
        else
            count(&Counts::incomplete, "incomplete");
    }
}

}  // namespace lb::server
