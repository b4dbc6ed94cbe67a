#include "core/train/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.h"
#include "core/base/thread_count.h"
#include "core/model/shape_inference.h"
#include "core/model/training_memory.h"
#include "core/train/checkpoint.h"
#include "core/train/flat_adam.h"
#include "core/train/multimodal_net.h"

namespace tm2::train {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Where a training step's time goes (seconds over the run); printed to stderr when
// TM2_TRAIN_PHASES is set, to profile the loop without a profiler (docs/training-speed.md).
struct PhaseTimes {
    double batch = 0, forward = 0, backward = 0, optimizer = 0, bookkeeping = 0;
    Clock::time_point mark = Clock::now();
    void lap(double& phase) {
        const auto now = Clock::now();
        phase += std::chrono::duration<double>(now - mark).count();
        mark = now;
    }
    void print(int64_t samples) const {
        const double total = batch + forward + backward + optimizer + bookkeeping;
        auto share = [&](const char* name, double s) {
            std::fprintf(stderr, "  %-12s %8.3f s  %5.1f %%  %7.1f us/sample\n", name, s, 100.0 * s / total,
                         1e6 * s / static_cast<double>(samples));
        };
        std::fprintf(stderr, "train phases over %lld samples (%.3f s):\n", static_cast<long long>(samples), total);
        share("batch", batch);
        share("forward+loss", forward);
        share("backward", backward);
        share("optimizer", optimizer);
        share("bookkeeping", bookkeeping);
    }
};

std::vector<torch::Tensor> selectInputs(const SplitTensors& split, const std::vector<std::size_t>& order,
                                        const torch::Tensor& index) {
    std::vector<torch::Tensor> inputs;
    for (std::size_t m : order) inputs.push_back(split.inputRows(m, index));  // streamed splits read the cache
    return inputs;
}

torch::Tensor classWeights(const TrainConfig& config, const TrainingData& data) {
    if (config.class_weighting == ClassWeighting::None) return {};
    const auto k = static_cast<int64_t>(data.classes.size());
    torch::Tensor counts = torch::bincount(data.train.labels, {}, k).to(torch::kFloat32);
    // n / (k · n_c); a class absent from train gets weight 0 (it cannot be learnt anyway).
    torch::Tensor w = static_cast<float>(data.train.size()) / (static_cast<float>(k) * counts);
    return torch::where(counts > 0, w, torch::zeros_like(w));
}

double learningRateAt(const TrainConfig& c, int epoch) {  // epoch is 1-based
    switch (c.lr_schedule) {
        case LrSchedule::Constant:
            return c.learning_rate;
        case LrSchedule::Step:
            return c.learning_rate * std::pow(c.lr_gamma, (epoch - 1) / c.lr_step_epochs);
        case LrSchedule::Cosine:
            return c.learning_rate * 0.5 * (1.0 + std::cos(M_PI * (epoch - 1) / std::max(1, c.epochs)));
    }
    return c.learning_rate;
}

// Per sample, with probability p hide one branch chosen uniformly (never all of them).
torch::Tensor modalityDropoutMask(int64_t n, std::size_t branches, double p, torch::Generator& gen) {
    torch::Tensor present = torch::ones({n, static_cast<int64_t>(branches)});
    if (branches < 2 || p <= 0) return present;
    torch::Tensor drop = torch::rand({n}, gen) < p;
    torch::Tensor which = torch::randint(static_cast<int64_t>(branches), {n}, gen);
    torch::Tensor hidden = torch::one_hot(which, static_cast<int64_t>(branches)).to(torch::kFloat32) *
                           drop.unsqueeze(1).to(torch::kFloat32);
    return present - hidden;
}

}  // namespace

void useChannelsLast(torch::nn::Module& module) {
    torch::NoGradGuard no_grad;
    for (auto& p : module.parameters())
        // Not p.contiguous(ChannelsLast): for one input channel that keeps NCHW
        // strides (both layouts coincide), and the whole network then stays NCHW.
        if (p.dim() == 4)
            p.set_data(torch::empty_like(p, p.options().memory_format(torch::MemoryFormat::ChannelsLast)).copy_(p));
}

