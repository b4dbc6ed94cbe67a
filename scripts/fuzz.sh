#!/usr/bin/env bash
# Builds the libFuzzer target for the manifest/CSV reader with clang and runs it
# briefly (seconds as the first argument, default 30).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-30}"
bash "$root/scripts/install-deps.sh"
build="$root/build-fuzz"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTM2_FUZZ=ON -DTM2_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target tm2_manifest_fuzz -j "$(nproc)"
corpus="$(mktemp -d)"
cp "$root"/tests/fuzz/corpus/* "$corpus"/ 2>/dev/null || true
"$build/tests/fuzz/tm2_manifest_fuzz" -max_total_time="$seconds" -rss_limit_mb=2048 "$corpus"
rm -rf "$corpus"
