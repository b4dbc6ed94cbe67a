#!/usr/bin/env bash
# Builds a model exported for a microcontroller (`tinym2net export-mcu`) for a
# Cortex-M4F with Debian's arm-none-eabi toolchain (newlib), runs it on QEMU's
# mps2-an386 board (Cortex-M4) and checks that its logits equal the host
# build's, then prints its flash and RAM figures:
#   scripts/cortex-m.sh [MODEL.tmn] [BUILD_DIR] [EXPORT-MCU OPTIONS…]
# e.g. `--audio clip.wav` (the WAV the example feeds the fixed-point audio front-end).
# MODEL defaults to tests/fuzz/tmn_corpus/every_op.tmn (every op type, tiny);
# BUILD_DIR (default $TM2_BUILD_DIR, else build/) must hold the host CLI
# app/cli/tinym2net, e.g. after scripts/test.sh. The board's start-up code and linker script are in
# tests/cortex_m/; printf reaches the terminal through semihosting (rdimon).
# Work folder: a fresh temporary one, or $TM2_CORTEX_M_DIR. The full newlib is
# linked: newlib-nano's libstdc++ (nano.specs) is built without exceptions, so a
# model error would end in abort() instead of the runtime's tm2::Error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-$root/tests/fuzz/tmn_corpus/every_op.tmn}"
build="${2:-${TM2_BUILD_DIR:-$root/build}}"
export_args=("${@:3}")
tm2="$build/app/cli/tinym2net"
harness="$root/tests/cortex_m"
if [[ ! -x "$tm2" ]]; then
  echo "cortex-m.sh: $tm2 not found: build the workbench first (scripts/test.sh builds build/)" >&2
  exit 1
fi
[[ -f "$model" ]] || { echo "cortex-m.sh: model $model not found" >&2; exit 1; }
start=$SECONDS
bash "$root/scripts/install-deps.sh" "$root/scripts/deps-cortex-m.txt"

work="${TM2_CORTEX_M_DIR:-$(mktemp -d)}"
out="$work/mcu"  # the exported folder
mkdir -p "$work/cortex_m"
jobs="${TM2_JOBS:-$(nproc)}"
"$tm2" export-mcu --model "$model" --out "$out" --json "${export_args[@]}" > "$work/footprint.json"

# Runs make in the exported folder, its output in a log shown only on failure.
build_folder() {  # LOG MAKE_ARGS…
  local log="$1"; shift
  if ! make -C "$out" -j "$jobs" OPT=-Os "$@" > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "cortex-m.sh: build failed (log: $log)" >&2
    exit 1
  fi
}

# 1. The host build: the reference logits.
make -C "$out" clean >/dev/null
build_folder "$work/host-build.log"
"$out/build/tinym2net_example" > "$work/host.txt"

# 2. The Cortex-M4F build, linked for mps2-an386 with semihosting.
arch="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
# shellcheck disable=SC2086  # $arch is a list of flags
arm-none-eabi-gcc $arch -Os -std=c11 -Wall -Wextra -Werror -c "$harness/startup.c" -o "$work/cortex_m/startup.o"
ldflags="-T $harness/mps2_an386.ld -nostartfiles --specs=rdimon.specs -Wl,--gc-sections"
ldflags+=" -Wl,-Map=$work/cortex_m/firmware.map $work/cortex_m/startup.o"
make -C "$out" clean >/dev/null
build_folder "$work/cortex_m/build.log" CC=arm-none-eabi-gcc CXX=arm-none-eabi-g++ SIZE=arm-none-eabi-size \
  ARCH="$arch" LDFLAGS="$ldflags"
elf="$work/cortex_m/firmware.elf"
cp "$out/build/tinym2net_example" "$elf"
arm-none-eabi-readelf -h "$elf" | grep -q "Machine:.*ARM" || {
  echo "cortex-m.sh: $elf is not an Arm binary" >&2
  exit 1
}

# Runs an ELF on the board; its terminal output goes to the file given.
run_qemu() {  # ELF OUTPUT
  timeout "${TM2_QEMU_TIMEOUT:-120}" qemu-system-arm -M mps2-an386 -nographic \
    -semihosting-config enable=on,target=native -kernel "$1" < /dev/null > "$2" 2>&1
}
status=0
run_qemu "$elf" "$work/cortex_m/run.txt" || status=$?
if [[ $status -ne 0 ]]; then
  cat "$work/cortex_m/run.txt" >&2
  echo "cortex-m.sh: the firmware failed on qemu (status $status; 124 = timeout)" >&2
  exit 1
fi
results() { grep -E "^(input_codes_fnv|logit|argmax|class)" "$1" || true; }
if [[ -z "$(results "$work/host.txt")" ]]; then
  echo "cortex-m.sh: the host example printed no logits ($work/host.txt)" >&2
  exit 1
fi
if ! diff <(results "$work/host.txt") <(results "$work/cortex_m/run.txt") >&2; then
  echo "cortex-m.sh: Cortex-M4 logits DIFFER from the host's (< host, > cortex-m4)" >&2
  exit 1
fi
field() { awk -v k="$1" '$1 == k && $2 == "=" {print $3}' "$work/cortex_m/run.txt"; }
echo "cortex-m4 (qemu mps2-an386): logits identical to the host's ($(grep -c '^logit' "$work/host.txt") classes, argmax $(field argmax), kernels $(field kernels))"
if grep -q '^input_codes_fnv' "$work/host.txt"; then
  echo "cortex-m4: fixed-point front-end input codes identical to the host build's ($(grep -c '^input_codes_fnv' "$work/host.txt") audio inputs, class $(field class))"
