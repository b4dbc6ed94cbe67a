#include "core/workflow/test_split_required.h"

#include "core/base/error.h"

namespace tm2::workflow {

void requireTestSplit(const train::TrainingData& data, const std::string& step, const std::string& source) {
    if (data.test.size() > 0) return;
    throw Error(step + " reports test accuracy, but " + source +
                " has no test split (trained with --test 0): train again with a test fraction above 0");
}

}  // namespace tm2::workflow
