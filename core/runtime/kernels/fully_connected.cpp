#include "core/runtime/kernels/int2.h"
#include "core/runtime/kernels/int4.h"
#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

namespace {

// Row o's total (Σ over the segments) plus bias, as a code or as int32.
inline void finishRow(int o, std::int64_t total, const OutputStage& s, std::uint8_t* out,
                      std::int32_t* out_int32) {
    if (s.bias) total += s.bias[o];
    if (out_int32) {
        out_int32[o] = static_cast<std::int32_t>(total < INT32_MIN   ? INT32_MIN
                                                 : total > INT32_MAX ? INT32_MAX
                                                                     : total);
    } else {
        out[o] = requantizeToCode(total, s.multiplier[o], s.shift[o], s.zero_point, s.lo, s.hi);
    }
}

// A later segment of a fused concat has its own scale: brought to the first's,
// rounding in the accumulator domain (far finer than an output step).
inline std::int64_t segmentTerm(const FcSegment& seg, int k, std::int32_t acc) {
    return k == 0 ? acc : applyDyadic(acc, seg.multiplier, seg.shift);
}

int inFeatures(const FcSegment* segments, int segment_count) {
    int in_features = 0;
    for (int k = 0; k < segment_count; ++k) in_features += segments[k].length;
    return in_features;
}

// Rows first_row.. of the output: Σ over the segments of row o, then bias and
// requantization; `dot(seg, first)` returns the segment's Σ w · (x − zp) for weights
// starting at index `first` of row o.
template <typename SegmentDot>
void fullyConnectedRows(const FcSegment* segments, int segment_count, int first_row, int out_features,
                        const OutputStage& s, std::uint8_t* out, std::int32_t* out_int32, SegmentDot dot) {
    const int in_features = inFeatures(segments, segment_count);
    for (int o = first_row; o < out_features; ++o) {
        std::size_t first = static_cast<std::size_t>(o) * static_cast<std::size_t>(in_features);
        std::int64_t total = 0;
        for (int k = 0; k < segment_count; ++k) {
            const FcSegment& seg = segments[k];
            total += segmentTerm(seg, k, dot(seg, first));
            first += static_cast<std::size_t>(seg.length);
        }
        finishRow(o, total, s, out, out_int32);
    }
}

// The rows in fours through ops.dot4 (each input segment read once per four rows);
// returns the first row left over.
int fullyConnectedFourRows(const FcSegment* segments, int segment_count, int out_features,
                           const std::int8_t* weights, const OutputStage& s, std::uint8_t* out,
                           std::int32_t* out_int32, const SimdOps& ops) {
    const int in_features = inFeatures(segments, segment_count);
    int o = 0;
    for (; o + 4 <= out_features; o += 4) {
        std::size_t first = static_cast<std::size_t>(o) * static_cast<std::size_t>(in_features);
        std::int64_t total[4] = {};
        for (int k = 0; k < segment_count; ++k) {
            const FcSegment& seg = segments[k];
            std::int32_t sums[4];
            ops.dot4(seg.data, seg.zero_point, weights + first, in_features, seg.length, sums);
            for (int r = 0; r < 4; ++r) total[r] += segmentTerm(seg, k, sums[r]);
            first += static_cast<std::size_t>(seg.length);
        }
        for (int r = 0; r < 4; ++r) finishRow(o + r, total[r], s, out, out_int32);
    }
    return o;
}

}  // namespace

void fullyConnected(const FcSegment* segments, int segment_count, int out_features,
                    const std::int8_t* weights, const OutputStage& s, std::uint8_t* out,
                    std::int32_t* out_int32, const SimdOps& ops) {
    const int first_row = ops.dot4 ? fullyConnectedFourRows(segments, segment_count, out_features, weights, s,
                                                            out, out_int32, ops)
                                   : 0;
    fullyConnectedRows(segments, segment_count, first_row, out_features, s, out, out_int32,
                       [&](const FcSegment& seg, std::size_t first) {
                           return ops.dot(seg.data, seg.zero_point, weights + first, seg.length);
                       });
}

std::int32_t dotPackedInt4(const std::uint8_t* x, std::int32_t zero_point, const std::uint8_t* packed,
                           std::size_t first, int n) {
    std::int32_t acc = 0;
    int i = 0;
    if (first % 2 == 1 && n > 0) acc += int4At(packed, first) * (x[i++] - zero_point);
    // Whole bytes: two weights each, as Σ x·w − zp·Σ w (one multiply less per weight pair).
    const std::uint8_t* byte = packed + (first + static_cast<std::size_t>(i)) / 2;
    std::int32_t sum_xw = 0, sum_w = 0;
    for (; i + 1 < n; i += 2, ++byte) {
        const int lo = int4Low(*byte), hi = int4High(*byte);
        sum_xw += lo * x[i] + hi * x[i + 1];
        sum_w += lo + hi;
    }
    acc += sum_xw - zero_point * sum_w;
    if (i < n) acc += int4At(packed, first + static_cast<std::size_t>(i)) * (x[i] - zero_point);
    return acc;
}

