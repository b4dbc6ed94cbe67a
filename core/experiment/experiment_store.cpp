#include "core/experiment/experiment_store.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/experiment/experiment_schema.h"
#include "core/experiment/process_identity.h"
#include "core/experiment/sqlite_statement.h"

// Thread-safety: the connection is opened with SQLITE_OPEN_FULLMUTEX so concurrent
// calls cannot corrupt it, but transactions of two threads would interleave on one
// connection; give each thread (GUI, worker, CLI process) its own ExperimentStore.

namespace tm2::experiment {
namespace {

constexpr const char* kRunColumns =
    "id, kind, name, status, created_at, finished_at, data_fingerprint, spec_json, params_json, result_json, "
    "error, parent_id, resumed_from, sweep, pid, host, heartbeat_at";

struct Timestamps {
    std::string iso;      // "2026-11-24T20:15:30.123Z": millis keep same-second runs ordered
    std::string compact;  // "20261124-201530" for run ids
};

Timestamps utc(std::chrono::system_clock::time_point now) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char iso[32];
    char compact[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S", &utc);
    std::strftime(compact, sizeof compact, "%Y%m%d-%H%M%S", &utc);
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
    return {std::string(iso) + fraction, compact};
}

Timestamps nowUtc() { return utc(std::chrono::system_clock::now()); }

// Ids are used in folder names and on the command line; keep the kind part tame.
std::string idSafeKind(const std::string& kind) {
    std::string safe;
    for (char c : kind) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        safe += ok ? c : '_';
    }
    return safe;
}

std::string dumpJson(const nlohmann::json& value, const std::string& what) {
    try {
        return value.dump();
    } catch (const nlohmann::json::exception& e) {
        throw Error(what + " cannot be stored as JSON: " + e.what());
    }
}

}  // namespace

struct ExperimentStore::Impl {
    std::string path;
    sqlite3* db = nullptr;
    std::mt19937 random{std::random_device{}()};

    // A NULL cell reads as JSON null; a damaged cell names its row and column.
    nlohmann::json parseJson(const SqliteStatement& row, int column, const std::string& where,
                             const char* column_name) const {
        if (row.columnIsNull(column)) return nullptr;
        return parseJsonText(row.columnText(column), path + ": " + where + ": column '" + column_name + "'");
    }

    RunRecord readRun(const SqliteStatement& row) const {
        RunRecord run;
        run.id = row.columnText(0);
        run.kind = row.columnText(1);
        run.name = row.columnText(2);
        run.status = row.columnText(3);
        run.created_at = row.columnText(4);
        run.finished_at = row.columnText(5);
        run.data_fingerprint = row.columnText(6);
        const std::string where = "run '" + run.id + "'";
        run.spec = parseJson(row, 7, where, "spec_json");
        run.params = parseJson(row, 8, where, "params_json");
        run.result = parseJson(row, 9, where, "result_json");
        run.error = row.columnText(10);
        run.parent_id = row.columnText(11);
        run.resumed_from = row.columnText(12);
        run.sweep = row.columnText(13);
        run.pid = row.columnInt64(14);
        run.host = row.columnText(15);
        run.heartbeat_at = row.columnText(16);
        return run;
    }

    bool runExists(const std::string& run_id) const {
        SqliteStatement query(db, "SELECT 1 FROM runs WHERE id = ?1");
        query.bindText(1, run_id);
        return query.step();
    }

    void requireRun(const std::string& run_id) const {
        if (!runExists(run_id)) throw Error(path + ": unknown run id '" + run_id + "'");
    }

    std::string randomHex4() {
        char hex[8];
        std::snprintf(hex, sizeof hex, "%04x", static_cast<unsigned>(random() & 0xffffu));
        return hex;
    }
};

ExperimentStore::ExperimentStore(const std::string& workspace_dir) : impl_(new Impl) {
    try {
        std::error_code ec;
        std::filesystem::create_directories(workspace_dir, ec);
        if (ec) throw Error(workspace_dir + ": cannot create workspace folder: " + ec.message());
        impl_->path = (std::filesystem::path(workspace_dir) / "experiments.sqlite").string();
        impl_->db = openExperimentDatabase(impl_->path);
        markAbandonedRuns();
    } catch (...) {
        if (impl_->db) sqlite3_close_v2(impl_->db);
        delete impl_;
        throw;
    }
}

