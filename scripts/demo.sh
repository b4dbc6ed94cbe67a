#!/usr/bin/env bash
# The main job on the built-in demo datasets: install, build, generate both
# demo datasets (once), then inspect them (decoding every file, features cached).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
tm2="${TM2_BUILD_DIR:-$root/build}/app/cli/tinym2net"
data="${TM2_DEMO_DIR:-$root/demo-data}"
for kind in image-audio audio-audio; do
  if [ ! -f "$data/$kind/manifest.csv" ]; then
    "$tm2" data make-demo --kind "$kind" --out "$data/$kind" --seed 1
  fi
  "$tm2" data inspect "$data/$kind"
done
