#!/usr/bin/env bash
# The demo's integer models the bench scripts measure when none is given: a small
# image-audio demo (30 samples per class), trained 1 epoch, quantized and exported.
#   bench/make_demo_models.sh TINYM2NET WORK_DIR MODE...
# MODE is int8, int4 or mp (the ILP's mixed plan); WORK_DIR/MODE.tmn is made for
# each, reusing what an earlier call left in WORK_DIR. Prints the models' paths,
# one per line, in the order asked.
set -euo pipefail
tm2="$1"
work="$2"
shift 2
[[ -x "$tm2" ]] || { echo "make_demo_models.sh: $tm2 not built (build target tinym2net)" >&2; exit 1; }
mkdir -p "$work"
[ -f "$work/demo/manifest.csv" ] ||
  "$tm2" data make-demo --kind image-audio --out "$work/demo" --samples-per-class 30 --quiet >/dev/null
[ -f "$work/run/spec.json" ] ||
  "$tm2" train --data "$work/demo" --out "$work/run" --epochs 1 --threads 1 --workspace "$work/workspace" \
    --json --quiet >/dev/null
for mode in "$@"; do
  case "$mode" in int8 | int4 | mp) ;; *) echo "make_demo_models.sh: mode '$mode' (int8, int4 or mp)" >&2; exit 1 ;; esac
  [ -f "$work/run/quant-$mode.json" ] ||
    "$tm2" quantize --run "$work/run" --mode "$mode" --workspace "$work/workspace" --threads 1 --json >/dev/null
  [ -f "$work/$mode.tmn" ] ||
    "$tm2" export --run "$work/run" --plan "$work/run/quant-$mode.json" --out "$work/$mode.tmn" --json >/dev/null
  echo "$work/$mode.tmn"
done
