#pragma once
// The MFCC's per-frame work (window, real FFT, power, mel filterbank, log, DCT)
// for several frames at once. Each kernel holds `lanes` frames side by side, one
// per SIMD lane, and runs the same float operations in the same order in every
// lane; so every kernel (scalar, 128-bit, AVX2) gives the scalar kernel's result
// to the bit, and training, the device and the tests agree whichever the CPU
// picks. The arithmetic is mfcc_batch_impl.h; each kernel is that template
// compiled for one vector width (mfcc_batch_portable.cpp, mfcc_batch_avx2.cpp).

#include <cstddef>
#include <cstdint>

#include "core/runtime/frontend/mfcc_plan.h"

namespace tm2::runtime {

struct MfccBatchKernel {
    const char* name;
    int lanes;
    // Frames t0 .. t0 + frames - 1 (frames <= lanes) of the n samples at x: windowed,
    // real FFT, power spectrum, mel filterbank, into mel_lanes (n_mels × lanes,
    // 64-byte aligned: band m of frame t0 + l at m · lanes + l; lanes past `frames`
    // get a silent frame's zeros). `work` holds mfccBatchWorkFloats(plan, lanes)
    // floats, 64-byte aligned.
    void (*melEnergies)(const MfccPlan& plan, const float* x, long long n, long long t0, int frames,
                        float* work, float* mel_lanes);
    // The DCT (n_mfcc × n_mels, row-major) of the first `frames` lanes of a
    // melEnergies layout, into out (frame t0 + l at out + l · out_stride).
    void (*dct)(const float* dct, int n_mfcc, int n_mels, const float* mel_lanes, int frames, float* out,
                int out_stride);
    // scale · ln of n mel energies in place, each clamped at the float whose bits are
    // amin_bits; raises *peak_bits to the largest clamped value's bits. Returns
    // nonzero when a value was inf or NaN.
    int (*logMel)(float* values, std::size_t n, float scale, std::int32_t amin_bits, std::int32_t* peak_bits);
};

std::size_t mfccBatchWorkFloats(const MfccPlan& plan, int lanes);

// The reference: one frame at a time, plain float arithmetic.
const MfccBatchKernel& scalarMfccKernel();
// Four frames in 128-bit vectors: SSE2 on x86-64, NEON on aarch64 (compiler vector
// extensions, so any other target gets the compiler's generic lowering).
const MfccBatchKernel& simd128MfccKernel();
// Eight frames in AVX2 registers; nullptr when not built or the CPU lacks AVX2.
const MfccBatchKernel* avx2MfccKernel();

}  // namespace tm2::runtime