ExperimentStore::~ExperimentStore() {
    sqlite3_close_v2(impl_->db);
    delete impl_;
}

const std::string& ExperimentStore::path() const { return impl_->path; }

std::string ExperimentStore::createRun(const std::string& kind, const std::string& name,
                                       const nlohmann::json& spec, const nlohmann::json& params,
                                       const std::string& data_fingerprint, const std::string& parent_id) {
    if (kind.empty()) throw Error(impl_->path + ": createRun: run kind must not be empty");
    const std::string spec_text = dumpJson(spec, "run spec");
    const std::string params_text = dumpJson(params, "run params");

    SqliteTransaction transaction(impl_->db);
    const Timestamps now = nowUtc();
    // The write lock is held, so a free id stays free until the INSERT below.
    std::string id;
    for (int attempt = 0;; ++attempt) {
        if (attempt == 1000) throw Error(impl_->path + ": createRun: no free run id for kind '" + kind + "'");
        id = now.compact + "-" + idSafeKind(kind) + "-" + impl_->randomHex4();
        if (!impl_->runExists(id)) break;
    }
    const ProcessIdentity self = currentProcess();
    SqliteStatement insert(
        impl_->db,
        "INSERT INTO runs(id, kind, name, status, created_at, data_fingerprint, spec_json, "
        "params_json, parent_id, pid, host, pid_start, heartbeat_at) "
        "VALUES(?1, ?2, ?3, 'running', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?4)");
    insert.bindText(1, id);
    insert.bindText(2, kind);
    insert.bindText(3, name);
    insert.bindText(4, now.iso);
    insert.bindText(5, data_fingerprint);
    insert.bindText(6, spec_text);
    insert.bindText(7, params_text);
    insert.bindTextOrNull(8, parent_id);
    insert.bindInt64(9, self.pid);
    insert.bindText(10, self.host);
    insert.bindInt64(11, self.start_ticks);
    insert.run();
    transaction.commit();
    return id;
}

void ExperimentStore::appendEpoch(const std::string& run_id, int epoch, const nlohmann::json& metrics) {
    const std::string metrics_text = dumpJson(metrics, "run '" + run_id + "' epoch " + std::to_string(epoch));
    SqliteTransaction transaction(impl_->db);
    impl_->requireRun(run_id);
    SqliteStatement upsert(impl_->db,
                           "INSERT OR REPLACE INTO epochs(run_id, epoch, metrics_json) VALUES(?1, ?2, ?3)");
    upsert.bindText(1, run_id);
    upsert.bindInt64(2, epoch);
    upsert.bindText(3, metrics_text);
    upsert.run();
    SqliteStatement beat(impl_->db, "UPDATE runs SET heartbeat_at = ?2 WHERE id = ?1");
    beat.bindText(1, run_id);
    beat.bindText(2, nowUtc().iso);
    beat.run();
    transaction.commit();
}

void ExperimentStore::heartbeat(const std::string& run_id) {
    SqliteTransaction transaction(impl_->db);
    impl_->requireRun(run_id);
    SqliteStatement beat(impl_->db, "UPDATE runs SET heartbeat_at = ?2 WHERE id = ?1");
    beat.bindText(1, run_id);
    beat.bindText(2, nowUtc().iso);
    beat.run();
    transaction.commit();
}

void ExperimentStore::setResumedFrom(const std::string& run_id, const std::string& previous_run_id) {
    SqliteTransaction transaction(impl_->db);
    impl_->requireRun(run_id);
    impl_->requireRun(previous_run_id);
    SqliteStatement link(impl_->db, "UPDATE runs SET resumed_from = ?2 WHERE id = ?1");
    link.bindText(1, run_id);
    link.bindText(2, previous_run_id);
    link.run();
    transaction.commit();
}

