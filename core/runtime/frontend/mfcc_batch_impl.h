#pragma once
// The batched mel-energy kernel as one template over the vector type V holding
// L frames (V = float, L = 1 is the scalar reference). Only +, −, × and the
// plan's constants, no fused multiply-add (the front-end compiles with
// -ffp-contract=off): lane l of every instantiation computes exactly what the
// scalar one computes for that frame. Included by the mfcc_batch_*.cpp files only.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/runtime/frontend/fast_log.h"
#include "core/runtime/frontend/mfcc_plan.h"

namespace tm2::runtime::batch {

template <class V, int... I>
inline V splatLanes(float s, std::integer_sequence<int, I...>) {
    return V{(static_cast<void>(I), s)...};  // a brace list: one broadcast, no trip through memory
}

template <class V, int L>
inline V splat(float s) {
    if constexpr (L == 1) {
        return s;
    } else {
        return splatLanes<V>(s, std::make_integer_sequence<int, L>{});
    }
}

// Lane l of `frame`'s samples, split into even (re) and odd (im) positions: the
// real signal packed as a half-length complex one. Zero outside the window and the signal.
template <int L>
void gatherFrame(const MfccPlan& plan, const float* x, long long n, long long start, float* re, float* im) {
    const int half = plan.half;
    if (start >= 0 && start + plan.n_fft <= n && plan.win_lo == 0 && plan.win_hi == plan.n_fft) {
        const float* src = x + start;
        for (int j = 0; j < half; ++j) {
            re[j * L] = src[2 * j];
            im[j * L] = src[2 * j + 1];
        }
        return;
    }
    auto at = [&](int pos) {
        const long long s = start + pos;
        return pos >= plan.win_lo && pos < plan.win_hi && s >= 0 && s < n ? x[s] : 0.0f;
    };
    for (int j = 0; j < half; ++j) {
        re[j * L] = at(2 * j);
        im[j * L] = at(2 * j + 1);
    }
}

// Stockham autosort FFT (radix 4, one radix-2 stage when log2 half is odd) of
// `half` complex values in (ar, ai), scratch (br, bi). Returns the buffers holding the result.
template <class V, int L>
std::pair<V*, V*> complexFft(const MfccPlan& plan, V* ar, V* ai, V* br, V* bi) {
    const int half = plan.half;
    const float* tw = plan.stage_twiddles.data();
    int s = 1;
    for (int len = half; len >= 4; len /= 4) {
        const int quarter = len / 4;
        for (int p = 0; p < quarter; ++p, tw += 6) {
            const V w1r = splat<V, L>(tw[0]), w1i = splat<V, L>(tw[1]);
            const V w2r = splat<V, L>(tw[2]), w2i = splat<V, L>(tw[3]);
            const V w3r = splat<V, L>(tw[4]), w3i = splat<V, L>(tw[5]);
            for (int q = 0; q < s; ++q) {
                const int i0 = q + s * p, i1 = i0 + s * quarter, i2 = i1 + s * quarter, i3 = i2 + s * quarter;
                const int o0 = q + s * 4 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s;
                const V apc_r = ar[i0] + ar[i2], apc_i = ai[i0] + ai[i2];
                const V amc_r = ar[i0] - ar[i2], amc_i = ai[i0] - ai[i2];
                const V bpd_r = ar[i1] + ar[i3], bpd_i = ai[i1] + ai[i3];
                const V bmd_r = ar[i1] - ar[i3], bmd_i = ai[i1] - ai[i3];
                // u1 = (a − c) − i(b − d), u2 = (a + c) − (b + d), u3 = (a − c) + i(b − d).
                const V u1r = amc_r + bmd_i, u1i = amc_i - bmd_r;
                const V u2r = apc_r - bpd_r, u2i = apc_i - bpd_i;
                const V u3r = amc_r - bmd_i, u3i = amc_i + bmd_r;
                br[o0] = apc_r + bpd_r;
                bi[o0] = apc_i + bpd_i;
                if (p == 0) {  // all three twiddles are 1
                    br[o1] = u1r, bi[o1] = u1i, br[o2] = u2r, bi[o2] = u2i, br[o3] = u3r, bi[o3] = u3i;
                    continue;
                }
                br[o1] = w1r * u1r - w1i * u1i;
                bi[o1] = w1r * u1i + w1i * u1r;
                br[o2] = w2r * u2r - w2i * u2i;
                bi[o2] = w2r * u2i + w2i * u2r;
                br[o3] = w3r * u3r - w3i * u3i;
                bi[o3] = w3r * u3i + w3i * u3r;
            }
        }
        s *= 4;
        std::swap(ar, br);
        std::swap(ai, bi);
    }
    if (s < half) {  // the radix-2 stage: twiddle 1
        for (int q = 0; q < s; ++q) {
            const V a_r = ar[q], a_i = ai[q], b_r = ar[q + s], b_i = ai[q + s];
            br[q] = a_r + b_r;
            bi[q] = a_i + b_i;
            br[q + s] = a_r - b_r;
            bi[q + s] = a_i - b_i;
        }
        std::swap(ar, br);
        std::swap(ai, bi);
    }
    return {ar, ai};
}

// A kernel may bring a faster gather for the common batch (L whole frames
// inside the signal, window as long as the frame) that also applies the window:
// data movement and the same one product x·w per sample, so the bits cannot
// change. This one has none.
struct NoFastGather {
    template <int L>
    static bool gather(const float* const* /*frame_starts*/, const float* /*window*/, int /*half*/,
                       float* /*re*/, float* /*im*/) {
        return false;
    }
};

template <class V, int L, class FastGather = NoFastGather>
void melEnergies(const MfccPlan& plan, const float* x, long long n, long long t0, int frames, float* work,
                 float* mel_lanes) {
    const int half = plan.half;
    V* const xr = reinterpret_cast<V*>(work);
    V* const xi = xr + half;
    V* const yr = xi + half;
    V* const yi = yr + half;
    V* const power = yi + half;  // half + 1 bins

    // Lane l holds frame t0 + l; lanes past `frames` stay silent.
    float* re = reinterpret_cast<float*>(xr);
    float* im = reinterpret_cast<float*>(xi);
    const long long first_start = t0 * plan.hop - plan.pad;
    const long long last_start = (t0 + L - 1) * plan.hop - plan.pad;
    bool gathered = false;
    if (frames == L && first_start >= 0 && last_start + plan.n_fft <= n && plan.win_lo == 0 &&
        plan.win_hi == plan.n_fft) {
        const float* starts[L];
        for (int l = 0; l < L; ++l) starts[l] = x + first_start + static_cast<long long>(l) * plan.hop;
        gathered = FastGather::template gather<L>(starts, plan.window.data(), half, re, im);
    }
    if (!gathered) {
        for (int l = 0; l < L; ++l) {
            if (l < frames) {
                gatherFrame<L>(plan, x, n, (t0 + l) * plan.hop - plan.pad, re + l, im + l);
            } else {
                for (int j = 0; j < half; ++j) re[j * L + l] = im[j * L + l] = 0.0f;
            }
        }
        const float* w = plan.window.data();
        for (int j = 0; j < half; ++j) {
            xr[j] = xr[j] * splat<V, L>(w[2 * j]);
            xi[j] = xi[j] * splat<V, L>(w[2 * j + 1]);
        }
    }

    const auto [zr, zi] = complexFft<V, L>(plan, xr, xi, yr, yi);

    // Split the packed spectrum Z into the real signal's X[k] = E[k] − i·w^k·O[k],
    // 2E = Z[k] + conj Z[half−k], 2i·O = Z[k] − conj Z[half−k], w = e^(−2πi/n_fft),
    // computed as 2X (no halving) and |X|² = |2X|² / 4, exact in binary floating point.
    // X[k] and X[half−k] share their four sums: f = Z[k], g = Z[half−k] swap roles.
    const V quarter = splat<V, L>(0.25f);
    const V dc = zr[0] + zi[0], nyquist = zr[0] - zi[0];
    power[0] = dc * dc;
    power[half] = nyquist * nyquist;
    const float* st = plan.split_twiddles.data();
    for (int k = 1; k <= half / 2; ++k) {
        const int j = half - k;
        const V fr = zr[k], fi = zi[k], gr = zr[j], gi = zi[j];
        const V sr = fr + gr, si = fi - gi, dr = fr - gr, di = fi + gi;
        const V wr = splat<V, L>(st[2 * k]), wi = splat<V, L>(st[2 * k + 1]);
        const V tr = wr * dr - wi * di, ti = wr * di + wi * dr;
        const V xr_k = sr + ti, xi_k = si - tr;
        power[k] = (xr_k * xr_k + xi_k * xi_k) * quarter;
        if (j == k) break;
        // For half − k the sums are sr, −si, −dr, di: signs folded in, no negation.
        const V vr = splat<V, L>(st[2 * j]), vi = splat<V, L>(st[2 * j + 1]);
        const V a = vr * dr + vi * di, tj = vr * di - vi * dr;
        const V xr_j = sr + tj, xi_j = a - si;
        power[j] = (xr_j * xr_j + xi_j * xi_j) * quarter;
    }
    if (plan.power != 2.0) {  // rare settings: per value, as the scalar code does
        float* p = reinterpret_cast<float*>(power);
        const std::size_t values = static_cast<std::size_t>(half + 1) * L;
        if (plan.power == 1.0) {
            for (std::size_t i = 0; i < values; ++i) p[i] = std::sqrt(p[i]);
        } else {
            const float exponent = static_cast<float>(plan.power / 2.0);
            for (std::size_t i = 0; i < values; ++i) p[i] = std::pow(p[i], exponent);
        }
    }

    // Mel band m of lane l lands at mel_lanes[m·L + l]: the layout the DCT reads.
    V* const mel = reinterpret_cast<V*>(mel_lanes);
    for (int m = 0; m < plan.n_mels; ++m) {
        const float* wt = plan.weights.data() + plan.offset[m];
        const V* p = power + plan.first[m];
        V sum = splat<V, L>(0.0f);
        for (int i = 0; i < plan.count[m]; ++i) sum = sum + splat<V, L>(wt[i]) * p[i];
        mel[m] = sum;
    }
}

// The orthonormal DCT of `frames` (<= L) frames' log-mel values, band m of lane l
// at mel_lanes[m·L + l]: out[l·out_stride + k] = Σ_m dct[k·n_mels + m] · mel(m, l),
// summed in mel order from 0.
template <class V, int L>
void dctLanes(const float* dct, int n_mfcc, int n_mels, const float* mel_lanes, int frames, float* out,
              int out_stride) {
    const V* const mel = reinterpret_cast<const V*>(mel_lanes);
    for (int k = 0; k < n_mfcc; ++k) {
        const float* basis = dct + static_cast<std::size_t>(k) * n_mels;
        V sum = splat<V, L>(0.0f);
        for (int m = 0; m < n_mels; ++m) sum = sum + splat<V, L>(basis[m]) * mel[m];
        float lanes[L];
        std::memcpy(lanes, &sum, sizeof lanes);
        for (int l = 0; l < frames; ++l) out[static_cast<std::size_t>(l) * out_stride + k] = lanes[l];
    }
}

// power_to_db (or ln) in place: n mel energies clamped at amin, then scale · ln.
// Plain scalar code the compiler vectorises at the kernel's width; elementwise
// but for the peak (an integer max, whose order does not matter). Returns
// nonzero when a value was inf or NaN.
template <class V>
int logInPlace(float* values, std::size_t n, float scale, std::int32_t amin_bits, std::int32_t* peak_bits) {
    std::int32_t peak = *peak_bits;
    int nonfinite = 0;
    for (std::size_t i = 0; i < n; ++i) {
        // Clamp and peak on the float bits (mel energies are >= +0, where bit order
        // is value order): integer compares vectorise. Bits that read as unsigned
        // >= +inf's are inf or NaN (of either sign): a bad input sample.
        std::int32_t bits;
        std::memcpy(&bits, values + i, sizeof bits);
        nonfinite |= static_cast<std::uint32_t>(bits) >= 0x7f800000u ? 1 : 0;
        bits = bits > amin_bits ? bits : amin_bits;
        peak = bits > peak ? bits : peak;
        values[i] = scale * lnOfFloatBitsFor<V>(bits);
    }
    *peak_bits = peak;
    return nonfinite;
}

}  // namespace tm2::runtime::batch
