#!/usr/bin/env bash
# Hessian-trace precision on the demo network: does the mixed-precision plan
# depend on the probe seed, and how long do the traces take on one thread?
#   bench/run_hessian_stability.sh [BUILD_DIR] [WORK_DIR] [EXTRA quantize flags…]
# Makes the image-audio demo dataset (seed 1), trains 5 epochs (1 thread),
# then runs `quantize --mode mp` (default α, default probes: isolated, 15 %
# relative standard error, at most 32) with probe seeds 1, 2, 3 (the calibration
# subset stays fixed) and prints, per seed: probes, seconds (wall, and the
# process's CPU time), whether every trace met the tolerance, the worst relative
# standard error and its layer, and the plan; finally whether the three plans agree.
# Wall times include whatever else the machine runs: measure on an idle machine.
set -euo pipefail
build="${1:-build}"
work="${2:-$(mktemp -d)}"
shift $(( $# > 2 ? 2 : $# )) || true
tm2="$build/app/cli/tinym2net"
[[ -x "$tm2" ]] || { echo "run_hessian_stability.sh: $tm2 not found (build target tinym2net)" >&2; exit 1; }
mkdir -p "$work"
[[ -f "$work/demo/manifest.csv" ]] ||
  "$tm2" data make-demo --kind image-audio --out "$work/demo" --seed 1 --quiet
[[ -f "$work/run/checkpoints/best.pt" ]] ||
  "$tm2" train --data "$work/demo" --out "$work/run" --epochs 5 --threads 1 --workspace "$work/ws" \
    --cache-dir "$work/cache" --quiet
for seed in 1 2 3; do
  /usr/bin/time -f "%U %S" -o "$work/cpu-$seed.txt" \
    "$tm2" quantize --run "$work/run" --mode mp --threads 1 --workspace "$work/ws" --quiet \
      --hessian-seed "$seed" --plan-out "$work/mp-seed$seed.json" "$@" > /dev/null
done
/usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
plans = []
for seed in (1, 2, 3):
    j = json.load(open(f"{work}/mp-seed{seed}.json"))
    user, system = map(float, open(f"{work}/cpu-{seed}.txt").read().split()[-2:])
    h = j["hessian"]
    at4 = sorted(n for n, b in j["bits"].items() if b == 4)
    worst = max(j["layers"], key=lambda l: l["hessian_trace_relative_sem"])["name"]
    plans.append(j["bits"])
    print(f"seed {seed}: {h['probes']} probes, Hessian {h['seconds']:.1f} s wall; quantize CPU {user + system:.1f} s; "
          f"converged {h['converged']}, worst relative SE {h['worst_relative_sem']:.3f} ({worst}); at 4 bits: {', '.join(at4)}")
print("plans agree" if all(p == plans[0] for p in plans) else "PLANS DIFFER")
PY