int ExperimentStore::markAbandonedRuns(std::chrono::minutes stale_after) {
    struct Candidate {
        std::string id;
        ProcessIdentity process;
        std::string heartbeat;
    };
    std::vector<Candidate> candidates;
    {
        SqliteStatement query(impl_->db,
                              "SELECT id, pid, host, pid_start, COALESCE(heartbeat_at, created_at) FROM runs "
                              "WHERE status = 'running'");
        while (query.step())
            candidates.push_back({query.columnText(0),
                                  {query.columnInt64(1), query.columnText(2), query.columnInt64(3)},
                                  query.columnText(4)});
    }
    if (candidates.empty()) return 0;
    const std::string stale_before = utc(std::chrono::system_clock::now() - stale_after).iso;
    int marked = 0;
    SqliteTransaction transaction(impl_->db);
    for (const Candidate& c : candidates) {
        const ProcessState state = processState(c.process);
        std::string why;
        if (state == ProcessState::Dead)
            why = "its process (pid " + std::to_string(c.process.pid) + " on " + c.process.host +
                  ") ended without finishing it";
        else if (state == ProcessState::Unknown && c.heartbeat < stale_before)
            why = "no sign of life since " + c.heartbeat +
                  (c.process.host.empty() ? "" : " (on " + c.process.host + ")");
        if (why.empty()) continue;
        // status = 'running' again: the run may have finished since it was read.
        SqliteStatement update(impl_->db,
                               "UPDATE runs SET status = 'interrupted', finished_at = ?2, error = ?3 "
                               "WHERE id = ?1 AND status = 'running'");
        update.bindText(1, c.id);
        update.bindText(2, nowUtc().iso);
        update.bindText(3, "interrupted: " + why);
        update.run();
        marked += sqlite3_changes(impl_->db);
    }
    transaction.commit();
    return marked;
}

void ExperimentStore::addArtifact(const std::string& run_id, const std::string& name,
                                  const std::string& path) {
    SqliteTransaction transaction(impl_->db);
    impl_->requireRun(run_id);
    SqliteStatement insert(impl_->db, "INSERT INTO artifacts(run_id, name, path) VALUES(?1, ?2, ?3)");
    insert.bindText(1, run_id);
    insert.bindText(2, name);
    insert.bindText(3, path);
    insert.run();
    transaction.commit();
}

void ExperimentStore::finishRun(const std::string& run_id, const nlohmann::json& result) {
    const std::string result_text = dumpJson(result, "run '" + run_id + "' result");
    SqliteTransaction transaction(impl_->db);
    impl_->requireRun(run_id);
    SqliteStatement update(
        impl_->db,
        "UPDATE runs SET status = 'finished', finished_at = ?2, result_json = ?3, error = NULL "
        "WHERE id = ?1");
    update.bindText(1, run_id);
    update.bindText(2, nowUtc().iso);
    update.bindText(3, result_text);
    update.run();
    transaction.commit();
}

void ExperimentStore::failRun(const std::string& run_id, const std::string& status,
                              const std::string& error) {
    if (status != "failed" && status != "cancelled")
        throw Error(impl_->path + ": failRun: status must be 'failed' or 'cancelled', not '" + status + "'");
    SqliteTransaction transaction(impl_->db);
    impl_->requireRun(run_id);
    SqliteStatement update(impl_->db,
                           "UPDATE runs SET status = ?2, finished_at = ?3, error = ?4 WHERE id = ?1");
    update.bindText(1, run_id);
    update.bindText(2, status);
    update.bindText(3, nowUtc().iso);
    update.bindText(4, error);
    update.run();
    transaction.commit();
}

std::vector<RunRecord> ExperimentStore::listRuns(const std::string& kind) const {
    const std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs" +
                            (kind.empty() ? "" : " WHERE kind = ?1") + " ORDER BY created_at DESC, id DESC";
    SqliteStatement query(impl_->db, sql.c_str());
    if (!kind.empty()) query.bindText(1, kind);
    std::vector<RunRecord> runs;
    while (query.step()) runs.push_back(impl_->readRun(query));
    return runs;
}

std::optional<RunRecord> ExperimentStore::findRun(const std::string& run_id) const {
    const std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1";
    SqliteStatement query(impl_->db, sql.c_str());
    query.bindText(1, run_id);
    if (!query.step()) return std::nullopt;
    return impl_->readRun(query);
}

