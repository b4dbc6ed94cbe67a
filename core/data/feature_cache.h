#pragma once
// On-disk cache of extracted features, keyed by the source file's content and
// the preprocessing parameters (so an edited file or a changed MFCC setting
// never returns stale features). One .npy per (file, settings).

#include <optional>
#include <string>

#include "core/base/tensor.h"

namespace tm2::data {

class FeatureCache {
public:
    explicit FeatureCache(std::string dir);  // empty dir = disabled

    bool enabled() const { return !dir_.empty(); }
    // 128-bit XXH3 of the file bytes and the settings text, as 32 hex digits.
    static std::string key(const std::string& file_path, const std::string& settings);
    std::optional<Tensor> load(const std::string& key) const;        // nullopt on miss or unreadable entry
    void store(const std::string& key, const Tensor& tensor) const;  // atomic (tmp + rename)

    // Where the entry of `key` lives: DIR/<first two hex digits>/<key>.npy.
    std::string entryPath(const std::string& key) const { return pathFor(key); }

private:
    std::string pathFor(const std::string& key) const;
    std::string dir_;
};

// 32 lowercase hex digits of a 128-bit XXH3 digest (high half first).
std::string hexDigest(unsigned long long high, unsigned long long low);

// Default cache folder: $XDG_CACHE_HOME/tinym2net/features or ~/.cache/tinym2net/features.
std::string defaultFeatureCacheDir();

}  // namespace tm2::data
