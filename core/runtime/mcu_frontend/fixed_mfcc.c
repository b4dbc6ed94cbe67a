/* Fixed-point MFCC; the method and its error bounds are in fixed_mfcc.h and
   docs/mcu-frontend.md. Right shifts of negative values are arithmetic (GCC,
   Clang, Arm Compiler and MSVC all do so). */
#include "fixed_mfcc.h"

/* The frame is scaled so every |value| is below 2^29: a complex value then
   stays below 2^29.5 in magnitude through every halved FFT stage and the split
   step, so no sum overflows int32. */

static int highest_bit32(uint32_t x) { /* x > 0 */
#if defined(__GNUC__) || defined(__clang__)
    return 31 - __builtin_clz(x);
#else
    int b = 0;
    while (x >>= 1) ++b;
    return b;
#endif
}

static int highest_bit64(uint64_t x) { /* x > 0 */
    const uint32_t hi = (uint32_t)(x >> 32);
    return hi ? 32 + highest_bit32(hi) : highest_bit32((uint32_t)x);
}

static size_t fft_bytes(const tm2_fixed_mfcc_plan* p) { return (size_t)(p->n_fft / 2 + 1) * 8u; }

size_t tm2_fixed_mfcc_scratch_bytes(const tm2_fixed_mfcc_plan* p) {
    return fft_bytes(p) + (size_t)p->frames * (size_t)p->n_mels * sizeof(int32_t);
}

/* log2(x) in Q16 for x > 0: the exponent, then the 7 mantissa bits below the
   leading one index the table and the next 16 interpolate (error < 2e-5). */
static int32_t log2_q16(const int32_t* table, uint64_t x) {
    const int e = highest_bit64(x);
    const uint32_t m = e >= 31 ? (uint32_t)(x >> (e - 31)) : (uint32_t)(x << (31 - e));
    const uint32_t index = (m >> 24) & 0x7Fu;
    const int32_t frac = (int32_t)((m >> 8) & 0xFFFFu);
    const int32_t y0 = table[index], y1 = table[index + 1];
    return (int32_t)e * 65536 + y0 + (int32_t)(((y1 - y0) * frac + 0x8000) >> 16);
}

/* Frame t windowed into buf as n_fft/2 complex values (even samples real, odd
   imaginary), scaled by 2^shift, shift = -(the shift that puts the frame's
   largest |sample| x window below 2^29); returns it, or a value < -64 for a
   silent frame. The window is Q30: a Q15 one moved a Hann window's far
   sidelobes, and with them bands 75 dB below the peak, by 0.05 dB. */
static int load_frame(const tm2_fixed_mfcc_plan* p, const int16_t* pcm, long n, long t, int32_t* buf) {
    const long start = t * p->hop_length - (p->center ? p->n_fft / 2 : 0);
    uint32_t peak = 0;
    int j, shift;
    for (j = p->win_lo; j < p->win_hi; ++j) {
        const long s = start + j;
        const int32_t v = (s >= 0 && s < n) ? pcm[s] : 0;
        const uint32_t a = (uint32_t)(v < 0 ? -v : v);
        if (a > peak) peak = a;
    }
    if (peak == 0) return -128;
    /* |sample| < 2^(b+1), window <= 2^30: the product shifted right by b + 2 stays below 2^29. */
    shift = highest_bit32(peak) + 2;
    for (j = 0; j < p->n_fft; ++j) buf[j] = 0;
    for (j = p->win_lo; j < p->win_hi; ++j) {
        const long s = start + j;
        const int64_t v = (s >= 0 && s < n) ? (int64_t)pcm[s] * p->window[j] : 0;
        buf[j] = (int32_t)((v + ((int64_t)1 << (shift - 1))) >> shift);
    }
    return -shift;
}

/* (a x b) / 2^32, rounded: a Q31 product halved. */
static int32_t mul_high(int32_t a, int32_t b) { return (int32_t)(((int64_t)a * b + 0x80000000LL) >> 32); }

/* In-place complex FFT of m = n_fft/2 points: bit-reversed load, radix-2
   decimation in time, each stage halved (the result is DFT / m). */
