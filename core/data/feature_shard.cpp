#include "core/data/feature_shard.h"

#include <cctype>

#include "core/base/error.h"

namespace tm2::data {

namespace {

// A non-negative decimal without sign, spaces or overflow.
bool parseCount(const std::string& text, std::size_t& value) {
    if (text.empty() || text.size() > 9) return false;  // 9 digits: far past any array size
    value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return true;
}

}  // namespace

FeatureShard parseFeatureShard(const std::string& text, const std::string& option) {
    const std::size_t slash = text.find('/');
    FeatureShard shard;
    const bool parsed = slash != std::string::npos && parseCount(text.substr(0, slash), shard.index) &&
                        parseCount(text.substr(slash + 1), shard.count);
    if (!parsed)
        throw Error(option + " '" + text + "': expected i/N (shard i of N, 0-based, e.g. " + option +
                    " $SLURM_ARRAY_TASK_ID/8)");
    if (shard.count == 0) throw Error(option + " '" + text + "': N must be at least 1");
    if (shard.index >= shard.count)
        throw Error(option + " '" + text + "': i must be below N (shards are numbered 0 … " +
                    std::to_string(shard.count - 1) + ")");
    return shard;
}

DatasetIndex shardOf(const DatasetIndex& index, const FeatureShard& shard) {
    DatasetIndex out;
    out.root = index.root;
    out.layout = index.layout;
    out.spec = index.spec;
    if (shard.index == 0) out.skipped = index.skipped;
    const std::size_t n = index.samples.size();
    // i·n/N without overflow for any realistic n (n < 2^32, N < 10^9).
    const auto bound = [&](std::size_t i) {
        return static_cast<std::size_t>(static_cast<unsigned long long>(i) * n / shard.count);
    };
    for (std::size_t k = bound(shard.index); k < bound(shard.index + 1); ++k)
        out.samples.push_back(index.samples[k]);
    return out;
}

}  // namespace tm2::data
