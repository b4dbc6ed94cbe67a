#include "core/experiment/experiment_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <thread>

#include "core/base/error.h"
#include "core/experiment/experiment_schema.h"
#include "core/experiment/process_identity.h"
#include "tests/support/temp_dir.h"

namespace tm2::experiment {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Edits the file behind the store's back, as another tool (or a newer build) would.
void execRaw(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << text;
}

std::string errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const tm2::Error& e) {
        return e.what();
    }
    return "<no tm2::Error thrown>";
}

const json kSpec = {
    {"branches", json::array({{{"name", "audio"}, {"layers", json::array({{{"type", "conv2d"}}})}}})},
    {"classes", 2}};
const json kParams = {{"lr", 0.001}, {"epochs", 3}, {"seed", 42}};

TEST(ExperimentStoreTest, CreatesTheDatabaseInsideANewWorkspaceFolder) {
    testing::TempDir dir;
    ExperimentStore store(dir.file("nested/workspace"));
    EXPECT_EQ(store.path(), dir.file("nested/workspace/experiments.sqlite"));
    EXPECT_TRUE(std::filesystem::exists(store.path()));
    EXPECT_TRUE(store.listRuns().empty());
}

TEST(ExperimentStoreTest, RoundTripsARunThroughCreateFindAndFinish) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string id = store.createRun("train", "baseline", kSpec, kParams, "sha256:abc", "parent-1");

    // "YYYYMMDD-HHMMSS-<kind>-<4 hex>" as documented in the header.
    EXPECT_TRUE(std::regex_match(id, std::regex(R"(\d{8}-\d{6}-train-[0-9a-f]{4})"))) << id;
    auto run = store.findRun(id);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->id, id);
    EXPECT_EQ(run->kind, "train");
    EXPECT_EQ(run->name, "baseline");
    EXPECT_EQ(run->status, "running");
    EXPECT_TRUE(
        std::regex_match(run->created_at, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)")))
        << run->created_at;
    // The id's timestamp is the compact form of created_at.
    EXPECT_EQ(id.substr(0, 8),
              run->created_at.substr(0, 4) + run->created_at.substr(5, 2) + run->created_at.substr(8, 2));
    EXPECT_EQ(run->finished_at, "");
    EXPECT_EQ(run->data_fingerprint, "sha256:abc");
    EXPECT_EQ(run->spec, kSpec);
    EXPECT_EQ(run->params, kParams);
    EXPECT_TRUE(run->result.is_null());
    EXPECT_EQ(run->error, "");
    EXPECT_EQ(run->parent_id, "parent-1");

    const json result = {{"accuracy", 0.904}, {"confusion", {{10, 1}, {2, 9}}}};
    store.finishRun(id, result);
    run = store.findRun(id);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->status, "finished");
    EXPECT_EQ(run->result, result);
    EXPECT_THAT(run->finished_at, ::testing::EndsWith("Z"));
    EXPECT_GE(run->finished_at, run->created_at);
}

TEST(ExperimentStoreTest, FailAndCancelRecordStatusAndMessage) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string failed = store.createRun("train", "", nullptr, json::object(), "");
    const std::string cancelled = store.createRun("train", "", nullptr, json::object(), "");
    store.failRun(failed, "failed", "loss became NaN at epoch 3");
    store.failRun(cancelled, "cancelled", "");

    const auto a = store.findRun(failed);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->status, "failed");
    EXPECT_EQ(a->error, "loss became NaN at epoch 3");
    EXPECT_FALSE(a->finished_at.empty());
    EXPECT_TRUE(a->spec.is_null());
    EXPECT_EQ(a->params, json::object());
    EXPECT_EQ(store.findRun(cancelled)->status, "cancelled");

    EXPECT_THAT(errorOf([&] { store.failRun(failed, "finished", "x"); }), HasSubstr("'finished'"));
}

TEST(ExperimentStoreTest, FindRunReturnsNothingForAnUnknownId) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    EXPECT_FALSE(store.findRun("20000101-000000-train-0000").has_value());
}

TEST(ExperimentStoreTest, WritesToAnUnknownRunNameTheId) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string ghost = "20000101-000000-train-dead";
    EXPECT_THAT(errorOf([&] { store.appendEpoch(ghost, 1, {{"loss", 1.0}}); }), HasSubstr(ghost));
    EXPECT_THAT(errorOf([&] { store.finishRun(ghost, {{"accuracy", 1.0}}); }), HasSubstr(ghost));
    EXPECT_THAT(errorOf([&] { store.failRun(ghost, "failed", "boom"); }), HasSubstr(ghost));
    EXPECT_THAT(errorOf([&] { store.addArtifact(ghost, "checkpoint", "/tmp/x.pt"); }), HasSubstr(ghost));
    EXPECT_TRUE(store.epochs(ghost).empty());
    EXPECT_TRUE(store.artifacts(ghost).empty());
}