static void complex_fft(const tm2_fixed_mfcc_plan* p, int32_t* buf) {
    const int m = p->n_fft / 2;
    int i, half;
    for (i = 0; i < m; ++i) {
        const int j = p->bit_reverse[i];
        if (j > i) {
            const int32_t r = buf[2 * i], im = buf[2 * i + 1];
            buf[2 * i] = buf[2 * j];
            buf[2 * i + 1] = buf[2 * j + 1];
            buf[2 * j] = r;
            buf[2 * j + 1] = im;
        }
    }
    for (half = 1; half < m; half *= 2) {
        const int stride = m / half; /* twiddle index step on the n_fft grid */
        int j, start;
        for (j = 0; j < half; ++j) {
            const int32_t c = p->twiddles[2 * j * stride], s = p->twiddles[2 * j * stride + 1];
            for (start = j; start < m; start += 2 * half) {
                int32_t* a = buf + 2 * start;
                int32_t* b = a + 2 * half;
                /* t / 2 = b * w / 2: the high word of each Q31 product (one SMMULR on a
                   Cortex-M4); the butterfly adds it to a / 2. */
                const int32_t tr = mul_high(b[0], c) - mul_high(b[1], s);
                const int32_t ti = mul_high(b[0], s) + mul_high(b[1], c);
                const int32_t ar = a[0] >> 1, ai = a[1] >> 1;
                a[0] = ar + tr;
                a[1] = ai + ti;
                b[0] = ar - tr;
                b[1] = ai - ti;
            }
        }
    }
}

static uint64_t square_sum(int64_t re, int64_t im) { return (uint64_t)(re * re) + (uint64_t)(im * im); }

/* Real-input split: X[k] = E + W^k O and X[m-k] = conj(E - W^k O) from Z[k]
   and Z[m-k]. Writes |X[k] / 2|^2 over complex slot k (k = 0 .. m) as two
   uint32 halves (high, low). */
static void split_power(const tm2_fixed_mfcc_plan* p, int32_t* buf) {
    const int m = p->n_fft / 2;
    uint32_t* out = (uint32_t*)buf;
    int k;
    {
        const int64_t r0 = buf[0], i0 = buf[1];
        const uint64_t dc = square_sum((r0 + i0 + 1) >> 1, 0), nyquist = square_sum((r0 - i0 + 1) >> 1, 0);
        out[0] = (uint32_t)(dc >> 32), out[1] = (uint32_t)dc;
        out[2 * m] = (uint32_t)(nyquist >> 32), out[2 * m + 1] = (uint32_t)nyquist;
    }
    for (k = 1; k <= m / 2; ++k) {
        const int32_t* zk = buf + 2 * k;
        const int32_t* zm = buf + 2 * (m - k);
        /* 2E and 2O; X / 2 = (2E + W 2O) / 4. */
        const int64_t er = (int64_t)zk[0] + zm[0], ei = (int64_t)zk[1] - zm[1];
        const int64_t orr = (int64_t)zk[1] + zm[1], oi = (int64_t)zm[0] - zk[0];
        const int64_t c = p->twiddles[2 * k], s = p->twiddles[2 * k + 1];
        const int64_t tr = orr * c - oi * s, ti = orr * s + oi * c; /* Q31 */
        const int64_t round = (int64_t)1 << 32;
        /* E in Q31: a multiply, since shifting a negative value left is undefined in C. */
        const int64_t er31 = er * ((int64_t)1 << 31), ei31 = ei * ((int64_t)1 << 31);
        const uint64_t pk = square_sum((er31 + tr + round) >> 33, (ei31 + ti + round) >> 33);
        const uint64_t pm = square_sum((er31 - tr + round) >> 33, (ei31 - ti + round) >> 33);
        out[2 * k] = (uint32_t)(pk >> 32), out[2 * k + 1] = (uint32_t)pk;
        out[2 * (m - k)] = (uint32_t)(pm >> 32), out[2 * (m - k) + 1] = (uint32_t)pm;
    }
}

