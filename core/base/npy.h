#pragma once
// NumPy .npy (format 1.0, little-endian float32, C order) and CSV writers for
// tensors, so Python users can np.load() what the CLI writes.

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/atomic_write.h"
#include "core/base/tensor.h"

namespace tm2 {

void writeNpy(const std::string& path, const Tensor& tensor, FileSync sync = FileSync::Durable);
Tensor readNpy(const std::string& path);  // float32 '<f4' C-order only; throws tm2::Error otherwise

// Where a float32 .npy keeps its values, from the header alone (the feature cache streams
// training batches from it). The header is checked as readNpy checks it and against the
// file's size: the file holds exactly `count` values after `data_offset`.
struct NpyLayout {
    std::vector<std::size_t> shape;
    std::uint64_t data_offset = 0;  // bytes from the start of the file
    std::size_t count = 0;          // float32 values
};
NpyLayout readNpyLayout(const std::string& path);
// `count` float32 values from byte `offset` (inside a layout readNpyLayout checked) into `out`;
// throws tm2::Error naming the file if it is shorter now.
void readNpyValues(const std::string& path, std::uint64_t offset, std::size_t count, float* out);
// Rank-2 tensors: one row per line, comma-separated, full float precision.
void writeCsv(const std::string& path, const Tensor& tensor);

}  // namespace tm2
