#include "core/runtime/frontend/wav_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/base/error.h"
#include "core/runtime/byte_io.h"

namespace tm2::runtime {

namespace {

constexpr std::uint16_t kFormatPcm = 1;
constexpr std::uint16_t kFormatFloat = 3;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;
// Outside these a header is corrupt rather than an unusual recording (as the workbench's decoder).
constexpr std::uint16_t kMaxChannels = 64;
constexpr std::uint32_t kMaxRate = 1'000'000;

bool tagIs(const std::uint8_t* p, const char* tag) { return std::memcmp(p, tag, 4) == 0; }

struct Format {
    std::uint16_t tag = 0;
    std::uint16_t channels = 0;
    std::uint32_t rate = 0;
    std::uint16_t block_align = 0;
    std::uint16_t bits = 0;
};

Format readFormat(ByteReader& chunk, const std::string& origin) {
    Format f;
    const std::uint8_t* p = chunk.take(16, "fmt chunk");
    f.tag = static_cast<std::uint16_t>(p[0] | p[1] << 8);
    f.channels = static_cast<std::uint16_t>(p[2] | p[3] << 8);
    f.rate = std::uint32_t{p[4]} | std::uint32_t{p[5]} << 8 | std::uint32_t{p[6]} << 16 |
             std::uint32_t{p[7]} << 24;
    f.block_align = static_cast<std::uint16_t>(p[12] | p[13] << 8);
    f.bits = static_cast<std::uint16_t>(p[14] | p[15] << 8);
    if (f.tag == kFormatExtensible) {
        // cbSize, valid bits, channel mask, then the sub-format GUID whose first two bytes are the real tag.
        const std::uint8_t* ext = chunk.take(2 + 2 + 4 + 16, "fmt extension");
        f.tag = static_cast<std::uint16_t>(ext[8] | ext[9] << 8);
    }
    const bool pcm16 = f.tag == kFormatPcm && f.bits == 16;
    const bool float32 = f.tag == kFormatFloat && f.bits == 32;
    if (!pcm16 && !float32)
        throw Error(origin + ": unsupported WAV encoding (format " + std::to_string(f.tag) + ", " +
                    std::to_string(f.bits) + " bits); the runtime reads 16-bit PCM and 32-bit float");
    if (f.channels < 1 || f.channels > kMaxChannels)
        throw Error(origin + ": unsupported channel count " + std::to_string(f.channels));
    if (f.rate < 1 || f.rate > kMaxRate)
        throw Error(origin + ": invalid sample rate " + std::to_string(f.rate));
    if (f.block_align != f.channels * (f.bits / 8))
        throw Error(origin + ": block align " + std::to_string(f.block_align) + " does not match " +
                    std::to_string(f.channels) + " channels of " + std::to_string(f.bits) + " bits");
    return f;
}

}  // namespace

WavAudio parseWav(const std::uint8_t* data, std::size_t size, const std::string& origin) {
    ByteReader r(data, size, origin);
    if (size < 12 || !tagIs(data, "RIFF") || !tagIs(data + 8, "WAVE"))
        throw Error(origin + ": not a WAV file (no RIFF/WAVE header)");
    r.take(12, "RIFF header");

    Format format;
    bool have_format = false;
    const std::uint8_t* samples = nullptr;
    std::size_t sample_bytes = 0;
    while (r.left() >= 8 && samples == nullptr) {
        const std::uint8_t* id = r.take(4, "chunk id");
        const std::uint32_t bytes = r.u32("chunk size");
        if (tagIs(id, "data")) {
            if (!have_format) throw Error(origin + ": data chunk before the fmt chunk");
            if (bytes > r.left())
                throw Error(origin + ": truncated: the data chunk announces " + std::to_string(bytes) +
                            " bytes, the file holds " + std::to_string(r.left()));
            samples = r.take(bytes, "data chunk");
            sample_bytes = bytes;
            break;
        }
        const std::uint8_t* body = r.take(bytes, "chunk body");
        if (tagIs(id, "fmt ")) {
            ByteReader chunk(body, bytes, origin + ": fmt chunk");
            format = readFormat(chunk, origin);
            have_format = true;
        }
        if (bytes % 2 == 1 && r.left() > 0) r.take(1, "chunk padding");  // RIFF pads odd chunks
    }
    if (!have_format) throw Error(origin + ": no fmt chunk");
    if (samples == nullptr) throw Error(origin + ": no data chunk");

    WavAudio out;
    out.sample_rate = static_cast<int>(format.rate);
    out.source_channels = format.channels;
    const std::size_t frames = sample_bytes / format.block_align;  // a partial last frame is dropped
    out.samples.resize(frames);
    const int ch = format.channels;
    for (std::size_t i = 0; i < frames; ++i) {
        const std::uint8_t* frame = samples + i * format.block_align;
        double sum = 0.0;
        for (int c = 0; c < ch; ++c) {
            if (format.tag == kFormatPcm) {
                const auto v = static_cast<std::int16_t>(frame[2 * c] | frame[2 * c + 1] << 8);
                sum += v / 32768.0;  // libsndfile's int16 → float scale
            } else {
                const std::uint8_t* p = frame + 4 * c;
                const std::uint32_t bits = std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 |
                                           std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
                float v = 0.0f;
                std::memcpy(&v, &bits, 4);
                sum += v;
            }
        }
        const double mono = sum / ch;
        if (!std::isfinite(mono))
            throw Error(origin + ": sample " + std::to_string(i) + " is not a finite number");
        // Float files may exceed full scale; the pipeline assumes [-1, 1].
        out.samples[i] = static_cast<float>(std::clamp(mono, -1.0, 1.0));
    }
    return out;
}

WavAudio readWav(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the audio file");
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    return parseWav(bytes.data(), bytes.size(), path);
}

}  // namespace tm2::runtime
