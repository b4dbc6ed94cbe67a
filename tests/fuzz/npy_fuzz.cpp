// libFuzzer target for the .npy reader (core/base/npy.cpp, the feature cache's
// format). Arbitrary bytes must be read or refused with tm2::Error; an
// accepted array holds exactly the values its shape asks for and writes back
// to bytes that read as the same array. The streaming reader (readNpyLayout +
// readNpyValues, what training batches read from the cache) accepts exactly
// what readNpy accepts and reads the same values. Seeds: tests/fuzz/npy_corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "core/base/error.h"
#include "core/base/npy.h"
#include "tests/fuzz/fuzz_input_file.h"

namespace {

std::size_t elements(const std::vector<std::size_t>& shape) {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = tm2::fuzz::writeInputFile(data, size, ".npy");
    tm2::Tensor tensor;
    std::optional<tm2::NpyLayout> layout;
    try {
        layout = tm2::readNpyLayout(path);
    } catch (const tm2::Error&) {
    }
    try {
        tensor = tm2::readNpy(path);
    } catch (const tm2::Error&) {
        if (layout) std::abort();  // the header-only reader accepted what the whole reader refuses
        return 0;
    }
    if (!layout || layout->shape != tensor.shape || layout->count != tensor.values.size()) std::abort();
    std::vector<float> streamed(layout->count);
    tm2::readNpyValues(path, layout->data_offset, layout->count, streamed.data());
    if (!streamed.empty() &&
        std::memcmp(streamed.data(), tensor.values.data(), streamed.size() * sizeof(float)) != 0)
        std::abort();
    if (tensor.values.size() != elements(tensor.shape)) std::abort();
    const std::string again = path + ".again.npy";
    tm2::writeNpy(again, tensor, tm2::FileSync::RenameOnly);
    const tm2::Tensor back = tm2::readNpy(again);
    std::remove(again.c_str());
    if (back.shape != tensor.shape || back.values.size() != tensor.values.size()) std::abort();
    if (!tensor.values.empty() &&
        std::memcmp(back.values.data(), tensor.values.data(), tensor.values.size() * sizeof(float)) != 0)
        std::abort();
    return 0;
}
