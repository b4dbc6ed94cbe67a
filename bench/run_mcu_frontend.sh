#!/usr/bin/env bash
# The fixed-point MFCC (core/runtime/mcu_frontend) measured against the float
# front-end and on the Cortex-M4 (docs/mcu-frontend.md):
#   bench/run_mcu_frontend.sh MODEL.tmn RUN_DIR [BUILD_DIR] [WAV…]
# 1. accuracy: every test recording of RUN_DIR (the run MODEL was exported from)
#    through both front-ends into MODEL (host build of the same C code);
# 2. scripts/cortex-m.sh with the fixed front-end feeding WAV… (one per audio
#    input, or one for all): codes and logits equal to the host build's, flash,
#    RAM and the front-end's instruction count per window under QEMU.
# BUILD_DIR needs app/cli/tinym2net and bench/mcu_frontend_accuracy_bench.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: run_mcu_frontend.sh MODEL.tmn RUN_DIR [BUILD_DIR] [WAV…]}"
run="${2:?usage: run_mcu_frontend.sh MODEL.tmn RUN_DIR [BUILD_DIR] [WAV…]}"
build="${3:-$root/build}"
bench="$build/bench/mcu_frontend_accuracy_bench"
[[ -x "$bench" ]] || { echo "run_mcu_frontend.sh: $bench not found (build mcu_frontend_accuracy_bench)" >&2; exit 1; }
echo "== accuracy on the test split (host build of the fixed-point C code) =="
"$bench" "$model" "$run"
audio=()
for wav in "${@:4}"; do audio+=(--audio "$wav"); done
echo "== Cortex-M4 (QEMU mps2-an386) =="
bash "$root/scripts/cortex-m.sh" "$model" "$build" --frontend fixed "${audio[@]}"
