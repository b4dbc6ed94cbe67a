#!/usr/bin/env bash
# Training throughput, ours (LibTorch C++) against PyTorch (Debian python3-torch,
# the same 1.13.1) on the same spec, data, batch 32 and thread count:
#   bench/run_train_bench.sh [BUILD_DIR] [THREADS] [EPOCHS]
# Prints samples/s for both and the ratio ours / PyTorch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
threads="${2:-1}"
epochs="${3:-3}"
bash "$root/scripts/install-deps.sh" "$root/bench/deps.txt" >/dev/null
tm2="$build/app/cli/tinym2net"
work="${TM2_BENCH_DIR:-$root/build-bench-data}"
mkdir -p "$work"
[ -f "$work/demo/manifest.csv" ] || "$tm2" data make-demo --kind image-audio --out "$work/demo" --quiet >/dev/null
# Same split and normalisation for both: ours writes the features and the bound spec.
ours="$("$tm2" train --data "$work/demo" --out "$work/run" --epochs "$epochs" --batch-size 32 --threads "$threads" \
        --no-resume --workspace "$work/workspace" --json --quiet)"
"$tm2" data features "$work/demo" --out "$work/features" --quiet >/dev/null
peer="$(/usr/bin/python3 "$root/bench/train_peer.py" "$work/run/spec.json" "$work/features" \
        --epochs "$epochs" --threads "$threads" --batch-size 32)"
peer_nhwc="$(/usr/bin/python3 "$root/bench/train_peer.py" "$work/run/spec.json" "$work/features" \
        --epochs "$epochs" --threads "$threads" --batch-size 32 --channels-last)"
/usr/bin/python3 - "$ours" "$peer" "$peer_nhwc" <<'PY'
import json, sys
ours = json.loads(sys.argv[1])["train_samples_per_s"]
peer = json.loads(sys.argv[2])
nhwc = json.loads(sys.argv[3])
print(f"tinym2net train (LibTorch C++)        {ours:9.0f} samples/s")
print(f"PyTorch {peer['torch']} script as written  {peer['samples_per_s']:9.0f} samples/s  ({peer['threads']} thread(s), batch 32)")
print(f"PyTorch with channels_last by hand    {nhwc['samples_per_s']:9.0f} samples/s")
print(f"ratio ours / PyTorch: {ours / peer['samples_per_s']:.2f}x  (vs hand-tuned NHWC: {ours / nhwc['samples_per_s']:.2f}x)")
PY
