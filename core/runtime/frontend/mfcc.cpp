#include "core/runtime/frontend/mfcc.h"

#include <kiss_fftr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <new>
#include <optional>
#include <string>

#include "core/base/error.h"
#include "core/runtime/frontend/dct.h"
#include "core/runtime/frontend/deltas.h"
#include "core/runtime/frontend/fast_log.h"
#include "core/runtime/frontend/mel_filterbank.h"
#include "core/runtime/frontend/mfcc_batch.h"
#include "core/runtime/frontend/mfcc_plan.h"
#include "core/runtime/frontend/window.h"

namespace tm2::runtime {

namespace {

// librosa.power_to_db's amin; also the floor of the natural-log option.
constexpr float kAmin = 1e-10f;

struct KissFftrDeleter {
    void operator()(kiss_fftr_state* cfg) const { kiss_fftr_free(cfg); }
};
using KissFftr = std::unique_ptr<kiss_fftr_state, KissFftrDeleter>;

// 64-byte aligned floats for the batched kernels' vectors; grows, never shrinks.
class AlignedFloats {
public:
    float* atLeast(std::size_t floats) {
        if (size_ < floats) {
            data_.reset(static_cast<float*>(::operator new[](floats * sizeof(float), std::align_val_t(64))));
            size_ = floats;
        }
        return data_.get();
    }

private:
    struct Free {
        void operator()(float* p) const { ::operator delete[](p, std::align_val_t(64)); }
    };
    std::unique_ptr<float[], Free> data_;
    std::size_t size_ = 0;
};

const MfccBatchKernel* batchKernel(MfccPath path) {
    switch (path) {
        case MfccPath::Auto:
            if (const MfccBatchKernel* avx2 = avx2MfccKernel()) return avx2;
            return &simd128MfccKernel();
        case MfccPath::Scalar:
            return &scalarMfccKernel();
        case MfccPath::Simd128:
            return &simd128MfccKernel();
        case MfccPath::Avx2:
            if (const MfccBatchKernel* avx2 = avx2MfccKernel()) return avx2;
            throw Error("mfcc: the AVX2 kernel is not available in this build or on this CPU");
        case MfccPath::KissFft:
            break;
    }
    return nullptr;
}

}  // namespace

// kiss_fftr keeps a work buffer inside its cfg, so each thread needs its own.
struct MfccWorkspace::Impl {
    int n_fft = 0;
    int win_length = 0;  // frame positions outside the window must be zero: re-zero on change
    KissFftr fft;
    std::vector<float> frame;
    std::vector<kiss_fft_cpx> spec;
    std::vector<float> power;
    std::vector<float> logmel;
    MfccPath path = MfccPath::Auto;
    AlignedFloats work;       // the batched kernel's FFT and power vectors
    AlignedFloats mel_lanes;  // the batched kernel's log-mel values, lane-major per batch

    void prepare(int fft_size, int window_length, std::size_t logmel_floats) {
        if (win_length != window_length) {
            frame.assign(static_cast<std::size_t>(fft_size), 0.0f);
            win_length = window_length;
        }
        if (n_fft != fft_size) {
            fft.reset(kiss_fftr_alloc(fft_size, 0, nullptr, nullptr));
            if (!fft) throw Error("mfcc: cannot allocate a " + std::to_string(fft_size) + "-point FFT");
            n_fft = fft_size;
            const std::size_t bins = static_cast<std::size_t>(fft_size) / 2 + 1;
            frame.assign(static_cast<std::size_t>(fft_size), 0.0f);
            spec.resize(bins);
            power.resize(bins);
        }
        if (logmel.size() < logmel_floats) logmel.resize(logmel_floats);
    }
};

MfccWorkspace::MfccWorkspace() : impl_(std::make_unique<Impl>()) {}
MfccWorkspace::~MfccWorkspace() = default;
MfccWorkspace::MfccWorkspace(MfccWorkspace&&) noexcept = default;
MfccWorkspace& MfccWorkspace::operator=(MfccWorkspace&&) noexcept = default;
void MfccWorkspace::setPath(MfccPath path) { impl_->path = path; }
MfccPath MfccWorkspace::path() const { return impl_->path; }

struct MfccExtractor::Impl {
    MfccConfig config;
    std::vector<float> window;  // n_fft long, zero outside [win_lo, win_hi)
    int win_lo = 0;
    int win_hi = 0;
    std::vector<float> filterbank;
    // Flattened sparse filterbank: filter m covers bins first[m] .. first[m]+count[m]-1,
    // its weights start at weights[offset[m]].
    std::vector<int> first, count, offset;
    std::vector<float> weights;
    std::vector<float> dct;        // n_mfcc × n_mels
    std::optional<MfccPlan> plan;  // the batched kernels' tables (power-of-two n_fft)