TEST(ExperimentStoreTest, AppendEpochReplacesTheSameEpochAndKeepsOrder) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string id = store.createRun("train", "", kSpec, kParams, "");
    store.appendEpoch(id, 2, {{"loss", 0.5}});
    store.appendEpoch(id, 1, {{"loss", 0.9}});
    store.appendEpoch(id, 2, {{"loss", 0.4}, {"val_accuracy", 0.8}});  // a resumed epoch overwrites

    const auto rows = store.epochs(id);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].epoch, 1);
    EXPECT_EQ(rows[0].metrics, json({{"loss", 0.9}}));
    EXPECT_EQ(rows[1].epoch, 2);
    EXPECT_EQ(rows[1].metrics, json({{"loss", 0.4}, {"val_accuracy", 0.8}}));
}

TEST(ExperimentStoreTest, ArtifactsAreKeptPerRunInInsertionOrder) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string a = store.createRun("train", "", kSpec, kParams, "");
    const std::string b = store.createRun("train", "", kSpec, kParams, "");
    store.addArtifact(a, "spec", "/w/runs/a/spec.json");
    store.addArtifact(a, "checkpoint", "/w/runs/a/model.pt");
    store.addArtifact(b, "plan", "/w/runs/b/plan.json");

    const auto rows = store.artifacts(a);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].name, "spec");
    EXPECT_EQ(rows[0].path, "/w/runs/a/spec.json");
    EXPECT_EQ(rows[1].name, "checkpoint");
    EXPECT_EQ(rows[1].path, "/w/runs/a/model.pt");
    ASSERT_EQ(store.artifacts(b).size(), 1u);
    EXPECT_EQ(store.artifacts(b)[0].name, "plan");
}

TEST(ExperimentStoreTest, DeleteRunCascadesToEpochsAndArtifacts) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string gone = store.createRun("train", "", kSpec, kParams, "");
    const std::string kept = store.createRun("train", "", kSpec, kParams, "");
    store.appendEpoch(gone, 1, {{"loss", 1.0}});
    store.addArtifact(gone, "checkpoint", "/w/c.pt");
    store.appendEpoch(kept, 1, {{"loss", 2.0}});

    EXPECT_TRUE(store.deleteRun(gone));
    EXPECT_FALSE(store.findRun(gone).has_value());
    EXPECT_TRUE(store.epochs(gone).empty());
    EXPECT_TRUE(store.artifacts(gone).empty());
    EXPECT_EQ(store.epochs(kept).size(), 1u);

    EXPECT_FALSE(store.deleteRun(gone));
    EXPECT_FALSE(store.deleteRun("no-such-run"));

    // The cascade really happened in the file, not only in what the API shows.
    ExperimentStore second(dir.path().string());
    EXPECT_TRUE(second.epochs(gone).empty());
    EXPECT_EQ(second.listRuns().size(), 1u);
}

TEST(ExperimentStoreTest, ListRunsIsNewestFirstAndFiltersByKind) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string first = store.createRun("train", "1", nullptr, nullptr, "");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // created_at has millisecond resolution
    const std::string second = store.createRun("compare", "2", nullptr, nullptr, "");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string third = store.createRun("train", "3", nullptr, nullptr, "");

    const auto all = store.listRuns();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, third);
    EXPECT_EQ(all[1].id, second);
    EXPECT_EQ(all[2].id, first);

    const auto train = store.listRuns("train");
    ASSERT_EQ(train.size(), 2u);
    EXPECT_EQ(train[0].id, third);
    EXPECT_EQ(train[1].id, first);
    EXPECT_TRUE(store.listRuns("quantize").empty());
}

TEST(ExperimentStoreTest, ASecondStoreOnTheSameWorkspaceSeesTheRuns) {
    testing::TempDir dir;
    std::string id;
    {
        ExperimentStore writer(dir.path().string());
        id = writer.createRun("train", "persisted", kSpec, kParams, "fp");
        writer.appendEpoch(id, 1, {{"loss", 0.7}});
        writer.finishRun(id, {{"accuracy", 0.9}});
    }
    ExperimentStore reader(dir.path().string());
    const auto run = reader.findRun(id);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->name, "persisted");
    EXPECT_EQ(run->status, "finished");
    EXPECT_EQ(run->result, json({{"accuracy", 0.9}}));
    ASSERT_EQ(reader.epochs(id).size(), 1u);
}

