#ifndef TM2_FIXED_MFCC_H
#define TM2_FIXED_MFCC_H
/* A fixed-point MFCC for microcontrollers: int16 PCM in, the network's uint8
   input codes out, integer arithmetic only (int16/int32, int64 accumulators).
   It follows the float front-end (core/runtime/frontend, librosa conventions)
   step by step, so the codes differ from the float path's by rounding only
   (docs/mcu-frontend.md):

     first window of window_samples (zero-padded) -> centred frames of n_fft
     -> Q30 window, frame scaled to a block exponent -> real FFT as an
     n_fft/2-point complex radix-2 FFT (Q31 twiddles, every stage halved) and
     the split step -> power in uint64 with a per-frame block exponent ->
     sparse mel triangles in Q15 (64-bit sums) -> log2 from a 129-entry table
     (Q16) -> log units (dB or natural) in Q16, amin and top_db floors as
     power_to_db -> orthonormal DCT-II (24-bit coefficients) -> (x - mean) / std and the
     input quantization folded into one Q36 multiplier and offset per row.

   The tables live in a plan (const: flash). `tinym2net export-mcu` writes one
   per audio input into frontend_data.c; the host builds the same plan with
   tm2::runtime::FixedMfccTables (fixed_mfcc_tables.h). C99, no allocation, no
   floating point, no library call. */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm2_fixed_mfcc_plan {
    int32_t window_samples; /* samples the network's window holds (zero-padded when short) */
    int32_t n_fft;          /* power of two, 16 .. 4096 */
    int32_t hop_length;
    int32_t win_lo, win_hi; /* nonzero span of the window inside a frame */
    int32_t center;         /* 1: frames centred (n_fft/2 zeros padded both sides) */
    int32_t frames;         /* frames per window = the network input's width */
    int32_t n_mels, n_mfcc;
    const int32_t* window;          /* n_fft, Q30 (zero outside [win_lo, win_hi)) */
    const int32_t* twiddles;        /* n_fft/2 pairs (cos, -sin) of 2 pi k / n_fft, Q31 */
    const uint16_t* bit_reverse;    /* n_fft/2: the complex FFT's input permutation */
    const uint16_t* mel_first;      /* per mel band: first FFT bin */
    const uint16_t* mel_count;      /* per mel band: bins */
    const uint16_t* mel_offset;     /* per mel band: its first weight in mel_weights */
    const int16_t* mel_weights;     /* triangles, Q15, each scaled to peak 32767 */
    const int32_t* mel_log2_offset; /* per band: log2 of (band scale x FFT and input scaling), Q16 */
    int32_t power_bits; /* power values are shifted below 2^power_bits: no band sum overflows 64 bits */
    const int32_t* log2_table; /* 129 entries: log2(1 + i/128), Q16 */
    int32_t log_per_log2;      /* log units (dB or natural) per log2 unit, Q15 */
    int32_t log_floor_q16;     /* amin (1e-10) in log units, Q16 */
    int32_t top_db_q16;        /* floor below the window's peak, Q16; 0 = none */
    const int32_t* dct;        /* n_mfcc x n_mels, Q(dct_shift), |value| < 2^24 */
    int32_t dct_shift;
    const int32_t* code_scale;  /* per coefficient: 1 / (65536 std x input scale), Q36 */
    const int64_t* code_offset; /* per coefficient: (zero point + 0.5 - mean / (std x scale)), Q36 */
    int32_t code_max;           /* 2^input bits - 1 */
} tm2_fixed_mfcc_plan;

/* Bytes of scratch tm2_fixed_mfcc_codes needs (8-byte aligned): the FFT
   buffer (n_fft/2 + 1 complex int32) and the window's log-mel values (int32). */
size_t tm2_fixed_mfcc_scratch_bytes(const tm2_fixed_mfcc_plan* plan);

/* The window's log-mel values, frames x n_mels, log units in Q16, floored
   (amin, top_db) as power_to_db: the first pass. Returns 0, or -1 when
   scratch_bytes is too small. */
int tm2_fixed_mfcc_log_mel(const tm2_fixed_mfcc_plan* plan, const int16_t* pcm, size_t count, void* scratch,
                           size_t scratch_bytes);

/* After tm2_fixed_mfcc_log_mel on the same scratch: the coefficients in log
   units, Q16, row-major n_mfcc x frames (for measuring; the device wants codes). */
void tm2_fixed_mfcc_coefficients(const tm2_fixed_mfcc_plan* plan, const void* scratch, int32_t* out);

/* The network input: n_mfcc x frames codes (row = coefficient, column = frame)
   from `count` samples (the first window_samples of them). Returns 0, or -1
   when scratch_bytes is too small. */
int tm2_fixed_mfcc_codes(const tm2_fixed_mfcc_plan* plan, const int16_t* pcm, size_t count, void* scratch,
                         size_t scratch_bytes, uint8_t* codes);

#ifdef __cplusplus
}
#endif
#endif
