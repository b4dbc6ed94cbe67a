#pragma once
// A thin RAII layer over the SQLite C API: prepared statements with bind/step/
// column helpers and an IMMEDIATE transaction guard. Every failure is a
// tm2::Error naming the database file, SQLite's message and the SQL at fault.

#include <cstdint>
#include <string>

#include "core/base/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tm2::experiment {

// Carries SQLite's result code so callers can tell "not a database" from "locked".
class SqliteError : public Error {
public:
    SqliteError(const std::string& message, int code) : Error(message), code_(code) {}
    int code() const { return code_; }  // primary result code (SQLITE_NOTADB, …)

private:
    int code_;
};

// Throws SqliteError for `db` with `context` (usually the SQL) when rc is an error.
void throwSqliteError(sqlite3* db, int rc, const std::string& context);

class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, const char* sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    // Parameters are 1-based, as in sqlite3_bind_*.
    void bindText(int index, const std::string& value);
    void bindTextOrNull(int index, const std::string& value);  // "" → NULL
    void bindInt64(int index, std::int64_t value);
    void bindNull(int index);

    // True when a row is ready, false when done; throws on any error.
    bool step();
    // Steps a statement that returns no rows (INSERT/UPDATE/DELETE/DDL).
    void run();

    bool columnIsNull(int column) const;
    std::string columnText(int column) const;  // NULL → ""
    std::int64_t columnInt64(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
};

// BEGIN IMMEDIATE so a writer waits on busy_timeout up front instead of failing
// with SQLITE_BUSY when a read transaction later tries to upgrade (WAL mode).
// Rolls back unless commit() was reached, so a throw never leaves half a write.
class SqliteTransaction {
public:
    explicit SqliteTransaction(sqlite3* db);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void commit();

private:
    sqlite3* db_;
    bool open_ = false;
};

// Runs one or more statements without parameters (schema, pragmas).
void executeSql(sqlite3* db, const char* sql);

}  // namespace tm2::experiment