TEST(ExperimentStoreTest, TwoOpenStoresSeeEachOthersWrites) {
    // The GUI keeps its store open while the CLI writes through another one.
    testing::TempDir dir;
    ExperimentStore gui(dir.path().string());
    ExperimentStore cli(dir.path().string());
    const std::string id = cli.createRun("train", "from cli", kSpec, kParams, "");
    ASSERT_TRUE(gui.findRun(id).has_value());
    gui.appendEpoch(id, 1, {{"loss", 0.3}});
    EXPECT_EQ(cli.epochs(id).size(), 1u);
}

TEST(ExperimentStoreTest, RejectsAGarbageFileAndLeavesItUntouched) {
    testing::TempDir dir;
    const std::string file = dir.file("experiments.sqlite");
    std::string garbage = "this is not a database, just some notes\n";
    for (int i = 0; i < 2000; ++i) garbage += static_cast<char>((i * 37 + 11) & 0xff);
    testing::writeTextFile(file, garbage);

    const std::string message = errorOf([&] { ExperimentStore store(dir.path().string()); });
    EXPECT_THAT(message, HasSubstr(file));
    EXPECT_THAT(message, HasSubstr("not a TinyM2Net experiment store"));
    EXPECT_EQ(testing::readFileBytes(file), garbage);
}

TEST(ExperimentStoreTest, RejectsAnotherApplicationsSqliteFileAndLeavesItUntouched) {
    testing::TempDir dir;
    const std::string file = dir.file("experiments.sqlite");
    execRaw(file,
            "PRAGMA application_id = 1234; CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES('hi');");
    const std::string before = testing::readFileBytes(file);

    const std::string message = errorOf([&] { ExperimentStore store(dir.path().string()); });
    EXPECT_THAT(message, HasSubstr(file));
    EXPECT_THAT(message, HasSubstr("not a TinyM2Net experiment store"));
    EXPECT_EQ(testing::readFileBytes(file), before);  // journal mode not switched to WAL, no tables added
}

TEST(ExperimentStoreTest, RejectsAStoreMadeByANewerVersion) {
    testing::TempDir dir;
    { ExperimentStore store(dir.path().string()); }
    execRaw(dir.file("experiments.sqlite"),
            "PRAGMA user_version = " + std::to_string(kExperimentSchemaVersion + 1));

    const std::string message = errorOf([&] { ExperimentStore store(dir.path().string()); });
    EXPECT_THAT(message, HasSubstr(dir.file("experiments.sqlite")));
    EXPECT_THAT(message, HasSubstr("made by a newer version"));
}

TEST(ExperimentStoreTest, ACorruptJsonCellNamesTheRunAndColumn) {
    testing::TempDir dir;
    std::string id;
    {
        ExperimentStore store(dir.path().string());
        id = store.createRun("train", "", kSpec, kParams, "");
        store.appendEpoch(id, 4, {{"loss", 1.0}});
    }
    execRaw(dir.file("experiments.sqlite"),
            "UPDATE runs SET params_json = '{\"lr\": 0.1,' WHERE id = '" + id +
                "';"
                "UPDATE epochs SET metrics_json = 'not json' WHERE epoch = 4;");

    ExperimentStore store(dir.path().string());
    const std::string run_error = errorOf([&] { store.findRun(id); });
    EXPECT_THAT(run_error, HasSubstr(id));
    EXPECT_THAT(run_error, HasSubstr("params_json"));
    EXPECT_THAT(errorOf([&] { store.listRuns(); }), HasSubstr("params_json"));
    const std::string epoch_error = errorOf([&] { store.epochs(id); });
    EXPECT_THAT(epoch_error, HasSubstr(id));
    EXPECT_THAT(epoch_error, HasSubstr("metrics_json"));
}

TEST(ExperimentStoreTest, IdsStayUniqueAcrossManyQuickCreates) {
    // 50 runs in the same second share the timestamp; only the 4 hex digits differ,
    // and a birthday collision (~2% for 50 of 65536) must be retried, not stored twice.
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    std::set<std::string> ids;
    for (int i = 0; i < 50; ++i)
        ids.insert(store.createRun("train", std::to_string(i), nullptr, nullptr, ""));
    EXPECT_EQ(ids.size(), 50u);
    EXPECT_EQ(store.listRuns().size(), 50u);
}

