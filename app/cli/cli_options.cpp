#include "app/cli/cli_options.h"

#include <iostream>

namespace tm2::cli {

void addDatasetOptions(CLI::App& command, workflow::DatasetOptions& o, bool as_option) {
    command.add_option(as_option ? "--data" : "DIR", o.path, "Dataset folder or manifest.csv")->required();
    command.add_option("--layout", o.layout.layout, "auto|manifest|folder|coswara|compare")
        ->check(CLI::IsMember({"auto", "manifest", "folder", "coswara", "compare"}))
        ->capture_default_str();
    command.add_option("--coswara-first", o.layout.coswara_first, "Coswara recording for modality 1")
        ->capture_default_str();
    command.add_option("--coswara-second", o.layout.coswara_second, "Coswara recording for modality 2")
        ->capture_default_str();
    command.add_option("--coswara-metadata", o.layout.coswara_metadata, "Coswara metadata CSV (default: found)");
    command.add_flag("--allow-outside-paths", o.layout.allow_outside_paths,
                     "Read media files outside the dataset folder (a shared corpus); devices and pipes stay refused");
    command.add_option("--val", o.split.val_fraction, "Validation fraction")->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    command.add_option("--test", o.split.test_fraction, "Test fraction")->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    command.add_option("--seed", o.split.seed, "Split seed")->capture_default_str();
    command.add_option("--split", o.split_mode,
                       "group: participants never on both sides; random-chunks: each window at random, the paper's sampling (leaks)")
        ->check(CLI::IsMember({"group", "random-chunks"}))
        ->capture_default_str();
    command.add_option("--resplit", o.resplit,
                       "keep: the dataset's given splits stand; group: assign whole groups anew")
        ->check(CLI::IsMember({"keep", "group"}))
        ->capture_default_str();
    command.add_flag("--chunks", o.chunks, "Cut every audio recording into all its windows (chunk sampling)");
    command.add_option("--cache-dir", o.cache_dir, "Feature cache folder (default ~/.cache/tinym2net/features)");
    command.add_flag("--no-cache", o.no_cache, "Do not read or write the feature cache");
    command.add_option("--threads", o.threads, "Worker threads (0 = all cores)")->capture_default_str();
}


void addTrainingOptions(CLI::App& command, workflow::TrainingOptions& o, OutputFlags& output, bool with_only) {
    addDatasetOptions(command, o.dataset, true);
    command.add_option("--spec", o.spec_path, "ModelSpec JSON (default: the preset for the dataset's modalities)");
    if (with_only) command.add_option("--only", o.only, "Train one modality's branch alone");
    command.add_option("--epochs", o.train.epochs, "Epochs")->capture_default_str();
    command.add_option("--batch-size", o.train.batch_size, "Batch size")->capture_default_str();
    command
        .add_option("--memory-budget-mb", o.train.memory_budget_mb,
                    "Refuse a model needing more memory than this to train at the batch size (MiB)")
        ->capture_default_str();
    command.add_option("--lr", o.train.learning_rate, "Adam learning rate")->capture_default_str();
    command.add_option("--weight-decay", o.train.weight_decay, "Adam weight decay")->capture_default_str();
    command.add_option("--class-weights", o.class_weighting, "none | balanced")
        ->check(CLI::IsMember({"none", "balanced"}))
        ->capture_default_str();
    command.add_option("--lr-schedule", o.lr_schedule, "constant | cosine | step")
        ->check(CLI::IsMember({"constant", "cosine", "step"}))
        ->capture_default_str();
    command.add_option("--select-by", o.select_by,
                       "Validation figure that picks the best epoch (and best unimodal): accuracy | uar | loss")
        ->check(CLI::IsMember({"accuracy", "uar", "loss"}))
        ->capture_default_str();
    command.add_option("--patience", o.train.early_stopping_patience, "Early stopping patience (0 = off)")
        ->capture_default_str();
    command.add_option("--modality-dropout", o.train.modality_dropout, "Probability of hiding one branch per sample")
        ->capture_default_str();
    command.add_option("--aux-loss", o.train.aux_loss_weight, "Weight of per-branch auxiliary losses")
        ->capture_default_str();
    command
        .add_option(
            "--augment", o.augment,
            "Training-time augmentation: off | audio | image | on | items such as "
            "time-mask=2:0.1,freq-mask=2:0.15,shift=0.1,gain=6,image-shift=0.1,rotate=10,scale=0.1,hflip "
            "and noisy training copies: noise=LO:HI (SNR dB),noise-copies=K,"
            "noise-color=white|pink|brown|any,noise-dir=PATH (docs/augmentation.md)")
        ->default_str("off");
    command.add_flag("!--no-resume", o.train.resume, "Start over even if the run folder holds a checkpoint");
    command.add_flag("--stream-features", o.stream_features,
                     "Read batches from the feature cache instead of memory (corpora larger than RAM; same results)");
    command.add_option("--out", o.out, "Run folder (checkpoints, spec, normalisation, result)")->required();
    command.add_option("--workspace", o.workspace, "Experiment store folder (default ~/.local/share/tinym2net)");
    command.add_flag("--json", output.json, "Print the result as JSON");
    command.add_flag("--quiet", output.quiet, "No progress output");
}


void addQuantFlags(CLI::App& c, QuantFlags& f, bool with_mode, bool with_threads) {
    workflow::QuantSettings& s = f.settings;
    if (with_mode)
        c.add_option("--mode", s.mode, "int8 | int4 | mp (mixed precision by the ILP over --bits)")
            ->check(CLI::IsMember({"int8", "int4", "mp"}))
            ->capture_default_str();
    c.add_option("--size-kb", s.size_kb, "MP: weight-size budget in KiB")->check(CLI::PositiveNumber);
    c.add_option("--bops-m", s.bops_m, "MP: BOPS budget in millions")->check(CLI::PositiveNumber);
    c.add_option("--alpha", s.alpha, "MP: size budget as α between the smallest (0) and largest (1) size the pins allow")
        ->check(CLI::Range(0.0, 1.0));
    c.add_option("--bops-alpha", s.bops_alpha, "MP: BOPS budget as α between the smallest and largest BOPS the pins allow")
        ->check(CLI::Range(0.0, 1.0));
    c.add_option("--pin", s.pins,
                 "Keep at 8 bits (repeatable, any mode): first (each branch's first conv), head (fusion head and "
                 "classifier), classifier; --mode int4 --pin first --pin classifier is HAWQ-V3's INT4 baseline")
        ->check(CLI::IsMember({"first", "head", "classifier"}));
    c.add_flag("--pin-head", s.pin_head, "Same as --pin head");
    c.add_option("--qat-epochs", s.qat_epochs, "Quantization-aware fine-tuning epochs")->capture_default_str();
    c.add_option("--calibration", s.calibration, "minmax | percentile")
        ->check(CLI::IsMember({"minmax", "percentile"}))
        ->capture_default_str();
    c.add_option("--hessian-probes", s.hessian_probes, "MP: most Hutchinson probes (the cap when the tolerance is not met)")->capture_default_str();
    c.add_option("--hessian-probe", s.hessian_probe,
                 "MP: isolated (one H·v per layer per probe: no cross-layer noise) | joint (one per probe, HAWQ-V3: "
                 "far noisier per probe)")
        ->check(CLI::IsMember({"joint", "isolated"}))
        ->capture_default_str();
    c.add_option("--hessian-samples", s.hessian_samples, "MP: calibration samples for the Hessian")
        ->capture_default_str();
    c.add_option("--hessian-tolerance,--hessian-tol", s.hessian_tolerance,
                 "MP: stop when every layer's trace has a standard error below this fraction of it "
                 "(reported per layer as hessian_trace_relative_sem)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    c.add_option("--hessian-seed", s.hessian_seed, "MP: seed of the Hessian probes (the calibration subset stays fixed)")
        ->capture_default_str();
    c.add_option("--bits", s.bits,
                 "MP: candidate bit widths (2..8; the runtime executes 2, 4 and 8, e.g. --bits 2,4,8)")
        ->delimiter(',')
        ->capture_default_str()
        ->check(CLI::Range(2, 8));
    c.add_option("--branch-kb", f.branch_kb, "MP: per-branch weight budget, BRANCH=KiB (repeatable)");
    c.add_option("--latency-table", s.latency_table,
                 "MP: per-layer µs per width (tinym2net-bench --latency-table)");
    c.add_option("--latency-us", s.latency_us, "MP: whole-network latency budget, µs (with --latency-table)");
    c.add_option("--workspace", s.workspace, "Experiment store folder (default ~/.local/share/tinym2net)");
    if (with_threads) c.add_option("--threads", s.threads, "Worker threads (0 = all cores)")->capture_default_str();
    c.add_flag("--json", f.output.json, "Print the result as JSON");
    c.add_flag("--quiet", f.output.quiet, "No progress output");
}

workflow::QuantSettings QuantFlags::resolved() const {
    workflow::QuantSettings s = settings;
    for (const auto& item : branch_kb) {
        const auto [branch, kb] = workflow::parseBranchBudget(item);
        s.branch_kb[branch] = kb;
    }
    return s;
}

void printWarnings(const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
}

}  // namespace tm2::cli
