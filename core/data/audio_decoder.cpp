#include "core/data/audio_decoder.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/base/error.h"
#include "core/data/media_file.h"

namespace tm2::data {

namespace {

// Outside this range a header is corrupt rather than an unusual recording.
constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 768000;
constexpr int kMaxChannels = 256;
// 2^29 frames (~3 h at 48 kHz, 2 GiB as float): beyond this a header is lying or
// the file is not something one sample of a dataset should be.
constexpr sf_count_t kMaxFrames = sf_count_t{1} << 29;
constexpr sf_count_t kBlockFrames = 4096;
// One recording is a sample of a dataset, not a day of field audio: longer files are
// refused before they fill memory (an hour at 48 kHz is 0.7 GB of floats).
constexpr sf_count_t kMaxSeconds = 3600;

[[noreturn]] void failTooLong(const std::string& path, sf_count_t frames, int rate) {
    throw Error(path + ": recording is " + std::to_string((frames + rate - 1) / rate) +
                " s long, more than the limit of " + std::to_string(kMaxSeconds) +
                " s per recording; cut it into shorter files");
}

// libsndfile reports open failures through one process-wide errno, so concurrent
// opens from dataset-loading threads would read each other's reasons.
std::mutex& openMutex() {
    static std::mutex m;
    return m;
}

struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
    throw Error(path + ": " + reason);
}


SndfilePtr openForReading(const std::string& path, SF_INFO& info) {
    std::lock_guard<std::mutex> lock(openMutex());
    info = SF_INFO{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (f) return SndfilePtr(f);
    const int code = sf_error(nullptr);
    const std::string detail = sf_strerror(nullptr);
    switch (code) {
        case SF_ERR_UNRECOGNISED_FORMAT:
            fail(path, "not an audio file (format not recognised)");
        case SF_ERR_MALFORMED_FILE:
            fail(path, "malformed or truncated audio file (" + detail + ")");
        case SF_ERR_UNSUPPORTED_ENCODING:
            fail(path, "unsupported audio encoding (" + detail + ")");
        default:
            fail(path, "cannot decode (" + detail + ")");
    }
}

int bytesPerSample(int format) {
    switch (format & SF_FORMAT_SUBMASK) {
        case SF_FORMAT_PCM_S8:
        case SF_FORMAT_PCM_U8:
        case SF_FORMAT_ULAW:
        case SF_FORMAT_ALAW:
            return 1;
        case SF_FORMAT_PCM_16:
            return 2;
        case SF_FORMAT_PCM_24:
            return 3;
        case SF_FORMAT_PCM_32:
        case SF_FORMAT_FLOAT:
            return 4;
        case SF_FORMAT_DOUBLE:
            return 8;
        default:
            return 0;
    }
}

// libsndfile quietly shortens a wav/aiff whose data chunk runs past the end of
// the file; only its log keeps the announced size ("data : 32000 (should be 15978)").
// Returns the frame count the header announced, or -1 when the header was honest.
sf_count_t announcedFramesIfCut(SNDFILE* f, const SF_INFO& info) {
    std::string log(16384, '\0');
    sf_command(f, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
    std::istringstream lines(log.c_str());
    std::string line;
    while (std::getline(lines, line)) {
        unsigned long long announced = 0, present = 0;
        char tag[8] = {};
        if (std::sscanf(line.c_str(), "%7s : %llu (should be %llu)", tag, &announced, &present) != 3)
            continue;
        if (std::string(tag) != "data" && std::string(tag) != "SSND") continue;
        // A size of 0 is a streaming writer's "unknown". All-ones is one too, but a file
        // claiming 4 GB in 2 kB is refused as the runtime's WAV reader refuses it: the
        // device must read what training read.
        if (announced <= present || announced == 0) continue;
        const int bps = bytesPerSample(info.format);
        if (bps > 0)
            return static_cast<sf_count_t>(announced /
                                           (static_cast<unsigned long long>(bps) * info.channels));
        return static_cast<sf_count_t>(static_cast<double>(info.frames) * announced /
                                       std::max(1ull, present));
    }
    return -1;
}

}  // namespace

AudioClip decodeAudio(const std::string& path) {
    requireNonEmptyFile(path);
    SF_INFO info{};
    const SndfilePtr file = openForReading(path, info);

    if (info.channels < 1 || info.channels > kMaxChannels)
        fail(path, "unsupported channel count " + std::to_string(info.channels));
    if (info.samplerate < kMinSampleRate || info.samplerate > kMaxSampleRate)
        fail(path, "implausible sample rate " + std::to_string(info.samplerate) + " Hz (expected " +
                       std::to_string(kMinSampleRate) + ".." + std::to_string(kMaxSampleRate) + ")");
    if (info.frames == 0) fail(path, "contains no audio (0 frames)");
    const bool frames_known = info.frames > 0 && info.frames != SF_COUNT_MAX;
    if (frames_known && info.frames > kMaxFrames)
        fail(path, "too long: " + std::to_string(info.frames) + " frames (limit " +
                       std::to_string(kMaxFrames) + ")");

    const sf_count_t max_frames = kMaxSeconds * info.samplerate;
    if (frames_known && info.frames > max_frames) failTooLong(path, info.frames, info.samplerate);

    const sf_count_t cut_from = announcedFramesIfCut(file.get(), info);

    AudioClip clip;
    clip.sample_rate = info.samplerate;
    clip.source_channels = info.channels;
    if (frames_known)
        clip.samples.reserve(static_cast<std::size_t>(std::min<sf_count_t>(info.frames, 1 << 24)));

    const int ch = info.channels;
    std::vector<float> block(static_cast<std::size_t>(kBlockFrames * ch));
    sf_count_t total = 0;
    while (true) {
        const sf_count_t got = sf_readf_float(file.get(), block.data(), kBlockFrames);
        if (got <= 0) break;
        if (total + got > kMaxFrames)
            fail(path, "too long (more than " + std::to_string(kMaxFrames) + " frames)");
        if (total + got > max_frames) failTooLong(path, total + got, info.samplerate);
        for (sf_count_t i = 0; i < got; ++i) {
            double sum = 0.0;
            for (int c = 0; c < ch; ++c) sum += block[static_cast<std::size_t>(i * ch + c)];
            const double mono = sum / ch;
            if (!std::isfinite(mono))
                fail(path, "sample " + std::to_string(total + i) + " is not a finite number");
            // Float files may exceed full scale; the pipeline assumes [-1, 1].
            clip.samples.push_back(static_cast<float>(std::clamp(mono, -1.0, 1.0)));
        }
        total += got;
    }

    const int read_error = sf_error(file.get());
    const std::string why =
        read_error != SF_ERR_NO_ERROR ? std::string(" (") + sf_strerror(file.get()) + ")" : "";
    if (cut_from > 0)
        fail(path, "truncated: read " + std::to_string(total) + " of " + std::to_string(cut_from) +
                       " frames" + why);
    if (frames_known && total < info.frames)
        fail(path, "truncated: read " + std::to_string(total) + " of " + std::to_string(info.frames) +
                       " frames" + why);
    if (read_error != SF_ERR_NO_ERROR)
        fail(path, "decode error after " + std::to_string(total) + " frames" + why);
    if (total == 0) fail(path, "contains no audio (0 frames)");
    return clip;
}

void writeWav(const std::string& path, const std::vector<float>& samples, int sample_rate) {
    if (sample_rate < kMinSampleRate || sample_rate > kMaxSampleRate)
        fail(path, "cannot write sample rate " + std::to_string(sample_rate) + " Hz");
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (!std::isfinite(samples[i]))
            fail(path, "cannot write sample " + std::to_string(i) + ": not finite");

    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SndfilePtr file;
    {
        std::lock_guard<std::mutex> lock(openMutex());
        file.reset(sf_open(path.c_str(), SFM_WRITE, &info));
        if (!file) fail(path, std::string("cannot open for writing (") + sf_strerror(nullptr) + ")");
    }
    // Without clipping, libsndfile wraps 1.0f to -32768.
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const auto frames = static_cast<sf_count_t>(samples.size());
    if (sf_writef_float(file.get(), samples.data(), frames) != frames)
        fail(path, std::string("write failed (") + sf_strerror(file.get()) + ")");
    if (sf_close(file.release()) != 0) fail(path, "write failed while closing");
}

}  // namespace tm2::data
