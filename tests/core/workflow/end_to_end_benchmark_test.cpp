#include "core/workflow/end_to_end_benchmark.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/base/error.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/core/workflow/benchmark_fixtures.h"

namespace tm2::workflow {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::TempDir;

using fixtures::expectOrdered;
using fixtures::writeAudioModel;

TEST(EndToEndBenchmark, TimesFrontEndNetworkAndBothTogetherOnAChosenRecording) {
    TempDir dir;
    EndToEndBenchmarkOptions o;
    o.model = writeAudioModel(dir);
    o.audio = dir.file("tone.wav");
    testing::writeToneWav(o.audio, 440.0, 1.0, 16000);
    o.runs = 40;
    o.warmup = 2;
    std::size_t last_done = 0, last_total = 0;
    const EndToEndBenchmark b = runEndToEndBenchmark(o, [&](const Progress& p) {
        last_done = p.done;
        last_total = p.total;
        return true;
    });
    ASSERT_TRUE(b.has_frontend) << b.note;
    expectOrdered(b.timing.frontend, "front-end");
    expectOrdered(b.timing.network, "network");
    expectOrdered(b.timing.end_to_end, "end-to-end");
    EXPECT_EQ(b.timing.end_to_end.runs, 40u);
    // Every end-to-end pass runs a whole front-end pass, so its median is at least the
    // front-end's fastest run (comparing the two medians would race the machine's noise).
    EXPECT_GE(b.timing.end_to_end.p50, b.timing.frontend.min);
    // Three loops of 2 + 40 passes each; the last one reported.
    EXPECT_EQ(last_total, 3u * 42u);
    EXPECT_EQ(last_done, last_total);
    EXPECT_EQ(b.timing.audio_samples, 16000u);
    EXPECT_FALSE(b.timing.mfcc_kernel.empty());
    EXPECT_THAT(b.note, HasSubstr("tone.wav"));

    const nlohmann::json j = toJson(b);
    for (const char* part : {"frontend", "network", "end_to_end"})
        EXPECT_GT(j[part]["p50_us"].get<double>(), 0.0) << part;
    EXPECT_EQ(j["threads"], 1);
    EXPECT_EQ(j["runs"], 40);
    EXPECT_EQ(j["warmup"], 2);
    EXPECT_EQ(j["inputs"][0]["shape"], nlohmann::json({1, 13, 101}));
}

TEST(EndToEndBenchmark, ABadRecordingIsAnErrorNamingTheFile) {
    TempDir dir;
    EndToEndBenchmarkOptions o;
    o.model = writeAudioModel(dir);
    o.runs = 3;
    o.audio = dir.file("broken.wav");
    testing::writeTextFile(o.audio, "not a RIFF file at all");
    try {
        runEndToEndBenchmark(o);
        FAIL() << "a broken wav was timed";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("broken.wav"));
    }
    // At another rate: refused with both rates, not resampled behind the user's back.
    o.audio = dir.file("8k.wav");
    testing::writeToneWav(o.audio, 440.0, 1.0, 8000);
    try {
        runEndToEndBenchmark(o);
        FAIL() << "an 8 kHz wav was timed by a 16 kHz model";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("8k.wav"));
        EXPECT_THAT(e.what(), HasSubstr("8000 Hz"));
        EXPECT_THAT(e.what(), HasSubstr("16000 Hz"));
    }
}

TEST(EndToEndBenchmark, WithoutARecordingTimesTheFirstTestSampleOfTheDatasetAtTheModelsRate) {
    TempDir dir;
    EndToEndBenchmarkOptions o;
    o.model = writeAudioModel(dir);
    o.runs = 5;
    o.warmup = 1;
    o.dataset = fixtures::writeSpeakerDataset(dir);  // test recordings at 8 kHz: the one taken is resampled
    const EndToEndBenchmark b = runEndToEndBenchmark(o);
    ASSERT_TRUE(b.has_frontend) << b.note;
    EXPECT_THAT(b.timing.audio, HasSubstr("s3_0.wav"));
    EXPECT_THAT(b.note, HasSubstr("s3_0"));
    EXPECT_THAT(b.note, HasSubstr("test"));
    // 1 s at 8 kHz resampled to the model's 16 kHz: about 16 000 samples.
    EXPECT_NEAR(static_cast<double>(b.timing.audio_samples), 16000.0, 16.0);
    EXPECT_GT(b.timing.end_to_end.p50, 0.0);

    // Neither a recording nor a dataset: says what to give.
    o.dataset = {};
    try {
        runEndToEndBenchmark(o);
        FAIL() << "timed without a recording";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("choose a wav"));
    }
}

TEST(EndToEndBenchmark, AModelWithoutAnAudioFrontEndIsReportedNotTimed) {
    TempDir dir;
    runtime::writeModel(dir.file("image.tmn"), runtime::fixtures::tinyModel());
    EndToEndBenchmarkOptions o;
    o.model = dir.file("image.tmn");
    o.audio = dir.file("never-read.wav");  // not needed: nothing to feed it to
    const EndToEndBenchmark b = runEndToEndBenchmark(o);
    EXPECT_FALSE(b.has_frontend);
    EXPECT_THAT(b.note, HasSubstr("no audio front-end"));
    const nlohmann::json j = toJson(b);
    for (const char* part : {"frontend", "network", "end_to_end"}) EXPECT_TRUE(j[part].is_null()) << part;
}

TEST(EndToEndBenchmark, StopsWithCancelledWhenProgressAsksTo) {
    TempDir dir;
    EndToEndBenchmarkOptions o;
    o.model = writeAudioModel(dir);
    o.audio = dir.file("tone.wav");
    testing::writeToneWav(o.audio, 440.0, 1.0, 16000);
    o.runs = 100;
    std::size_t calls = 0;
    EXPECT_THROW(runEndToEndBenchmark(o, [&](const Progress&) { return ++calls < 2; }), Cancelled);
    EXPECT_EQ(calls, 2u);
}

}  // namespace
}  // namespace tm2::workflow