EvalResult evaluate(MultimodalNet& net, const SplitTensors& split, const std::vector<std::size_t>& order,
                    int num_classes, int batch_size, std::optional<std::size_t> hidden_branch) {
    EvalResult result;
    const int64_t n = split.size();
    if (n == 0) return result;
    torch::NoGradGuard no_grad;
    net->eval();
    std::vector<int> truth, predicted;
    std::vector<double> scores;
    double loss_sum = 0;
    for (int64_t start = 0; start < n; start += batch_size) {
        const int64_t end = std::min<int64_t>(n, start + batch_size);
        torch::Tensor index = torch::arange(start, end);
        torch::Tensor present;
        if (hidden_branch) {
            present = torch::ones({end - start, static_cast<int64_t>(order.size())});
            present.select(1, static_cast<int64_t>(*hidden_branch)).zero_();
        }
        const NetOutput out = net->forward(selectInputs(split, order, index), present);
        torch::Tensor labels = split.labels.index_select(0, index);
        loss_sum += torch::nn::functional::cross_entropy(out.logits, labels).item<double>() * (end - start);
        // Read whole batches through accessors: one .item() per value costs a dispatch each.
        const auto truth_of = labels.accessor<int64_t, 1>();
        const torch::Tensor batch_logits = out.logits.to(torch::kFloat32).contiguous();
        result.logits.insert(result.logits.end(), batch_logits.data_ptr<float>(),
                             batch_logits.data_ptr<float>() + batch_logits.numel());
        const torch::Tensor pred = out.logits.argmax(1);
        const auto pred_of = pred.accessor<int64_t, 1>();
        for (int64_t i = 0; i < end - start; ++i) {
            truth.push_back(static_cast<int>(truth_of[i]));
            predicted.push_back(static_cast<int>(pred_of[i]));
        }
        if (num_classes == 2) {
            const torch::Tensor positive = torch::softmax(out.logits, 1).select(1, 1).to(torch::kFloat64).contiguous();
            scores.insert(scores.end(), positive.data_ptr<double>(), positive.data_ptr<double>() + positive.numel());
        }
    }
    result.loss = loss_sum / static_cast<double>(n);
    result.metrics = computeMetrics(truth, predicted, num_classes, scores);
    return result;
}

MetricLevels metricLevels(const EvalResult& eval, const SplitTensors& split, int num_classes) {
    const auto n = static_cast<std::size_t>(split.size());
    if (n == 0) return {};
    std::vector<int> truth(n);
    const auto labels = split.labels.accessor<int64_t, 1>();
    for (std::size_t i = 0; i < n; ++i) truth[i] = static_cast<int>(labels[static_cast<int64_t>(i)]);
    if (split.streamed) {  // a streamed split names its rows through the feature set
        std::vector<std::string> recordings(n), groups(n);
        for (std::size_t i = 0; i < n; ++i) recordings[i] = split.recording(i), groups[i] = split.group(i);
        return train::metricLevels(eval.logits, truth, recordings, groups, num_classes);
    }
    // Hand-made splits may carry no recordings or groups: each window is then its own.
    auto keysOr = [&](const std::vector<std::string>& keys, const std::vector<std::string>& fallback) {
        if (keys.size() == n) return keys;
        if (fallback.size() == n) return fallback;
        std::vector<std::string> own(n);
        for (std::size_t i = 0; i < n; ++i) own[i] = std::to_string(i);
        return own;
    };
    const std::vector<std::string> recordings = keysOr(split.recordings, split.ids);
    return train::metricLevels(eval.logits, truth, recordings, keysOr(split.groups, recordings), num_classes);
}

std::vector<std::size_t> branchInputOrder(const model::ModelSpec& spec, const TrainingData& data) {
    std::vector<std::size_t> order;
    for (const auto& b : spec.branches) order.push_back(data.modalityIndex(b.modality));
    return order;
}

model::ModelSpec bindSpecToData(const model::ModelSpec& spec, const TrainingData& data) {
    model::ModelSpec bound = spec;
    for (auto& branch : bound.branches) {
        std::size_t m = 0;
        try {
            m = data.modalityIndex(branch.modality);
        } catch (const Error& e) {
            throw Error("spec branch '" + branch.modality + "': " + e.what());
        }
        if (!branch.input.empty() && branch.input != data.shapes[m]) {
            auto text = [](const std::vector<std::size_t>& s) {
                std::string t;
                for (auto d : s) t += (t.empty() ? "" : "×") + std::to_string(d);
                return t;
            };
            throw Error("spec branch '" + branch.modality + "': declares input " + text(branch.input) +
                        " but the dataset gives " + text(data.shapes[m]));
        }
        branch.input = data.shapes[m];
    }
    const int classes = static_cast<int>(data.classes.size());
    if (bound.num_classes != 0 && bound.num_classes != classes)
        throw Error("spec num_classes is " + std::to_string(bound.num_classes) + " but the dataset has " +
                    std::to_string(classes) + " classes");
    bound.num_classes = classes;
    model::inferShapes(bound);  // located errors before any LibTorch call
    return bound;
}

