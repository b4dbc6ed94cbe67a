#include "core/workflow/run_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> ids(const std::vector<experiment::RunRecord>& runs) {
    std::vector<std::string> out;
    for (const auto& r : runs) out.push_back(r.id);
    return out;
}

// A workspace with a trained folder, a quantize run of it and an unrelated run.
struct Workspace {
    testing::TempDir dir;
    experiment::ExperimentStore store{dir.file("ws")};
    std::string folder = dir.file("runs/demo-run");
    std::string train, quantize, other;

    // created_at has millisecond resolution; newest-first order needs distinct times.
    static void pause() { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }

    Workspace() {
        testing::writeTextFile(folder + "/run.json", R"({"train": {"seed": 7}, "data_fingerprint": "f00d"})");
        testing::writeTextFile(folder + "/spec.json", R"({"num_classes": 2})");
        testing::writeTextFile(folder + "/quant-mp.json", R"({"bits": {"fc": 4}, "ilp_problem": {}})");
        testing::writeTextFile(folder + "/checkpoints/best.pt", "weights");
        testing::writeTextFile(dir.file("elsewhere/plan-int8.json"), R"({"bits": {"fc": 8}})");
        train = store.createRun("train", "demo-run", nullptr,
                                {{"data", dir.file("data/demo")}, {"out", folder}, {"train", {{"seed", 7}}}},
                                "f00d1234");
        store.finishRun(train, {{"test", {{"accuracy", 0.75}}}});
        pause();
        quantize = store.createRun("quantize", "mp", nullptr, {{"run", folder}, {"mode", "mp"}}, "f00d1234");
        store.addArtifact(quantize, "plan", folder + "/quant-mp.json");
        store.addArtifact(quantize, "plan", dir.file("elsewhere/plan-int8.json"));
        store.finishRun(quantize, {{"accuracy", 0.7}});
        pause();
        other = store.createRun("train", "other", nullptr, {{"data", dir.file("data/speech")}}, "beef");
        store.failRun(other, "failed", "boom");
    }
};

TEST(RunCatalog, ListFiltersByKindStatusDatasetAndSweep) {
    Workspace w;
    EXPECT_EQ(listRuns(w.store, {}).size(), 3u);
    EXPECT_THAT(ids(listRuns(w.store, {"quantize", "", "", ""})), ElementsAre(w.quantize));
    EXPECT_THAT(ids(listRuns(w.store, {"", "failed", "", ""})), ElementsAre(w.other));
    EXPECT_THAT(ids(listRuns(w.store, {"train", "", w.dir.file("data/demo"), ""})), ElementsAre(w.train));
    EXPECT_THAT(ids(listRuns(w.store, {"train", "", "speech", ""})),
                ElementsAre(w.other));  // the folder's name
    EXPECT_THAT(ids(listRuns(w.store, {"", "", "f00d", ""})),
                ElementsAre(w.quantize, w.train));  // fingerprint
    EXPECT_TRUE(listRuns(w.store, {"", "", "", "sweep-1"}).empty());
}

TEST(RunCatalog, AnUnknownStatusFilterNamesTheKnownOnes) {
    Workspace w;
    try {
        listRuns(w.store, {"", "done", "", ""});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("'done'"));
        EXPECT_THAT(e.what(), HasSubstr("interrupted"));
    }
}

TEST(RunCatalog, AnUnknownRunIdIsAnErrorNamingItAndTheStore) {
    Workspace w;
    try {
        reportedRun(w.store, "20000101-000000-train-beef");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("20000101-000000-train-beef"));
        EXPECT_THAT(e.what(), HasSubstr(w.store.path()));
    }
}

TEST(RunCatalog, ATrainedFoldersQuantizeRunsAreRelatedToIt) {
    Workspace w;
    EXPECT_THAT(ids(relatedRuns(w.store, reportedRun(w.store, w.train))), ElementsAre(w.quantize));
    EXPECT_THAT(ids(relatedRuns(w.store, reportedRun(w.store, w.quantize))), ElementsAre(w.train));
}

