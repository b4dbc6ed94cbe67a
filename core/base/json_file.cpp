#include "core/base/json_file.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/base/error.h"

namespace tm2 {

nlohmann::json parseJsonText(const std::string& text, const std::string& origin) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(origin + ": invalid JSON at byte " + std::to_string(e.byte) + " (" + e.what() + ")");
    } catch (const nlohmann::json::out_of_range& e) {
        // 406: a number the double type cannot hold ("1e999").
        throw Error(origin + ": number out of range (" + std::string(e.what()) + ")");
    } catch (const nlohmann::json::exception& e) {
        throw Error(origin + ": invalid JSON (" + std::string(e.what()) + ")");
    }
}

nlohmann::json readJsonFile(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) throw Error(path + ": cannot open (no such file)");
    // A device (/dev/zero), FIFO or folder would be read forever or fail obscurely.
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": not a regular file (a folder, device or pipe); give a JSON file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error(path + ": cannot read");
    return parseJsonText(text, path);
}

}  // namespace tm2
