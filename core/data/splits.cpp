#include "core/data/splits.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "core/base/error.h"

namespace tm2::data {

namespace {

std::string groupKey(const Sample& s) { return s.group.empty() ? s.id : s.group; }

// Uniform in [0, bound) by rejection. std::uniform_int_distribution and
// std::shuffle are implementation-defined, so a seed would give different
// splits with libstdc++ and libc++; mt19937_64's raw output is specified.
std::uint64_t boundedDraw(std::mt19937_64& rng, std::uint64_t bound) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - max % bound;
    for (;;) {
        const std::uint64_t x = rng();
        if (x < limit) return x % bound;
    }
}

template <typename T>
void deterministicShuffle(std::vector<T>& items, std::mt19937_64& rng) {
    for (std::size_t i = items.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(boundedDraw(rng, i));
        std::swap(items[i - 1], items[j]);
    }
}

void validate(const SplitConfig& config) {
    const double v = config.val_fraction, t = config.test_fraction;
    if (!(v >= 0.0) || !(t >= 0.0) || !(v + t < 1.0))
        throw Error("split: val_fraction (" + std::to_string(v) + ") and test_fraction (" +
                    std::to_string(t) + ") must be non-negative with a sum below 1");
}

// Ties go to the later split so a held-out recording never drifts into training.
int splitRank(const std::string& split) {
    return split == "test" ? 3 : split == "val" ? 2 : split == "train" ? 1 : 0;
}

struct Group {
    std::string key;
    std::string label;  // majority label; ties to the alphabetically first
    std::string split;  // preassigned (majority of its samples' splits) or empty
    std::vector<std::size_t> samples;
};

std::vector<Group> collectGroups(const DatasetIndex& index, bool keep_existing) {
    std::map<std::string, std::size_t> position;
    std::vector<Group> groups;
    std::vector<std::map<std::string, std::size_t>> labels, splits;
    for (std::size_t i = 0; i < index.samples.size(); ++i) {
        const Sample& s = index.samples[i];
        const auto [it, inserted] = position.emplace(groupKey(s), groups.size());
        if (inserted) {
            groups.push_back({it->first, {}, {}, {}});
            labels.emplace_back();
            splits.emplace_back();
        }
        groups[it->second].samples.push_back(i);
        ++labels[it->second][s.label];
        if (keep_existing && !s.split.empty()) ++splits[it->second][s.split];
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::size_t best = 0;
        for (const auto& [label, count] : labels[g])
            if (count > best) best = count, groups[g].label = label;
        best = 0;
        for (const auto& [split, count] : splits[g])
            if (count > best || (count == best && splitRank(split) > splitRank(groups[g].split)))
                best = count, groups[g].split = split;
    }
    return groups;
}

// Greedy per label: walk the shuffled free groups and put each where it brings
// test, then val, closer to its target (|c + n - t| < |c - t|, i.e. c + n/2 < t).
void assignLabelGroups(std::vector<Group>& groups, const std::vector<std::size_t>& members,
                       const SplitConfig& config, std::mt19937_64& rng) {
    std::map<std::string, double> count;
    std::vector<std::size_t> free;
    double total = 0.0;
    for (auto g : members) {
        const double n = static_cast<double>(groups[g].samples.size());
        total += n;
        if (groups[g].split.empty())
            free.push_back(g);
        else
            count[groups[g].split] += n;
    }
    std::sort(free.begin(), free.end(), [&](auto a, auto b) { return groups[a].key < groups[b].key; });
    deterministicShuffle(free, rng);

    const std::map<std::string, double> target{{"test", config.test_fraction * total},
                                               {"val", config.val_fraction * total}};
    bool train_has_group = count["train"] > 0.0;
    for (std::size_t k = 0; k < free.size(); ++k) {
        Group& group = groups[free[k]];
        const double n = static_cast<double>(group.samples.size());
        const bool last_chance_for_train = !train_has_group && k + 1 == free.size();
        for (const char* split : {"test", "val"})
            if (group.split.empty() && !last_chance_for_train && count[split] + n / 2.0 < target.at(split))
                group.split = split;
        if (group.split.empty()) {
            group.split = "train";
            train_has_group = true;
        }
        count[group.split] += n;
    }

    // Large groups can leave a small target empty; give it the smallest train
    // group when train keeps at least one, so every split sees every label.
    for (const char* split : {"test", "val"}) {
        if (target.at(split) <= 0.0 || count[split] > 0.0) continue;
        std::vector<std::size_t> train;
        for (auto g : free)
            if (groups[g].split == "train") train.push_back(g);
        if (train.size() < 2) continue;
        const auto smallest = *std::min_element(train.begin(), train.end(), [&](auto a, auto b) {
            return std::make_pair(groups[a].samples.size(), groups[a].key) <
                   std::make_pair(groups[b].samples.size(), groups[b].key);
        });
        groups[smallest].split = split;
        const double n = static_cast<double>(groups[smallest].samples.size());
        count["train"] -= n;
        count[split] += n;
    }
}

}  // namespace

void assignGroupSplits(DatasetIndex& index, const SplitConfig& config) {
    validate(config);
    std::vector<Group> groups = collectGroups(index, config.keep_existing);
    std::map<std::string, std::vector<std::size_t>> by_label;  // sorted labels: a fixed draw order
    for (std::size_t g = 0; g < groups.size(); ++g) by_label[groups[g].label].push_back(g);
    std::mt19937_64 rng(config.seed);
    for (const auto& [label, members] : by_label) assignLabelGroups(groups, members, config, rng);
    for (const auto& group : groups)
        for (auto i : group.samples) index.samples[i].split = group.split;
}

std::string assignRandomChunkSplits(DatasetIndex& index, const SplitConfig& config) {
    validate(config);
    std::map<std::string, std::vector<std::size_t>> by_label;
    for (std::size_t i = 0; i < index.samples.size(); ++i) {
        Sample& s = index.samples[i];
        if (!config.keep_existing) s.split.clear();
        if (s.split.empty()) by_label[s.label].push_back(i);
    }
    // Shuffle within each label so the fractions hold per class, as sklearn's
    // stratified train_test_split would, but sample by sample.
    std::mt19937_64 rng(config.seed);
    for (auto& [label, members] : by_label) {
        deterministicShuffle(members, rng);
        const double n = static_cast<double>(members.size());
        const auto n_test = static_cast<std::size_t>(std::llround(config.test_fraction * n));
        const auto n_val = std::min(members.size() - n_test,
                                    static_cast<std::size_t>(std::llround(config.val_fraction * n)));
        for (std::size_t k = 0; k < members.size(); ++k)
            index.samples[members[k]].split = k < n_test ? "test" : k < n_test + n_val ? "val" : "train";
    }
    const auto leaks = leakingGroups(index);
    if (leaks.empty()) return {};
    return "chunk-level random split: " + std::to_string(leaks.size()) +
           " participants appear in more than one split — accuracy will be optimistic "
           "(participants leak across splits)";
}

std::vector<std::string> leakingGroups(const DatasetIndex& index) {
    std::map<std::string, std::set<std::string>> splits;
    for (const auto& s : index.samples)
        if (!s.split.empty()) splits[groupKey(s)].insert(s.split);
    std::vector<std::string> leaking;
    for (const auto& [group, seen] : splits)
        if (seen.size() > 1) leaking.push_back(group);
    return leaking;
}

}  // namespace tm2::data
