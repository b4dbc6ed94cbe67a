#include "app/cli/printed_comparison.h"

#include "app/cli/progress_printer.h"
#include "app/cli/train_progress.h"

namespace tm2::cli {

workflow::RecordedComparison runPrintedComparison(const workflow::TrainingOptions& options,
                                                  const OutputFlags& output,
                                                  workflow::PreparedTraining& prepared) {
    {
        ProgressPrinter printer(output.silent());
        prepared = workflow::prepareTraining(options, printer.callback());
    }
    printWarnings(prepared.warnings);
    TrainProgressPrinter printer(output.silent());
    return workflow::compareAndRecord(options, prepared, printer.callback(),
                                      [&](const std::string& v) { printer.setVariant(v); });
}

}  // namespace tm2::cli
