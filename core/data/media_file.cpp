#include "core/data/media_file.h"

#include <filesystem>
#include <system_error>

#include "core/base/error.h"

namespace tm2::data {

std::uintmax_t requireNonEmptyFile(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw Error(path + ": file not found");
    if (!std::filesystem::is_regular_file(status)) throw Error(path + ": not a regular file");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(path + ": cannot read (" + ec.message() + ")");
    if (size == 0) throw Error(path + ": file is empty");
    return size;
}

}  // namespace tm2::data