double selectionScore(const EpochRecord& r, SelectBy by, bool has_validation) {
    switch (by) {
        case SelectBy::Uar:
            // Without validation there is no per-class recall of an epoch: train accuracy stands in.
            return has_validation ? r.val_uar : r.train_accuracy;
        case SelectBy::Loss:
            return -(has_validation ? r.val_loss : r.train_loss);
        case SelectBy::Accuracy:
            break;
    }
    return has_validation ? r.val_accuracy : r.train_accuracy;
}

double validationScore(const TrainResult& r, SelectBy by) {
    switch (by) {
        case SelectBy::Uar:
            return r.val.balanced_accuracy;
        case SelectBy::Loss:
            return -r.val_loss;
        case SelectBy::Accuracy:
            break;
    }
    return r.val.accuracy;
}

TrainResult trainModel(const model::ModelSpec& spec_in, const TrainingData& data, const TrainConfig& config,
                       const TrainCallback& callback) {
    config.validate();
    TrainResult result;
    result.spec = bindSpecToData(spec_in, data);
    model::checkTrainingMemory(result.spec, config.batch_size, config.memory_budget_mb << 20,
                               "raise it with --memory-budget-mb");
    const std::vector<std::size_t> order = branchInputOrder(result.spec, data);
    const int num_classes = result.spec.num_classes;
    // LibTorch defaults to one intra-op thread on this system: always set it.
    torch::set_num_threads(resolveThreadCount(config.threads));
    // Tiny gradients and Adam moments drift into denormal floats, which x86
    // handles in microcode, many times slower; flushing them to zero is harmless here.
    at::globalContext().setFlushDenormal(true);
    torch::manual_seed(config.seed);

    const bool aux = config.aux_loss_weight > 0 && result.spec.branches.size() > 1;
    MultimodalNet net(result.spec, aux);
    useChannelsLast(*net);
    result.parameters = countParameters(*net);
    // torch::optim::Adam's update and checkpoint format, over flat buffers (flat_adam.h).
    FlatAdam optimizer(net->parameters(),
                       torch::optim::AdamOptions(config.learning_rate).weight_decay(config.weight_decay));
    const torch::Tensor weights = classWeights(config, data);

    std::optional<CheckpointFolder> checkpoints;
    if (!config.checkpoint_dir.empty()) checkpoints.emplace(config.checkpoint_dir);

    int start_epoch = 1, epochs_without_improvement = 0;
    double best_val = -1.0;
    std::vector<torch::Tensor> best_state;  // parameters + buffers of the best epoch
    auto snapshot = [&] {
        best_state.clear();
        for (const auto& p : net->parameters()) best_state.push_back(p.detach().clone());
        for (const auto& b : net->buffers()) best_state.push_back(b.detach().clone());
        if (checkpoints) checkpoints->saveBest(*net);
    };
    if (checkpoints && config.resume) {
        if (auto state = checkpoints->load(*net, optimizer)) {
            start_epoch = state->at("epoch").get<int>() + 1;
            result.resumed_from_epoch = start_epoch - 1;
            result.history = state->at("history").get<std::vector<EpochRecord>>();
            result.best_epoch = state->value("best_epoch", 0);
            best_val = state->value("best_val", -1.0);
            epochs_without_improvement = state->value("epochs_without_improvement", 0);
            // The best weights live in best.pt; reload them at the end if training does not beat them.
        }
    }

    std::vector<AugmentDomain> augment_domains;  // in branch order
    if (config.augment.batchEnabled()) {
        if (data.augment_domains.size() != data.modalities.size())
            throw Error("augmentation needs each modality's kind (training data without augment_domains)");
        for (std::size_t m : order) augment_domains.push_back(data.augment_domains[m]);
    }

    const int64_t n = data.train.size();
    const int batches = static_cast<int>((n + config.batch_size - 1) / config.batch_size);
    const bool has_val = data.val.size() > 0;
    double train_seconds = 0;
    int64_t trained_samples = 0;
    const auto run_start = Clock::now();
    int batches_done_this_run = 0;
    const int batches_total_this_run = (config.epochs - start_epoch + 1) * batches;
    PhaseTimes phases;

    for (int epoch = start_epoch; epoch <= config.epochs; ++epoch) {
        const auto epoch_start = Clock::now();
        // Every epoch's randomness derives from (seed, epoch), so a resumed run
        // replays exactly what an uninterrupted one would have done.
        torch::manual_seed(config.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
        torch::Generator gen = at::detail::createCPUGenerator(config.seed * 7919ULL + static_cast<std::uint64_t>(epoch));
        const double lr = learningRateAt(config, epoch);
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);

        net->train();
        torch::Tensor perm = torch::randperm(n, gen);
        double loss_sum = 0;
        int64_t correct = 0, seen = 0;
        for (int b = 0; b < batches; ++b) {
            phases.mark = Clock::now();
            torch::Tensor index = perm.slice(0, int64_t{b} * config.batch_size,
                                             std::min<int64_t>(n, int64_t{b + 1} * config.batch_size));
            const int64_t bs = index.size(0);
            torch::Tensor labels = data.train.labels.index_select(0, index);
            torch::Tensor present;
            if (config.modality_dropout > 0)
                present = modalityDropoutMask(bs, order.size(), config.modality_dropout, gen);
            optimizer.zeroGrad();
            std::vector<torch::Tensor> inputs = selectInputs(data.train, order, index);
            if (config.augment.batchEnabled()) {
                data::SeededRandom rng(augmentSeed(config.seed, epoch, b));
                inputs = augmentBatch(inputs, augment_domains, config.augment, rng);
            }
            phases.lap(phases.batch);
            const NetOutput out = net->forward(inputs, present);
            auto ce = [&](const torch::Tensor& logits) {
                auto options = torch::nn::functional::CrossEntropyFuncOptions();
                if (weights.defined()) options.weight(weights);
                return torch::nn::functional::cross_entropy(logits, labels, options);
            };
            torch::Tensor loss = ce(out.logits);
            for (const auto& a : out.aux_logits) loss = loss + config.aux_loss_weight * ce(a);
            const double loss_value = loss.item<double>();
            if (!std::isfinite(loss_value))
                throw Error("epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1) + ": loss is " +
                            (std::isnan(loss_value) ? "NaN" : "infinite") +
                            "; training stopped (try a lower learning rate)" +
                            (checkpoints ? "; the last good checkpoint is kept in " + checkpoints->dir() : ""));
            phases.lap(phases.forward);
            loss.backward();
            phases.lap(phases.backward);
            optimizer.step();
            phases.lap(phases.optimizer);
            loss_sum += loss_value * static_cast<double>(bs);
            correct += out.logits.argmax(1).eq(labels).sum().item<int64_t>();
            seen += bs;
            ++batches_done_this_run;
            if (callback) {
                TrainEvent event;
                event.epoch = epoch;
                event.epochs = config.epochs;
                event.batch = b + 1;
                event.batches = batches;
                event.loss = loss_sum / static_cast<double>(seen);
                event.accuracy = static_cast<double>(correct) / static_cast<double>(seen);
                const double elapsed = secondsSince(run_start);
                event.eta_s = elapsed / batches_done_this_run * (batches_total_this_run - batches_done_this_run);
                if (!callback(event)) throw Cancelled();
            }
            phases.lap(phases.bookkeeping);
        }
        const double epoch_train_seconds = secondsSince(epoch_start);
        train_seconds += epoch_train_seconds;
        trained_samples += n;

        EpochRecord record;
        record.epoch = epoch;
        record.train_loss = loss_sum / static_cast<double>(n);
        record.train_accuracy = static_cast<double>(correct) / static_cast<double>(n);
        record.learning_rate = lr;
        if (has_val) {
            const EvalResult val = evaluate(net, data.val, order, num_classes, config.batch_size);
            record.val_loss = val.loss;
            record.val_accuracy = val.metrics.accuracy;
            record.val_uar = val.metrics.balanced_accuracy;
        }
        record.seconds = secondsSince(epoch_start);
        result.history.push_back(record);

        // Selection on validation (config.select_by), never on test; without a validation split
        // there is nothing to select on: the last epoch is the best and early stopping is off.
        const double score = selectionScore(record, config.select_by, has_val);
        if (!has_val || result.best_epoch == 0 || score > best_val) {
            best_val = score;
            result.best_epoch = epoch;
            epochs_without_improvement = 0;
            snapshot();
        } else {
            ++epochs_without_improvement;
        }
        if (checkpoints)
            checkpoints->save(epoch, *net, optimizer,
                              {{"history", result.history},
                               {"best_epoch", result.best_epoch},
                               {"best_val", best_val},
                               {"epochs_without_improvement", epochs_without_improvement},
                               {"config", config}});
        if (callback) {
            TrainEvent event;
            event.kind = TrainEvent::Kind::Epoch;
            event.epoch = epoch;
            event.epochs = config.epochs;
            event.batch = event.batches = batches;
            event.loss = record.train_loss;
            event.accuracy = record.train_accuracy;
            event.record = record;
            if (!callback(event)) throw Cancelled();
        }
        if (has_val && config.early_stopping_patience > 0 &&
            epochs_without_improvement >= config.early_stopping_patience) {
            result.stopped_early = epoch < config.epochs;
            break;
        }
    }

    // Evaluate with the best epoch's weights.
    if (!best_state.empty()) {
        torch::NoGradGuard no_grad;
        std::size_t i = 0;
        for (auto& p : net->parameters()) p.copy_(best_state[i++]);
        for (auto& b : net->buffers()) b.copy_(best_state[i++]);
    } else if (checkpoints && result.best_epoch > 0) {
        torch::serialize::InputArchive archive;
        archive.load_from(checkpoints->bestPath());
        net->load(archive);
    }
    if (checkpoints && result.best_epoch > 0) result.best_weights = checkpoints->bestPath();
    result.selected_by = config.select_by;
    const EvalResult val = evaluate(net, data.val, order, num_classes, config.batch_size);
    result.val = val.metrics;
    result.val_loss = val.loss;
    result.test_levels =
        metricLevels(evaluate(net, data.test, order, num_classes, config.batch_size), data.test, num_classes);
    result.test = result.test_levels.recording;  // the headline: per recording
    if (order.size() > 1 && data.test.size() > 0)
        for (std::size_t b = 0; b < order.size(); ++b)
            result.test_missing[result.spec.branches[b].modality] =
                metricLevels(evaluate(net, data.test, order, num_classes, config.batch_size, b), data.test,
                             num_classes)
                    .recording;
    if (std::getenv("TM2_TRAIN_PHASES")) phases.print(trained_samples);
    result.train_samples_per_s = train_seconds > 0 ? static_cast<double>(trained_samples) / train_seconds : 0;
    return result;
}

