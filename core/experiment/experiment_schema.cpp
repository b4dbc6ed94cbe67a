#include "core/experiment/experiment_schema.h"

#include <sqlite3.h>

#include <memory>

#include "core/base/error.h"
#include "core/experiment/sqlite_statement.h"

namespace tm2::experiment {
namespace {

constexpr int kBusyTimeoutMs = 5000;  // GUI and CLI may write the same store at once

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE runs(
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    data_fingerprint TEXT NOT NULL DEFAULT '',
    spec_json TEXT,
    params_json TEXT,
    result_json TEXT,
    error TEXT,
    parent_id TEXT
);
CREATE INDEX runs_by_created ON runs(created_at, id);
CREATE INDEX runs_by_kind ON runs(kind, created_at, id);
CREATE INDEX runs_by_parent ON runs(parent_id);
CREATE TABLE epochs(
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    metrics_json TEXT NOT NULL,
    PRIMARY KEY(run_id, epoch)
);
CREATE TABLE artifacts(
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    path TEXT NOT NULL
);
CREATE INDEX artifacts_by_run ON artifacts(run_id);
)sql";

// Migrations, in order: kMigrations[v - 1] takes a store from version v to v + 1.
// A fresh store is created at version 1 and migrated like any old one, so there
// is one path to the current schema.
constexpr const char* kMigrations[] = {
    // 1 → 2: every run accounted for. Who records it (pid, host, process start)
    // and when it last showed life, so a run whose process died is found; the run
    // a resumed one continues; the sweep it belongs to.
    R"sql(
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
ALTER TABLE runs ADD COLUMN pid_start INTEGER;
ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE runs ADD COLUMN resumed_from TEXT;
ALTER TABLE runs ADD COLUMN sweep TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_by_status ON runs(status);
)sql",
};
static_assert(sizeof kMigrations / sizeof kMigrations[0] == kExperimentSchemaVersion - 1,
              "one migration per schema version after the first");

struct Header {
    std::int64_t application_id = 0;
    std::int64_t user_version = 0;
    std::int64_t schema_objects = 0;
};

std::int64_t queryInt(sqlite3* db, const char* sql) {
    SqliteStatement statement(db, sql);
    return statement.step() ? statement.columnInt64(0) : 0;
}

Header readHeader(sqlite3* db) {
    Header header;
    header.application_id = queryInt(db, "PRAGMA application_id");
    header.user_version = queryInt(db, "PRAGMA user_version");
    header.schema_objects = queryInt(db, "SELECT count(*) FROM sqlite_master");
    return header;
}

bool isFresh(const Header& header) {
    return header.application_id == 0 && header.user_version == 0 && header.schema_objects == 0;
}

// Only reads; decides before anything is written so a foreign file stays byte-identical.
void checkHeader(const Header& header, const std::string& path) {
    if (isFresh(header)) return;
    if (header.application_id != kExperimentApplicationId)
        throw Error(path + ": not a TinyM2Net experiment store");
    if (header.user_version > kExperimentSchemaVersion)
        throw Error(path + ": made by a newer version of TinyM2Net (schema version " +
                    std::to_string(header.user_version) + ", this build reads up to " +
                    std::to_string(kExperimentSchemaVersion) + ")");
    if (header.user_version < 1)
        throw Error(path + ": damaged TinyM2Net experiment store (schema version " +
                    std::to_string(header.user_version) + ")");
}

void createOrMigrateSchema(sqlite3* db, const std::string& path) {
    SqliteTransaction transaction(db);
    // Re-read under the write lock: another process may have created or migrated it meanwhile.
    const Header header = readHeader(db);
    checkHeader(header, path);
    std::int64_t version = header.user_version;
    if (isFresh(header)) {
        executeSql(db, kCreateSchema);
        executeSql(db, ("PRAGMA application_id = " + std::to_string(kExperimentApplicationId)).c_str());
        version = 1;
    }
    if (version == kExperimentSchemaVersion && !isFresh(header)) return;
    for (; version < kExperimentSchemaVersion; ++version) executeSql(db, kMigrations[version - 1]);
    executeSql(db, ("PRAGMA user_version = " + std::to_string(kExperimentSchemaVersion)).c_str());
    transaction.commit();  // all migrations or none
}

}  // namespace

sqlite3* openExperimentDatabase(const std::string& path) {
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
    if (rc != SQLITE_OK)
        throw Error(path +
                    ": cannot open experiment store: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
    sqlite3_extended_result_codes(db.get(), 1);

    try {
        checkHeader(readHeader(db.get()), path);
    } catch (const SqliteError& error) {
        if (error.code() == SQLITE_NOTADB || error.code() == SQLITE_CORRUPT)
            throw Error(path + ": not a TinyM2Net experiment store (" + sqlite3_errstr(error.code()) + ")");
        throw;
    }
    // WAL lets a reader (GUI) and a writer (CLI) work at the same time; it is
    // persistent, so only set it once the file is known to be ours.
    executeSql(db.get(), "PRAGMA journal_mode = WAL");
    executeSql(db.get(), "PRAGMA foreign_keys = ON");
    createOrMigrateSchema(db.get(), path);
    return db.release();
}

}  // namespace tm2::experiment
