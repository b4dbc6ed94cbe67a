#pragma once
// Readers for the public layouts, converted in memory to a DatasetIndex.

#include <string>

#include "core/data/dataset_index.h"

namespace tm2::data {

struct LayoutOptions {
    std::string layout = "auto";  // auto | manifest | folder | coswara | compare
    // Coswara: which two recordings form a sample (file stems in each participant folder).
    std::string coswara_first = "cough-heavy";
    std::string coswara_second = "counting-normal";
    std::string coswara_metadata;  // CSV with participant id + covid_status; empty = find it
    // Read media files outside the dataset folder (a shared corpus). Off by default:
    // such rows are skipped with the reason. Devices and FIFOs are never read.
    bool allow_outside_paths = false;
};

// (a) folder-per-class paired layout: ROOT/<modality>/<class>/<id>.<ext>;
// files with the same <class>/<id> stem in every modality form one sample.
// A modality's kind comes from its files' extensions (or ROOT/dataset.json).
// Sample id "<class>/<id>"; group = the part before the first '_' when the id
// looks like <speaker>_<n> (or <speaker>_nohash_<n>), else the sample id.
// Files that are not regular or (unless `allow_outside_paths`) resolve outside
// ROOT are skipped with the reason, here and in every reader below.
DatasetIndex readFolderPerClass(const std::string& root, bool allow_outside_paths = false);

// (b) Coswara: ROOT/<date>/<participant>/<recording>.wav (dates optional) plus a
// metadata CSV (columns `id` and `covid_status`); labels positive/negative.
DatasetIndex readCoswara(const std::string& root, const LayoutOptions& options);

// (c) COVID-19 Sounds / ComParE CCS+CSS: ROOT/ComParE2021_CCS/{wav,lab} and
// ROOT/ComParE2021_CSS/{wav,lab}, label CSVs `filename,label` (P/N); samples
// pair a cough and a speech recording of the same participant.
// Needs ROOT/participants.csv (filename,participant[,task]) because the
// challenge files carry no participant ids; filenames are written like
// ComParE2021_CCS/wav/train_001.wav (both tasks reuse names) or a task column
// says CCS/CSS. The i-th cough pairs with the i-th speech (by filename);
// leftovers and label disagreements are skipped. Labels P/N become
// positive/negative; splits: train->train, devel->val, test->test (a pair
// whose files differ takes the later of the two).
DatasetIndex readCompare(const std::string& root, bool allow_outside_paths = false);

// Detects the layout when options.layout == "auto"; throws tm2::Error when
// nothing matches or no usable sample remains.
DatasetIndex openDataset(const std::string& path, const LayoutOptions& options = {});

}  // namespace tm2::data