std::vector<EpochRow> ExperimentStore::epochs(const std::string& run_id) const {
    SqliteStatement query(impl_->db,
                          "SELECT epoch, metrics_json FROM epochs WHERE run_id = ?1 ORDER BY epoch");
    query.bindText(1, run_id);
    std::vector<EpochRow> rows;
    while (query.step()) {
        EpochRow row;
        row.epoch = static_cast<int>(query.columnInt64(0));
        row.metrics = impl_->parseJson(query, 1, "run '" + run_id + "' epoch " + std::to_string(row.epoch),
                                       "metrics_json");
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<ArtifactRow> ExperimentStore::artifacts(const std::string& run_id) const {
    // rowid keeps insertion order; a name may repeat (e.g. one checkpoint per epoch).
    SqliteStatement query(impl_->db, "SELECT name, path FROM artifacts WHERE run_id = ?1 ORDER BY rowid");
    query.bindText(1, run_id);
    std::vector<ArtifactRow> rows;
    while (query.step()) rows.push_back({query.columnText(0), query.columnText(1)});
    return rows;
}

bool ExperimentStore::importRun(const RunRecord& run, const std::vector<EpochRow>& epochs,
                                const std::vector<ArtifactRow>& artifacts) {
    if (run.id.empty() || run.kind.empty())
        throw Error(impl_->path + ": importRun: a run needs an id and a kind");
    const std::string where = "run '" + run.id + "'";
    const std::string spec_text = dumpJson(run.spec, where + " spec");
    const std::string params_text = dumpJson(run.params, where + " params");
    const std::string result_text = dumpJson(run.result, where + " result");
    SqliteTransaction transaction(impl_->db);
    if (impl_->runExists(run.id)) return false;  // the transaction rolls back: nothing written
    SqliteStatement insert(
        impl_->db,
        "INSERT INTO runs(id, kind, name, status, created_at, finished_at, data_fingerprint, spec_json, "
        "params_json, result_json, error, parent_id, resumed_from, sweep, pid, host, heartbeat_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    insert.bindText(1, run.id);
    insert.bindText(2, run.kind);
    insert.bindText(3, run.name);
    insert.bindText(4, run.status);
    insert.bindText(5, run.created_at);
    insert.bindTextOrNull(6, run.finished_at);
    insert.bindText(7, run.data_fingerprint);
    insert.bindText(8, spec_text);
    insert.bindText(9, params_text);
    insert.bindText(10, result_text);
    insert.bindTextOrNull(11, run.error);
    insert.bindTextOrNull(12, run.parent_id);
    insert.bindTextOrNull(13, run.resumed_from);
    insert.bindText(14, run.sweep);
    insert.bindInt64(15, run.pid);
    insert.bindText(16, run.host);
    insert.bindTextOrNull(17, run.heartbeat_at);
    insert.run();
    for (const EpochRow& e : epochs) {
        SqliteStatement row(impl_->db,
                            "INSERT OR REPLACE INTO epochs(run_id, epoch, metrics_json) VALUES(?1, ?2, ?3)");
        row.bindText(1, run.id);
        row.bindInt64(2, e.epoch);
        row.bindText(3, dumpJson(e.metrics, where + " epoch " + std::to_string(e.epoch)));
        row.run();
    }
    for (const ArtifactRow& a : artifacts) {
        SqliteStatement row(impl_->db, "INSERT INTO artifacts(run_id, name, path) VALUES(?1, ?2, ?3)");
        row.bindText(1, run.id);
        row.bindText(2, a.name);
        row.bindText(3, a.path);
        row.run();
    }
    transaction.commit();
    return true;
}

bool ExperimentStore::deleteRun(const std::string& run_id) {
    SqliteTransaction transaction(impl_->db);
    SqliteStatement remove(impl_->db, "DELETE FROM runs WHERE id = ?1");  // epochs/artifacts cascade
    remove.bindText(1, run_id);
    remove.run();
    const bool removed = sqlite3_changes(impl_->db) > 0;
    transaction.commit();
    return removed;
}

}  // namespace tm2::experiment
