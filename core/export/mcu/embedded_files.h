#pragma once
// The files a microcontroller export copies verbatim: the runtime's sources
// (core/runtime, core/base/error.h) and the project template, embedded at
// build time by embed_files.cmake.

#include <cstddef>
#include <vector>

namespace tm2::mcu {

struct EmbeddedFile {
    const char* path;  // inside the exported folder ("runtime/core/runtime/interpreter.cpp", "Makefile")
    const unsigned char* data;
    std::size_t size;
};

const std::vector<EmbeddedFile>& embeddedFiles();

}  // namespace tm2::mcu