    explicit Impl(const MfccConfig& c) : config(c) {
        config.validate();
        const std::vector<double> w = centredWindow(config.window, config.effectiveWinLength(), config.n_fft);
        window.assign(w.begin(), w.end());
        win_lo = (config.n_fft - config.effectiveWinLength()) / 2;
        win_hi = win_lo + config.effectiveWinLength();

        filterbank = melFilterbankWeights(config);
        const std::size_t bins = static_cast<std::size_t>(config.n_fft) / 2 + 1;
        for (const SparseMelFilter& f :
             sparseFilters(filterbank, static_cast<std::size_t>(config.n_mels), bins)) {
            first.push_back(f.first_bin);
            count.push_back(static_cast<int>(f.weights.size()));
            offset.push_back(static_cast<int>(weights.size()));
            weights.insert(weights.end(), f.weights.begin(), f.weights.end());
        }
        dct = orthoDctMatrix(config.n_mfcc, config.n_mels);
        if (batchedFftSupports(config.n_fft)) plan = makeMfccPlan(config, window, filterbank);
    }

    // Windowed frame t into `frame` (positions outside the window stay zero).
    void loadFrame(const float* x, long long n, long long t, float* frame) const {
        const long long pad = config.center ? config.n_fft / 2 : 0;
        const long long start = t * config.hop_length - pad;
        const float* w = window.data();
        if (start + win_lo >= 0 && start + win_hi <= n) {
            const float* src = x + start;
            for (int j = win_lo; j < win_hi; ++j) frame[j] = src[j] * w[j];
            return;
        }
        // Centred edge frames read into the n_fft/2 zeros librosa pads with.
        for (int j = win_lo; j < win_hi; ++j) {
            const long long s = start + j;
            frame[j] = (s >= 0 && s < n) ? x[s] * w[j] : 0.0f;
        }
    }

    void powerSpectrum(const kiss_fft_cpx* spec, int bins, float* power) const {
        if (config.power == 2.0) {
            for (int k = 0; k < bins; ++k) power[k] = spec[k].r * spec[k].r + spec[k].i * spec[k].i;
        } else if (config.power == 1.0) {
            for (int k = 0; k < bins; ++k)
                power[k] = std::sqrt(spec[k].r * spec[k].r + spec[k].i * spec[k].i);
        } else {
            const float half = static_cast<float>(config.power / 2.0);
            for (int k = 0; k < bins; ++k)
                power[k] = std::pow(spec[k].r * spec[k].r + spec[k].i * spec[k].i, half);
        }
    }

