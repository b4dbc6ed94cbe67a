#pragma once
// The pair GEMM's innermost loop for four output rows × 16 columns, in inline
// assembly (simd_neon_gemm.cpp; include only from aarch64 translation units).
// Written by hand because GCC could not allocate it: 16 accumulators, 4 weight
// registers (a lane-indexed SMLAL's weight operand must sit in v0-v15) and 4
// column registers leave it no room, and it copied registers around every LD2
// (75 moves per 128 multiply-accumulates). Here the weights live in v0-v3, the
// columns in v4-v7 and the accumulators wherever GCC puts its operands (any of
// v8-v31, the clobbers keeping them off v0-v7).
//
// One iteration = four k pairs: 4 weight loads (four pairs of each row, 8 int16
// lanes: pair p's first weight in lane 2p, its second in 2p + 1), 8 LD2 (per pair,
// columns 0-7 and 8-15 split into first and second halves) and 128 SMLAL/SMLAL2
// = 512 exact MACs in 142 instructions (the 8-column intrinsic loop: 79 per 256).

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

// Row r's four accumulators (columns 0-3, 4-7, 8-11, 12-15) times lane L of weight
// register v<w>: the first halves (v4: columns 0-7, v6: 8-15) or the second (v5, v7).
#define TM2_GEMM16_ROW(r, w, L, x0, x1)                \
    "smlal  %[a" #r "0].4s, " #x0 ".4h, v" #w ".h[" #L \
    "]\n\t"                                            \
    "smlal2 %[a" #r "1].4s, " #x0 ".8h, v" #w ".h[" #L \
    "]\n\t"                                            \
    "smlal  %[a" #r "2].4s, " #x1 ".4h, v" #w ".h[" #L \
    "]\n\t"                                            \
    "smlal2 %[a" #r "3].4s, " #x1 ".8h, v" #w ".h[" #L "]\n\t"
// One k pair: its columns loaded (both pointers then step one pairs row), its first
// halves times lane L of each row's weights, its second halves times lane H.
#define TM2_GEMM16_PAIR(L, H)                                                                               \
    "ld2 {v4.8h, v5.8h}, [x9], %[stride]\n\t"                                                               \
    "ld2 {v6.8h, v7.8h}, [x10], %[stride]\n\t" TM2_GEMM16_ROW(0, 0, L, v4, v6)                              \
        TM2_GEMM16_ROW(1, 1, L, v4, v6) TM2_GEMM16_ROW(2, 2, L, v4, v6) TM2_GEMM16_ROW(3, 3, L, v4, v6)     \
            TM2_GEMM16_ROW(0, 0, H, v5, v7) TM2_GEMM16_ROW(1, 1, H, v5, v7) TM2_GEMM16_ROW(2, 2, H, v5, v7) \
                TM2_GEMM16_ROW(3, 3, H, v5, v7)

// Both blocks' loop (gemm16Quads, gemm16QuadsNarrow): the column pointers (x9: columns 0-7,
// x10: 8-15) and the four weight rows' (x11-x14) set from the operands col, w and wp, the
// count of four-k-pair steps in w15; each step first loads four pairs of every row's weights.
#define TM2_GEMM16_LOOP_START     \
    "mov x9, %[col]\n\t"          \
    "add x10, x9, #32\n\t"        \
    "mov x11, %[w]\n\t"           \
    "add x12, x11, %[wp]\n\t"     \
    "add x13, x12, %[wp]\n\t"     \
    "add x14, x13, %[wp]\n\t"     \
    "mov w15, %w[quads]\n\t"      \
    "1:\n\t"                      \
    "ld1 {v0.8h}, [x11], #16\n\t" \
    "ld1 {v1.8h}, [x12], #16\n\t" \
    "ld1 {v2.8h}, [x13], #16\n\t" \
    "ld1 {v3.8h}, [x14], #16\n\t"
#define TM2_GEMM16_LOOP_END \
    "subs w15, w15, #1\n\t" \
    "b.ne 1b\n\t"
#define TM2_GEMM16_CLOBBERS                                                                               \
    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "cc", \
        "memory"

