// libFuzzer target for the IDX reader (core/data/idx_reader.cpp: the
// Fashion-MNIST files, plain or gzipped). The same bytes are read as images
// and as labels: each is read or refused with tm2::Error, and what is read has
// exactly the size its header states. The -rss_limit_mb in scripts/fuzz.sh
// catches a header that makes the reader allocate far more than the file
// holds. Seeds: tests/fuzz/idx_corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/base/error.h"
#include "core/data/idx_reader.h"
#include "tests/fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = tm2::fuzz::writeInputFile(data, size, ".idx");
    try {
        const tm2::data::IdxImages images = tm2::data::readIdxImages(path);
        if (images.count < 1 || images.rows < 1 || images.cols < 1) std::abort();
        if (images.pixels.size() != static_cast<std::size_t>(images.count) * images.rows * images.cols)
            std::abort();
    } catch (const tm2::Error&) {
    }
    try {
        if (tm2::data::readIdxLabels(path).empty()) std::abort();
    } catch (const tm2::Error&) {
    }
    return 0;
}
