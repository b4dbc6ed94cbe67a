#include "core/experiment/sqlite_statement.h"

#include <sqlite3.h>

namespace tm2::experiment {

void throwSqliteError(sqlite3* db, int rc, const std::string& context) {
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    std::string message = (file && *file) ? std::string(file) + ": " : std::string();
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (!context.empty()) message += " (in: " + context + ")";
    throw SqliteError(message, rc & 0xff);
}

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql) : db_(db), sql_(sql) {
    const int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        throwSqliteError(db_, rc, sql_);
    }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::bindText(int index, const std::string& value) {
    const int rc =
        sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) throwSqliteError(db_, rc, sql_);
}

void SqliteStatement::bindTextOrNull(int index, const std::string& value) {
    if (value.empty())
        bindNull(index);
    else
        bindText(index, value);
}

void SqliteStatement::bindInt64(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) throwSqliteError(db_, rc, sql_);
}

void SqliteStatement::bindNull(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) throwSqliteError(db_, rc, sql_);
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throwSqliteError(db_, rc, sql_);
    return false;
}

void SqliteStatement::run() {
    while (step()) {
    }
}

bool SqliteStatement::columnIsNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string SqliteStatement::columnText(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    if (!text) return {};
    // Length from column_bytes so embedded NULs survive the round trip.
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::int64_t SqliteStatement::columnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }

SqliteTransaction::SqliteTransaction(sqlite3* db) : db_(db) {
    executeSql(db_, "BEGIN IMMEDIATE");
    open_ = true;
}

SqliteTransaction::~SqliteTransaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
    executeSql(db_, "COMMIT");
    open_ = false;
}

void executeSql(sqlite3* db, const char* sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return;
    sqlite3_free(error);  // sqlite3_errmsg(db) still holds the same text
    throwSqliteError(db, rc, sql);
}

}  // namespace tm2::experiment
