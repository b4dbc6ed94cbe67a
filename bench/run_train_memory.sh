#!/usr/bin/env bash
# Peak memory of training against dataset size: features streamed from the
# feature cache against held in memory (the path before streaming):
#   bench/run_train_memory.sh [BUILD_DIR] [SIZES] [IN_MEMORY_SIZES]
# SIZES default "3000 30000 300000"; IN_MEMORY_SIZES default "3000 30000"
# (300 k in memory needs ~7 GB). Synthetic data: each sample is a placeholder
# file whose 1 × 13 × 201 MFCC features (a 2 s window) are written straight into
# the feature cache, so no audio is decoded. build/bench/train_memory_bench runs
# what `tinym2net train` runs (features → splits → train-only normalisation →
# one epoch of a tiny one-branch spec, batch 64, 2 threads); peak RSS from
# /usr/bin/time -v, and below each run the resident and peak memory after each phase
# (the bench's own report). Data stays in $TM2_BENCH_DIR (default build-bench-data)/memory.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
sizes="${2:-3000 30000 300000}"
in_memory_sizes="${3:-3000 30000}"
bench="$build/bench/train_memory_bench"
work="${TM2_BENCH_DIR:-$root/build-bench-data}/memory"
for tool in "$bench" /usr/bin/time; do
    [ -x "$tool" ] || { echo "missing $tool (cmake --build $build --target train_memory_bench; apt install time)" >&2; exit 1; }
done
mkdir -p "$work"

printf "%-9s %-10s %13s %10s  %s\n" samples features "peak RSS MiB" "wall time" "run"
for n in $sizes; do
    data="$work/n$n"
    if [ ! -f "$data/manifest.csv" ]; then
        rm -rf "$data" "$work/cache$n"
        "$bench" make "$data" "$work/cache$n" "$n"
    fi
    for mode in streamed in-memory; do
        flag=()
        if [ "$mode" = in-memory ]; then
            case " $in_memory_sizes " in *" $n "*) flag=(--in-memory) ;; *) continue ;; esac
        fi
        /usr/bin/time -v "$bench" train "$data" "$work/cache$n" "${flag[@]}" > "$work/train.out" 2> "$work/time.log" ||
            { cat "$work/time.log" >&2; exit 1; }
        kib="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log")"
        secs="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.log")"
        printf "%-9s %-10s %13.0f %10s  %s\n" "$n" "$mode" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" "$secs" \
            "$(cat "$work/train.out")"
        # Where the peak is reached: the bench's own report after each phase (KiB).
        sed -n 's/^memory after /    after /p' "$work/time.log"
    done
done
