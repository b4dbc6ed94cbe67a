#pragma once
// NumPy .npy (format 1.0, little-endian float32, C order) and CSV writers for
// tensors, so Python users can np.load() what the CLI writes.

#include <string>

#include "core/base/atomic_write.h"
#include "core/base/tensor.h"

namespace tm2 {

void writeNpy(const std::string& path, const Tensor& tensor, FileSync sync = FileSync::Durable);
Tensor readNpy(const std::string& path);  // float32 '<f4' C-order only; throws tm2::Error otherwise
// Rank-2 tensors: one row per line, comma-separated, full float precision.
void writeCsv(const std::string& path, const Tensor& tensor);

}  // namespace tm2
