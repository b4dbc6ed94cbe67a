#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each briefly: the
# manifest/CSV reader, then the .tmn model reader. The first argument is the
# total seconds (default 30), split between the two.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-30}"
manifest_seconds=$(( (seconds + 1) / 2 ))
tmn_seconds=$(( seconds - manifest_seconds ))
[ "$tmn_seconds" -ge 1 ] || tmn_seconds=1
bash "$root/scripts/install-deps.sh"
build="$root/build-fuzz"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTM2_FUZZ=ON -DTM2_BUILD_BENCH=OFF -DTM2_BUILD_GUI=OFF >/dev/null
cmake --build "$build" --target tm2_manifest_fuzz tm2_tmn_fuzz -j "$(nproc)"

# Runs one target on a scratch copy of its seeds (new inputs stay out of the tree).
fuzz() {
  local target="$1" seeds="$2" time="$3" corpus
  corpus="$(mktemp -d)"
  cp "$seeds"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz.sh: $target for ${time} s"
  "$build/tests/fuzz/$target" -max_total_time="$time" -rss_limit_mb=2048 "$corpus"
  rm -rf "$corpus"
}
fuzz tm2_manifest_fuzz "$root/tests/fuzz/corpus" "$manifest_seconds"
fuzz tm2_tmn_fuzz "$root/tests/fuzz/tmn_corpus" "$tmn_seconds"