TEST(ExperimentStoreTest, StoresInjectionLookingTextVerbatim) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string evil = "x'); DROP TABLE runs;--";
    const std::string id =
        store.createRun("train", evil, {{"note", evil}}, nullptr, "\"; DELETE FROM epochs; --");
    store.appendEpoch(id, 1, {{evil, 1}});
    store.addArtifact(id, evil, "/w/" + evil);
    store.failRun(id, "failed", evil);

    const auto run = store.findRun(id);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->name, evil);
    EXPECT_EQ(run->error, evil);
    EXPECT_EQ(run->data_fingerprint, "\"; DELETE FROM epochs; --");
    EXPECT_EQ(run->spec, json({{"note", evil}}));
    EXPECT_EQ(store.epochs(id).at(0).metrics, json({{evil, 1}}));
    EXPECT_EQ(store.artifacts(id).at(0).name, evil);
    EXPECT_EQ(store.listRuns().size(), 1u);
}

TEST(ExperimentStoreTest, AKindWithOddCharactersStillGivesAFileSafeId) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string id = store.createRun("quant/int4 sweep", "", nullptr, nullptr, "");
    EXPECT_TRUE(std::regex_match(id, std::regex(R"(\d{8}-\d{6}-quant_int4_sweep-[0-9a-f]{4})"))) << id;
    EXPECT_EQ(store.findRun(id)->kind, "quant/int4 sweep");
    EXPECT_THAT(errorOf([&] { store.createRun("", "", nullptr, nullptr, ""); }), HasSubstr("kind"));
}

}  // namespace
}  // namespace tm2::experiment

namespace tm2::experiment {
namespace {

// The pid of a process that has exited and been reaped: certainly not alive.
std::int64_t deadPid() {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    int status = 0;
    waitpid(child, &status, 0);
    return child;
}

std::string sql(const std::string& id, const std::string& set) {
    return "UPDATE runs SET " + set + " WHERE id = '" + id + "'";
}

TEST(ExperimentStoreTest, ARunRecordsTheProcessThatRunsItAndAHeartbeat) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string id = store.createRun("train", "", nullptr, nullptr, "");
    const auto run = store.findRun(id);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->pid, currentProcess().pid);
    EXPECT_EQ(run->host, currentProcess().host);
    EXPECT_EQ(run->heartbeat_at, run->created_at);

    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // millisecond timestamps
    store.appendEpoch(id, 1, {{"loss", 1.0}});
    EXPECT_GT(store.findRun(id)->heartbeat_at, run->heartbeat_at);
}

TEST(ExperimentStoreTest, ARunWhoseProcessDiedIsInterruptedWhenTheStoreIsOpenedAgain) {
    testing::TempDir dir;
    std::string dead, alive, finished;
    {
        ExperimentStore store(dir.path().string());
        dead = store.createRun("train", "killed", nullptr, nullptr, "");
        store.appendEpoch(dead, 1, {{"loss", 0.9}});
        alive = store.createRun("train", "this process", nullptr, nullptr, "");
        finished = store.createRun("train", "done", nullptr, nullptr, "");
    }
    const std::int64_t pid = deadPid();
    execRaw(dir.file("experiments.sqlite"), sql(dead, "pid = " + std::to_string(pid)));
    execRaw(dir.file("experiments.sqlite"), sql(finished, "status = 'finished', pid = " + std::to_string(pid)));

    ExperimentStore store(dir.path().string());
    const auto run = store.findRun(dead);
    EXPECT_EQ(run->status, "interrupted");
    EXPECT_THAT(run->error, HasSubstr("pid " + std::to_string(pid)));
    EXPECT_FALSE(run->finished_at.empty());
    EXPECT_EQ(store.epochs(dead).size(), 1u);  // the epochs it finished stay
    EXPECT_EQ(store.findRun(alive)->status, "running");
    EXPECT_EQ(store.findRun(finished)->status, "finished");
}

TEST(ExperimentStoreTest, APidReusedByAnotherProcessDoesNotKeepARunAlive) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string id = store.createRun("train", "", nullptr, nullptr, "");
    if (currentProcess().start_ticks == 0) GTEST_SKIP() << "no /proc start times on this system";
    // Our pid, but a start time that is not ours: the recorded process is gone.
    execRaw(store.path(), sql(id, "pid_start = pid_start + 1"));
    EXPECT_EQ(store.markAbandonedRuns(), 1);
    EXPECT_EQ(store.findRun(id)->status, "interrupted");
}

