#!/usr/bin/env bash
# The main job on the built-in demo datasets: install, build, generate both
# demo datasets (once), inspect them, then prove fusion pays: train the
# multimodal network and each unimodal variant under one budget (`compare`).
# Runs go to demo-runs/, recorded in the experiment store demo-runs/workspace.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
tm2="${TM2_BUILD_DIR:-$root/build}/app/cli/tinym2net"
data="${TM2_DEMO_DIR:-$root/demo-data}"
runs="${TM2_RUNS_DIR:-$root/demo-runs}"
epochs="${TM2_DEMO_EPOCHS:-10}"
for kind in image-audio audio-audio; do
  echo "== $kind =="
  if [ ! -f "$data/$kind/manifest.csv" ]; then
    "$tm2" data make-demo --kind "$kind" --out "$data/$kind" --seed 1
  fi
  "$tm2" data inspect "$data/$kind"
  "$tm2" compare --data "$data/$kind" --out "$runs/compare-$kind" --epochs "$epochs" \
    --workspace "$runs/workspace" --no-resume
done
