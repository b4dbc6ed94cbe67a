#include "core/data/feature_cache.h"

#include <xxhash.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "core/base/error.h"
#include "core/base/npy.h"

namespace tm2::data {

namespace fs = std::filesystem;

// Bump when the feature computation changes in a way the settings text does not show
// (the MFCC front-end's arithmetic, the windowing, the image resize): entries of an
// older format are then never found, so stale features are recomputed, not reused.
//  v1: per-frame KissFFT MFCC.
//  v2: batched SIMD MFCC (core/runtime/frontend, issue 15): bits differ from v1 by float rounding.
constexpr const char* kCacheFormat = "tm2-features-v2";

FeatureCache::FeatureCache(std::string dir) : dir_(std::move(dir)) {}

std::string FeatureCache::key(const std::string& file_path, const std::string& settings) {
    std::ifstream in(file_path, std::ios::binary);
    if (!in) throw Error(file_path + ": cannot open");
    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        XXH3_128bits_update(state, buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    const std::string suffix = std::string("\n") + kCacheFormat + "\n" + settings;
    XXH3_128bits_update(state, suffix.data(), suffix.size());
    const XXH128_hash_t h = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    return hexDigest(h.high64, h.low64);
}

std::string hexDigest(unsigned long long high, unsigned long long low) {
    char hex[33];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", high, low);
    return hex;
}

std::string FeatureCache::pathFor(const std::string& key) const {
    return (fs::path(dir_) / key.substr(0, 2) / (key + ".npy")).string();
}

std::optional<Tensor> FeatureCache::load(const std::string& key) const {
    if (!enabled()) return std::nullopt;
    const std::string path = pathFor(key);
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    try {
        return readNpy(path);
    } catch (const Error&) {
        return std::nullopt;  // a damaged entry is recomputed and overwritten
    }
}

void FeatureCache::store(const std::string& key, const Tensor& tensor) const {
    if (!enabled()) return;
    const fs::path path = pathFor(key);
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw Error(path.parent_path().string() + ": cannot create cache folder: " + ec.message());
    // A temp name unique per writer (workers store concurrently); a lost entry is recomputed.
    writeNpy(path.string(), tensor, FileSync::RenameOnly);
}

std::string defaultFeatureCacheDir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "tinym2net" / "features").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".cache" / "tinym2net" / "features").string();
    return (fs::temp_directory_path() / "tinym2net-features").string();
}

}  // namespace tm2::data