TEST(ExperimentStoreTest, ARunOnAnotherHostIsInterruptedOnlyWhenItsHeartbeatIsStale) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string fresh = store.createRun("train", "", nullptr, nullptr, "");
    const std::string stale = store.createRun("train", "", nullptr, nullptr, "");
    execRaw(store.path(), sql(fresh, "host = 'elsewhere.example'"));
    // 2000-01-01 is older than any kStaleHeartbeat from now.
    execRaw(store.path(), sql(stale, "host = 'elsewhere.example', heartbeat_at = '2000-01-01T00:00:00.000Z'"));

    EXPECT_EQ(store.markAbandonedRuns(), 1);
    EXPECT_EQ(store.findRun(fresh)->status, "running");
    EXPECT_EQ(store.findRun(stale)->status, "interrupted");
    EXPECT_THAT(store.findRun(stale)->error, HasSubstr("2000-01-01T00:00:00.000Z"));
}

TEST(ExperimentStoreTest, AResumedRunLinksToTheRunItContinues) {
    testing::TempDir dir;
    ExperimentStore store(dir.path().string());
    const std::string first = store.createRun("train", "", nullptr, nullptr, "");
    const std::string second = store.createRun("train", "", nullptr, nullptr, "");
    store.setResumedFrom(second, first);
    EXPECT_EQ(store.findRun(second)->resumed_from, first);
    EXPECT_EQ(store.findRun(first)->resumed_from, "");
    EXPECT_THAT(errorOf([&] { store.setResumedFrom(second, "no-such-run"); }), HasSubstr("no-such-run"));
}

// The schema as version 1 wrote it: stores made before pids, heartbeats and links.
constexpr const char* kVersion1Store = R"sql(
PRAGMA application_id = 1414345294;
CREATE TABLE runs(id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,
    created_at TEXT NOT NULL, finished_at TEXT, data_fingerprint TEXT NOT NULL DEFAULT '', spec_json TEXT,
    params_json TEXT, result_json TEXT, error TEXT, parent_id TEXT);
CREATE INDEX runs_by_created ON runs(created_at, id);
CREATE INDEX runs_by_kind ON runs(kind, created_at, id);
CREATE INDEX runs_by_parent ON runs(parent_id);
CREATE TABLE epochs(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, epoch INTEGER NOT NULL,
    metrics_json TEXT NOT NULL, PRIMARY KEY(run_id, epoch));
CREATE TABLE artifacts(run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, name TEXT NOT NULL,
    path TEXT NOT NULL);
CREATE INDEX artifacts_by_run ON artifacts(run_id);
INSERT INTO runs(id, kind, status, created_at, result_json) VALUES
    ('20250101-000000-train-0001', 'train', 'finished', '2025-01-01T00:00:00.000Z', '{"accuracy": 0.9}'),
    ('20250101-000000-train-0002', 'train', 'running', '2025-01-01T00:00:00.000Z', NULL);
INSERT INTO epochs VALUES('20250101-000000-train-0002', 1, '{"loss": 0.5}');
PRAGMA user_version = 1;
)sql";

TEST(ExperimentStoreTest, AVersion1StoreIsMigratedAndItsForgottenRunsAreInterrupted) {
    static_assert(kExperimentApplicationId == 1414345294, "the fixture above spells the id in decimal");
    testing::TempDir dir;
    execRaw(dir.file("experiments.sqlite"), kVersion1Store);

    ExperimentStore store(dir.path().string());
    const auto runs = store.listRuns();
    ASSERT_EQ(runs.size(), 2u);
    const auto finished = store.findRun("20250101-000000-train-0001");
    EXPECT_EQ(finished->status, "finished");
    EXPECT_EQ(finished->result, json({{"accuracy", 0.9}}));
    // Left "running" by a version that recorded no pid, and silent since 2025: interrupted.
    const auto forgotten = store.findRun("20250101-000000-train-0002");
    EXPECT_EQ(forgotten->status, "interrupted");
    EXPECT_EQ(store.epochs(forgotten->id).size(), 1u);
    // New runs use the new columns in the migrated file.
    const std::string id = store.createRun("train", "", nullptr, nullptr, "");
    store.setResumedFrom(id, forgotten->id);
    EXPECT_EQ(store.findRun(id)->resumed_from, forgotten->id);

    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(store.path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(stmt, 0), kExperimentSchemaVersion);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

}  // namespace
}  // namespace tm2::experiment
