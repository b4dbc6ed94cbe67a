#!/usr/bin/python3
"""MFCC peers: an independent NumPy implementation of librosa.feature.mfcc's
conventions (the golden reference for tests/core/dsp and a throughput peer),
and aubio's MFCC (a throughput peer only: aubio's conventions differ).

Run with /usr/bin/python3 (needs python3-numpy; python3-aubio for the aubio
peer: `apt-get install -y python3-aubio python3-numpy`).

  mfcc_peers.py [bench]       JSON real-time factors of both peers, one core
  mfcc_peers.py golden        values pinned in tests/core/dsp/mfcc_test.cpp
  mfcc_peers.py filterbank    tiny filterbanks pinned in mel_filterbank_test.cpp
  mfcc_peers.py dump OUT.npy  full reference MFCC of the test signal (dev checks)
  mfcc_peers.py check-scipy   cross-checks windows and deltas against scipy
"""

import os
import sys

# One core, as the C++ benchmark: keep BLAS from spreading the matmuls.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


# ---------------------------------------------------------------- signals
def lcg_noise(n, seed=12345):
    """Uniform [-1, 1) from the ANSI C LCG; integer-exact so C++ regenerates it."""
    out = np.empty(n, dtype=np.float64)
    state = seed
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        out[i] = state / 1073741824.0 - 1.0
    return out


def test_signal(sr=16000, n=8000):
    """0.5 s: 440 Hz sine + linear chirp 200->6000 Hz + quiet LCG noise."""
    t = np.arange(n, dtype=np.float64) / sr
    f0, f1, dur = 200.0, 6000.0, n / sr
    k = (f1 - f0) / dur
    x = (0.5 * np.sin(2 * np.pi * 440.0 * t)
         + 0.3 * np.sin(2 * np.pi * (f0 * t + 0.5 * k * t * t))
         + 0.01 * lcg_noise(n))
    return x.astype(np.float32)


def bench_signal(sr=16000, seconds=60):
    """Noise + tones; same closed form as bench/mfcc_bench.cpp."""
    n = sr * seconds
    t = np.arange(n, dtype=np.float64) / sr
    x = (0.3 * np.sin(2 * np.pi * 440.0 * t) + 0.2 * np.sin(2 * np.pi * 1000.0 * t)
         + 0.1 * np.sin(2 * np.pi * 3000.0 * t))
    # Vectorised noise (the bench needs no bit-exact match, only the same kind of load).
    rng = np.random.default_rng(7)
    x += 0.1 * rng.uniform(-1.0, 1.0, n)
    return x.astype(np.float32)


# ---------------------------------------------------------------- librosa conventions
def periodic_window(kind, length):
    """scipy.signal.get_window(kind, length, fftbins=True)."""
    n = np.arange(length)
    a = 0.5 if kind == "hann" else 0.54
    return a - (1.0 - a) * np.cos(2.0 * np.pi * n / length)


def hz_to_mel(f, htk):
    f = np.asanyarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz,
                    min_log_mel + np.log(np.maximum(f, 1e-30) / min_log_hz) / logstep,
                    f / f_sp)


def mel_to_hz(m, htk):
    m = np.asanyarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filterbank(sr, n_fft, n_mels, fmin=0.0, fmax=None, htk=False, slaney_norm=True):
    """librosa.filters.mel, in float64."""
    fmax = sr / 2.0 if fmax is None else fmax
    fftfreqs = np.linspace(0.0, sr / 2.0, 1 + n_fft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0.0, np.minimum(lower, upper))
    if slaney_norm:
        weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights


