#include "core/workflow/run_plans.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/json_file.h"
#include "core/base/utc_time.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

namespace {

std::string fileTimeUtc(fs::file_time_type t) {
    // C++17 has no clock_cast: carry the file time over by its distance from now.
    const auto system = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
        t - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    return tm2::isoUtc(std::chrono::system_clock::to_time_t(system));
}

RunPlan planOf(const fs::path& path, const nlohmann::json& j) {
    RunPlan p;
    p.name = path.stem().string();
    p.path = fs::absolute(path).string();
    p.mode = j.value("mode", "");
    p.accuracy = j.at("accuracy").get<double>();
    if (j.contains("integer_accuracy")) p.integer_accuracy = j["integer_accuracy"].get<double>();
    p.model_bytes = j.value("model_bytes", 0.0);
    p.bops = j.value("bops", 0.0);
    p.bits = j.value("bits", std::map<std::string, int>{});
    // When the plan says when it was made (plans written since 2026-12), else the file's time.
    p.created = j.contains("created") && j["created"].is_string() ? j["created"].get<std::string>()
                                                                     : fileTimeUtc(fs::last_write_time(path));
    return p;
}

}  // namespace

RunPlans listRunPlans(const std::string& run_dir) {
    RunPlans out;
    std::vector<std::pair<fs::file_time_type, RunPlan>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(run_dir, ec)) {
        const fs::path& path = entry.path();
        const std::string file = path.filename().string();
        if (file.rfind("quant-", 0) != 0 || path.extension() != ".json") continue;
        try {
            // A quantize result has "accuracy"; a bits-only plan has not and is skipped.
            const nlohmann::json j = readJsonFile(path.string());
            if (!j.contains("accuracy")) continue;
            found.emplace_back(fs::last_write_time(path), planOf(path, j));
        } catch (const std::exception& e) {
            out.problems.push_back(path.string() + ": not listed (" + e.what() + ")");
        }
    }
    if (ec) out.problems.push_back(run_dir + ": cannot list the run folder (" + ec.message() + ")");
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second.name < b.second.name;
    });
    for (auto& [time, plan] : found) out.plans.push_back(std::move(plan));
    return out;
}

}  // namespace tm2::workflow
