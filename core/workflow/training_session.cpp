#include "core/workflow/training_session.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/data/feature_set.h"
#include "core/data/splits.h"
#include "core/model/presets.h"
#include "core/train/checkpoint.h"
#include "core/train/trainer.h"
#include "core/workflow/resume_check.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

std::string defaultWorkspace() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return (fs::path(xdg) / "tinym2net").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".local" / "share" / "tinym2net").string();
    return (fs::temp_directory_path() / "tinym2net").string();
}

namespace {

// The recorded settings → what extraction needs; the run's seed makes the copies reproducible.
data::NoiseMixConfig noiseMixOf(const train::AugmentConfig& a, std::uint64_t seed) {
    data::NoiseMixConfig n;
    n.copies = a.noise_copies;
    n.snr_low_db = a.noise_snr_low_db;
    n.snr_high_db = a.noise_snr_high_db;
    if (a.noise_color != "any")
        n.color = a.noise_color == "white"  ? data::NoiseColor::White
                  : a.noise_color == "pink" ? data::NoiseColor::Pink
                                            : data::NoiseColor::Brown;
    n.dir = a.noise_dir;
    n.seed = seed;
    return n;
}

}  // namespace

PreparedTraining prepareTraining(const TrainingOptions& options, const ProgressCallback& progress) {
    PreparedTraining prepared;
    prepared.config = options.train;
    nlohmann::json enums{{"class_weighting", options.class_weighting},
                         {"lr_schedule", options.lr_schedule},
                         {"select_by", options.select_by}};
    train::from_json(enums, prepared.config);
    if (!options.augment.empty()) prepared.config.augment = train::parseAugment(options.augment);
    // Recorded absolute, so the run means the same folder from wherever it is resumed.
    if (!prepared.config.augment.noise_dir.empty())
        prepared.config.augment.noise_dir =
            fs::absolute(prepared.config.augment.noise_dir).lexically_normal().string();
    prepared.config.threads = options.dataset.threads;
    prepared.config.seed = options.dataset.split.seed;  // one --seed: splits, weights, shuffling, dropout
    prepared.config.validate();

    // A folder that holds a run is continued only if it is the same run: settings
    // are checked now (before the features), the data and spec once they are known.
    const bool resuming = prepared.config.resume && holdsRun(options.out);
    nlohmann::json recorded;
    if (resuming) {
        recorded = readRecordedRun(options.out);
        requireResumable(options.out, recorded,
                         {{"dataset", options.dataset}, {"only", options.only}, {"train", prepared.config}});
    }

    // The run folder first: an unwritable --out fails before any work is done.
    std::error_code ec;
    fs::create_directories(options.out, ec);
    if (ec || !fs::is_directory(options.out)) throw Error(options.out + ": cannot create the run folder");
    prepared.config.checkpoint_dir = (fs::path(options.out) / "checkpoints").string();

    model::ModelSpec spec = options.spec;
    if (!options.spec_path.empty()) spec = model::readModelSpec(options.spec_path);
    const bool preset = spec.branches.empty();

    data::DatasetIndex index = options.dataset.open(prepared.warnings);
    const data::DatasetSpec dataset_spec = index.spec;
    // The index is consumed: a large listing and its items are never both held whole.
    data::FeatureSet features =
        options.dataset.features(std::move(index), prepared.warnings, progress, options.stream_features,
                                 noiseMixOf(prepared.config.augment, prepared.config.seed));
    data::requireHeldOutSplits(features, options.dataset.split);
    prepared.skipped = features.skipped.size();
    prepared.cache_hits = features.cache_hits;
    prepared.cache_misses = features.cache_misses;
    const data::NormalizationStats stats = data::computeNormalization(features);
    data::applyNormalization(features, stats);
    prepared.fingerprint = data::fingerprint(features);
    std::vector<train::AugmentDomain> augment_domains = train::augmentDomains(features.spec, stats);
    prepared.data = train::makeTrainingData(std::make_shared<const data::FeatureSet>(std::move(features)));
    prepared.data.augment_domains = std::move(augment_domains);

    if (preset) {
        std::vector<std::pair<std::string, std::string>> modalities;
        for (const auto& m : dataset_spec.modalities) modalities.emplace_back(m.name, data::toString(m.kind));
        spec = model::presetForModalities(modalities);
    }
    if (options.fusion) spec.fusion.type = *options.fusion;
    if (!options.only.empty()) {
        spec = spec.onlyBranch(options.only);
        prepared.data = prepared.data.only(options.only);
    }
    prepared.spec = train::bindSpecToData(spec, prepared.data);

    const nlohmann::json run_json{{"dataset", options.dataset},
                                  {"only", options.only},
                                  {"train", prepared.config},
                                  {"data_fingerprint", prepared.fingerprint}};
    if (resuming) requireResumable(options.out, recorded, run_json, nlohmann::json(prepared.spec));
    if (!prepared.config.resume) startOver(options.out);

    tm2::writeFileAtomically((fs::path(options.out) / "normalization.json").string(),
                             nlohmann::json{{"mean", stats.mean},
                                            {"std", stats.std},
                                            {"classes", prepared.data.classes},
                                            {"dataset", nlohmann::json(dataset_spec)}}
                                 .dump(2));
    model::writeModelSpec((fs::path(options.out) / "spec.json").string(), prepared.spec);
    nlohmann::json written = run_json;
    written["warnings"] = prepared.warnings;  // kept protocols and split leaks travel with the run
    tm2::writeFileAtomically((fs::path(options.out) / "run.json").string(), written.dump(2));
    return prepared;
}