namespace {

// dotPackedInt4 with its whole bytes through ops.dot_int4.
std::int32_t dotPackedInt4Simd(const std::uint8_t* x, std::int32_t zero_point, const std::uint8_t* packed,
                               std::size_t first, int n, const SimdOps& ops) {
    std::int32_t acc = 0;
    int i = 0;
    if (first % 2 == 1 && n > 0) acc += int4At(packed, first) * (x[i++] - zero_point);
    const int bytes = (n - i) / 2;
    acc += ops.dot_int4(x + i, zero_point, packed + (first + static_cast<std::size_t>(i)) / 2, bytes);
    i += 2 * bytes;
    if (i < n) acc += int4At(packed, first + static_cast<std::size_t>(i)) * (x[i] - zero_point);
    return acc;
}

// The rows in fours through ops.dot4_int4 when every row starts on a byte (an even row
// length); a segment starting mid-byte (an odd segment before it) goes row by row, an odd
// segment's last weight one at a time. Returns the first row left over.
int packedInt4FourRows(const FcSegment* segments, int segment_count, int out_features,
                       const std::uint8_t* packed, const OutputStage& s, std::uint8_t* out,
                       std::int32_t* out_int32, const SimdOps& ops) {
    const int in_features = inFeatures(segments, segment_count);
    if (in_features % 2 != 0) return 0;
    const std::ptrdiff_t stride = in_features / 2;
    int o = 0;
    for (; o + 4 <= out_features; o += 4) {
        std::size_t first = static_cast<std::size_t>(o) * static_cast<std::size_t>(in_features);
        std::int64_t total[4] = {};
        for (int k = 0; k < segment_count; ++k) {
            const FcSegment& seg = segments[k];
            std::int32_t sums[4];
            if (first % 2 == 0) {
                const int bytes = seg.length / 2;
                ops.dot4_int4(seg.data, seg.zero_point, packed + first / 2, stride, bytes, sums);
                if (seg.length % 2 != 0)
                    for (int r = 0; r < 4; ++r)
                        sums[r] += int4At(packed, first + static_cast<std::size_t>(r) * in_features +
                                                      static_cast<std::size_t>(seg.length) - 1) *
                                   (seg.data[seg.length - 1] - seg.zero_point);
            } else {
                for (int r = 0; r < 4; ++r)
                    sums[r] =
                        dotPackedInt4Simd(seg.data, seg.zero_point, packed,
                                          first + static_cast<std::size_t>(r) * in_features, seg.length, ops);
            }
            for (int r = 0; r < 4; ++r) total[r] += segmentTerm(seg, k, sums[r]);
            first += static_cast<std::size_t>(seg.length);
        }
        for (int r = 0; r < 4; ++r) finishRow(o + r, total[r], s, out, out_int32);
    }
    return o;
}

}  // namespace

void fullyConnectedPackedInt4(const FcSegment* segments, int segment_count, int out_features,
                              const std::uint8_t* packed, const OutputStage& s, std::uint8_t* out,
                              std::int32_t* out_int32, const SimdOps& ops) {
    if (!ops.dot_int4) {
        fullyConnectedRows(segments, segment_count, 0, out_features, s, out, out_int32,
                           [&](const FcSegment& seg, std::size_t first) {
                               return dotPackedInt4(seg.data, seg.zero_point, packed, first, seg.length);
                           });
        return;
    }
    const int first_row = ops.dot4_int4 ? packedInt4FourRows(segments, segment_count, out_features, packed, s,
                                                             out, out_int32, ops)
                                        : 0;
    fullyConnectedRows(segments, segment_count, first_row, out_features, s, out, out_int32,
                       [&](const FcSegment& seg, std::size_t first) {
                           return dotPackedInt4Simd(seg.data, seg.zero_point, packed, first, seg.length, ops);
                       });
}

std::int32_t dotPackedInt2(const std::uint8_t* x, std::int32_t zero_point, const std::uint8_t* packed,
                           std::size_t first, int n) {
    std::int32_t acc = 0;
    int i = 0;
    // Up to the next byte boundary one weight at a time, then four per byte.
    for (; i < n && (first + static_cast<std::size_t>(i)) % 4 != 0; ++i)
        acc += int2At(packed, first + static_cast<std::size_t>(i)) * (x[i] - zero_point);
    const std::uint8_t* byte = packed + (first + static_cast<std::size_t>(i)) / 4;
    for (; i + 3 < n; i += 4, ++byte) {
        const std::uint8_t b = *byte;
        acc += int2In(b, 0) * (x[i] - zero_point) + int2In(b, 1) * (x[i + 1] - zero_point) +
               int2In(b, 2) * (x[i + 2] - zero_point) + int2In(b, 3) * (x[i + 3] - zero_point);
    }
    for (; i < n; ++i) acc += int2At(packed, first + static_cast<std::size_t>(i)) * (x[i] - zero_point);
    return acc;
}

void fullyConnectedPackedInt2(const FcSegment* segments, int segment_count, int out_features,
                              const std::uint8_t* packed, const OutputStage& s, std::uint8_t* out,
                              std::int32_t* out_int32) {
    fullyConnectedRows(segments, segment_count, 0, out_features, s, out, out_int32,
                       [&](const FcSegment& seg, std::size_t first) {
                           return dotPackedInt2(seg.data, seg.zero_point, packed, first, seg.length);
                       });
}

}  // namespace tm2::runtime
