#include "core/runtime/model_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/runtime/byte_io.h"
#include "core/runtime/crc32.h"
#include "core/runtime/kernels/int2.h"
#include "core/runtime/kernels/int4.h"
#include "core/runtime/kernels/kernels.h"

namespace tm2::runtime {

namespace {

constexpr char kMagic[4] = {'T', 'M', '2', 'N'};
constexpr std::size_t kHeaderBytes = 24;      // magic, version, sections, payload bytes, crc
constexpr std::size_t kSectionEntryBytes = 20;  // kind, offset, bytes
// 5 was format 1's front-end as key=value text (JSON inside); 6 is the typed front-end.
enum SectionKind : std::uint32_t { kTensors = 1, kIo = 2, kOps = 3, kBlob = 4, kTextFrontend = 5, kFrontend = 6 };
constexpr std::uint32_t kLastSectionKind = kFrontend;

// ---- writing ---------------------------------------------------------------

struct BlobRef {
    std::uint64_t offset = 0, count = 0;
};

class BlobWriter {
public:
    template <typename T>
    BlobRef add(const std::vector<T>& values) {
        align();
        BlobRef ref{out_.size(), values.size()};
        for (const T& v : values) {
            if constexpr (sizeof(T) == 4) {
                std::uint32_t bits = 0;
                std::memcpy(&bits, &v, 4);
                out_.u32(bits);
            } else {
                out_.u8(static_cast<std::uint8_t>(v));
            }
        }
        return ref;
    }
    BlobRef addInt4(const std::vector<std::int8_t>& values, const std::string& op) {
        align();
        BlobRef ref{out_.size(), values.size()};
        for (std::size_t i = 0; i < values.size(); i += 2) {
            const int lo = values[i], hi = i + 1 < values.size() ? values[i + 1] : 0;
            if (lo < -8 || lo > 7 || hi < -8 || hi > 7) throw Error(op + ": int4 weight outside -8..7");
            out_.u8(static_cast<std::uint8_t>((lo & 0xF) | ((hi & 0xF) << 4)));
        }
        return ref;
    }
    BlobRef addInt2(const std::vector<std::int8_t>& values, const std::string& op) {
        align();
        BlobRef ref{out_.size(), values.size()};
        for (std::size_t i = 0; i < values.size(); i += 4) {
            std::uint8_t byte = 0;
            for (std::size_t j = 0; j < 4 && i + j < values.size(); ++j) {
                const int v = values[i + j];
                if (v < -2 || v > 1)
                    throw Error(op + ": int2 weight " + std::to_string(v) + " outside -2..1");
                byte = static_cast<std::uint8_t>(byte | (v & 0x3) << (2 * j));
            }
            out_.u8(byte);
        }
        return ref;
    }
    ByteWriter& bytes() { return out_; }

private:
    void align() {
        while (out_.size() % 4) out_.u8(0);
    }
    ByteWriter out_;
};

void writeRef(ByteWriter& w, const BlobRef& ref) {
    w.u64(ref.offset);
    w.u64(ref.count);
}

// ---- reading ---------------------------------------------------------------

struct Section {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
};

// The bytes of the weight blob that the ops' arrays reference, summed as they are read.
// The writer gives every array its own bytes, so the sum never exceeds the blob; a file
// whose arrays overlap could otherwise make each of thousands of ops copy the same
// megabyte. Checking the sum before each copy bounds what the reader allocates by the
// file's size (parseModel's copy: twice it for int4 weights unpacked to int8, four times
// for int2; readModel keeps them packed).
class BlobBudget {
public:
    explicit BlobBudget(const Section& blob) : blob_(blob) {}
    const Section& blob() const { return blob_; }
    void startOp(std::string where) { op_ = std::move(where); }
    void spend(std::uint64_t bytes, const char* field) {
        if (bytes > blob_.size - used_)
            throw Error(
                op_ + ": " + field + " (" + std::to_string(bytes) +
                " bytes) would bring the weight bytes the ops reference to " + std::to_string(used_ + bytes) +
                ", more than the " + std::to_string(blob_.size) +
                "-byte weight blob holds: arrays overlap (a corrupted or hostile file; the exporter never " +
                "shares bytes between arrays)");
        used_ += bytes;
    }

private:
    Section blob_;
    std::uint64_t used_ = 0;
    std::string op_;  // names the op being read in errors
};

// Reads the reference to an array of `count` elements of `element_bytes` (packed:
// int4) and checks it against the blob and the budget before anything is allocated.
const std::uint8_t* blobSpan(ByteReader& r, BlobBudget& budget, std::uint64_t& count, double element_bytes,
                             const char* field) {
    const Section& blob = budget.blob();
    const std::uint64_t offset = r.u64(field);
    count = r.u64(field);
    if (count > (std::uint64_t{1} << 32))
        throw Error(r.where() + ": " + field + " count " + std::to_string(count) + " is implausible");
    const auto bytes = static_cast<std::uint64_t>(std::ceil(static_cast<double>(count) * element_bytes));
    if (offset > blob.size || bytes > blob.size - offset)
        throw Error(r.where() + ": " + field + " [" + std::to_string(offset) + ", +" + std::to_string(bytes) +
                    ") lies outside the " + std::to_string(blob.size) + "-byte weight blob");
    budget.spend(bytes, field);
    return blob.data + offset;
}

template <typename T>
std::vector<T> readWords(ByteReader& r, BlobBudget& budget, const char* field) {
    std::uint64_t count = 0;
    const std::uint8_t* p = blobSpan(r, budget, count, 4, field);
    std::vector<T> out(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint32_t bits = std::uint32_t{p[4 * i]} | std::uint32_t{p[4 * i + 1]} << 8 |
                                   std::uint32_t{p[4 * i + 2]} << 16 | std::uint32_t{p[4 * i + 3]} << 24;
        std::memcpy(&out[i], &bits, 4);
    }
    return out;
}

// Bytes per stored weight at `bits` (2, 4 or 8).
double weightElementBytes(int bits) { return bits / 8.0; }

std::int8_t weightAt(const std::uint8_t* p, std::size_t i, int bits) {
    return bits == 8   ? static_cast<std::int8_t>(p[i])
           : bits == 4 ? static_cast<std::int8_t>(int4At(p, i))
                       : static_cast<std::int8_t>(int2At(p, i));
}

std::vector<std::int8_t> readWeights(ByteReader& r, BlobBudget& budget, int bits) {
    std::uint64_t count = 0;
    const std::uint8_t* p = blobSpan(r, budget, count, weightElementBytes(bits), "weights");
    std::vector<std::int8_t> out(count);
    for (std::uint64_t i = 0; i < count; ++i) out[i] = weightAt(p, i, bits);
    return out;
}

}  // namespace

const char* toString(OpType type) {
    switch (type) {
        case OpType::Conv2d: return "conv2d";
        case OpType::DepthwiseConv2d: return "depthwise_conv2d";
        case OpType::PointwiseConv2d: return "pointwise_conv2d";
        case OpType::FullyConnected: return "fully_connected";
        case OpType::MaxPool2d: return "max_pool2d";
        case OpType::Concat: return "concat";
        case OpType::Reshape: return "reshape";
        case OpType::Lookup: return "lookup";
        case OpType::Mul: return "mul";
        case OpType::Add: return "add";
        case OpType::Softmax: return "softmax";
    }
    return "unknown";
}

const std::int8_t* Op::weightData() const {
    if (!weights_in_place) return weights.data();
    return weight_bits == 8 ? reinterpret_cast<const std::int8_t*>(weights_in_place) : nullptr;
}

std::size_t Op::weightBytes() const {
    if (!weights_in_place) return weights.size();
    return (weights_in_place_count * weight_bits + 7) / 8;
}

std::vector<std::int8_t> Op::weightCodes() const {
    if (!weights_in_place) return weights;
    std::vector<std::int8_t> out(weights_in_place_count);
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = weightAt(weights_in_place, k, weight_bits);
    return out;
}

std::vector<std::uint8_t> serializeModel(const Model& model) {
    validateModel(model, "model");
    ByteWriter tensors, io, ops, frontend;
    BlobWriter blob;
    tensors.u32(static_cast<std::uint32_t>(model.tensors.size()));
    for (const auto& t : model.tensors) {
        tensors.str(t.name);
        tensors.u8(static_cast<std::uint8_t>(t.type));
        tensors.u32(t.c), tensors.u32(t.h), tensors.u32(t.w);
        tensors.f32(t.scale);
        tensors.i32(t.zero_point);
        tensors.u8(t.bits);
    }
    io.u32(static_cast<std::uint32_t>(model.inputs.size()));
    for (const auto& in : model.inputs) {
        io.str(in.modality);
        io.u32(in.tensor);
    }
    io.u32(model.output);
    ops.u32(static_cast<std::uint32_t>(model.ops.size()));
    for (const auto& op : model.ops) {
        ops.u8(static_cast<std::uint8_t>(op.type));
        ops.str(op.name);
        ops.u32(static_cast<std::uint32_t>(op.inputs.size()));
        for (const auto& in : op.inputs) {
            ops.u32(in.tensor);
            ops.i32(in.multiplier);
            ops.i32(in.shift);
        }
        ops.u32(op.output);
        ops.u32(op.kernel_h), ops.u32(op.kernel_w), ops.u32(op.stride), ops.u32(op.padding);
        ops.u8(op.relu ? 1 : 0);
        ops.u8(op.weight_bits);
        const std::vector<std::int8_t> in_place = op.weights_in_place ? op.weightCodes() : std::vector<std::int8_t>{};
        const std::vector<std::int8_t>& weights = op.weights_in_place ? in_place : op.weights;
        writeRef(ops, op.weight_bits == 4   ? blob.addInt4(weights, op.name)
                      : op.weight_bits == 2 ? blob.addInt2(weights, op.name)
                                            : blob.add(weights));
        writeRef(ops, blob.add(op.bias));
        writeRef(ops, blob.add(op.multiplier));
        writeRef(ops, blob.add(op.shift));
        writeRef(ops, blob.add(op.output_scale));
    }
    writeFrontEnd(frontend, model.frontend);

    std::vector<std::pair<std::uint32_t, ByteWriter*>> sections{
        {kTensors, &tensors}, {kIo, &io}, {kOps, &ops}, {kBlob, &blob.bytes()}, {kFrontend, &frontend}};
    ByteWriter payload;
    std::uint64_t offset = sections.size() * kSectionEntryBytes;
    for (const auto& [kind, w] : sections) {
        payload.u32(kind);
        payload.u64(offset);
        payload.u64(w->size());
        offset += w->size();
    }
    for (const auto& s : sections) payload.raw(s.second->bytes().data(), s.second->size());

    ByteWriter file;
    file.raw(kMagic, 4);
    file.u32(kFormatVersion);
    file.u32(static_cast<std::uint32_t>(sections.size()));
    file.u64(payload.size());
    file.u32(crc32(payload.bytes().data(), payload.size()));
    file.raw(payload.bytes().data(), payload.size());
    return std::move(file.bytes());
}

void writeModel(const std::string& path, const Model& model) {
    const std::vector<std::uint8_t> bytes = serializeModel(model);
    writeFileAtomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Model parseModel(const std::uint8_t* data, std::size_t size, const std::string& origin, ParseOptions options) {
    ByteReader header(data, size, origin);
    const std::uint8_t* magic = header.take(4, "magic");
    if (std::memcmp(magic, kMagic, 4) != 0) throw Error(origin + ": not a .tmn model (magic is not 'TM2N')");
    const std::uint32_t version = header.u32("version");
    if (version != 1 && version != kFormatVersion)
        throw Error(origin + ": format version " + std::to_string(version) + " is not supported (this runtime reads 1 and " +
                    std::to_string(kFormatVersion) + ")");
    const std::uint32_t section_count = header.u32("section count");
    const std::uint64_t payload_size = header.u64("payload size");
    const std::uint32_t crc = header.u32("checksum");
    if (payload_size != header.left())
        throw Error(origin + ": payload is " + std::to_string(header.left()) + " bytes, header says " +
                    std::to_string(payload_size) + " (truncated or padded file)");
    const std::uint8_t* payload = data + kHeaderBytes;
    if (crc32(payload, payload_size) != crc) throw Error(origin + ": checksum mismatch (the file is corrupted)");

    ByteReader table(payload, payload_size, origin + ": section table");
    if (section_count > payload_size / kSectionEntryBytes)
        throw Error(origin + ": section count " + std::to_string(section_count) + " does not fit in the file");
    Section sections[kLastSectionKind + 1];
    for (std::uint32_t i = 0; i < section_count; ++i) {
        const std::uint32_t kind = table.u32("section kind");
        const std::uint64_t offset = table.u64("section offset"), bytes = table.u64("section size");
        if (offset > payload_size || bytes > payload_size - offset)
            throw Error(origin + ": section " + std::to_string(kind) + " lies outside the file");
        if (kind >= 1 && kind <= kLastSectionKind) sections[kind] = {payload + offset, static_cast<std::size_t>(bytes)};
    }  // unknown kinds are skipped: a later minor addition stays readable
    for (std::uint32_t kind : {kTensors, kIo, kOps})
        if (!sections[kind].data) throw Error(origin + ": section " + std::to_string(kind) + " is missing");

    Model model;
    model.origin = origin;
    ByteReader t(sections[kTensors].data, sections[kTensors].size, origin + ": tensors");
    const std::uint32_t tensor_count = t.count("tensor count", 22);
    model.tensors.reserve(tensor_count);  // bounded by the section's size
    for (std::uint32_t i = 0; i < tensor_count; ++i) {
        TensorInfo info;
        info.name = t.str("tensor name");
        info.type = static_cast<DataType>(t.u8("tensor type"));
        info.c = t.u32("tensor c"), info.h = t.u32("tensor h"), info.w = t.u32("tensor w");
        info.scale = t.f32("tensor scale");
        info.zero_point = t.i32("tensor zero point");
        info.bits = t.u8("tensor bits");
        model.tensors.push_back(info);
    }
    ByteReader io(sections[kIo].data, sections[kIo].size, origin + ": inputs");
    const std::uint32_t input_count = io.count("input count", 8);
    for (std::uint32_t i = 0; i < input_count; ++i) {
        ModelInput in;
        in.modality = io.str("input modality");
        in.tensor = io.u32("input tensor");
        model.inputs.push_back(in);
    }
    model.output = io.u32("output tensor");

    BlobBudget budget(sections[kBlob]);
    ByteReader o(sections[kOps].data, sections[kOps].size, origin + ": ops");
    const std::uint32_t op_count = o.count("op count", 40);
    model.ops.reserve(op_count);
    for (std::uint32_t i = 0; i < op_count; ++i) {
        Op op;
        op.type = static_cast<OpType>(o.u8("op type"));
        op.name = o.str("op name");
        const std::uint32_t n = o.count("op input count", 12);
        for (std::uint32_t k = 0; k < n; ++k) {
            OpInput in;
            in.tensor = o.u32("op input tensor");
            in.multiplier = o.i32("op input multiplier");
            in.shift = o.i32("op input shift");
            op.inputs.push_back(in);
        }
        op.output = o.u32("op output");
        op.kernel_h = o.u32("kernel_h"), op.kernel_w = o.u32("kernel_w");
        op.stride = o.u32("stride"), op.padding = o.u32("padding");
        op.relu = o.u8("relu") != 0;
        op.weight_bits = o.u8("weight bits");
        if (op.weight_bits != 2 && op.weight_bits != 4 && op.weight_bits != 8)
            throw Error(origin + ": op " + op.name + ": weight bits " + std::to_string(op.weight_bits) +
                        " (this runtime reads 2, 4 or 8)");
        budget.startOp(origin + ": op " + std::to_string(i) + " ('" + op.name + "')");
        if (options.weights_in_place) {
            std::uint64_t count = 0;
            op.weights_in_place = blobSpan(o, budget, count, weightElementBytes(op.weight_bits), "weights");
            op.weights_in_place_count = static_cast<std::size_t>(count);
        } else {
            op.weights = readWeights(o, budget, op.weight_bits);
        }
        op.bias = readWords<std::int32_t>(o, budget, "bias");
        op.multiplier = readWords<std::int32_t>(o, budget, "multiplier");
        op.shift = readWords<std::int32_t>(o, budget, "shift");
        op.output_scale = readWords<float>(o, budget, "output scale");
        model.ops.push_back(std::move(op));
    }
    if (sections[kTextFrontend].data && sections[kTextFrontend].size > 0)
        throw Error(origin + ": format version " + std::to_string(version) +
                    " model with its front-end settings as text (written by an older workbench); "
                    "export it again with `tinym2net export`");
    if (sections[kFrontend].data)
        model.frontend = readFrontEnd(sections[kFrontend].data, sections[kFrontend].size, origin);
    validateModel(model, origin);
    return model;
}

Model readModel(const std::string& path) {
    // Sized from the file, so a device or pipe (/dev/zero) cannot grow the buffer
    // without end (no <filesystem>: this file also builds for microcontrollers).
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(path + ": cannot open the model");
    // A folder reports a size of 2^63 − 1; no real model comes near 1 GiB.
    constexpr std::streamoff kMaxModelBytes = std::streamoff{1} << 30;
    const std::streamoff size = in.tellg();
    if (size < 0 || size > kMaxModelBytes || !in.seekg(0))
        throw Error(path + ": cannot read the model (not a regular file, or larger than 1 GiB)");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)) ||
        in.peek() != std::char_traits<char>::eof())
        throw Error(path + ": cannot read the model (not a regular file, or it changed while read)");
    return parseOwnedModel(bytes, path);
}

Model parseOwnedModel(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
    Model model = parseModel(bytes.data(), bytes.size(), origin, {true});
    // Only the weights are kept, each op's as the file stores them (packed at its width),
    // at a 4-byte boundary as in the file's blob: the rest of the file (int32 arrays,
    // graph, front-end) is already copied into the model.
    const auto aligned = [](std::size_t n) { return (n + 3) / 4 * 4; };
    std::size_t total = 0;
    for (const Op& op : model.ops) total += aligned(op.weightBytes());
    auto storage = std::make_shared<std::vector<std::uint8_t>>(total);
    std::size_t at = 0;
    for (Op& op : model.ops) {
        if (!op.weights_in_place) continue;
        std::copy(op.weights_in_place, op.weights_in_place + op.weightBytes(), storage->data() + at);
        op.weights_in_place = storage->data() + at;
        at += aligned(op.weightBytes());
    }
    model.storage = std::move(storage);
    return model;
}

}  // namespace tm2::runtime
