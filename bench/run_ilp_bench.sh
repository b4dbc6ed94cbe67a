#!/usr/bin/env bash
# Bit-allocation ILP: ours (CBC through its C API) against the paper's path
# (PuLP → CBC). Builds nothing:
#   bench/run_ilp_bench.sh [BUILD_DIR]   (default: build; configure with -DTM2_BUILD_BENCH=ON)
# Both sides solve the same 60 seeded problems (12, 32, 64 layers, written by
# ilp_bench --write-problems); prints ms per solve for each, the ratio, the
# 100-budget sweep time, and whether the optima agree. Pinned to CPU 0 when
# taskset exists.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-build}"
bench="$build/bench/ilp_bench"
[[ -x "$bench" ]] || { echo "run_ilp_bench.sh: $bench not found (build target ilp_bench)" >&2; exit 1; }
py=/usr/bin/python3  # the Debian interpreter with python3-pulp
"$py" -c 'import pulp' 2>/dev/null || { echo "run_ilp_bench.sh: install python3-pulp (bench/deps.txt)" >&2; exit 1; }
pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)

problems="$(mktemp -d)"
trap 'rm -rf "$problems"' EXIT
"$bench" --write-problems "$problems"
ours_json="$("${pin[@]}" "$bench" --benchmark_repetitions=5 --benchmark_min_time=0.3 --benchmark_format=json 2>/dev/null)"
peer_json="$("${pin[@]}" "$py" "$here/ilp_pulp_peer.py" "$problems")"

"$py" - "$ours_json" "$peer_json" <<'PY'
import json, sys
ours = json.loads(sys.argv[1])["benchmarks"]
peer = json.loads(sys.argv[2])
def best(name):  # least disturbed repetition, in ms (benchmarks report in ms)
    return min(b["real_time"] for b in ours if b.get("run_type") == "iteration" and b["run_name"] == name)
print(f"{'layers':>6} {'ours ms/solve':>14} {'PuLP ms/solve':>14} {'ratio':>7}")
for n in ("12", "32", "64"):
    o = best(f"BM_SolveBitAllocation/{n}/real_time")
    p = peer["ms_per_solve"][n]
    print(f"{n:>6} {o:14.3f} {p:14.3f} {p / o:6.1f}x")
for n in ("32", "64"):
    print(f"100-budget sweep, {n} layers: {best(f'BM_Sweep100/{n}/real_time'):.1f} ms")
worse = [m for m in peer["mismatches"] if m["pulp"] is not None and m["pulp"] > m["ours"]]
other = [m for m in peer["mismatches"] if m not in worse]
print(f"optima: {peer['problems'] - len(peer['mismatches'])}/{peer['problems']} equal; "
      f"PuLP's plan worse on {len(worse)}; ours worse or PuLP failed on {len(other)}")
for m in other:
    print("  ", m)
sys.exit(1 if other else 0)
PY