TEST(RunCatalog, ExportWritesTheRecordTheFoldersJsonAndOutsidePlansButNoWeights) {
    Workspace w;
    const RunExport e = exportRun(w.store, w.train, w.dir.file("export"));
    const auto path = [&](const std::string& f) { return w.dir.file("export/" + f); };
    EXPECT_EQ(testing::readFileBytes(path("folder/run.json")),
              testing::readFileBytes(w.folder + "/run.json"));
    EXPECT_EQ(testing::readFileBytes(path("folder/quant-mp.json")),
              testing::readFileBytes(w.folder + "/quant-mp.json"));
    EXPECT_TRUE(std::filesystem::exists(path("folder/spec.json")));
    EXPECT_TRUE(std::filesystem::exists(path("plans/" + w.quantize + "-plan-int8.json")));
    EXPECT_FALSE(std::filesystem::exists(path("folder/best.pt")));
    EXPECT_FALSE(std::filesystem::exists(path("checkpoints")));

    const json record = json::parse(testing::readFileBytes(path("record.json")));
    ASSERT_EQ(record["runs"].size(), 2u);  // the run and its quantize run
    EXPECT_EQ(record["runs"][0]["id"], w.train);
    EXPECT_EQ(record["runs"][1]["id"], w.quantize);
    const json summary = json::parse(testing::readFileBytes(path("export.json")));
    EXPECT_EQ(summary["seed"], 7);
    EXPECT_EQ(summary["data_fingerprint"], "f00d1234");
    EXPECT_EQ(summary["files"].size(), e.files.size());
    EXPECT_TRUE(e.missing.empty());
}

TEST(RunCatalog, ExportRefusesAFolderThatIsNotEmpty) {
    Workspace w;
    testing::writeTextFile(w.dir.file("export/keep.txt"), "mine");
    EXPECT_THROW(exportRun(w.store, w.train, w.dir.file("export")), Error);
    EXPECT_EQ(testing::readFileBytes(w.dir.file("export/keep.txt")), "mine");
}

TEST(RunCatalog, ExportNamesFilesThatNoLongerExist) {
    Workspace w;
    std::filesystem::remove(w.dir.file("elsewhere/plan-int8.json"));
    const RunExport e = exportRun(w.store, w.quantize, w.dir.file("export"));
    EXPECT_THAT(e.missing, ElementsAre(w.dir.file("elsewhere/plan-int8.json")));
}

TEST(RunCatalog, TrainedRunsAreTheFinishedFoldersWithANetworkOfThatDatasetNewestFirst) {
    Workspace w;
    // A newer comparison of the same dataset (its fused network in checkpoints/multimodal/).
    const std::string compared = w.dir.file("runs/compare-1");
    testing::writeTextFile(compared + "/run.json", R"({"dataset": {"path": "x"}})");
    testing::writeTextFile(compared + "/checkpoints/multimodal/best.pt", "weights");
    Workspace::pause();
    const std::string compare = w.store.createRun(
        "compare", "compare-1", nullptr, {{"data", w.dir.file("data/demo") + "/"}, {"out", compared}}, "f00d1234");
    w.store.finishRun(compare, {{"multimodal", {{"test", {{"accuracy", 0.8}}}}}});
    // Not offered: a run whose weights are gone, one still running, one of another dataset
    // folder that only shares its last name ("demo").
    const std::string gone = w.dir.file("runs/gone");
    testing::writeTextFile(gone + "/run.json", "{}");
    Workspace::pause();
    w.store.finishRun(w.store.createRun("train", "gone", nullptr, {{"data", w.dir.file("data/demo")}, {"out", gone}}, ""),
                      {});
    Workspace::pause();
    w.store.createRun("train", "running", nullptr, {{"data", w.dir.file("data/demo")}, {"out", w.folder}}, "");
    Workspace::pause();
    w.store.finishRun(
        w.store.createRun("train", "namesake", nullptr, {{"data", w.dir.file("other/demo")}, {"out", w.folder}}, ""), {});

    const auto runs = trainedRuns(w.store, w.dir.file("data/demo"));
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].record.id, compare);
    EXPECT_EQ(runs[0].folder, compared);
    EXPECT_EQ(runs[1].record.id, w.train);
    ASSERT_TRUE(runs[1].metric.has_value());
    EXPECT_DOUBLE_EQ(runs[1].metric->value, 0.75);
    EXPECT_EQ(trainedRuns(w.store, "").size(), 3u);  // the namesake's dataset too
}

TEST(RunCatalog, ARunFoldersDatasetIsReadFromItsRunJson) {
    testing::TempDir dir;
    testing::writeTextFile(dir.file("run/run.json"), R"({"dataset": {"path": ")" + dir.file("data/demo/") + R"("}})");
    EXPECT_EQ(runDatasetFolder(dir.file("run")), dir.file("data/demo"));
    EXPECT_TRUE(sameFolder(runDatasetFolder(dir.file("run")), dir.file("data/./demo")));
    testing::writeTextFile(dir.file("broken/run.json"), "{not json");
    EXPECT_EQ(runDatasetFolder(dir.file("broken")), "");
    EXPECT_EQ(runDatasetFolder(dir.file("missing")), "");
}

}  // namespace
}  // namespace tm2::workflow
