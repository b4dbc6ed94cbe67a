#pragma once
// Command-line flags for the workflow settings in core/workflow: each adds
// its options to a CLI11 command, bound to the settings struct.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/workflow/dataset_options.h"
#include "core/workflow/quantize_session.h"
#include "core/workflow/training_session.h"

namespace tm2::cli {

// --json / --quiet, which only the CLI has.
struct OutputFlags {
    bool json = false;
    bool quiet = false;
    bool silent() const { return json || quiet; }
};

// `as_option`: `--data DIR` instead of a positional DIR.
void addDatasetOptions(CLI::App& command, workflow::DatasetOptions& options, bool as_option = false);
void addTrainingOptions(CLI::App& command, workflow::TrainingOptions& options, OutputFlags& output, bool with_only);

// Quantization flags; `branch_kb` collects the raw NAME=KIB items (see applyBranchBudgets).
struct QuantFlags {
    workflow::QuantSettings settings;
    std::vector<std::string> branch_kb;
    OutputFlags output;
    // Parses branch_kb into settings.branch_kb (errors name the item).
    workflow::QuantSettings resolved() const;
};
void addQuantFlags(CLI::App& command, QuantFlags& flags, bool with_mode, bool with_threads = true);

void printWarnings(const std::vector<std::string>& warnings);

}  // namespace tm2::cli
