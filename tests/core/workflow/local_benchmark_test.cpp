#include "core/workflow/local_benchmark.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>

#include "core/base/error.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/core/workflow/benchmark_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

TEST(LatencyStats, UsesNearestRankPercentiles) {
    // 10 samples 10..1 (unsorted on purpose): rank ⌈q·10⌉ → p50 = 5th = 5, p90 = 9th = 9, p99 = ⌈9.9⌉ = 10th
    // = 10.
    const LatencyStats s = latencyStats({10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
    EXPECT_EQ(s.runs, 10u);
    EXPECT_DOUBLE_EQ(s.p50, 5);
    EXPECT_DOUBLE_EQ(s.p90, 9);
    EXPECT_DOUBLE_EQ(s.p99, 10);
    EXPECT_DOUBLE_EQ(s.mean, 5.5);
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 10);
    EXPECT_EQ(latencyStats({}).runs, 0u);
}

TEST(LatencyHistogram, SplitsMinToMaxIntoEqualBinsWithMaxInTheLast) {
    // width (4 − 1) / 3 = 1: [1,2) ∋ 1, [2,3) ∋ 2, [3,4] ∋ 3, 4.
    const auto h = latencyHistogram({1, 2, 3, 4}, 3);
    ASSERT_EQ(h.size(), 3u);
    EXPECT_EQ(h[0].count, 1u);
    EXPECT_EQ(h[1].count, 1u);
    EXPECT_EQ(h[2].count, 2u);
    EXPECT_DOUBLE_EQ(h[0].lo, 1);
    EXPECT_DOUBLE_EQ(h[1].lo, 2);
    EXPECT_DOUBLE_EQ(h[2].hi, 4);
}

TEST(LatencyHistogram, OutliersBeyondTheFenceGoToOneTailBin) {
    // 198 runs of 10–11.97 µs and two of 500 µs: q1 = 10.49, q3 = 11.49 (ranks 50, 150),
    // fence 11.49 + 3 = 14.49, so the bins end at 11.97 and the outliers get a tail bin.
    std::vector<double> v;
    for (int i = 0; i < 198; ++i) v.push_back(10.0 + 0.01 * i);
    v.push_back(500), v.push_back(500);
    const auto h = latencyHistogram(v, 10);
    ASSERT_EQ(h.size(), 11u);
    EXPECT_DOUBLE_EQ(h[0].lo, 10.0);
    EXPECT_NEAR(h[9].hi, 11.97, 1e-9);
    std::size_t in_bins = 0;
    for (int i = 0; i < 10; ++i) {
        EXPECT_FALSE(h[static_cast<std::size_t>(i)].tail);
        EXPECT_GE(h[static_cast<std::size_t>(i)].count, 19u);  // ~20 each, not all in one
        in_bins += h[static_cast<std::size_t>(i)].count;
    }
    EXPECT_EQ(in_bins, 198u);
    EXPECT_TRUE(h[10].tail);
    EXPECT_EQ(h[10].count, 2u);
    EXPECT_DOUBLE_EQ(h[10].hi, 500.0);
}

TEST(LatencyHistogram, ATightClusterWithOneSlowRunKeepsItsShape) {
    // 49 runs at 27.8 µs or 27.9 µs and one at 32.3: q1 = 27.8, q3 = 27.9, fence 28.2.
    std::vector<double> v;
    for (int i = 0; i < 49; ++i) v.push_back(i % 2 == 0 ? 27.8 : 27.9);
    v.push_back(32.3);
    const auto h = latencyHistogram(v, 4);
    ASSERT_EQ(h.size(), 5u);
    EXPECT_DOUBLE_EQ(h[3].hi, 27.9);
    EXPECT_EQ(h[0].count, 25u);  // the 27.8s
    EXPECT_EQ(h[3].count, 24u);  // the 27.9s
    EXPECT_TRUE(h[4].tail);
    EXPECT_EQ(h[4].count, 1u);
    // All equal but one: the equal ones make one bin, the other the tail.
    const auto g = latencyHistogram({7, 7, 7, 7, 7, 7, 7, 100}, 5);
    ASSERT_EQ(g.size(), 2u);
    EXPECT_EQ(g[0].count, 7u);
    EXPECT_TRUE(g[1].tail);
    EXPECT_EQ(g[1].count, 1u);
}

TEST(LatencyHistogram, TheTailHoldsAtMostOneRunInTwentySoP90StaysInTheBody) {
    // Whole-µs timings: 87 runs of 34 µs, 13 of 35 µs. q1 = q3 = 34, so the fence (34)
    // alone would call 13 % of the runs slow; the tail may hold at most 5 (5 %), so
    // the bins reach the 95th run (35 µs) and there is no tail at all.
    std::vector<double> v(87, 34.0);
    v.insert(v.end(), 13, 35.0);
    const auto h = latencyHistogram(v, 4);
    ASSERT_EQ(h.size(), 4u);
    std::size_t total = 0;
    for (const auto& bin : h) {
        EXPECT_FALSE(bin.tail);
        total += bin.count;
    }
    EXPECT_EQ(total, 100u);
    EXPECT_EQ(h[0].count, 87u);
    EXPECT_EQ(h[3].count, 13u);
    EXPECT_DOUBLE_EQ(h[3].hi, 35.0);
}

TEST(LatencyHistogram, EqualSamplesMakeOneBinAndNoSamplesNone) {
    const auto h = latencyHistogram({7, 7, 7}, 5);
    ASSERT_EQ(h.size(), 1u);
    EXPECT_EQ(h[0].count, 3u);
    EXPECT_TRUE(latencyHistogram({}, 5).empty());
    EXPECT_THROW(latencyHistogram({1, 2}, 0), Error);
}

TEST(LocalBenchmark, TimesEveryRunAndReportsTheModelsMemory) {
    testing::TempDir dir;
    const std::string path = dir.file("tiny.tmn");
    runtime::writeModel(path, runtime::fixtures::tinyModel());
    LocalBenchmarkOptions o;
    o.model = path;
    o.runs = 40;
    o.warmup = 3;
    o.histogram_bins = 8;
    std::size_t last_done = 0, last_total = 0;
    const LocalBenchmark b = runLocalBenchmark(o, [&](const Progress& p) {
        last_done = p.done;
        last_total = p.total;
        return true;
    });
    EXPECT_EQ(b.network_us.size(), 40u);
    EXPECT_EQ(b.network.runs, 40u);
    EXPECT_GT(b.network.p50, 0.0);
    EXPECT_LE(b.network.p50, b.network.p90);
    EXPECT_LE(b.network.p90, b.network.p99);
    std::size_t binned = 0;
    for (const auto& bin : b.histogram) binned += bin.count;
    EXPECT_EQ(binned, 40u);
    EXPECT_EQ(last_done, 43u);
    EXPECT_EQ(last_total, 43u);
    EXPECT_EQ(b.file_bytes, std::filesystem::file_size(path));
    EXPECT_GT(b.arena_bytes, 0u);
    // In memory: 18 int4 conv weights packed in 9 bytes + 24 int8 fc weights + 4 bytes per
    // bias (5), multiplier (5), shift (5) and output scale (3): 9 + 24 + 72 = 105.
    EXPECT_EQ(b.weight_bytes, 105u);
    EXPECT_EQ(b.macs, 312u);
    EXPECT_EQ(b.ops, 4u);
    // The hand-made model carries no normalization settings, so no front-end to time.
    EXPECT_FALSE(b.frontend.has_value());
    EXPECT_NE(b.frontend_note.find("not measured"), std::string::npos) << b.frontend_note;

    const auto j = localBenchmarkToJson(b, o);
    EXPECT_EQ(j["samples_us"].size(), 40u);
    EXPECT_DOUBLE_EQ(j["network"]["p50_us"].get<double>(), b.network.p50);
    EXPECT_TRUE(j["frontend"].is_null());
    EXPECT_EQ(j["macs"].get<std::uint64_t>(), 312u);
}

TEST(LocalBenchmark, TimesTheFrontEndOnTheDatasetsFirstTestRecordingThroughTheSharedLoop) {
    testing::TempDir dir;
    LocalBenchmarkOptions o;
    o.model = fixtures::writeAudioModel(dir);
    o.dataset = fixtures::writeSpeakerDataset(dir);
    o.runs = 30;
    o.warmup = 1;
    std::size_t front_end_total = 0;
    const LocalBenchmark b = runLocalBenchmark(o, [&](const Progress& p) {
        if (p.stage == std::string("front-end")) front_end_total = p.total;
        return true;
    });
    ASSERT_TRUE(b.frontend.has_value()) << b.frontend_note;
    fixtures::expectOrdered(*b.frontend, "front-end");
    EXPECT_EQ(b.frontend->runs, 30u);  // min(runs, 50)
    // runtime::timeAudioPath's three loops (front-end, network, both) of 1 + 30 passes.
    EXPECT_EQ(front_end_total, 3u * 31u);
    EXPECT_NE(b.frontend_source.find("s3_0"), std::string::npos) << b.frontend_source;
    EXPECT_NE(b.frontend_note.find("first test-split sample 's3_0'"), std::string::npos) << b.frontend_note;
    EXPECT_EQ(b.frontend_note.find("tone"), std::string::npos) << b.frontend_note;
    EXPECT_EQ(localBenchmarkToJson(b, o)["frontend_audio"], b.frontend_source);
}

TEST(LocalBenchmark, WithoutADatasetTimesTheFrontEndOnAToneAndSaysWhy) {
    testing::TempDir dir;
    LocalBenchmarkOptions o;
    o.model = fixtures::writeAudioModel(dir);
    o.runs = 5;
    o.warmup = 1;
    const LocalBenchmark b = runLocalBenchmark(o);
    ASSERT_TRUE(b.frontend.has_value()) << b.frontend_note;
    EXPECT_EQ(b.frontend->runs, 5u);
    EXPECT_NE(b.frontend_note.find("synthetic 440 Hz tone"), std::string::npos) << b.frontend_note;
    EXPECT_NE(b.frontend_note.find("no dataset open"), std::string::npos) << b.frontend_note;
}

TEST(LocalBenchmark, RejectsBadRunsAndNamesAMissingFile) {
    LocalBenchmarkOptions o;
    o.model = "/nonexistent/model.tmn";
    try {
        runLocalBenchmark(o);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/model.tmn"), std::string::npos) << e.what();
    }
    o.runs = 0;
    EXPECT_THROW(runLocalBenchmark(o), Error);
}

TEST(LocalBenchmark, StopsWhenProgressAsksTo) {
    testing::TempDir dir;
    runtime::writeModel(dir.file("tiny.tmn"), runtime::fixtures::tinyModel());
    LocalBenchmarkOptions o;
    o.model = dir.file("tiny.tmn");
    o.runs = 1000;
    EXPECT_THROW(runLocalBenchmark(o, [](const Progress&) { return false; }), Cancelled);
}

}  // namespace
}  // namespace tm2::workflow
