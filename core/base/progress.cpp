#include "core/base/progress.h"

#include "core/base/error.h"

namespace tm2 {

void reportProgress(const ProgressCallback& callback, const Progress& progress) {
    if (callback && !callback(progress)) throw Cancelled();
}

}  // namespace tm2
