#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each one for
# the given seconds (default 30) on a scratch copy of its checked-in seeds,
# with a memory limit (-rss_limit_mb, which also caps single allocations) so a
# file that makes a reader allocate far more than it holds is a finding.
# -max_len lets inputs grow past the seeds: for .tmn far enough that many ops
# can share one weight blob. A finding stops the run; the input is kept under
# build-fuzz/findings/ (reproduce: build-fuzz/tests/fuzz/TARGET FILE).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-30}"
bash "$root/scripts/install-deps.sh"
build="$root/build-fuzz"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# -g1 (line tables only): what a finding's stack trace needs, compiled faster than -g.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DTM2_FUZZ=ON -DTM2_BUILD_BENCH=OFF -DTM2_BUILD_GUI=OFF "${launcher[@]}" >/dev/null

# target, seed folder under tests/fuzz, -max_len in bytes
targets=(
  "tm2_manifest_fuzz corpus 8192"
  "tm2_tmn_fuzz tmn_corpus 2097152"
  "tm2_wav_fuzz wav_corpus 65536"
  "tm2_npy_fuzz npy_corpus 16384"
  "tm2_idx_reader_fuzz idx_reader_corpus 65536"
  "tm2_power_log_fuzz power_log_corpus 16384"
  "tm2_json_specs_fuzz json_specs_corpus 16384"
  "tm2_sweep_fuzz sweep_corpus 16384"
)
names=()
for t in "${targets[@]}"; do names+=("${t%% *}"); done
cmake --build "$build" --target "${names[@]}" -j "${TM2_FUZZ_JOBS:-$(nproc)}"

findings="$build/findings"
mkdir -p "$findings"
for t in "${targets[@]}"; do
  read -r target seeds max_len <<<"$t"
  corpus="$(mktemp -d)"
  cp "$root/tests/fuzz/$seeds"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz.sh: $target for ${seconds} s (max_len $max_len)"
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=512 -max_len="$max_len" \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$findings/$target-" "$corpus" 2>&1 | tail -n 40
  rm -rf "$corpus"
done