LoadedRun loadRun(const std::string& run_dir, int threads, const ProgressCallback& progress) {
    LoadedRun run;
    run.dir = run_dir;
    const fs::path run_json = fs::path(run_dir) / "run.json";
    std::ifstream in(run_json);
    if (!in) throw Error(run_json.string() + ": not found (is " + run_dir + " a training run folder?)");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        throw Error(run_json.string() + ": invalid JSON");
    }
    run.dataset = j.at("dataset").get<DatasetOptions>();
    run.dataset.threads = threads;
    run.best_weights = (fs::path(run_dir) / "checkpoints" / "best.pt").string();
    if (!fs::exists(run.best_weights)) {
        // A `compare` or `ablate` folder: its fused network (the variant spec.json describes).
        const fs::path fused = fs::path(run_dir) / "checkpoints" / "multimodal" / "best.pt";
        if (!fs::exists(fused))
            throw Error(run_dir + ": has no checkpoint (checkpoints/best.pt, or checkpoints/multimodal/best.pt of a "
                                  "comparison); train it first");
        run.best_weights = fused.string();
    }
    PreparedTraining& p = run.prepared;
    p.config = j.at("train").get<train::TrainConfig>();
    p.config.threads = threads;
    run.aux_heads = p.config.aux_loss_weight > 0;
    data::FeatureSet features = run.dataset.features(run.dataset.open(p.warnings), p.warnings, progress);
    data::requireHeldOutSplits(features, run.dataset.split);
    const data::NormalizationStats stats = data::computeNormalization(features);
    data::applyNormalization(features, stats);
    p.fingerprint = data::fingerprint(features);
    const std::string recorded = j.value("data_fingerprint", std::string());
    if (!recorded.empty() && recorded != p.fingerprint)
        p.warnings.push_back("the dataset changed since this run was trained (fingerprint " + recorded + " → " +
                             p.fingerprint + ")");
    p.data = train::makeTrainingData(features);
    p.data.augment_domains = train::augmentDomains(features.spec, stats);
    const std::string only = j.value("only", std::string());
    if (!only.empty()) p.data = p.data.only(only);
    p.spec = train::bindSpecToData(model::readModelSpec((fs::path(run_dir) / "spec.json").string()), p.data);
    return run;
}

train::MultimodalNet loadTrainedNet(const model::ModelSpec& spec, bool aux_heads, const std::string& weights) {
    // Aux heads exist only with several branches (see trainModel), and the saved state must match.
    train::MultimodalNet net(spec, aux_heads && spec.branches.size() > 1);
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(weights);
        net->load(archive);
    } catch (const c10::Error&) {
        throw Error(weights + ": cannot load the weights (does the checkpoint belong to this spec?)");
    }
    train::useChannelsLast(*net);
    return net;
}

std::map<std::string, int> readPlanBits(const std::string& path, const std::vector<int>& widths) {
    const nlohmann::json j = readJsonFile(path);
    if (!j.is_object() || !j.contains("bits") || !j["bits"].is_object())
        throw Error(path + ": field 'bits' (layer → bits) is missing");
    // An empty plan would silently mean "no plan" (a fresh solve) downstream.
    if (j["bits"].empty())
        throw Error(path + ": field 'bits' is empty; a plan names every quantized layer's bit width");
    std::string allowed;
    for (std::size_t i = 0; i < widths.size(); ++i)
        allowed += (i == 0 ? "" : i + 1 == widths.size() ? " or " : ", ") + std::to_string(widths[i]);
    std::map<std::string, int> bits;
    for (const auto& [name, b] : j["bits"].items()) {
        // Read as 64 bits, so 4294967300 is refused instead of wrapping to 4 in an int
        // (numbers past the int64 range come back negative and are refused too).
        const bool integer = b.is_number_integer();
        const std::int64_t value = integer ? b.get<std::int64_t>() : 0;
        if (!integer || std::find(widths.begin(), widths.end(), value) == widths.end())
            throw Error(path + ": bits." + name + " is " + b.dump() + "; layer '" + name + "' must be at " +
                        allowed + " bits" +
                        (widths == kRuntimeBitWidths ? " (the widths the runtime executes)" : ""));
        bits[name] = static_cast<int>(value);
    }
    return bits;
}

}  // namespace tm2::workflow
