#!/usr/bin/env bash
# Memory bound for model files: peak RSS of loading a .tmn in tinym2net-bench (the
# runtime alone, as on the Pi) against the file's size, for a normal model and for
# hostile ones (bench/make_tmn_memory_models.py describes each):
#   bench/run_tmn_memory.sh [BUILD_DIR]
# BUILD_DIR must hold app/bench/tinym2net-bench. Each load runs once (--runs 1
# --warmup 0) under /usr/bin/time -v; a hostile file must exit 1 with its reason.
# Address space is capped at TM2_MEMORY_BENCH_LIMIT_MB (default 4096) so an old
# reader fails instead of taking the machine down.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bench="$build/app/bench/tinym2net-bench"
[[ -x "$bench" ]] || { echo "run_tmn_memory.sh: $bench not found (build tinym2net-bench)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "run_tmn_memory.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
limit_kb=$(( ${TM2_MEMORY_BENCH_LIMIT_MB:-4096} * 1024 ))

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$root/bench/make_tmn_memory_models.py" "$work"

# "above tiny": peak RSS beyond the 2 kB tiny model's, i.e. what the file itself cost.
printf '%-12s %11s %5s %13s %12s %11s  %s\n' model file_bytes exit peak_rss_kib above_tiny above/file reason
base_kb=""
for name in tiny normal shared-500 shared-4000 tied-500 wide-arena; do
  file="$work/$name.tmn"
  size=$(stat -c %s "$file")
  set +e
  ( ulimit -v "$limit_kb"; exec /usr/bin/time -v "$bench" "$file" --runs 1 --warmup 0 --json ) \
    >"$work/out" 2>"$work/err"
  code=$?
  set -e
  rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/err")
  [[ -n "$base_kb" ]] || base_kb="$rss_kb"
  above=$(( (rss_kb - base_kb) * 1024 ))
  reason=$( (grep -v -e '^[[:space:]]' -e '^Command' "$work/err" || true) | head -n 1 | cut -c 1-150)
  printf '%-12s %11d %5d %13d %12d %11.2f  %s\n' "$name" "$size" "$code" "$rss_kb" "$above" \
    "$(awk -v a="$above" -v s="$size" 'BEGIN { print a / s }')" "$reason"
done
