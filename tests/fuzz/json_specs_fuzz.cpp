// libFuzzer target for the JSON inputs a user may be sent: the first byte picks
// the reader (modulo 4), the rest is the text:
//   0 model spec (core/model/model_spec.cpp)
//   1 dataset sidecar spec (core/data/dataset_spec.cpp)
//   2 ILP problem (core/quant/bit_allocation_json.cpp, `tinym2net ilp`)
//   3 latency table (core/quant/latency_table.cpp, `quantize --latency-table`)
// The text goes through tm2::parseJsonText, the one JSON reader; each reader
// then accepts the value or throws what its file reader turns into a clean
// error (tm2::Error; for the model spec also nlohmann's type errors, which
// readModelSpec wraps). What a reader accepts must write back to JSON that
// reads as the same thing. The plan reader (readPlanBits) lives in a
// LibTorch-linked unit and is covered by tests/hostile instead.
// Seeds: tests/fuzz/json_corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/data/dataset_spec.h"
#include "core/model/model_spec.h"
#include "core/quant/bit_allocation.h"
#include "core/quant/latency_table.h"

namespace {

using nlohmann::json;

void modelSpec(const json& j) {
    tm2::model::ModelSpec spec;
    try {
        spec = j.get<tm2::model::ModelSpec>();
    } catch (const tm2::Error&) {
        return;
    } catch (const json::exception&) {  // readModelSpec reports these as tm2::Error
        return;
    }
    const json once = spec;
    if (json(once.get<tm2::model::ModelSpec>()) != once) std::abort();
}

void datasetSpec(const json& j) {
    tm2::data::DatasetSpec spec;
    try {
        spec = j.get<tm2::data::DatasetSpec>();
    } catch (const tm2::Error&) {
        return;
    }
    const json once = spec;
    if (json(once.get<tm2::data::DatasetSpec>()) != once) std::abort();
}

void ilpProblem(const json& j) {
    tm2::quant::BitAllocationProblem problem;
    try {
        problem = tm2::quant::problemFromJson(j);
    } catch (const tm2::Error&) {
        return;
    }
    const json once = tm2::quant::problemToJson(problem);
    if (tm2::quant::problemToJson(tm2::quant::problemFromJson(once)) != once) std::abort();
}

void latencyTable(const json& j) {
    try {
        (void)tm2::quant::latencyTableFromJson(j, "fuzz.json");
    } catch (const tm2::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    json j;
    try {
        j = tm2::parseJsonText(text, "fuzz.json");
    } catch (const tm2::Error&) {
        return 0;
    }
    switch (data[0] % 4) {
        case 0:
            modelSpec(j);
            break;
        case 1:
            datasetSpec(j);
            break;
        case 2:
            ilpProblem(j);
            break;
        default:
            latencyTable(j);
            break;
    }
    return 0;
}
