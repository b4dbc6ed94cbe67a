#include "core/dsp/mfcc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "core/base/error.h"
#include "core/dsp/mel_filterbank.h"

namespace tm2::dsp {
namespace {

// The closed-form signal of bench/mfcc_peers.py test_signal(): 0.5 s at 16 kHz of
// a 440 Hz sine (0.5) + a linear chirp 200 -> 6000 Hz (0.3) + ANSI C LCG noise (0.01).
std::vector<float> referenceSignal() {
    const int sr = 16000;
    const int n = 8000;
    const double pi = std::acos(-1.0);
    const double f0 = 200.0, f1 = 6000.0, k = (f1 - f0) / (static_cast<double>(n) / sr);
    std::vector<float> x(n);
    std::uint64_t state = 12345;
    for (int i = 0; i < n; ++i) {
        state = (state * 1103515245ull + 12345ull) % 2147483648ull;
        const double noise = static_cast<double>(state) / 1073741824.0 - 1.0;
        const double t = static_cast<double>(i) / sr;
        x[i] = static_cast<float>(0.5 * std::sin(2 * pi * 440.0 * t) +
                                  0.3 * std::sin(2 * pi * (f0 * t + 0.5 * k * t * t)) + 0.01 * noise);
    }
    return x;
}

// 1e-3 relative, 1e-3 absolute for values near zero (librosa parity target).
void expectClose(float got, double want, const std::string& where) {
    EXPECT_NEAR(got, want, 1e-3 * std::max(std::abs(want), 1.0)) << where;
}

struct GoldenRow {
    int frame;
    double values[13];
};

TEST(MfccTest, MatchesLibrosaConventionReferenceOnChirp) {
    // Golden values: `/usr/bin/python3 bench/mfcc_peers.py golden` — mfcc(test_signal(),
    // deltas=2), the float64 NumPy re-implementation of librosa.feature.mfcc +
    // librosa.feature.delta (deltas cross-checked against scipy.signal.savgol_filter
    // by `mfcc_peers.py check-scipy`). Columns: mfcc 0,1,2,5,12; delta 0,1,4,12; delta2 0,1,4,12.
    const GoldenRow golden[] = {
        {0,
         {-135.557832, 100.089518, 27.055182, -3.802342, 1.928902, -1.928549, -3.793413, -4.597217, 2.086707,
          3.739170, 2.011681, 5.636000, 0.873605}},
        {5,
         {-174.511823, 67.917226, 21.111747, -46.407846, 4.015616, 0.671558, -2.641586, 0.255262, 1.534969,
          0.610864, -0.422365, 7.854277, -0.387299}},
        {25,
         {-189.763974, 16.982296, 12.752747, -19.798117, 18.512090, 0.142392, 0.290749, -2.564006, -5.009488,
          -0.226747, -0.029106, 1.329123, -1.157623}},
        {45,
         {-195.298026, 8.431417, 42.235205, -16.298981, 5.214045, 3.078058, 2.504379, 1.471987, -4.653962,
          2.052940, 1.730890, 0.623951, 0.876436}},
        {50,
         {-127.553647, 55.493799, 65.745800, -8.864232, -6.347765, 6.610710, 4.919956, 1.889752, -3.634887,
          4.661482, 2.924832, 0.382531, 0.848657}},
    };
    const int columns[13] = {0, 1, 2, 5, 12, 13, 14, 17, 25, 26, 27, 30, 38};

    MfccConfig config;
    config.deltas = 2;
    const Tensor mfcc = MfccExtractor(config).compute(referenceSignal());
    ASSERT_EQ(mfcc.shape, (std::vector<std::size_t>{51, 39}));
    for (const GoldenRow& row : golden)
        for (int i = 0; i < 13; ++i)
            expectClose(mfcc.at(row.frame, columns[i]), row.values[i],
                        "frame " + std::to_string(row.frame) + " column " + std::to_string(columns[i]));
}

TEST(MfccTest, HammingWindowMatchesReferenceAndDiffersFromHann) {
    // mfcc(test_signal(), window="hamming", win_length=400) from mfcc_peers.py golden.
    MfccConfig config;
    config.window = WindowKind::Hamming;
    config.win_length = 400;
    const std::vector<float> x = referenceSignal();
    const Tensor hamming = computeMfcc(x, config);
    expectClose(hamming.at(3, 0), -177.963462, "frame 3 c0");
    expectClose(hamming.at(3, 1), 60.153931, "frame 3 c1");
    expectClose(hamming.at(20, 4), -7.507740, "frame 20 c4");
    expectClose(hamming.at(40, 12), 23.743753, "frame 40 c12");

    config.window = WindowKind::Hann;
    const Tensor hann = computeMfcc(x, config);
    EXPECT_GT(std::abs(hann.at(3, 1) - hamming.at(3, 1)), 0.1f);
}

TEST(MfccTest, NaturalLogOptionMatchesReference) {
    // mfcc(test_signal(), log="ln"): log(max(S, 1e-10)), no top_db floor.
    MfccConfig config;
    config.log = LogKind::Natural;
    const Tensor mfcc = computeMfcc(referenceSignal(), config);
    expectClose(mfcc.at(3, 0), -43.319957, "frame 3 c0");
    expectClose(mfcc.at(3, 1), 12.594781, "frame 3 c1");
    expectClose(mfcc.at(20, 4), -1.536090, "frame 20 c4");
    expectClose(mfcc.at(40, 12), 6.495824, "frame 40 c12");
}

TEST(MfccTest, HtkUncentredMagnitudeVariantMatchesReference) {
    // mfcc(test_signal(), htk=True, slaney_norm=False, fmin=20, fmax=7600,
    // center=False, power=1.0) -> 47 frames.
    MfccConfig config;
    config.mel_scale = MelScale::Htk;
    config.slaney_norm = false;
    config.fmin = 20.0;
    config.fmax = 7600.0;
    config.center = false;
    config.power = 1.0;
    const Tensor mfcc = computeMfcc(referenceSignal(), config);
    ASSERT_EQ(mfcc.shape[0], 47u);
    expectClose(mfcc.at(0, 0), -5.976407, "frame 0 c0");
    expectClose(mfcc.at(0, 1), 12.583846, "frame 0 c1");
    expectClose(mfcc.at(20, 4), -12.235540, "frame 20 c4");
    expectClose(mfcc.at(46, 12), 2.024571, "frame 46 c12");
}

TEST(MfccTest, FrameCountFollowsCentring) {
    MfccConfig config;  // n_fft 512, hop 160
    const std::vector<float> x(8000, 0.1f);
    EXPECT_EQ(computeMfcc(x, config).shape[0], 51u);  // 1 + 8000 / 160
    config.center = false;
    EXPECT_EQ(computeMfcc(x, config).shape[0], 47u);  // 1 + (8000 - 512) / 160
    EXPECT_EQ(computeMfcc(std::vector<float>(511, 0.1f), config).shape, (std::vector<std::size_t>{0, 13}));
}

TEST(MfccTest, EmptySignalGivesOneSilentCentredFrame) {
    // One frame of padding zeros: every mel energy hits amin -> -100 dB, so the
    // orthonormal DCT gives c0 = -100 sqrt(40) and nothing else.
    const Tensor mfcc = computeMfcc({}, MfccConfig{});
    ASSERT_EQ(mfcc.shape, (std::vector<std::size_t>{1, 13}));
    EXPECT_NEAR(mfcc.at(0, 0), -100.0 * std::sqrt(40.0), 1e-3);
    for (int k = 1; k < 13; ++k) EXPECT_NEAR(mfcc.at(0, k), 0.0, 1e-3) << k;
}

TEST(MfccTest, TopDbFloorsSilenceRelativeToTheGlobalPeak) {
    // Loud white-ish noise then digital silence: silent frames sit exactly at the
    // floor, peak - top_db, so two floors 20 dB apart shift c0 by 20 sqrt(40) and
    // leave the other coefficients at 0 (a constant row has no higher DCT terms).
    std::vector<float> x(16000, 0.0f);
    std::uint64_t state = 1;
    for (int i = 0; i < 4000; ++i) {
        state = (state * 1103515245ull + 12345ull) % 2147483648ull;
        x[i] = static_cast<float>(0.8 * (static_cast<double>(state) / 1073741824.0 - 1.0));
    }
    MfccConfig config;
    config.top_db = 80.0;
    const Tensor floor80 = computeMfcc(x, config);
    config.top_db = 60.0;
    const Tensor floor60 = computeMfcc(x, config);
    const int silent = 90;  // starts at sample 90*160-256 > 4000 + 256
    EXPECT_NEAR(floor60.at(silent, 0) - floor80.at(silent, 0), 20.0 * std::sqrt(40.0), 1e-2);
    for (int k = 1; k < 13; ++k) EXPECT_NEAR(floor80.at(silent, k), 0.0, 1e-3) << k;
    // The noise frames' bands are within a few dB of the peak: neither floor moves them.
    EXPECT_NEAR(floor60.at(10, 3), floor80.at(10, 3), 1e-4);

    // Disabled: silence falls to amin (-100 dB) instead.
    config.top_db = 0.0;
    EXPECT_NEAR(computeMfcc(x, config).at(silent, 0), -100.0 * std::sqrt(40.0), 1e-2);
}

TEST(MfccTest, NaturalLogFloorsAtAmin) {
    MfccConfig config;
    config.log = LogKind::Natural;
    config.top_db = 80.0;  // ignored for the natural log, as in the reference
    EXPECT_NEAR(computeMfcc({}, config).at(0, 0), std::log(1e-10) * std::sqrt(40.0), 1e-3);
}

TEST(MfccTest, DeltaColumnsFollowTheCoefficients) {
    MfccConfig config;
    config.deltas = 1;
    const std::vector<float> x = referenceSignal();
    const Tensor with = computeMfcc(x, config);
    ASSERT_EQ(with.shape, (std::vector<std::size_t>{51, 26}));
    config.deltas = 0;
    const Tensor without = computeMfcc(x, config);
    for (int t = 0; t < 51; ++t)
        for (int k = 0; k < 13; ++k) ASSERT_EQ(with.at(t, k), without.at(t, k));
}

TEST(MfccTest, ShortSignalShrinksTheDeltaWindowInsteadOfFailing) {
    // 3 frames < delta_width 9 (librosa would refuse): deltas use a 3-frame window.
    MfccConfig config;
    config.deltas = 2;
    const Tensor mfcc = computeMfcc(std::vector<float>(400, 0.25f), config);
    ASSERT_EQ(mfcc.shape, (std::vector<std::size_t>{3, 39}));
    for (float v : mfcc.values) EXPECT_TRUE(std::isfinite(v));
}

TEST(MfccTest, RejectsNonFiniteSamples) {
    std::vector<float> x(4000, 0.1f);
    x[2000] = std::nanf("");
    EXPECT_THROW(computeMfcc(x, MfccConfig{}), Error);
    x[2000] = -INFINITY;
    EXPECT_THROW(computeMfcc(x, MfccConfig{}), Error);
}

TEST(MfccTest, ComputeIsSafeFromSeveralThreads) {
    const MfccExtractor extractor(MfccConfig{});
    const std::vector<float> x = referenceSignal();
    const Tensor serial = extractor.compute(x);
    std::vector<Tensor> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] {
            for (int rep = 0; rep < 5; ++rep) results[i] = extractor.compute(x);
        });
    for (std::thread& t : threads) t.join();
    for (const Tensor& r : results) EXPECT_EQ(r.values, serial.values);
}

TEST(MfccTest, ExposesItsValidatedConfigAndFilterbank) {
    MfccConfig config;
    config.n_mels = 26;
    MfccExtractor extractor(config);
    MfccExtractor moved(std::move(extractor));
    EXPECT_EQ(moved.config().n_mels, 26);
    EXPECT_EQ(moved.melFilterbank().shape, (std::vector<std::size_t>{26, 257}));
    EXPECT_EQ(moved.melFilterbank().values, melFilterbank(config).values);

    config.n_mels = 0;
    EXPECT_THROW(MfccExtractor{config}, Error);
}

}  // namespace
}  // namespace tm2::dsp
