#!/usr/bin/env bash
# Flash and RAM of a model exported for a microcontroller (`tinym2net export-mcu`),
# measured by building the exported folder and running its example:
#   bench/run_mcu_footprint.sh MODEL.tmn [BUILD_DIR] [OUT_DIR]
# Builds with -Os for the host and, when aarch64-linux-gnu-g++ is installed, for
# aarch64 (run under qemu-aarch64 when present: its logits must equal the host's).
# Prints the planned arena, the heap the example measured after load, code size
# (`size` text minus the model array) and the model bytes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: run_mcu_footprint.sh MODEL.tmn [BUILD_DIR] [OUT_DIR]}"
build="${2:-$root/build}"
out="${3:-$(mktemp -d)/mcu}"
tm2="$build/app/cli/tinym2net"
[[ -x "$tm2" ]] || { echo "run_mcu_footprint.sh: $tm2 not found (build tinym2net)" >&2; exit 1; }

"$tm2" export-mcu --model "$model" --out "$out" --json > "$out.json"

measure() {  # LABEL SIZE_TOOL RUNNER… ; builds in $out/build
  local label="$1" size_tool="$2"; shift 2
  local text model_text
  text="$("$size_tool" "$out/build/tinym2net_example" | awk 'NR == 2 {print $1}')"
  model_text="$("$size_tool" "$out/build/model_data.o" | awk 'NR == 2 {print $1}')"
  echo "$label: program text $text B = code $((text - model_text)) B + model array $model_text B"
  if [[ $# -gt 0 ]]; then "$@" "$out/build/tinym2net_example" > "$out/$label.txt"; fi
}

make -C "$out" clean >/dev/null
make -C "$out" -j2 OPT=-Os >/dev/null
measure host size env
grep -E "^(kernels|arena_bytes|heap_after_load_bytes|heap_peak_load_bytes|invoke_allocations|argmax) " "$out/host.txt"
if command -v aarch64-linux-gnu-g++ >/dev/null; then
  make -C "$out" clean >/dev/null
  make -C "$out" -j2 OPT=-Os CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ >/dev/null
  if command -v qemu-aarch64 >/dev/null; then
    measure aarch64 aarch64-linux-gnu-size qemu-aarch64 -L /usr/aarch64-linux-gnu
    if diff <(grep -E "^(logit|argmax)" "$out/host.txt") <(grep -E "^(logit|argmax)" "$out/aarch64.txt") >/dev/null; then
      echo "aarch64 ($(grep '^kernels' "$out/aarch64.txt" | cut -d' ' -f3) kernels, qemu): logits identical to the host's"
    else
      echo "aarch64: logits DIFFER from the host's" >&2; exit 1
    fi
  else
    measure aarch64 aarch64-linux-gnu-size
  fi
fi
echo "planned figures: $out.json; project: $out"