int tm2_fixed_mfcc_log_mel(const tm2_fixed_mfcc_plan* p, const int16_t* pcm, size_t count, void* scratch,
                           size_t scratch_bytes) {
    int32_t* buf = (int32_t*)scratch;
    uint32_t* power = (uint32_t*)scratch;
    int32_t* logmel = (int32_t*)((unsigned char*)scratch + fft_bytes(p));
    const long n = (long)(count < (size_t)p->window_samples ? count : (size_t)p->window_samples);
    const int bins = p->n_fft / 2 + 1;
    const int32_t floor_q16 = p->log_floor_q16;
    int32_t peak = floor_q16;
    long t;
    int m, k;
    if (scratch_bytes < tm2_fixed_mfcc_scratch_bytes(p)) return -1;
    for (t = 0; t < p->frames; ++t) {
        int32_t* row = logmel + t * p->n_mels;
        const int shift = load_frame(p, pcm, n, t, buf);
        uint64_t top = 0;
        int power_shift = 0;
        if (shift < -64) {
            for (m = 0; m < p->n_mels; ++m) row[m] = floor_q16;
            continue;
        }
        complex_fft(p, buf);
        split_power(p, buf);
        /* Block exponent: the frame's power spectrum shifted below 2^power_bits, in place. */
        for (k = 0; k < bins; ++k) {
            const uint64_t v = (uint64_t)power[2 * k] << 32 | power[2 * k + 1];
            if (v > top) top = v;
        }
        if (top >> p->power_bits) {
            power_shift = highest_bit64(top) + 1 - p->power_bits;
            for (k = 0; k < bins; ++k) {
                const uint64_t v = ((uint64_t)power[2 * k] << 32 | power[2 * k + 1]) >> power_shift;
                power[2 * k] = (uint32_t)(v >> 32), power[2 * k + 1] = (uint32_t)v;
            }
        }
        for (m = 0; m < p->n_mels; ++m) {
            const int16_t* w = p->mel_weights + p->mel_offset[m];
            const uint32_t* bin = power + 2 * p->mel_first[m];
            uint64_t acc = 0;
            int i;
            for (i = 0; i < p->mel_count[m]; ++i)
                acc += ((uint64_t)bin[2 * i] << 32 | bin[2 * i + 1]) * (uint16_t)w[i];
            if (acc == 0) {
                row[m] = floor_q16;
            } else {
                const int64_t l2 = (int64_t)log2_q16(p->log2_table, acc) +
                                   (int64_t)(power_shift - 2 * shift) * 65536 + p->mel_log2_offset[m];
                const int64_t q16 = (l2 * p->log_per_log2 + ((int64_t)1 << 14)) >> 15; /* Q16 x Q15 -> Q16 */
                row[m] = q16 < floor_q16 ? floor_q16 : (int32_t)q16;
            }
            if (row[m] > peak) peak = row[m];
        }
    }
    if (p->top_db_q16 > 0) {
        const int32_t floor = peak - p->top_db_q16;
        const long values = (long)p->frames * p->n_mels;
        long i;
        for (i = 0; i < values; ++i)
            if (logmel[i] < floor) logmel[i] = floor;
    }
    return 0;
}

/* Coefficient k of frame t, Q16: the DCT row against the frame's log-mel values. */
static int32_t coefficient(const tm2_fixed_mfcc_plan* p, const int32_t* row, int k) {
    const int32_t* basis = p->dct + k * p->n_mels;
    int64_t acc = 0;
    int m;
    for (m = 0; m < p->n_mels; ++m) acc += (int64_t)basis[m] * row[m];
    return (int32_t)((acc + ((int64_t)1 << (p->dct_shift - 1))) >> p->dct_shift);
}

void tm2_fixed_mfcc_coefficients(const tm2_fixed_mfcc_plan* p, const void* scratch, int32_t* out) {
    const int32_t* logmel = (const int32_t*)((const unsigned char*)scratch + fft_bytes(p));
    int k;
    long t;
    for (t = 0; t < p->frames; ++t)
        for (k = 0; k < p->n_mfcc; ++k) out[k * p->frames + t] = coefficient(p, logmel + t * p->n_mels, k);
}

int tm2_fixed_mfcc_codes(const tm2_fixed_mfcc_plan* p, const int16_t* pcm, size_t count, void* scratch,
                         size_t scratch_bytes, uint8_t* codes) {
    const int32_t* logmel = (const int32_t*)((const unsigned char*)scratch + fft_bytes(p));
    int k;
    long t;
    if (tm2_fixed_mfcc_log_mel(p, pcm, count, scratch, scratch_bytes) != 0) return -1;
    for (t = 0; t < p->frames; ++t) {
        for (k = 0; k < p->n_mfcc; ++k) {
            const int64_t x = coefficient(p, logmel + t * p->n_mels, k);
            const int64_t code = (x * p->code_scale[k] + p->code_offset[k]) >> 36;
            codes[k * p->frames + t] = (uint8_t)(code < 0 ? 0 : code > p->code_max ? p->code_max : code);
        }
    }
    return 0;
}
