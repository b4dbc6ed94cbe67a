// The MFCC extractors check frames × values against their budget before they
// allocate the output (tests/support/allocation_meter.h measures it).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/dsp/mfcc.h"
#include "core/runtime/frontend/mfcc.h"
#include "tests/support/allocation_meter.h"  // this program's operator new

namespace tm2::dsp {
namespace {

using ::testing::AllocationMeter;

// Runs `f` under a 64 MiB allocation limit; returns the tm2::Error message (or
// "std::bad_alloc", or "no error") and the peak bytes allocated in `peak`.
template <typename F>
std::string underLimit(F f, std::size_t& peak) {
    AllocationMeter meter(std::size_t{64} << 20);
    std::string message = "no error";
    try {
        f();
    } catch (const Error& e) {
        message = e.what();
    } catch (const std::bad_alloc&) {
        message = "std::bad_alloc";
    }
    peak = meter.peak();
    return message;
}

TEST(MfccMemoryTest, HopOneOnLongAudioFailsNamingHopLengthBeforeAllocatingTheFrames) {
    // 4e6 samples at hop 1: 4000001 frames · 13 coefficients = 208 MB of output (and
    // 4000001 · 40 log-mel values of scratch) that the old extractors allocated first.
    const std::vector<float> samples(4000000, 0.0f);
    MfccConfig c;
    c.hop_length = 1;
    std::size_t peak = 0;
    const std::string want = "mfcc.hop_length 1 on 4000000 samples gives 4000001 frames";
    EXPECT_NE(underLimit([&] { computeMfcc(samples, c); }, peak).find(want), std::string::npos);
    if (TM2_ALLOCATION_METER) {
        EXPECT_LT(peak, std::size_t{1} << 20);
    }

    const runtime::MfccExtractor extractor(c);
    EXPECT_NE(underLimit([&] { extractor.compute(samples.data(), samples.size()); }, peak).find(want),
              std::string::npos);
    if (TM2_ALLOCATION_METER) {
        EXPECT_LT(peak, std::size_t{1} << 20);
    }
    runtime::MfccWorkspace workspace;
    std::vector<float> out(16);  // never written: the call refuses first
    EXPECT_NE(
        underLimit([&] { extractor.compute(samples.data(), samples.size(), workspace, out.data()); }, peak)
            .find(want),
        std::string::npos);
    if (TM2_ALLOCATION_METER) {
        EXPECT_LT(peak, std::size_t{1} << 20);
    }
}

}  // namespace
}  // namespace tm2::dsp