fi

# 3. A model that fails to parse must report its error through a C++ exception on
# the target too (exception tables and unwinder linked): break the magic, relink.
cp -a "$out" "$work/broken"
sed -i '0,/^    0x[0-9a-f][0-9a-f],/s//    0x00,/' "$work/broken/model_data.c"
if cmp -s "$out/model_data.c" "$work/broken/model_data.c"; then
  echo "cortex-m.sh: could not find the first byte of the model array in model_data.c" >&2
  exit 1
fi
if ! make -C "$work/broken" OPT=-Os CC=arm-none-eabi-gcc CXX=arm-none-eabi-g++ ARCH="$arch" \
  LDFLAGS="${ldflags/firmware.map/broken.map}" > "$work/cortex_m/broken-build.log" 2>&1; then
  tail -n 20 "$work/cortex_m/broken-build.log" >&2
  echo "cortex-m.sh: the broken-model build failed" >&2
  exit 1
fi
status=0
run_qemu "$work/broken/build/tinym2net_example" "$work/cortex_m/broken.txt" || status=$?
if [[ $status -ne 1 ]] || ! grep -q "^error: " "$work/cortex_m/broken.txt"; then
  cat "$work/cortex_m/broken.txt" >&2
  echo "cortex-m.sh: a broken model should print its error and exit 1 (status $status)" >&2
  exit 1
fi
echo "cortex-m4: a broken model is reported on the target: $(grep '^error: ' "$work/cortex_m/broken.txt" | sed 's/.*: //')"

# 4. Figures. Flash = text + data (the .data load image, .init_array); static RAM = data + bss.
read -r text data bss < <(arm-none-eabi-size "$elf" | awk 'NR == 2 {print $1, $2, $3}')
model_text="$(arm-none-eabi-size "$out/build/model_data.o" | awk 'NR == 2 {print $1}')"
echo "cortex-m4: flash $((text + data)) B = code $((text - model_text)) B + model array $model_text B + initialised data $data B"
echo "cortex-m4: code by origin (linker map): $(awk -f "$harness/map_split.awk" "$work/cortex_m/firmware.map" |
  grep -v '^model array' | sort -t "$(printf '\t')" -k2 -nr | awk -F '\t' '{printf "%s%s %d B", (NR > 1 ? ", " : ""), $1, $2}')"
echo "cortex-m4: static RAM $((data + bss)) B (data $data + bss $bss)"
echo "cortex-m4: arena $(field arena_bytes) B planned; heap at load $(field heap_after_load_bytes) B" \
  "(peak $(field heap_peak_load_bytes) B, operator new); invoke allocations $(field invoke_allocations)"
echo "cortex-m4: newlib heap break peak $(field sbrk_peak_bytes) B (malloc overhead, stdio buffers);" \
  "stack peak $(field stack_peak_bytes) B"
echo "cortex-m4: RAM used = static $((data + bss)) + heap $(field sbrk_peak_bytes) + stack $(field stack_peak_bytes)" \
  "= $((data + bss + $(field sbrk_peak_bytes) + $(field stack_peak_bytes))) B"
# 5. The fixed-point audio front-end: its code, tables and scratch, and the guest
# instructions it executes per window (QEMU TCG plugin bench/qemu_insn_count.c: an
# instruction count, not cycles; the M4 retires most of these in one cycle).
if grep -q '^#define TM2_FIXED_FRONTEND 1' "$out/frontend_data.h"; then
  osize() { arm-none-eabi-size "$out/build/$1" | awk 'NR == 2 {print $1 + $2}'; }
  echo "cortex-m4: front-end flash: code $(osize runtime/core/runtime/mcu_frontend/fixed_mfcc.o) B + tables $(osize frontend_data.o) B" \
    "(example audio $(osize example_audio.o) B); static RAM: scratch $(awk '/TM2_FRONTEND_SCRATCH_BYTES/ {print $3}' "$out/frontend_data.h") B"
  plugin="$work/libinsn_count.so"
  gcc -shared -fPIC -O2 -o "$plugin" "$root/bench/qemu_insn_count.c"
  timeout "${TM2_QEMU_TIMEOUT:-120}" qemu-system-arm -M mps2-an386 -nographic \
    -semihosting-config enable=on,target=native -plugin "$plugin,out=$work/cortex_m/insn.txt" \
    -kernel "$elf" < /dev/null > /dev/null 2>&1
  fe_symbols="$(arm-none-eabi-nm "$out/build/runtime/core/runtime/mcu_frontend/fixed_mfcc.o" | awk '$2 ~ /[tT]/ {print $3}')"
  inputs="$(grep -c '^input_codes_fnv' "$work/host.txt")"
  frames="$(grep -o '"frames": [0-9]*' "$work/footprint.json" | head -1 | awk '{print $2}')"
  awk -v syms="$fe_symbols" -v inputs="$inputs" -v frames="$frames" '
    BEGIN { n = split(syms, s, "\n"); for (i = 1; i <= n; i++) fe[s[i]] = 1 }
    $1 == "total" { total = $2 }
    $1 == "symbol" && ($3 in fe) { front += $2 }
    END {
      printf "cortex-m4: front-end instructions (qemu count): %d per window of %d frames (%d per frame), %d audio input(s); whole run %d\n",
        front / inputs, frames, front / inputs / frames, inputs, total
    }' "$work/cortex_m/insn.txt"
fi
echo "cortex-m.sh: done in $((SECONDS - start)) s (project: $out, firmware: $elf, output: $work/cortex_m/run.txt)"
