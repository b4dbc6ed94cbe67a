// `tinym2net data …`: make-demo, inspect, features.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/cli_options.h"
#include "app/cli/progress_printer.h"
#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/npy.h"
#include "core/data/demo_dataset.h"
#include "core/data/feature_shard.h"

namespace tm2::cli {

namespace {

nlohmann::json skippedJson(const std::vector<data::SkippedItem>& skipped) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : skipped) {
        nlohmann::json item{{"path", s.path}, {"reason", s.reason}};
        if (s.line > 0) item["line"] = s.line;
        list.push_back(item);
    }
    return list;
}

void printSkipped(const std::vector<data::SkippedItem>& skipped) {
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < skipped.size() && i < kShown; ++i) {
        const auto& s = skipped[i];
        std::cout << "  skipped " << s.path << (s.line > 0 ? ":" + std::to_string(s.line) : "") << ": "
                  << s.reason << "\n";
    }
    if (skipped.size() > kShown) std::cout << "  … and " << skipped.size() - kShown << " more (see --json)\n";
}

std::string shapeText(const std::vector<std::size_t>& shape) {
    std::string text;
    for (std::size_t d : shape) text += (text.empty() ? "" : "×") + std::to_string(d);
    return text;
}

// ---- make-demo ------------------------------------------------------------
struct MakeDemoArgs {
    std::string kind = "image-audio";
    data::DemoConfig config;
    bool json = false;
    bool quiet = false;
};

