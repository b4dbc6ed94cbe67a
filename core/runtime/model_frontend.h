#pragma once
// The `.tmn` front-end section: what a device needs besides the network to turn a
// recording or an image into the network's input, as training made it. Typed and
// binary (format 2): one writer (the exporter, through serializeModel) and one
// reader (parseModel); no JSON text inside the model, no host paths.
//
// Section layout (little-endian, strings as u32 length + bytes):
//   u32 class count, class names
//   u32 input count, per input:
//     str modality | u8 kind (1 image, 2 audio)
//     u32 n, n × f32 mean | u32 n, n × f32 std       (per feature row; both empty = none)
//     audio only: i32 sample_rate | f64 window_s | u8 trim_silence | f64 trim_db
//                 MFCC: i32 sample_rate, n_fft, hop_length, win_length | u8 window | u8 center
//                       i32 n_mels | f64 fmin, fmax | u8 mel_scale | u8 slaney_norm | f64 power
//                       u8 log | f64 top_db | i32 n_mfcc, deltas, delta_width

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime/frontend/mfcc_config.h"

namespace tm2::runtime {

class ByteWriter;

enum class InputKind : std::uint8_t { Image = 1, Audio = 2 };

struct InputFrontEnd {
    std::string modality;
    InputKind kind = InputKind::Image;
    // The train split's statistics per feature row (audio: plane × coefficient;
    // image: channel), applied as (x − mean) / std; both empty = not normalised.
    std::vector<float> mean, std;
    // Audio only: the first window of window_s seconds at sample_rate, optional
    // silence trimming, then MFCC.
    int sample_rate = 16000;
    double window_s = 2.0;
    bool trim_silence = false;
    double trim_db = -40.0;
    MfccConfig mfcc;
};

struct ModelFrontEnd {
    std::vector<std::string> classes;  // class names in logit order; may be empty
    std::vector<InputFrontEnd> inputs;

    bool empty() const { return classes.empty() && inputs.empty(); }
    const InputFrontEnd* find(const std::string& modality) const;
};

void writeFrontEnd(ByteWriter& out, const ModelFrontEnd& frontend);
// Throws tm2::Error naming `origin` and the field on truncated or invalid bytes;
// counts are checked against the bytes present before anything is allocated.
ModelFrontEnd readFrontEnd(const std::uint8_t* data, std::size_t size, const std::string& origin);

}  // namespace tm2::runtime
