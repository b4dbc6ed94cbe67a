#!/usr/bin/env bash
# INT4 vs INT8 (and the mixed-precision plan) side by side on every kernel path:
# heap after load, arena, latency, and what building each conv's weight panels costs (packed
# int4 convs build theirs per call on the pair paths), plus the aarch64 (Pi) figures under qemu:
#   bench/run_int4_bench.sh [BUILD_DIR] [MODEL.tmn ...]
# BUILD_DIR (default build) must hold bench/int4_weights_bench (its method is in
# bench/int4_weights_bench.cpp). Without models the demo's INT8, INT4 and MP models
# are made (demo data, 1 epoch) with $TM2_BUILD_DIR/app/cli/tinym2net (default
# BUILD_DIR) under $TM2_BENCH_DIR (default build-bench-data); without LibTorch,
# `BUILD_DIR/bench/int4_weights_bench --make-shape-models DIR` writes models of the same
# shapes (made-up weights) to pass instead. When
# $TM2_AARCH64_BUILD_DIR (default build-aarch64, scripts/cross-aarch64.sh) exists, the
# bench is cross-compiled against its runtime and run under qemu-aarch64: heap figures
# per path, and the dynamic instruction count of one in-place inference (as
# bench/run_aarch64_work.sh counts it: (11 runs − 1 run) / 10, QEMU plugin
# bench/qemu_insn_count.c) for the portable and NEON paths on a Cortex-A72.
# TM2_INT4_RUNS (default 2000) runs per round, TM2_INT4_ROUNDS (default 5) rounds; the
# latency printed is the lowest round p50, pinned to CPU 0 when taskset exists.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
shift || true
models=("$@")
bench="$build/bench/int4_weights_bench"
cmake --build "$build" --target int4_weights_bench >/dev/null
[[ -x "$bench" ]] || { echo "run_int4_bench.sh: $bench not built" >&2; exit 1; }

if [[ ${#models[@]} -eq 0 ]]; then
  # (a command substitution, so that a failure stops the script under set -e)
  made="$(bash "$root/bench/make_demo_models.sh" "${TM2_BUILD_DIR:-$build}/app/cli/tinym2net" \
    "${TM2_BENCH_DIR:-$root/build-bench-data}/int4" int8 int4 mp)"
  mapfile -t models <<<"$made"
fi

pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
echo "== $(uname -m): heap after load (operator new, arena outside) in place / read / copied, arena, p50 µs"
echo "   (in place), repack_us = building every conv's weight pairs once with the path's packer"
echo "   (packed int4 convs do it per call on the pair paths: inside their p50)"
"${pin[@]}" "$bench" --runs "${TM2_INT4_RUNS:-2000}" --rounds "${TM2_INT4_ROUNDS:-5}" "${models[@]}"

a64="${TM2_AARCH64_BUILD_DIR:-$root/build-aarch64}"
if [[ ! -f "$a64/libtm2_runtime.a" ]] || ! command -v qemu-aarch64 >/dev/null; then
  echo "(no aarch64 figures: build $a64 with scripts/cross-aarch64.sh, needs qemu-user)"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
aarch64-linux-gnu-g++ -std=c++17 -O2 -DNDEBUG -I"$root" "$root/bench/int4_weights_bench.cpp" \
  "$a64/libtm2_runtime.a" -L/usr/lib/aarch64-linux-gnu -lkissfft-float -o "$tmp/int4_weights_bench"
run_a64() { qemu-aarch64 -cpu cortex-a72 -L /usr/aarch64-linux-gnu "$@"; }
echo "== aarch64 (qemu, Cortex-A72): heap after load; no timing under emulation"
run_a64 "$tmp/int4_weights_bench" --no-timing "${models[@]}"

plugin="$a64/bench-plugins/libinsn_count.so"
mkdir -p "$(dirname "$plugin")"
[[ -f "$plugin" && "$plugin" -nt "$root/bench/qemu_insn_count.c" ]] ||
  gcc -shared -fPIC -O2 -Wall -Wextra -o "$plugin" "$root/bench/qemu_insn_count.c"
total() { awk '$1 == "total" {print $2}' "$1"; }
echo "== aarch64 (qemu, Cortex-A72): instructions per in-place inference ((11 runs − 1 run) / 10)"
printf '%-12s %-10s %14s\n' model kernels instructions
for model in "${models[@]}"; do
  for kernel in portable neon; do
    for runs in 1 11; do
      (cd "$tmp" && run_a64 -plugin "$plugin,out=$tmp/c$runs" "$tmp/int4_weights_bench" --kernel "$kernel" \
        --runs "$runs" --warmup 0 --no-repack "$model" >/dev/null)
    done
    printf '%-12s %-10s %14s\n' "$(basename "$model")" "$kernel" \
      "$(( ($(total "$tmp/c11") - $(total "$tmp/c1")) / 10 ))"
  done
done
