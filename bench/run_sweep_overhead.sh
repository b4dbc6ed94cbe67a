#!/usr/bin/env bash
# The sweep machinery's own cost per trial, on the one-node Slurm cluster
# (scripts/slurm-local.sh): 100 trivial trials (one epoch of the tiny demo set,
# 4 samples per class, seeds 0..99) planned, submitted as one job array,
# waited for and collected into a fresh store; and one trial run through
# `sweep run-trial` against the same training through `train`.
#   bench/run_sweep_overhead.sh [BUILD_DIR] [TRIALS]
# Prints plan, submit and collect times (total and per trial), the array's
# wall time, and run-trial's overhead over a bare `train`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
trials="${2:-100}"
tm2="$build/app/cli/tinym2net"
work="${TM2_BENCH_DIR:-$root/build-bench-data}/sweep-overhead"
rm -rf "$work"
mkdir -p "$work"
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

"$tm2" data make-demo --kind image-audio --out "$work/demo" --samples-per-class 4 --speakers 8 --quiet >/dev/null
seeds="$(seq -s, 0 $((trials - 1)))"
cat >"$work/SWEEP.json" <<JSON
{"name": "overhead", "base": {"data": "demo", "train": {"epochs": 1, "batch_size": 8, "val": 0, "threads": 1,
  "cache_dir": "cache"}}, "axes": [{"param": "seed", "values": [$seeds]}],
 "slurm": {"time": "00:10:00", "mem": "1G", "cpus_per_task": 1}}
JSON
# Warm the feature cache so no trial pays for extraction.
"$tm2" sweep run-trial "$work/SWEEP.json" --trial 0 --out "$work/warm" --quiet >/dev/null

bash "$root/scripts/slurm-local.sh" start >/dev/null
trap 'bash "$root/scripts/slurm-local.sh" stop >/dev/null' EXIT
export SLURM_CONF="${TM2_SLURM_DIR:-/tmp/tm2-slurm}/slurm.conf"

t0="$(now)"; "$tm2" sweep plan "$work/SWEEP.json" --json >/dev/null; t1="$(now)"
plan_ms="$(ms "$t0" "$t1")"
t0="$(now)"; "$tm2" sweep run "$work/SWEEP.json" --out "$work/sw" --executor slurm --quiet; t1="$(now)"
submit_ms="$(ms "$t0" "$t1")"
start="$t0"
# The status text first: grep -q would end the pipe early (SIGPIPE under pipefail).
busy() { local s; s="$("$tm2" sweep status "$work/sw" --json)"; grep -qE '"state": "(queued|running|not-run)"' <<<"$s"; }
while busy; do sleep 1; done
array_s="$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
t0="$(now)"; "$tm2" sweep collect "$work/sw" --workspace "$work/ws" --json >/dev/null; t1="$(now)"
collect_ms="$(ms "$t0" "$t1")"
finished="$("$tm2" sweep status "$work/sw" --json | grep -c '"state": "finished"' || true)"

# One trial: run-trial (private store, trial.json, export) against train (the shared store).
t0="$(now)"; "$tm2" sweep run-trial "$work/SWEEP.json" --trial 1 --out "$work/one" --quiet >/dev/null; t1="$(now)"
trial_ms="$(ms "$t0" "$t1")"
t0="$(now)"
"$tm2" train --data "$work/demo" --out "$work/train" --epochs 1 --batch-size 8 --val 0 --threads 1 --seed 1 \
  --cache-dir "$work/cache" --workspace "$work/ws-train" --quiet >/dev/null
t1="$(now)"
train_ms="$(ms "$t0" "$t1")"

echo "trials: $trials ($finished finished) on $(nproc) cores"
echo "plan:    ${plan_ms} ms ($(awk -v t="$plan_ms" -v n="$trials" 'BEGIN { printf "%.2f", t / n }') ms/trial)"
echo "submit:  ${submit_ms} ms (sbatch of one array)"
echo "collect: ${collect_ms} ms ($(awk -v t="$collect_ms" -v n="$trials" 'BEGIN { printf "%.1f", t / n }') ms/trial)"
echo "array wall time: ${array_s} s ($(awk -v t="$array_s" -v n="$trials" 'BEGIN { printf "%.2f", t / n }') s/trial)"
echo "one trial: run-trial ${trial_ms} ms vs train ${train_ms} ms"
