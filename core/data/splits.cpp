#include "core/data/splits.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>

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
        for (auto i : group.samples) {
            Sample& s = index.samples[i];
            // A split the user wrote is never overruled by the group's majority.
            if (!config.keep_existing || s.split.empty()) s.split = group.split;
        }
}

std::vector<std::string> assignSplits(DatasetIndex& index, const SplitConfig& config) {
    validate(config);
    const bool given = config.keep_existing && std::any_of(index.samples.begin(), index.samples.end(),
                                                           [](const Sample& s) { return !s.split.empty(); });
    assignGroupSplits(index, config);
    std::vector<std::string> notes;
    if (!given) return notes;

    const bool has_val = std::any_of(index.samples.begin(), index.samples.end(),
                                     [](const Sample& s) { return s.split == "val"; });
    if (!has_val && config.val_fraction > 0.0) {
        // Carve validation out of train with the same group-aware rule, on train alone.
        DatasetIndex train;
        std::vector<std::size_t> origin;
        for (std::size_t i = 0; i < index.samples.size(); ++i)
            if (index.samples[i].split == "train") {
                train.samples.push_back(index.samples[i]);
                train.samples.back().split.clear();
                origin.push_back(i);
            }
        SplitConfig carve{config.val_fraction, 0.0, config.seed, false};
        assignGroupSplits(train, carve);
        std::set<std::string> carved_groups;
        std::size_t carved = 0;
        for (std::size_t k = 0; k < origin.size(); ++k) {
            index.samples[origin[k]].split = train.samples[k].split;
            if (train.samples[k].split == "val") ++carved, carved_groups.insert(groupKey(train.samples[k]));
        }
        std::ostringstream note;
        note << "the given splits have no validation part: " << carved << " train samples of "
             << carved_groups.size() << " groups became the validation split (--val " << config.val_fraction
             << " of train, group-aware, seed " << config.seed << "; --val 0 keeps none)";
        notes.push_back(note.str());
    }

    // Groups found in several of the splits as given: a speaker-dependent protocol.
    std::map<std::string, std::set<std::string>> splits_of;
    for (const auto& s : index.samples) splits_of[groupKey(s)].insert(s.split);
    std::map<std::string, std::size_t> straddling;  // "train and test" → groups
    for (const auto& [group, seen] : splits_of) {
        if (seen.size() < 2) continue;
        std::vector<std::string> ordered(seen.begin(), seen.end());
        std::sort(ordered.begin(), ordered.end(),
                  [](const auto& a, const auto& b) { return splitRank(a) < splitRank(b); });
        std::string name;
        for (std::size_t k = 0; k < ordered.size(); ++k)
            name += (k == 0 ? "" : k + 1 == ordered.size() ? " and " : ", ") + ordered[k];
        ++straddling[name];
    }
    if (!straddling.empty()) {
        std::string text = "speaker-dependent protocol: ";
        bool first = true;
        for (const auto& [name, count] : straddling) {
            text += (first ? "" : "; ") + std::to_string(count) +
                    (count == 1 ? " group in " : " groups in ") + name;
            first = false;
        }
        notes.push_back(text +
                        " (the given splits are kept; held-out scores include speakers seen in training; "
                        "--resplit group assigns whole groups instead)");
    }
    return notes;
}

std::string assignRandomChunkSplits(FeatureSet& features, const SplitConfig& config) {
    validate(config);
    std::map<int, std::vector<std::size_t>> by_label;
    for (std::size_t i = 0; i < features.items.size(); ++i) by_label[features.items[i].label].push_back(i);
    // Shuffle the windows within each label so the fractions hold per class, as
    // sklearn's stratified train_test_split over chunks would.
    std::mt19937_64 rng(config.seed);
    for (auto& [label, members] : by_label) {
        deterministicShuffle(members, rng);
        const double n = static_cast<double>(members.size());
        const auto n_test = static_cast<std::size_t>(std::llround(config.test_fraction * n));
        const auto n_val = std::min(members.size() - n_test,
                                    static_cast<std::size_t>(std::llround(config.val_fraction * n)));
        for (std::size_t k = 0; k < members.size(); ++k)
            features.items[members[k]].split = k < n_test ? "test" : k < n_test + n_val ? "val" : "train";
    }
    std::map<std::string, std::set<std::string>> splits_of;
    for (const auto& item : features.items)
        splits_of[std::string(features.groupOrRecording(item))].insert(std::string(item.split.str()));
    std::size_t leaking = 0;
    for (const auto& [group, seen] : splits_of) leaking += seen.size() > 1;
    return "random-chunks split (the paper's sampling): " + std::to_string(features.items.size()) +
           " windows assigned to splits one by one; " + std::to_string(leaking) + " of " +
           std::to_string(splits_of.size()) +
           " participants have windows in more than one split, so held-out scores are optimistic "
           "(participants leak across splits)";
}

void requireHeldOutSplits(const FeatureSet& features, const SplitConfig& config) {
    std::map<std::string, std::size_t> count;
    for (const auto& item : features.items) ++count[std::string(item.split.str())];
    // Counted only for the message: a set of every group name costs more than the items' names.
    auto groupCount = [&features] {
        std::set<std::string_view> groups;
        for (const auto& item : features.items) groups.insert(features.groupOrRecording(item));
        return groups.size();
    };
    const std::pair<const char*, double> held_out[] = {{"val", config.val_fraction},
                                                       {"test", config.test_fraction}};
    for (const auto& [split, fraction] : held_out) {
        if (fraction <= 0.0 || count[split] > 0) continue;
        std::ostringstream text;
        text
            << "the " << split << " split is empty (" << features.items.size() << " samples in "
            << groupCount() << " groups, --" << split << " " << fraction << "): raise --" << split
            << ", use a dataset with more groups (participants), or, where the dataset gives its splits, add "
            << split << " rows or pass --resplit group; --" << split << " 0 "
            << (std::string(split) == "val"
                    ? "trains without validation (no early stopping, the last epoch is kept)"
                    : "trains without test metrics");
        throw Error(text.str());
    }
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
