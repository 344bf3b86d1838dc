// wal_checkpointer.h — the WAL checkpoint off the store thread. By default SQLite copies the WAL
// back into the database file inside whichever commit takes the WAL past 1,000 pages, on that
// commit's thread: on the server, the store thread, while the pushes of that group wait for their
// answers (~5 % of the server's CPU at one device, and the slow tail of push latency).
//
// Here the writing connection's automatic checkpoint is off. Its commit hook (sqlite3_wal_hook)
// wakes this thread once the WAL holds `wake_pages` pages or more, and the thread runs a PASSIVE
// checkpoint on its OWN connection to the same file: commits and reads go on meanwhile. SQLite
// starts the WAL over at a commit that finds everything in it copied back — which a writer that
// never pauses would never let happen (each checkpoint ends a few commits behind), so at
// `writer_pages` the commit hook checkpoints on the writer itself, as SQLite would have: the WAL
// stays bounded whatever the load. Durability is SQLite's either way (a checkpoint syncs the
// database file before it lets go of WAL frames).
//
// stop() (and the destructor) ends the thread after the checkpoint it may be running and gives the
// writing connection its automatic checkpoint back. A checkpoint that fails (the disk is full, say)
// is counted and tried again at the next wake-up; the WAL keeps everything meanwhile. Every run is
// counted in counts() and, when given, in lifebuoy_wal_checkpoints_total (metrics.h).
// Not here: opening the database (server_storage.h).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"
#include "metrics.h"

namespace lb::server {

// SQLite's own threshold (SQLITE_DEFAULT_WAL_AUTOCHECKPOINT): ~4 MiB of WAL at 4 KiB pages.
inline constexpr int kCheckpointPages = 1000;

struct CheckpointThresholds {
    int wake_pages = kCheckpointPages;        // the thread checkpoints from this WAL size on
    int writer_pages = 8 * kCheckpointPages;  // the writer does, from this one on (~32 MiB)
};

class WalCheckpointer {
public:
    struct Counts {
        std::uint64_t checkpoints = 0;  // runs that copied everything the WAL held when they started
        std::uint64_t incomplete = 0;   // runs a reader or writer kept from copying it all
        std::uint64_t failed = 0;       // runs SQLite refused with an error
        std::uint64_t by_writer = 0;    // checkpoints the writer ran itself (writer_pages reached)
    };

    // Takes over `writer`'s checkpoints (it must stay open until stop()); opens a second
    // connection to `database` for the thread. Errors: storage_open_failed.
    static Result<std::unique_ptr<WalCheckpointer>> start(storage::Database& writer,
                                                           const std::filesystem::path& database,
                                                           Metrics* metrics = nullptr,
                                                           CheckpointThresholds thresholds = {});
    ~WalCheckpointer();  // stop()
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    void stop();
    Counts counts() const;

private:
    WalCheckpointer(storage::Database& writer, storage::Database own, Metrics* metrics, CheckpointThresholds thresholds);
    void count(std::uint64_t Counts::*field, std::string_view outcome);  // under mutex_
    static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);  // writer's thread
    void run();

    storage::Database& writer_;
    storage::Database own_;  // used by the thread only
    Metrics* const metrics_;
    const CheckpointThresholds thresholds_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;
    bool stopping_ = false;
    Counts counts_;
    std::thread thread_;  // last: started once everything above exists
};

}  // namespace lb::server