def frames_of(y, n_fft, hop, center):
    y = y.astype(np.float64)
    if center:
        y = np.pad(y, n_fft // 2, mode="constant")
    count = 1 + (len(y) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(count)[:, None]
    return y[idx]


def ortho_dct_matrix(n_out, n_in):
    """scipy.fft.dct(type=2, norm='ortho') as a matrix, first n_out rows."""
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)[None, :]
    m = np.sqrt(2.0 / n_in) * np.cos(np.pi * k * (2 * n + 1) / (2 * n_in))
    m[0] /= np.sqrt(2.0)
    return m


def savgol_weights(window, polyorder, deriv, at):
    """Least-squares polynomial fit over positions 0..window-1, d^deriv/dt^deriv at `at`."""
    pos = np.arange(window, dtype=np.float64)
    vander = pos[:, None] ** np.arange(polyorder + 1)[None, :]
    fit = np.linalg.pinv(vander)  # coefficients = fit @ samples
    row = np.zeros(polyorder + 1)
    for p in range(deriv, polyorder + 1):
        row[p] = np.prod(np.arange(p - deriv + 1, p + 1)) * at ** (p - deriv)
    return row @ fit


def delta(data, width, order):
    """librosa.feature.delta(data, width, order, axis=0 (frames), mode='interp'):
    scipy savgol_filter(deriv=order, polyorder=order); edges fit the first/last window."""
    n = data.shape[0]
    half = width // 2
    out = np.empty_like(data)
    centre = savgol_weights(width, order, order, half)
    for t in range(half, n - half):
        out[t] = centre @ data[t - half:t + half + 1]
    for t in range(half):
        out[t] = savgol_weights(width, order, order, t) @ data[:width]
        out[n - half + t] = savgol_weights(width, order, order, width - half + t) @ data[n - width:]
    return out


def mfcc(y, sr=16000, n_fft=512, hop=160, win_length=None, window="hann", center=True,
         n_mels=40, fmin=0.0, fmax=None, htk=False, slaney_norm=True, power=2.0,
         log="db", top_db=80.0, n_mfcc=13, deltas=0, delta_width=9):
    """frames x (n_mfcc * (1 + deltas)), librosa.feature.mfcc conventions, float64."""
    win_length = n_fft if win_length is None else win_length
    win = np.zeros(n_fft)
    lpad = (n_fft - win_length) // 2
    win[lpad:lpad + win_length] = periodic_window(window, win_length)
    spec = np.abs(np.fft.rfft(frames_of(y, n_fft, hop, center) * win, axis=1)) ** power
    mel = spec @ mel_filterbank(sr, n_fft, n_mels, fmin, fmax, htk, slaney_norm).T
    if log == "db":
        logmel = 10.0 * np.log10(np.maximum(1e-10, mel))  # ref = 1 -> subtracts 0
        if top_db > 0:
            logmel = np.maximum(logmel, logmel.max() - top_db)
    else:
        logmel = np.log(np.maximum(mel, 1e-10))
    coeffs = logmel @ ortho_dct_matrix(n_mfcc, n_mels).T
    parts = [coeffs] + [delta(coeffs, delta_width, o) for o in range(1, deltas + 1)]
    return np.concatenate(parts, axis=1)


def fast_mfcc(y, fb, dct, n_fft=512, hop=160):
    """The throughput peer: same maths, vectorised as a NumPy user would write it."""
    win = periodic_window("hann", n_fft)
    spec = np.abs(np.fft.rfft(frames_of(y, n_fft, hop, True) * win, axis=1)) ** 2
    logmel = 10.0 * np.log10(np.maximum(1e-10, spec @ fb.T))
    logmel = np.maximum(logmel, logmel.max() - 80.0)
    return logmel @ dct.T


# ---------------------------------------------------------------- modes
def best_seconds(fn, repeats=10):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def aubio_mfcc(x, n_fft=512, hop=160, n_mels=40, n_mfcc=13, sr=16000):
    import aubio
    pv = aubio.pvoc(n_fft, hop)
    mf = aubio.mfcc(n_fft, n_mels, n_mfcc, sr)
    frames = len(x) // hop
    out = np.empty((frames, n_mfcc), dtype=np.float32)
    for i in range(frames):
        out[i] = mf(pv(x[i * hop:(i + 1) * hop]))
    return out


def run_bench():
    seconds = 60
    x = bench_signal(seconds=seconds)
    result = {"audio_seconds": seconds}
    fb = mel_filterbank(16000, 512, 40)
    dct = ortho_dct_matrix(13, 40)
    result["numpy_librosa_rtf"] = seconds / best_seconds(lambda: fast_mfcc(x, fb, dct))
    try:
        import aubio  # noqa: F401
        result["aubio_rtf"] = seconds / best_seconds(lambda: aubio_mfcc(x))
    except ImportError:
        result["aubio_rtf"] = None
        result["aubio_error"] = "python3-aubio not installed"
    print(json.dumps(result))


def run_golden():
    np.set_printoptions(precision=10, suppress=False)
    y = test_signal()
    print("signal[0..4]:", y[:5].tolist(), "len", len(y))
    ref = mfcc(y, deltas=2)
    print("default + deltas=2, shape", ref.shape, "-> GoldenRow table (frame, columns",
          "mfcc 0,1,2,5,12, delta 0,1,4,12, delta2 0,1,4,12):")
    columns = (0, 1, 2, 5, 12, 13, 14, 17, 25, 26, 27, 30, 38)
    for f in (0, 5, 25, 45, 50):
        print("  {%d, {%s}}," % (f, ", ".join("%.6f" % ref[f, c] for c in columns)))
    ham = mfcc(y, window="hamming", win_length=400)
    print("hamming win400:", [f"{ham[f, c]:.6f}" for f, c in ((3, 0), (3, 1), (20, 4), (40, 12))])
    ln = mfcc(y, log="ln")
    print("natural log:", [f"{ln[f, c]:.6f}" for f, c in ((3, 0), (3, 1), (20, 4), (40, 12))])
    htk = mfcc(y, htk=True, slaney_norm=False, fmin=20.0, fmax=7600.0, center=False, power=1.0)
    print("htk nonorm fmin20 fmax7600 uncentred power1:", htk.shape,
          [f"{htk[f, c]:.6f}" for f, c in ((0, 0), (0, 1), (20, 4), (46, 12))])


def run_filterbank():
    for htk in (False, True):
        fb = mel_filterbank(8000, 16, 4, htk=htk)
        print("htk" if htk else "slaney", "sr 8000 n_fft 16 n_mels 4")
        for row in fb:
            print("  {" + ", ".join(f"{v:.9g}" for v in row) + "},")


def run_dump(path):
    np.save(path, mfcc(test_signal(), deltas=2))


def run_check_scipy():
    import scipy.signal as ss
    for kind in ("hann", "hamming"):
        for n in (16, 400, 512):
            err = np.abs(periodic_window(kind, n) - ss.get_window(kind, n, fftbins=True)).max()
            print(f"window {kind} {n}: max err {err:.3g}")
    data = np.random.default_rng(0).normal(size=(40, 5))
    for order in (1, 2):
        for width in (3, 9):
            want = ss.savgol_filter(data, width, polyorder=order, deriv=order, axis=0, mode="interp")
            print(f"delta order {order} width {width}: max err "
                  f"{np.abs(delta(data, width, order) - want).max():.3g}")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "bench"
    if mode == "bench":
        run_bench()
    elif mode == "golden":
        run_golden()
    elif mode == "filterbank":
        run_filterbank()
    elif mode == "dump":
        run_dump(sys.argv[2])
    elif mode == "check-scipy":
        run_check_scipy()
    else:
        sys.exit(f"unknown mode {mode!r}; see the docstring")