void runMakeDemo(const MakeDemoArgs& args) {
    data::DemoConfig config = args.config;
    config.kind = data::demoKindFromString(args.kind);
    ProgressPrinter printer(args.quiet || args.json);
    const data::DemoSummary summary = data::makeDemoDataset(config, printer.callback());
    if (args.json) {
        std::cout << nlohmann::json{{"kind", args.kind},          {"manifest", summary.manifest_path},
                                    {"samples", summary.samples}, {"classes", summary.classes},
                                    {"seconds", summary.seconds}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "demo dataset (" << args.kind << "): " << summary.samples << " samples, " << summary.classes
                  << " classes in " << summary.seconds << " s\nmanifest: " << summary.manifest_path << "\n";
    }
}

// ---- inspect --------------------------------------------------------------
struct InspectArgs {
    workflow::DatasetOptions dataset;
    bool no_probe = false;
    bool json = false;
    bool quiet = false;
};

void runInspect(const InspectArgs& args) {
    std::vector<std::string> warnings;
    const data::DatasetIndex index = args.dataset.open(warnings);

    nlohmann::json out;
    out["dataset"] = args.dataset.path;
    out["layout"] = index.layout;
    out["recordings"] = index.samples.size();
    std::map<std::string, std::size_t> classes = index.classCounts(), splits = index.splitCounts();
    std::vector<data::SkippedItem> skipped = index.skipped;
    std::size_t samples = index.samples.size();
    std::vector<std::vector<std::size_t>> shapes;
    if (!args.no_probe) {
        // Decoding every file is what finds truncated or unreadable media; the
        // cache makes a second inspect (and the later training) cheap.
        ProgressPrinter printer(args.quiet || args.json);
        const data::FeatureSet features = args.dataset.features(index, warnings, printer.callback());
        classes.clear();
        splits.clear();
        for (const auto& item : features.items) {
            ++classes[features.classes[static_cast<std::size_t>(item.label)]];
            ++splits[std::string(item.split.str())];
        }
        skipped = features.skipped;
        samples = features.items.size();
        shapes = features.inputShapes();
        out["cache"] = {{"hits", features.cache_hits}, {"misses", features.cache_misses}};
    }
    out["samples"] = samples;
    out["classes"] = classes;
    out["splits"] = splits;
    out["modalities"] = nlohmann::json::array();
    for (std::size_t m = 0; m < index.spec.modalities.size(); ++m) {
        const auto& spec = index.spec.modalities[m];
        nlohmann::json entry{{"name", spec.name}, {"kind", data::toString(spec.kind)}};
        if (!shapes.empty()) entry["shape"] = shapes[m];
        out["modalities"].push_back(entry);
    }
    out["skipped"] = skippedJson(skipped);
    out["warnings"] = warnings;
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";

    if (args.json) {
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::cout << "dataset " << args.dataset.path << " (" << index.layout << " layout): " << samples << " samples\n";
    for (std::size_t m = 0; m < index.spec.modalities.size(); ++m)
        std::cout << "  modality " << index.spec.modalities[m].name << ": "
                  << data::toString(index.spec.modalities[m].kind)
                  << (shapes.empty() ? "" : ", features " + shapeText(shapes[m])) << "\n";
    std::cout << "  classes:";
    for (const auto& [name, count] : classes) std::cout << " " << name << "=" << count;
    std::cout << "\n  splits:";
    for (const auto& [name, count] : splits) std::cout << " " << name << "=" << count;
    std::cout << "\n  skipped: " << skipped.size() << "\n";
    printSkipped(skipped);
}

// ---- features -------------------------------------------------------------
struct FeaturesArgs {
    workflow::DatasetOptions dataset;
    std::string out;
    std::string shard;  // "i/N": fill the cache with that shard only
    bool normalize = true;
    bool json = false;
    bool quiet = false;
};

// `data features --shard i/N`: extracts one shard into the cache and writes nothing else,
// so N array tasks prepare a corpus the next training finds cached.
void runFeatureShard(const FeaturesArgs& args) {
    const data::FeatureShard shard = data::parseFeatureShard(args.shard, "--shard");
    if (!args.out.empty())
        throw Error("--shard fills the feature cache only; drop --out (or drop --shard to write .npy stacks)");
    if (args.dataset.no_cache) throw Error("--shard fills the feature cache; it cannot be used with --no-cache");
    std::vector<std::string> warnings;
    const data::DatasetIndex index = data::shardOf(args.dataset.open(warnings), shard);
    data::FeatureOptions options = args.dataset.featureOptions();
    options.keep_features = false;
    ProgressPrinter printer(args.quiet || args.json);
    const data::FeatureSet features = data::buildFeatures(index, options, printer.callback());
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    const std::string name = std::to_string(shard.index) + "/" + std::to_string(shard.count);
    if (args.json) {
        std::cout << nlohmann::json{{"shard", name},
                                    {"samples", index.samples.size()},
                                    {"cache_dir", options.cache_dir},
                                    {"cache", {{"hits", features.cache_hits}, {"misses", features.cache_misses}}},
                                    {"skipped", skippedJson(features.skipped)},
                                    {"warnings", warnings}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << "shard " << name << ": " << index.samples.size() << " samples, " << features.cache_misses
              << " feature files extracted, " << features.cache_hits << " already cached, "
              << features.skipped.size() << " skipped, in " << options.cache_dir << "\n";
    printSkipped(features.skipped);
}

void runFeatures(const FeaturesArgs& args) {
    if (!args.shard.empty()) return runFeatureShard(args);
    if (args.out.empty()) throw Error("--out is required (or --shard i/N to fill the feature cache only)");
    std::vector<std::string> warnings;
    const data::DatasetIndex index = args.dataset.open(warnings);
    ProgressPrinter printer(args.quiet || args.json);
    data::FeatureSet features = args.dataset.features(index, warnings, printer.callback());
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
    const data::NormalizationStats stats = data::computeNormalization(features);
    if (args.normalize) data::applyNormalization(features, stats);

    std::filesystem::create_directories(args.out);
    const auto shapes = features.inputShapes();
    nlohmann::json written = nlohmann::json::object();
    for (const std::string split : {"train", "val", "test"}) {
        std::vector<const data::FeatureItem*> items;
        for (const auto& item : features.items)
            if (item.split == split) items.push_back(&item);
        if (items.empty()) continue;
        for (std::size_t m = 0; m < shapes.size(); ++m) {
            std::vector<std::size_t> shape{items.size()};
            shape.insert(shape.end(), shapes[m].begin(), shapes[m].end());
            Tensor stack(shape);
            const std::size_t per = elementCount(shapes[m]);
            for (std::size_t i = 0; i < items.size(); ++i)
                std::copy(items[i]->inputs[m].values.begin(), items[i]->inputs[m].values.end(),
                          stack.values.begin() + static_cast<std::ptrdiff_t>(i * per));
            const std::string name = split + "_" + features.spec.modalities[m].name + ".npy";
            writeNpy((std::filesystem::path(args.out) / name).string(), stack);
        }
        Tensor labels({items.size()});
        std::ostringstream csv;
        csv << "id,group,label_index,label\n";
        for (std::size_t i = 0; i < items.size(); ++i) {
            labels.values[i] = static_cast<float>(items[i]->label);
            csv << features.id(*items[i]) << "," << features.group(*items[i]) << "," << items[i]->label << ","
                << features.classes[static_cast<std::size_t>(items[i]->label)] << "\n";
        }
        writeNpy((std::filesystem::path(args.out) / (split + "_labels.npy")).string(), labels);
        writeFileAtomically((std::filesystem::path(args.out) / (split + "_items.csv")).string(), csv.str());
        written[split] = items.size();
    }
    nlohmann::json norm{{"normalized", args.normalize}, {"mean", stats.mean}, {"std", stats.std},
                        {"classes", features.classes}};
    writeFileAtomically((std::filesystem::path(args.out) / "normalization.json").string(), norm.dump(2) + "\n");
    nlohmann::json out{{"out", args.out}, {"splits", written}, {"skipped", skippedJson(features.skipped)},
                       {"warnings", warnings}, {"cache", {{"hits", features.cache_hits}, {"misses", features.cache_misses}}}};
    if (args.json) {
        std::cout << out.dump(2) << "\n";
    } else {
        std::cout << "features written to " << args.out << ":";
        for (auto& [split, count] : written.items()) std::cout << " " << split << "=" << count;
        std::cout << " (" << features.skipped.size() << " skipped)\n";
        printSkipped(features.skipped);
    }
}

}  // namespace

void registerDataCommands(CLI::App& app) {
    CLI::App* data = app.add_subcommand("data", "Datasets: make the demo, inspect, extract features");
    data->require_subcommand(1);

    auto demo = std::make_shared<MakeDemoArgs>();
    CLI::App* make = data->add_subcommand("make-demo", "Generate a built-in demo dataset from Debian packages");
    make->add_option("--kind", demo->kind, "image-audio | audio-audio")
        ->check(CLI::IsMember({"image-audio", "audio-audio"}))
        ->capture_default_str();
    make->add_option("--out", demo->config.out_dir, "Output folder")->required();
    make->add_option("--seed", demo->config.seed, "Random seed")->capture_default_str();
    make->add_option("--samples-per-class", demo->config.samples_per_class, "Samples per class")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    make->add_option("--speakers", demo->config.speakers, "Speaker profiles (groups)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    make->add_option("--threads", demo->config.threads, "Worker threads (0 = all cores)")->capture_default_str();
    make->add_flag("--json", demo->json, "Print the summary as JSON");
    make->add_flag("--quiet", demo->quiet, "No progress output");
    make->callback([demo] { runMakeDemo(*demo); });

    auto inspect = std::make_shared<InspectArgs>();
    CLI::App* ins = data->add_subcommand("inspect", "Summarise a dataset: samples, classes, splits, skipped files");
    addDatasetOptions(*ins, inspect->dataset);
    ins->add_flag("--no-probe", inspect->no_probe, "Do not decode files (faster, finds fewer problems)");
    ins->add_flag("--json", inspect->json, "Print the summary as JSON");
    ins->add_flag("--quiet", inspect->quiet, "No progress output");
    ins->callback([inspect] { runInspect(*inspect); });

    auto feats = std::make_shared<FeaturesArgs>();
    CLI::App* fea = data->add_subcommand("features", "Extract model-ready features to .npy files per split");
    addDatasetOptions(*fea, feats->dataset);
    fea->add_option("--out", feats->out, "Output folder (required unless --shard)");
    fea->add_option("--shard", feats->shard,
                    "Only fill the feature cache with shard i of N (0-based), e.g. --shard $SLURM_ARRAY_TASK_ID/8");
    fea->add_flag("!--raw", feats->normalize, "Write unnormalised features");
    fea->add_flag("--json", feats->json, "Print the summary as JSON");
    fea->add_flag("--quiet", feats->quiet, "No progress output");
    fea->callback([feats] { runFeatures(*feats); });
}

}  // namespace tm2::cli
