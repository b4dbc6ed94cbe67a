#!/usr/bin/env bash
# Batch-1 inference latency, our integer runtime against PyTorch (Debian
# python3-torch 1.13) on the same two-branch network, one thread each:
#   bench/run_runtime_bench.sh [BUILD_DIR] [RUNS]
# BUILD_DIR must hold tinym2net and tinym2net-bench. Makes a tiny demo, run and
# int8 model first if missing (under TM2_BENCH_DIR, default build-bench-data).
# Prints p50 µs for ours and each peer, fastest peer / ours (goal ≥ 8×) and our
# throughput as a fraction of an assumed peak MAC rate of this core, and the MFCC
# front-end time on one of the demo recordings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
runs="${2:-2000}"
tm2="$build/app/cli/tinym2net"
bench="$build/app/bench/tinym2net-bench"
for exe in "$tm2" "$bench"; do
  [[ -x "$exe" ]] || { echo "run_runtime_bench.sh: $exe not found (build tinym2net and tinym2net-bench)" >&2; exit 1; }
done
bash "$root/scripts/install-deps.sh" "$root/bench/deps.txt" >/dev/null
py=/usr/bin/python3  # the Debian interpreter with python3-torch

work="${TM2_BENCH_DIR:-$root/build-bench-data}/runtime"
mkdir -p "$work"
[ -f "$work/demo/manifest.csv" ] ||
  "$tm2" data make-demo --kind image-audio --out "$work/demo" --samples-per-class 20 --speakers 8 --quiet >/dev/null
[ -f "$work/run/spec.json" ] ||
  "$tm2" train --data "$work/demo" --out "$work/run" --epochs 1 --threads 1 --workspace "$work/workspace" \
    --json --quiet >/dev/null
[ -f "$work/model.tmn" ] || "$tm2" export --run "$work/run" --mode int8 --out "$work/model.tmn" --json >/dev/null

# Pinned to one CPU when taskset exists, so neither side migrates mid-run.
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
# One of the demo's recordings, so the MFCC front-end is timed too (as on a device).
wav="$(find "$work/demo" -name '*.wav' | sort | sed -n 1p)"
audio=()
[ -n "$wav" ] && audio=(--audio "$wav")
ours="$("${pin[@]}" "$bench" "$work/model.tmn" --runs "$runs" --warmup 200 "${audio[@]}" --json)"
peer="$("${pin[@]}" "$py" "$root/bench/runtime_peer.py" "$work/run/spec.json" --runs "$runs" --warmup 200 \
        2>"$work/peer-stderr.log")"

"$py" - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"network: {ours['macs']} MACs, inputs " +
      ", ".join(f"{i['modality']} {'x'.join(map(str, i['shape']))}" for i in ours["inputs"]) + ", batch 1, 1 thread")
print(f"tinym2net-bench ({ours['kernel_path']} kernels)   p50 {ours['p50_us']:8.1f} µs  "
      f"p90 {ours['p90_us']:8.1f}  p99 {ours['p99_us']:8.1f}  arena {ours['arena_bytes']} B  "
      f"peak RSS {ours['peak_rss_bytes']} B")
peers = []
for key, label in (("fp32", "PyTorch FP32"), ("int8_static", "PyTorch int8 static"),
                   ("int8_dynamic", "PyTorch int8 dynamic")):
    r = peer.get(key, {})
    if "p50_us" in r:
        peers.append(r["p50_us"])
        print(f"{label:32s} p50 {r['p50_us']:8.1f} µs" + (f"  ({r['how']})" if "how" in r else ""))
    else:
        print(f"{label:32s} failed: {r.get('error', 'no result')}")
fastest = min(peers)
print(f"fastest peer / ours: {fastest / ours['p50_us']:.2f}x  (goal >= 8x)  [torch {peer['torch']}]")

# Assumed peak: the widest int8 multiply-accumulate the path could issue.
# AVX2: vpmaddubsw does 32 u8×s8 products per 256-bit instruction, 2 per cycle on
# current x86 cores = 64 MAC/cycle. NEON (Cortex-A72): the runtime's 16×16 → 32-bit
# SMLAL does 4 MACs and the A72 issues one per cycle (multiplies use only its F0
# pipe; llvm-mca -mcpu=cortex-a72 on the GEMM loop agrees, bench/run_aarch64_work.sh)
# = 4 MAC/cycle; with SDOT (Cortex-A76) 16 int8 MACs per instruction, 2 per cycle =
# 32. Portable scalar: 1 MAC/cycle. Clock = "cpu MHz" of the first core in
# /proc/cpuinfo (the current, not the turbo, frequency).
mac_per_cycle = {"avx2": 64, "neon": 4, "neon-dotprod": 32}.get(ours["kernel_path"], 1)
mhz = None
try:
    for line in open("/proc/cpuinfo"):
        if line.lower().startswith("cpu mhz"):
            mhz = float(line.split(":")[1])
            break
except OSError:
    pass
if mhz:
    peak = mac_per_cycle * mhz * 1e6 / 1e9
    print(f"ours {ours['gmac_per_s']:.2f} GMAC/s = {100 * ours['gmac_per_s'] / peak:.1f} % of an assumed peak "
          f"{peak:.0f} GMAC/s ({mac_per_cycle} MAC/cycle x {mhz:.0f} MHz from /proc/cpuinfo 'cpu MHz')")
else:
    print(f"ours {ours['gmac_per_s']:.2f} GMAC/s (no 'cpu MHz' in /proc/cpuinfo: peak fraction not stated)")
fe = ours.get("frontend_us")
if fe:
    print(f"front-end (MFCC, wav -> network input) p50 {fe['p50_us']:.1f} µs, p90 {fe['p90_us']:.1f} µs; "
          f"front-end + network p50 {fe['p50_us'] + ours['p50_us']:.1f} µs  [{ours['frontend']['audio']}]")
else:
    print("front-end (MFCC) time: not measured (" + ours.get("frontend_note", "no wav in the demo") + ")")
PY
