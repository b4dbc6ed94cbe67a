// `tinym2net dsp mfcc FILE`: one recording → frames × coefficients matrix.

#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/base/error.h"
#include "core/base/npy.h"
#include "core/data/audio_decoder.h"
#include "core/dsp/mfcc.h"
#include "core/dsp/resample.h"

namespace tm2::cli {

namespace {

struct MfccArgs {
    std::string input;
    std::string out;
    dsp::MfccConfig config;
    std::string window = "hann";
    std::string mel_scale = "slaney";
    std::string log = "db";
    bool no_center = false;
    bool json = false;
};

void runMfcc(MfccArgs args) {
    // Enum options go through the config's JSON reader so the names stay in one place.
    nlohmann::json j = args.config;
    j["window"] = args.window;
    j["mel_scale"] = args.mel_scale;
    j["log"] = args.log;
    j["center"] = !args.no_center;
    dsp::MfccConfig config = j.get<dsp::MfccConfig>();
    config.validate();

    const std::string ext = std::filesystem::path(args.out).extension().string();
    if (ext != ".npy" && ext != ".csv") throw Error("--out " + args.out + ": use a .npy or .csv file name");

    const data::AudioClip clip = data::decodeAudio(args.input);
    const std::vector<float> samples = dsp::resample(clip.samples, clip.sample_rate, config.sample_rate);
    const Tensor mfcc = dsp::computeMfcc(samples, config);
    if (ext == ".npy")
        writeNpy(args.out, mfcc);
    else
        writeCsv(args.out, mfcc);

    const double seconds = static_cast<double>(samples.size()) / config.sample_rate;
    if (args.json) {
        std::cout << nlohmann::json{{"input", args.input},
                                    {"out", args.out},
                                    {"frames", mfcc.shape[0]},
                                    {"coefficients", mfcc.shape[1]},
                                    {"source_sample_rate", clip.sample_rate},
                                    {"source_channels", clip.source_channels},
                                    {"seconds", seconds},
                                    {"config", config}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << args.out << ": " << mfcc.shape[0] << " frames × " << mfcc.shape[1] << " coefficients ("
                  << seconds << " s at " << config.sample_rate << " Hz)\n";
    }
}

}  // namespace

void registerDspCommands(CLI::App& app) {
    CLI::App* dsp = app.add_subcommand("dsp", "Signal processing on single files");
    dsp->require_subcommand(1);
    auto args = std::make_shared<MfccArgs>();
    CLI::App* mfcc = dsp->add_subcommand(
        "mfcc", "MFCC of an audio file (librosa conventions) written as frames × coefficients .npy or .csv");
    auto& c = args->config;
    mfcc->add_option("FILE", args->input, "wav/flac/ogg file")->required();
    mfcc->add_option("--out", args->out, "Output X.npy or X.csv")->required();
    mfcc->add_option("--sample-rate", c.sample_rate, "Resample to this rate (Hz)")->capture_default_str();
    mfcc->add_option("--n-fft", c.n_fft, "FFT size")->capture_default_str();
    mfcc->add_option("--hop", c.hop_length, "Hop length (samples)")->capture_default_str();
    mfcc->add_option("--win-length", c.win_length, "Window length (samples, 0 = n_fft)")->capture_default_str();
    mfcc->add_option("--window", args->window, "hann | hamming")->capture_default_str();
    mfcc->add_flag("--no-center", args->no_center, "Do not centre frames (no padding)");
    mfcc->add_option("--n-mels", c.n_mels, "Mel bands")->capture_default_str();
    mfcc->add_option("--fmin", c.fmin, "Lowest frequency (Hz)")->capture_default_str();
    mfcc->add_option("--fmax", c.fmax, "Highest frequency (Hz, 0 = Nyquist)")->capture_default_str();
    mfcc->add_option("--mel-scale", args->mel_scale, "slaney | htk")->capture_default_str();
    mfcc->add_option("--log", args->log, "db | ln")->capture_default_str();
    mfcc->add_option("--top-db", c.top_db, "dB floor below the peak (0 = off)")->capture_default_str();
    mfcc->add_option("--n-mfcc", c.n_mfcc, "Coefficients")->capture_default_str();
    mfcc->add_option("--deltas", c.deltas, "0, 1 (+delta) or 2 (+delta-delta)")->capture_default_str();
    mfcc->add_flag("--json", args->json, "Print a JSON summary");
    mfcc->callback([args] { runMfcc(*args); });
}

}  // namespace tm2::cli
