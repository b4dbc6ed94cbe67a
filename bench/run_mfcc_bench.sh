#!/usr/bin/env bash
# MFCC throughput, ours against the peers, one core each. Builds nothing:
#   bench/run_mfcc_bench.sh [BUILD_DIR]   (default: build; configure with -DTM2_BUILD_BENCH=ON)
# Prints one line per contender (real-time factor = audio seconds / wall seconds,
# best of 10, pinned to CPU 0 when taskset exists)
# and the ratio ours / fastest peer.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-build}"
bench="$build/bench/mfcc_bench"
[[ -x "$bench" ]] || { echo "run_mfcc_bench.sh: $bench not found (build target mfcc_bench)" >&2; exit 1; }
py=/usr/bin/python3  # the Debian interpreter that has python3-numpy / python3-aubio

# Best of 10 repetitions for us, best of 10 runs for each peer: on a shared
# machine the best run is the one least disturbed by other work.
args=(--benchmark_filter='BM_Mfcc60s/' --benchmark_repetitions=10 --benchmark_min_time=0.2
      --benchmark_format=json)
ours_json="$(taskset -c 0 "$bench" "${args[@]}" 2>/dev/null || "$bench" "${args[@]}")"
peers_json="$(taskset -c 0 "$py" "$here/mfcc_peers.py" bench 2>/dev/null || "$py" "$here/mfcc_peers.py" bench)"

"$py" - "$ours_json" "$peers_json" <<'PY'
import json, sys
ours = max(b["rtf"] for b in json.loads(sys.argv[1])["benchmarks"] if b.get("run_type") == "iteration")
peers = json.loads(sys.argv[2])
rows = [("tinym2net mfcc (C++, SIMD batches)", ours),
        ("numpy librosa-convention", peers.get("numpy_librosa_rtf")),
        ("aubio mfcc", peers.get("aubio_rtf"))]
for name, rtf in rows:
    print(f"{name:32s} {'n/a' if rtf is None else f'{rtf:9.0f}x realtime'}")
fastest = max(r for _, r in rows[1:] if r is not None)
print(f"{'ratio ours / fastest peer':32s} {ours / fastest:9.2f}")
PY