void to_json(nlohmann::json& j, const EpochRecord& r) {
    j = nlohmann::json{{"epoch", r.epoch},
                       {"train_loss", r.train_loss},
                       {"train_accuracy", r.train_accuracy},
                       {"val_loss", r.val_loss},
                       {"val_accuracy", r.val_accuracy},
                       {"val_uar", r.val_uar},
                       {"learning_rate", r.learning_rate},
                       {"seconds", r.seconds}};
}

void from_json(const nlohmann::json& j, EpochRecord& r) {
    r.epoch = j.at("epoch").get<int>();
    r.train_loss = j.value("train_loss", 0.0);
    r.train_accuracy = j.value("train_accuracy", 0.0);
    r.val_loss = j.value("val_loss", 0.0);
    r.val_accuracy = j.value("val_accuracy", 0.0);
    r.val_uar = j.value("val_uar", 0.0);
    r.learning_rate = j.value("learning_rate", 0.0);
    r.seconds = j.value("seconds", 0.0);
}

void to_json(nlohmann::json& j, const TrainResult& r) {
    j = nlohmann::json{{"history", r.history},
                       {"best_epoch", r.best_epoch},
                       {"selected_by", toString(r.selected_by)},  // on validation; test is reported only
                       {"stopped_early", r.stopped_early},
                       {"resumed_from_epoch", r.resumed_from_epoch},
                       {"val", r.val},
                       {"val_loss", r.val_loss},
                       {"test", r.test},
                       {"test_levels", r.test_levels},
                       {"headline_level", "recording"},
                       {"test_acc", r.test.samples > 0 ? nlohmann::json(r.test.accuracy) : nlohmann::json()},
                       {"train_samples_per_s", r.train_samples_per_s},
                       {"parameters", r.parameters}};
    if (!r.test_missing.empty()) {
        nlohmann::json missing;
        for (const auto& [m, metrics] : r.test_missing) missing[m] = metrics;
        j["test_missing"] = missing;
    }
    if (!r.best_weights.empty()) j["best_weights"] = r.best_weights;
}

}  // namespace tm2::train
