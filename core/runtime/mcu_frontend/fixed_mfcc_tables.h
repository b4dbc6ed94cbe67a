#pragma once
// The fixed-point MFCC's tables (fixed_mfcc.h) for one audio input, built on
// the host from the float front-end's own settings and tables (window, mel
// filterbank, DCT, the train split's normalisation) and the network's input
// quantization: the host runs the C code with plan(), and `export-mcu` writes
// them as C (cSource) for the device.

#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/mcu_frontend/fixed_mfcc.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime {

// The network input's quantization the codes are made for.
struct InputQuantization {
    float scale = 1.0f;
    int zero_point = 0;
    int bits = 8;
};

class FixedMfccTables {
public:
    // Throws tm2::Error naming the setting the fixed-point front-end does not
    // support (power other than 2, deltas, silence trimming, an n_fft that is not
    // a power of two in 16..4096) or a normalisation it cannot represent.
    FixedMfccTables(const AudioFrontendConfig& config, const InputQuantization& input);
    // The settings and input quantization `model` carries for `modality`.
    static FixedMfccTables forModel(const Model& model, const std::string& modality);

    FixedMfccTables(FixedMfccTables&&) noexcept = default;  // vectors keep their buffers: plan_ stays valid
    FixedMfccTables(const FixedMfccTables&) = delete;
    FixedMfccTables& operator=(const FixedMfccTables&) = delete;
    FixedMfccTables& operator=(FixedMfccTables&&) = delete;

    const tm2_fixed_mfcc_plan& plan() const { return plan_; }
    const AudioFrontendConfig& config() const { return config_; }
    std::size_t scratchBytes() const { return tm2_fixed_mfcc_scratch_bytes(&plan_); }
    // Bytes of the const tables (flash on a device), the plan struct included.
    std::size_t tableBytes() const;

    // C source defining `const tm2_fixed_mfcc_plan NAME` and its tables (static).
    std::string cSource(const std::string& name) const;

    // Runs the C code: n_mfcc × frames codes, and the coefficients in log units
    // (Q7 divided out) for measuring against the float front-end.
    std::vector<std::uint8_t> codes(const std::int16_t* pcm, std::size_t count) const;
    std::vector<double> coefficients(const std::int16_t* pcm, std::size_t count) const;
    // The floored log-mel values, frames × n_mels, in log units.
    std::vector<double> logMel(const std::int16_t* pcm, std::size_t count) const;

private:
    AudioFrontendConfig config_;
    std::vector<std::int16_t> mel_weights_;
    std::vector<std::int32_t> window_, dct_, twiddles_, mel_log2_offset_, log2_table_, code_scale_;
    std::vector<std::uint16_t> bit_reverse_, mel_first_, mel_count_, mel_offset_;
    std::vector<std::int64_t> code_offset_;
    tm2_fixed_mfcc_plan plan_{};
};

}  // namespace tm2::runtime