    void melEnergies(const float* power, float* mel) const {
        for (int m = 0; m < config.n_mels; ++m) {
            const float* wt = weights.data() + offset[m];
            const float* p = power + first[m];
            float s = 0.0f;
            for (int i = 0; i < count[m]; ++i) s += wt[i] * p[i];
            mel[m] = s;
        }
    }
};

MfccExtractor::MfccExtractor(const MfccConfig& config) : impl_(std::make_unique<Impl>(config)) {}
MfccExtractor::~MfccExtractor() = default;
MfccExtractor::MfccExtractor(MfccExtractor&&) noexcept = default;
MfccExtractor& MfccExtractor::operator=(MfccExtractor&&) noexcept = default;

const MfccConfig& MfccExtractor::config() const { return impl_->config; }
const std::vector<float>& MfccExtractor::melFilterbank() const { return impl_->filterbank; }

std::vector<float> MfccExtractor::compute(const float* samples, std::size_t count) const {
    const MfccConfig& c = impl_->config;
    c.checkSignalLength(static_cast<long long>(count));
    std::vector<float> out(static_cast<std::size_t>(c.frameCount(static_cast<long long>(count))) *
                           static_cast<std::size_t>(c.featureCount()));
    MfccWorkspace workspace;
    compute(samples, count, workspace, out.data());
    return out;
}

const char* MfccExtractor::kernelName(MfccPath path) const {
    if (!impl_->plan || path == MfccPath::KissFft) return "kissfft";
    return batchKernel(path)->name;
}

void MfccExtractor::compute(const float* samples, std::size_t count, MfccWorkspace& workspace,
                            float* out) const {
    const Impl& im = *impl_;
    const MfccConfig& c = im.config;
    const long long n = static_cast<long long>(count);
    c.checkSignalLength(n);
    const int frames = c.frameCount(n);
    const int features = c.featureCount();
    if (frames == 0) return;

    MfccWorkspace::Impl& ws = *workspace.impl_;
    const MfccBatchKernel* kernel = im.plan ? batchKernel(ws.path) : nullptr;
    const int lanes = kernel ? kernel->lanes : 1;
    const int batches = (frames + lanes - 1) / lanes;
    // Batched: n_mels × lanes values per batch of frames (a silent frame's in the
    // lanes past the last frame); KissFFT: frames × n_mels.
    const std::size_t logmel_floats = static_cast<std::size_t>(batches) * lanes * c.n_mels;
    float* logmel = nullptr;
    if (kernel) {
        logmel = ws.mel_lanes.atLeast(logmel_floats);
    } else {
        ws.prepare(c.n_fft, c.effectiveWinLength(), logmel_floats);
        logmel = ws.logmel.data();
    }

    // Pass 1: the mel energies of every frame, then their logs (top_db needs the
    // global peak before the DCT).
    if (kernel) {
        float* work = ws.work.atLeast(mfccBatchWorkFloats(*im.plan, lanes));
        for (int b = 0; b < batches; ++b)
            kernel->melEnergies(*im.plan, samples, n, static_cast<long long>(b) * lanes,
                                std::min(lanes, frames - b * lanes), work,
                                logmel + static_cast<std::size_t>(b) * lanes * c.n_mels);
    } else {
        const int bins = c.n_fft / 2 + 1;
        for (int t = 0; t < frames; ++t) {
            im.loadFrame(samples, n, t, ws.frame.data());
            kiss_fftr(ws.fft.get(), ws.frame.data(), ws.spec.data());
            im.powerSpectrum(ws.spec.data(), bins, ws.power.data());
            im.melEnergies(ws.power.data(), logmel + static_cast<std::size_t>(t) * c.n_mels);
        }
    }
    // power_to_db with ref = 1 (its 10 log10(ref) term is 0), or the natural log.
    // The silent lanes past the last frame clamp to amin, which cannot raise the peak.
    const float scale = c.log == LogKind::Decibel ? static_cast<float>(10.0 / std::log(10.0)) : 1.0f;
    const std::int32_t amin_bits = floatBits(kAmin);
    std::int32_t peak_bits = amin_bits;
    int nonfinite = 0;
    if (kernel) {
        nonfinite = kernel->logMel(logmel, logmel_floats, scale, amin_bits, &peak_bits);
    } else {
        for (std::size_t i = 0; i < logmel_floats; ++i) {
            // Clamp and peak on the float bits (mel energies are >= +0, where bit order
            // is value order): integer compares let this loop vectorise. Bits that read
            // as unsigned >= +inf's are inf or NaN (of either sign): a bad input sample.
            std::int32_t bits = floatBits(logmel[i]);
            nonfinite |= static_cast<std::uint32_t>(bits) >= 0x7f800000u ? 1 : 0;
            bits = bits > amin_bits ? bits : amin_bits;
            peak_bits = bits > peak_bits ? bits : peak_bits;
            logmel[i] = scale * lnOfFloatBits(bits);
        }
    }
    if (nonfinite != 0) throw Error("mfcc: the signal contains NaN or infinite samples");

    // Pass 2: top_db floor, then the DCT into the first n_mfcc columns.
    const bool floor_db = c.log == LogKind::Decibel && c.top_db > 0.0;
    const float floor = scale * lnOfFloatBits(peak_bits) - static_cast<float>(c.top_db);
    if (floor_db)
        for (std::size_t i = 0; i < logmel_floats; ++i) logmel[i] = std::max(logmel[i], floor);
    if (kernel) {
        for (int b = 0; b < batches; ++b)
            kernel->dct(im.dct.data(), c.n_mfcc, c.n_mels,
                        logmel + static_cast<std::size_t>(b) * lanes * c.n_mels,
                        std::min(lanes, frames - b * lanes),
                        out + static_cast<std::size_t>(b) * lanes * features, features);
    } else {
        for (int t = 0; t < frames; ++t) {
            const float* row = logmel + static_cast<std::size_t>(t) * c.n_mels;
            float* dst = out + static_cast<std::size_t>(t) * features;
            for (int k = 0; k < c.n_mfcc; ++k) {
                const float* basis = im.dct.data() + static_cast<std::size_t>(k) * c.n_mels;
                float s = 0.0f;
                for (int m = 0; m < c.n_mels; ++m) s += basis[m] * row[m];
                dst[k] = s;
            }
        }
    }

    // librosa computes delta and delta-delta both from the MFCC itself.
    for (int order = 1; order <= c.deltas; ++order)
        timeDeltas(out, features, frames, c.n_mfcc, c.delta_width, order, out + order * c.n_mfcc, features);
}

}  // namespace tm2::runtime
