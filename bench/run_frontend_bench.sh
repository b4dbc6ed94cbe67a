#!/usr/bin/env bash
# The runtime's MFCC front-end on one 1 s window at 16 kHz (n_fft 512, hop 160,
# 40 mels, 13 coefficients), each inner-loop path side by side in one run:
#   bench/run_frontend_bench.sh [BUILD_DIR]   (default: build; configure with -DTM2_BUILD_BENCH=ON,
#                                              build target audio_frontend_bench)
# "kissfft" is the per-frame KissFFT path the front-end ran before the batched
# kernels (still in the library: n_fft that are not powers of two take it); "auto"
# is what training, the device and tinym2net-bench run on this CPU. Best of 10
# repetitions, pinned to CPU 0 when taskset exists: on a shared machine the best
# run is the one least disturbed by other work. Prints µs per window (wall and
# CPU time), the ratio kissfft / auto and the issue-15 goal (auto <= 40 µs).
set -euo pipefail
build="${1:-build}"
bench="$build/bench/audio_frontend_bench"
[[ -x "$bench" ]] || { echo "run_frontend_bench.sh: $bench not found (build target audio_frontend_bench)" >&2; exit 1; }

args=(--benchmark_filter='BM_Mfcc1sWindow/' --benchmark_repetitions=10 --benchmark_min_time=0.2
      --benchmark_format=json)
json="$(taskset -c 0 "$bench" "${args[@]}" 2>/dev/null || "$bench" "${args[@]}")"

python3 - "$json" <<'PY'
import json, sys
runs = [b for b in json.loads(sys.argv[1])["benchmarks"] if b.get("run_type") == "iteration" and not b.get("error_occurred")]
paths = {0: "auto", 1: "scalar", 2: "simd128", 3: "avx2", 4: "kissfft"}
what = {"auto": "what this CPU runs", "scalar": "batched kernel, one frame (the bit reference)",
        "simd128": "4 frames per 128-bit vector", "avx2": "8 frames per AVX2 vector",
        "kissfft": "per-frame KissFFT, the path before issue 15"}
best = {}
for b in runs:
    path = paths[int(b["name"].split("path:")[1].split("/")[0])]
    scale = {"us": 1.0, "ns": 1e-3, "ms": 1e3}[b["time_unit"]]
    wall, cpu = b["real_time"] * scale, b["cpu_time"] * scale
    old = best.get(path)
    best[path] = (min(wall, old[0]) if old else wall, min(cpu, old[1]) if old else cpu, b.get("label", path))
print("MFCC of one 1 s window, 16 kHz, n_fft 512, hop 160, 40 mels, 13 coefficients (best of 10, CPU 0)")
print(f"{'path':10s} {'kernel':8s} {'wall µs':>9s} {'CPU µs':>9s}  what")
for path in ("kissfft", "scalar", "simd128", "avx2", "auto"):
    if path in best:
        wall, cpu, label = best[path]
        print(f"{path:10s} {label:8s} {wall:9.1f} {cpu:9.1f}  {what[path]}")
old, new = best["kissfft"], best["auto"]
print(f"ratio kissfft / auto: {old[0] / new[0]:.1f}x wall, {old[1] / new[1]:.1f}x CPU")
print(f"goal (auto <= 40 µs per window): {'met' if new[0] <= 40.0 else 'NOT met'} at {new[0]:.1f} µs wall")
PY
