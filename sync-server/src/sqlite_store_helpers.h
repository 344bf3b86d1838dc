// sqlite_store_helpers.h — the small helpers SqliteSyncStore's query files share: binding
// arguments, running a statement, the first row, every row, one integer, id columns, typed "unreadable" errors.
// Private to the SQLite store (sqlite_sync_store.cpp, sqlite_triage_store.cpp).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lifebuoy/id128.h"
#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::server::sqlite_store {

using Arg = std::variant<std::monostate, std::int64_t, std::string_view>;

inline Result<storage::Statement> query(storage::Database& db, std::string_view sql, std::initializer_list<Arg> args) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    int i = 1;
    for (const Arg& a : args) {
        if (const auto* n = std::get_if<std::int64_t>(&a)) stmt.value().bind(i, *n);
        else if (const auto* t = std::get_if<std::string_view>(&a)) stmt.value().bind(i, *t);
        else stmt.value().bind_null(i);
        ++i;
    }
    return std::move(stmt).value();
}

inline Status run(storage::Database& db, std::string_view sql, std::initializer_list<Arg> args) {
    auto stmt = query(db, sql, args);
    if (!stmt) return stmt.error();
    return stmt.value().run();
}

inline Result<std::int64_t> single_int(storage::Database& db, std::string_view sql, std::initializer_list<Arg> args) {
    auto stmt = query(db, sql, args);
    if (!stmt) return stmt.error();
    auto row = stmt.value().step();
    if (!row) return row.error();
    return row.value() ? stmt.value().column_int(0) : 0;
}

// The first row of a query, or nullopt when there is none (the statement stands on that row).
inline Result<std::optional<storage::Statement>> first_row(storage::Database& db, std::string_view sql,
                                                           std::initializer_list<Arg> args) {
    auto stmt = query(db, sql, args);
    if (!stmt) return stmt.error();
    auto row = stmt.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<storage::Statement>{};
    return std::optional<storage::Statement>(std::move(stmt).value());
}

// Calls `read` on every row of `stmt`, stopping at the first error (a storage or a read error).
template <typename ReadRow>
Status each_row(storage::Statement& stmt, ReadRow&& read) {
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!row.value()) return Ok{};
        if (Status st = read(stmt); !st) return st;
    }
}

inline Error corrupt(std::string what) { return make_error("storage_error", "stored data unreadable: " + what); }

inline Result<EntityId> id_column(const storage::Statement& s, int col) {
    auto id = id128_from_hex(s.column_text(col));
    if (!id) return corrupt("id");
    return *id;
}

inline std::optional<EntityId> optional_id_column(const storage::Statement& s, int col) {
    if (s.column_is_null(col)) return std::nullopt;
    return id128_from_hex(s.column_text(col));
}

// A nullable integer parameter.
inline Arg optional_arg(const std::optional<std::int64_t>& v) { return v ? Arg(*v) : Arg(std::monostate{}); }

// The ids in column 0 of every row of `s`.
inline Result<std::vector<EntityId>> id_list(storage::Statement& s) {
    std::vector<EntityId> out;
    Status st = each_row(s, [&](const storage::Statement& row) -> Status {
        auto id = id_column(row, 0);
        if (!id) return id.error();
        out.push_back(id.value());
        return Ok{};
    });
    if (!st) return st.error();
    return out;
}

inline Arg optional_hex(const std::optional<EntityId>& id, std::string& keep) {
    if (!id) return std::monostate{};
    keep = to_hex(*id);
    return std::string_view(keep);
}

}  // namespace lb::server::sqlite_store
