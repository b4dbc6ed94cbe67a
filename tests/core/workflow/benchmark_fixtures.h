#pragma once
// What the benchmark workflow tests share: the hand-made keyword spotter as a .tmn
// file and a small speaker-split dataset whose test recordings are at 8 kHz (so the
// one the benchmarks take is resampled to the model's 16 kHz).

#include <gtest/gtest.h>

#include <string>

#include "core/runtime/bench_support.h"
#include "core/runtime/model_format.h"
#include "core/workflow/dataset_options.h"
#include "tests/core/runtime/tiny_audio_model.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow::fixtures {

// The keyword spotter (1 s at 16 kHz → 13 × 101 MFCC → FC) written to DIR/kws.tmn.
inline std::string writeAudioModel(const testing::TempDir& dir) {
    runtime::writeModel(dir.file("kws.tmn"), runtime::fixtures::audioOnlyModel());
    return dir.file("kws.tmn");
}

// DIR/data: speakers spk0, spk1 (train), spk2 (val), spk3 (test), two 1 s tones each;
// the first test recording is s3_0 at 8 kHz. Read without a cache, on one thread.
inline DatasetOptions writeSpeakerDataset(const testing::TempDir& dir) {
    std::string csv = "id,group,label,split,audio\n";
    const char* splits[] = {"train", "train", "val", "test"};
    for (int g = 0; g < 4; ++g)
        for (int k = 0; k < 2; ++k) {
            const std::string id = "s" + std::to_string(g) + "_" + std::to_string(k);
            testing::writeToneWav((dir.path() / "data" / "wav" / (id + ".wav")).string(), 300.0 + 50 * g, 1.0,
                                  splits[g] == std::string("test") ? 8000 : 16000);
            csv += id + ",spk" + std::to_string(g) + "," + (k ? "yes" : "no") + "," + splits[g] + ",wav/" +
                   id + ".wav\n";
        }
    testing::writeTextFile(dir.path() / "data" / "manifest.csv", csv);
    testing::writeTextFile(dir.path() / "data" / "dataset.json",
                           R"({"modalities": [{"name": "audio", "kind": "audio",
                               "audio": {"sample_rate": 16000, "window_s": 1.0}}]})");
    DatasetOptions dataset;
    dataset.path = (dir.path() / "data").string();
    dataset.no_cache = true;
    dataset.threads = 1;
    return dataset;
}

// p50 > 0 and p50 ≤ p90 ≤ p99.
inline void expectOrdered(const runtime::LatencyStats& s, const char* what) {
    EXPECT_GT(s.p50, 0.0) << what;
    EXPECT_LE(s.p50, s.p90) << what;
    EXPECT_LE(s.p90, s.p99) << what;
}

}  // namespace tm2::workflow::fixtures