namespace tm2::runtime {
namespace {

// The sixteen accumulators of a 4 × 16 block, row r's columns 4c..4c+3 in a<r><c>.
struct Accumulators4x16 {
    int32x4_t a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
};

// A 4 × 16 block over the first 4 · quads (≥ 1) k pairs: each row's accumulators
// started at its start value. col: the first k pair's row of the pairs matrix at the
// block's first column; stride_bytes: the matrix's row pitch in bytes; w: row 0's
// weight pairs from the first k pair, w_pitch_bytes the weight rows' pitch. The
// pointers walk in x9-x15 (clobbered) so that the operands stay within GCC's 30.
inline __attribute__((always_inline)) Accumulators4x16 gemm16Quads(int32x4_t t0, int32x4_t t1, int32x4_t t2,
                                                                   int32x4_t t3, const std::int32_t* col,
                                                                   std::ptrdiff_t stride_bytes,
                                                                   const std::int32_t* w,
                                                                   std::ptrdiff_t w_pitch_bytes, int quads) {
    Accumulators4x16 a;
    asm volatile(
        "mov %[a00].16b, %[t0].16b\n\t"
        "mov %[a01].16b, %[t0].16b\n\t"
        "mov %[a02].16b, %[t0].16b\n\t"
        "mov %[a03].16b, %[t0].16b\n\t"
        "mov %[a10].16b, %[t1].16b\n\t"
        "mov %[a11].16b, %[t1].16b\n\t"
        "mov %[a12].16b, %[t1].16b\n\t"
        "mov %[a13].16b, %[t1].16b\n\t"
        "mov %[a20].16b, %[t2].16b\n\t"
        "mov %[a21].16b, %[t2].16b\n\t"
        "mov %[a22].16b, %[t2].16b\n\t"
        "mov %[a23].16b, %[t2].16b\n\t"
        "mov %[a30].16b, %[t3].16b\n\t"
        "mov %[a31].16b, %[t3].16b\n\t"
        "mov %[a32].16b, %[t3].16b\n\t"
        "mov %[a33].16b, %[t3].16b\n\t" TM2_GEMM16_LOOP_START TM2_GEMM16_PAIR(0, 1) TM2_GEMM16_PAIR(2, 3)
            TM2_GEMM16_PAIR(4, 5) TM2_GEMM16_PAIR(6, 7) TM2_GEMM16_LOOP_END
        : [a00] "=&w"(a.a00), [a01] "=&w"(a.a01), [a02] "=&w"(a.a02), [a03] "=&w"(a.a03), [a10] "=&w"(a.a10),
          [a11] "=&w"(a.a11), [a12] "=&w"(a.a12), [a13] "=&w"(a.a13), [a20] "=&w"(a.a20), [a21] "=&w"(a.a21),
          [a22] "=&w"(a.a22), [a23] "=&w"(a.a23), [a30] "=&w"(a.a30), [a31] "=&w"(a.a31), [a32] "=&w"(a.a32),
          [a33] "=&w"(a.a33)
        : [t0] "w"(t0), [t1] "w"(t1), [t2] "w"(t2), [t3] "w"(t3), [col] "r"(col), [w] "r"(w),
          [wp] "r"(w_pitch_bytes), [stride] "r"(stride_bytes), [quads] "r"(quads)
        : TM2_GEMM16_CLOBBERS);
    return a;
}

// gemm16Quads in int16 lanes, for ops whose sums fit them (narrowAccumulates): row r's
// columns 0-7 in n<r>0 and 8-15 in n<r>1, each k pair two MLAs (by element) per row and
// column half instead of four SMLAL/SMLAL2: 64 MLA per four k pairs instead of 128. The
// sums start at 0 (the caller widens them onto the bias, SADDW).
struct Narrow4x16 {
    int16x8_t n00, n01, n10, n11, n20, n21, n30, n31;
};

#define TM2_GEMM16N_ROW(r, w, L, x0, x1)            \
    "mla %[n" #r "0].8h, " #x0 ".8h, v" #w ".h[" #L \
    "]\n\t"                                         \
    "mla %[n" #r "1].8h, " #x1 ".8h, v" #w ".h[" #L "]\n\t"
#define TM2_GEMM16N_PAIR(L, H)                                                                             \
    "ld2 {v4.8h, v5.8h}, [x9], %[stride]\n\t"                                                              \
    "ld2 {v6.8h, v7.8h}, [x10], %[stride]\n\t" TM2_GEMM16N_ROW(0, 0, L, v4, v6)                            \
        TM2_GEMM16N_ROW(1, 1, L, v4, v6) TM2_GEMM16N_ROW(2, 2, L, v4, v6) TM2_GEMM16N_ROW(3, 3, L, v4, v6) \
            TM2_GEMM16N_ROW(0, 0, H, v5, v7) TM2_GEMM16N_ROW(1, 1, H, v5, v7)                              \
                TM2_GEMM16N_ROW(2, 2, H, v5, v7) TM2_GEMM16N_ROW(3, 3, H, v5, v7)

inline __attribute__((always_inline)) Narrow4x16 gemm16QuadsNarrow(const std::int32_t* col,
                                                                   std::ptrdiff_t stride_bytes,
                                                                   const std::int32_t* w,
                                                                   std::ptrdiff_t w_pitch_bytes, int quads) {
    Narrow4x16 n;
    asm volatile(
        "movi %[n00].16b, #0\n\t"
        "movi %[n01].16b, #0\n\t"
        "movi %[n10].16b, #0\n\t"
        "movi %[n11].16b, #0\n\t"
        "movi %[n20].16b, #0\n\t"
        "movi %[n21].16b, #0\n\t"
        "movi %[n30].16b, #0\n\t"
        "movi %[n31].16b, #0\n\t" TM2_GEMM16_LOOP_START TM2_GEMM16N_PAIR(0, 1) TM2_GEMM16N_PAIR(2, 3)
            TM2_GEMM16N_PAIR(4, 5) TM2_GEMM16N_PAIR(6, 7) TM2_GEMM16_LOOP_END
        : [n00] "=&w"(n.n00), [n01] "=&w"(n.n01), [n10] "=&w"(n.n10), [n11] "=&w"(n.n11), [n20] "=&w"(n.n20),
          [n21] "=&w"(n.n21), [n30] "=&w"(n.n30), [n31] "=&w"(n.n31)
        : [col] "r"(col), [w] "r"(w), [wp] "r"(w_pitch_bytes), [stride] "r"(stride_bytes), [quads] "r"(quads)
        : TM2_GEMM16_CLOBBERS);
    return n;
}

}  // namespace
}  // namespace tm2::runtime

#undef TM2_GEMM16N_PAIR
#undef TM2_GEMM16N_ROW
#undef TM2_GEMM16_PAIR
#undef TM2_GEMM16_ROW
