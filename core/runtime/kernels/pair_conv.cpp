#include "core/runtime/kernels/pair_conv.h"

#include <algorithm>
#include <cstring>

namespace tm2::runtime {

namespace detail {
namespace {
// Channels per GEMM call when the flat runs go through a buffer: a multiple of the
// AVX2 GEMM's 6-row and the NEON GEMM's 4-row blocks, small enough to keep the buffer in L1.
constexpr int kCopyBlock = 12;

std::size_t roundUp(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

struct PairGrid {
    int pitch = 0, height = 0;  // padded input plane
    bool flat = false;          // stride 1: one run over the padded plane per tap pair
    int n = 0, ld = 0;          // GEMM columns and the pairs matrix's row pitch
    bool copy_out = false;      // flat with junk columns: GEMM into a buffer, copy rows out
};

PairGrid pairGrid(const ConvGeometry& g) {
    PairGrid p;
    p.pitch = g.in_w + 2 * g.padding;
    p.height = g.in_h + 2 * g.padding;
    // Flat only while the junk columns stay under half the run (a wide kernel on a
    // narrow output would otherwise multiply the pairs matrix); else gather rows.
    p.flat = g.stride == 1 && p.pitch - g.out_w <= g.out_w;
    p.n = p.flat ? (g.out_h - 1) * p.pitch + g.out_w : g.out_h * g.out_w;
    p.ld = static_cast<int>(roundUp(static_cast<std::size_t>(p.n), 16));
    p.copy_out = p.flat && p.pitch != g.out_w;
    return p;
}

int pairCount(const ConvGeometry& g, int planes) { return (planes * g.kernel_h * g.kernel_w + 1) / 2; }

std::size_t paddedBytes(const ConvGeometry& g, const PairGrid& grid, int planes) {
    return g.padding > 0 ? roundUp(static_cast<std::size_t>(planes) * grid.height * grid.pitch, 32) : 0;
}

// Short row copies inline (fixed-size memcpy compiles to plain moves): rows here
// are 3..100 bytes, where a libc call per row costs more than the copy. Forced:
// GCC stopped inlining it as this file grew.
__attribute__((always_inline)) inline void copyRow(std::uint8_t* dst, const std::uint8_t* src, int n) {
    if (n >= 16) {
        int i = 0;
        for (; i + 16 <= n; i += 16) std::memcpy(dst + i, src + i, 16);
        if (i < n) std::memcpy(dst + n - 16, src + n - 16, 16);  // overlaps the last full chunk
    } else if (n >= 8) {
        std::memcpy(dst, src, 8);
        std::memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        std::memcpy(dst, src, 4);
        std::memcpy(dst + n - 4, src + n - 4, 4);
    } else {
        for (int i = 0; i < n; ++i) dst[i] = src[i];
    }
}

// A flat run's `height` lines of `width` codes, `pitch` apart, into consecutive lines
// at dst. Lines at least 8 wide, but the last, go as whole 16-byte chunks: what lands
// past a line's end is the next line's start, which its own copy then rewrites. In
// bounds for w ≥ 8: the chunks of line y end by y·w + 2w in dst (ceil16(w) ≤ 2w) and
// by y·pitch + pitch + w in the run (ceil16(w) − w ≤ min(16 − w, 15) ≤ pitch, as
// pitch ≥ w), so up to line height − 2 within both; the last line copies exactly.
__attribute__((always_inline)) inline void copyLinesOut(std::uint8_t* dst, const std::uint8_t* run,
                                                        int height, int width, int pitch) {
    int y = 0;
    if (width >= 8)
        for (; y + 1 < height; ++y) {
            std::uint8_t* to = dst + static_cast<std::ptrdiff_t>(y) * width;
            const std::uint8_t* from = run + static_cast<std::ptrdiff_t>(y) * pitch;
            for (int i = 0; i < width; i += 16) std::memcpy(to + i, from + i, 16);
        }
    for (; y < height; ++y)
        copyRow(dst + static_cast<std::ptrdiff_t>(y) * width, run + static_cast<std::ptrdiff_t>(y) * pitch,
                width);
}

// Each plane framed by `padding` cells of the zero point (real 0, so they add nothing).
void padPlanes(const ConvGeometry& g, const PairGrid& grid, const std::uint8_t* in, int planes,
               std::uint8_t zero_point, std::uint8_t* dst) {
    // One fill of every plane, then the rows copied in.
    const std::size_t plane_bytes = static_cast<std::size_t>(grid.height) * grid.pitch;
    std::memset(dst, zero_point, plane_bytes * static_cast<std::size_t>(planes));
    for (int c = 0; c < planes; ++c) {
        std::uint8_t* plane =
            dst + c * plane_bytes + static_cast<std::ptrdiff_t>(g.padding) * grid.pitch + g.padding;
        const std::uint8_t* src = in + static_cast<std::ptrdiff_t>(c) * g.in_h * g.in_w;
        for (int y = 0; y < g.in_h; ++y)
            copyRow(plane + static_cast<std::ptrdiff_t>(y) * grid.pitch,
                    src + static_cast<std::ptrdiff_t>(y) * g.in_w, g.in_w);
    }
}
}  // namespace

std::size_t pairConvScratchBytes(const ConvGeometry& g, int planes) {
    if (g.out_h <= 0 || g.out_w <= 0) return 0;
    const PairGrid grid = pairGrid(g);
    return paddedBytes(g, grid, planes) + static_cast<std::size_t>(pairCount(g, planes)) * grid.ld * 4 +
           (grid.copy_out ? roundUp(kCopyBlock * static_cast<std::size_t>(grid.n), 32) : 0);
}

bool usesPairConv(const ConvGeometry& g, int planes, const SimdOps& ops) {
    return ops.gemm_pairs && ops.pack_pairs && pairConvScratchBytes(g, planes) <= kMaxPairScratchBytes;
}

void pairConv(const ConvGeometry& g, const std::uint8_t* in, int planes, std::int32_t in_zero_point,
              const std::int32_t* w_pairs, int rows, int first_channel, const OutputStage& stage,
              std::uint8_t* out, void* scratch, const SimdOps& ops) {
    if (g.out_h <= 0 || g.out_w <= 0 || rows <= 0) return;
    const PairGrid grid = pairGrid(g);
    const int taps = g.kernel_h * g.kernel_w;
    const int k_total = planes * taps, pair_count = pairCount(g, planes);
    auto* bytes = static_cast<std::uint8_t*>(scratch);
    const std::uint8_t* src = in;
    if (g.padding > 0) {
        padPlanes(g, grid, in, planes, static_cast<std::uint8_t>(in_zero_point), bytes);
        src = bytes;
        bytes += paddedBytes(g, grid, planes);
    }
    const std::ptrdiff_t plane_bytes = static_cast<std::ptrdiff_t>(grid.height) * grid.pitch;
    auto tapStart = [&](int k) {
        const int t = k % taps;
        return src + (k / taps) * plane_bytes + (t / g.kernel_w) * grid.pitch + t % g.kernel_w;
    };
    auto* pairs = reinterpret_cast<std::int32_t*>(bytes);
    bytes += static_cast<std::size_t>(pair_count) * grid.ld * 4;
    for (int kp = 0; kp < pair_count; ++kp) {
        const int k0 = 2 * kp,
                  k1 = k0 + 1 < k_total ? k0 + 1 : k0;  // odd K: the last weight pair's high half is 0
        const std::uint8_t* a = tapStart(k0);
        const std::uint8_t* b = tapStart(k1);
        std::int32_t* dst = pairs + static_cast<std::ptrdiff_t>(kp) * grid.ld;
        if (grid.flat) {
            ops.pack_pairs(dst, a, b, in_zero_point, 1, grid.n);
        } else {
            for (int y = 0; y < g.out_h; ++y) {
                const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(y) * g.stride * grid.pitch;
                ops.pack_pairs(dst + static_cast<std::ptrdiff_t>(y) * g.out_w, a + row, b + row,
                               in_zero_point, g.stride, g.out_w);
            }
        }
    }
    const int out_plane = g.out_h * g.out_w;
    if (!grid.copy_out) {
        ops.gemm_pairs(pairs, pair_count, grid.n, grid.ld, w_pairs, rows, stage, first_channel,
                       out + static_cast<std::ptrdiff_t>(first_channel) * out_plane, out_plane);
        return;
    }
    for (int r0 = 0; r0 < rows; r0 += kCopyBlock) {
        const int block = std::min(kCopyBlock, rows - r0);
        ops.gemm_pairs(pairs, pair_count, grid.n, grid.ld,
                       w_pairs + static_cast<std::ptrdiff_t>(r0) * pair_count, block, stage,
                       first_channel + r0, bytes, grid.n);
        for (int r = 0; r < block; ++r) {
            std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(first_channel + r0 + r) * out_plane;
            copyLinesOut(dst, bytes + static_cast<std::ptrdiff_t>(r) * grid.n, g.out_h, g.out_w, grid.pitch);
        }
    }
}

std::size_t depthwiseDirectScratchBytes(const ConvGeometry& g) {
    if (g.out_h <= 0 || g.out_w <= 0) return 0;
    const PairGrid grid = pairGrid(g);
    if (!grid.flat) return 0;
    return paddedBytes(g, grid, g.in_c) +
           roundUp(2 * sizeof(int) * static_cast<std::size_t>(pairCount(g, 1)), 32) +
           (grid.copy_out ? roundUp(static_cast<std::size_t>(grid.n), 32) : 0);
}

bool depthwiseDirectFits(const ConvGeometry& g) {
    return g.out_h > 0 && g.out_w > 0 && pairGrid(g).flat &&
           depthwiseDirectScratchBytes(g) <= kMaxPairScratchBytes;
}

void depthwiseDirect(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     const std::int32_t* w_pairs, const OutputStage& stage, std::uint8_t* out, void* scratch,
                     const SimdOps& ops) {
    if (g.out_h <= 0 || g.out_w <= 0) return;
    const PairGrid grid = pairGrid(g);
    const int taps = g.kernel_h * g.kernel_w, pair_count = pairCount(g, 1);
    auto* bytes = static_cast<std::uint8_t*>(scratch);
    const std::uint8_t* src = in;
    if (g.padding > 0) {
        padPlanes(g, grid, in, g.in_c, static_cast<std::uint8_t>(in_zero_point), bytes);
        src = bytes;
        bytes += paddedBytes(g, grid, g.in_c);
    }
    auto* offsets = reinterpret_cast<int*>(bytes);
    bytes += roundUp(2 * sizeof(int) * static_cast<std::size_t>(pair_count), 32);
    for (int k = 0; k < 2 * pair_count; ++k) {
        const int t = k < taps ? k : taps - 1;  // odd tap count: the last pair repeats a tap with weight 0
        offsets[k] = (t / g.kernel_w) * grid.pitch + t % g.kernel_w;
    }
    const std::ptrdiff_t plane_bytes = static_cast<std::ptrdiff_t>(grid.height) * grid.pitch;
    const int out_plane = g.out_h * g.out_w;
    for (int c = 0; c < g.out_c; ++c) {
        std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(c) * out_plane;
        ops.direct_pairs(src + c * plane_bytes, offsets, pair_count, grid.n, in_zero_point,
                         w_pairs + static_cast<std::ptrdiff_t>(c) * pair_count, stage, c,
                         grid.copy_out ? bytes : dst);
        if (grid.copy_out) copyLinesOut(dst, bytes, g.out_h, g.out_w, grid.pitch);
    }
}

// A padded plane's output lines go to direct_rows line by line (its junk columns
// neither computed nor copied out) once they are at least a vector step (8) wide;
// narrower lines are cheaper as one flat run copied out.
bool directConvByLines(const ConvGeometry& g, const PairGrid& grid) { return grid.copy_out && g.out_w >= 8; }

std::size_t directConvScratchBytes(const ConvGeometry& g) {
    if (g.out_h <= 0 || g.out_w <= 0) return 0;
    const PairGrid grid = pairGrid(g);
    if (!grid.flat) return 0;
    const bool copy = grid.copy_out && !directConvByLines(g, grid);
    return paddedBytes(g, grid, 1) +
           roundUp(2 * sizeof(int) * static_cast<std::size_t>(pairCount(g, 1)), 32) +
           (copy ? roundUp(kCopyBlock * static_cast<std::size_t>(grid.n), 32) : 0);
}

bool usesDirectConv(const ConvGeometry& g, const SimdOps& ops) {
    return ops.direct_rows && g.in_c == 1 && g.out_h > 0 && g.out_w > 0 && pairGrid(g).flat &&
           directConvScratchBytes(g) <= kMaxPairScratchBytes;
}

void directConv(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                const std::int32_t* w_pairs, const OutputStage& stage, std::uint8_t* out, void* scratch,
                const SimdOps& ops) {
    if (g.out_h <= 0 || g.out_w <= 0 || g.out_c <= 0) return;
    const PairGrid grid = pairGrid(g);
    const int taps = g.kernel_h * g.kernel_w, pair_count = pairCount(g, 1);
    auto* bytes = static_cast<std::uint8_t*>(scratch);
    const std::uint8_t* src = in;
    if (g.padding > 0) {
        padPlanes(g, grid, in, 1, static_cast<std::uint8_t>(in_zero_point), bytes);
        src = bytes;
        bytes += paddedBytes(g, grid, 1);
    }
    auto* offsets = reinterpret_cast<int*>(bytes);
    bytes += roundUp(2 * sizeof(int) * static_cast<std::size_t>(pair_count), 32);
    for (int k = 0; k < 2 * pair_count; ++k) {
        const int t = k < taps ? k : taps - 1;  // odd tap count: the last pair repeats a tap with weight 0
        offsets[k] = (t / g.kernel_w) * grid.pitch + t % g.kernel_w;
    }
    const int out_plane = g.out_h * g.out_w;
    if (!grid.copy_out) {
        ops.direct_rows(src, offsets, pair_count, grid.n, 1, grid.pitch, in_zero_point, w_pairs, g.out_c,
                        stage, 0, out, out_plane);
        return;
    }
    if (directConvByLines(g, grid)) {
        ops.direct_rows(src, offsets, pair_count, g.out_w, g.out_h, grid.pitch, in_zero_point, w_pairs,
                        g.out_c, stage, 0, out, out_plane);
        return;
    }
    for (int r0 = 0; r0 < g.out_c; r0 += kCopyBlock) {
        const int block = std::min(kCopyBlock, g.out_c - r0);
        ops.direct_rows(src, offsets, pair_count, grid.n, 1, grid.pitch, in_zero_point,
                        w_pairs + static_cast<std::ptrdiff_t>(r0) * pair_count, block, stage, r0, bytes,
                        grid.n);
        for (int r = 0; r < block; ++r) {
            std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(r0 + r) * out_plane;
            copyLinesOut(dst, bytes + static_cast<std::ptrdiff_t>(r) * grid.n, g.out_h, g.out_w, grid.pitch);
        }
    }
}

}  // namespace detail

}  // namespace tm2::runtime
