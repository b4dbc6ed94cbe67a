#pragma once
// For readers that take a path (libsndfile, zlib, std::ifstream): each fuzz
// input is written to one file per process and target under the temp folder,
// rewritten for every input and removed at exit.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace tm2::fuzz {

inline std::string writeInputFile(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
    static const std::string path = [&suffix] {
        const std::string p =
            (std::filesystem::temp_directory_path() / ("tm2-fuzz-" + std::to_string(::getpid()) + suffix))
                .string();
        static std::string at_exit;
        at_exit = p;
        std::atexit([] { std::remove(at_exit.c_str()); });
        return p;
    }();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();  // the fuzzer's own machinery failed, not the reader
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

}  // namespace tm2::fuzz
