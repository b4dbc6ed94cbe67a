#!/usr/bin/env bash
# The Raspberry Pi path's work per inference, measured without a Pi: the dynamic
# instruction count of one inference of a .tmn model under qemu-aarch64 (a QEMU
# TCG plugin, bench/qemu_insn_count.c), for the portable and the NEON kernels,
# in all, per MAC and per kernel function, plus an A72 cycle estimate of the
# GEMM inner loop from llvm-mca. Deterministic: same binary, same count.
#   bench/run_aarch64_work.sh [AARCH64_BUILD_DIR] [MODEL.tmn ...]
# AARCH64_BUILD_DIR (default build-aarch64) is scripts/cross-aarch64.sh's build; its
# tinym2net-bench is rebuilt first. Without a model the demo's mixed-precision model
# is made (as scripts/demo.sh does, 1 epoch) with the host's tinym2net
# ($TM2_BUILD_DIR, default build) under $TM2_BENCH_DIR (default build-bench-data).
# CPUs emulated: cortex-a72 (Pi 4: NEON, no dot product) for the portable and NEON
# paths, cortex-a76 (Pi 5: dot product) for the kernels picked there at run time.
# One inference = (count of --runs 11) − (count of --runs 1), divided by 10, so
# loading the model, parsing options and process start-up cancel out. The bench's
# own timing code (sorting latencies) moves the last few hundred instructions
# between runs; the kernels' counts are exact. Method and figures: docs/aarch64-work.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-aarch64}"
shift || true
models=("$@")
bench="$build/tinym2net-bench"
[[ -f "$build/build.ninja" ]] || {
  echo "run_aarch64_work.sh: $build is not an aarch64 build (run scripts/cross-aarch64.sh first)" >&2
  exit 1
}
build="$(cd "$build" && pwd)"
bench="$build/tinym2net-bench"
cmake --build "$build" --target tinym2net-bench >/dev/null
file "$bench" | grep -q aarch64 || { echo "run_aarch64_work.sh: $bench is not an aarch64 binary" >&2; exit 1; }
command -v qemu-aarch64 >/dev/null || { echo "run_aarch64_work.sh: needs qemu-aarch64 (apt-get install qemu-user)" >&2; exit 1; }

# Debian's qemu-user loads TCG plugins but ships none: build ours for the host.
plugin="$build/bench-plugins/libinsn_count.so"
mkdir -p "$(dirname "$plugin")"
if [[ ! -f "$plugin" || "$root/bench/qemu_insn_count.c" -nt "$plugin" ]]; then
  gcc -shared -fPIC -O2 -Wall -Wextra -o "$plugin" "$root/bench/qemu_insn_count.c"
fi

if [[ ${#models[@]} -eq 0 ]]; then
  # (a command substitution, so that a failure stops the script under set -e)
  made="$(bash "$root/bench/make_demo_models.sh" "${TM2_BUILD_DIR:-$root/build}/app/cli/tinym2net" \
    "${TM2_BENCH_DIR:-$root/build-bench-data}/aarch64" mp)"
  mapfile -t models <<<"$made"
fi

for m in "${!models[@]}"; do models[$m]="$(realpath "${models[$m]}")"; done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# count CPU KERNEL MODEL RUNS OUT: the plugin's counts for `RUNS` inferences.
count() {
  (cd "$tmp" && qemu-aarch64 -cpu "$1" -L /usr/aarch64-linux-gnu -plugin "$plugin,out=$5" \
    "$bench" "$3" --kernel "$2" --runs "$4" --warmup 0 --json >"$5.json")
}
# The Pi 4's core for the portable and NEON loops; the Pi 5's (cortex-a76, with SDOT)
# for what the runtime picks there at run time (neon-dotprod).
paths=("cortex-a72 portable" "cortex-a72 neon" "cortex-a76 auto")
for model in "${models[@]}"; do
  i=0
  for p in "${paths[@]}"; do
    read -r cpu kernel <<<"$p"
    count "$cpu" "$kernel" "$model" 1 "$tmp/$i-1"
    count "$cpu" "$kernel" "$model" 11 "$tmp/$i-11"
    i=$((i + 1))
  done
  /usr/bin/python3 - "$model" "$tmp" "${paths[@]}" <<'PY'
import json, re, subprocess, sys
model, tmp, paths = sys.argv[1], sys.argv[2], sys.argv[3:]

def load(path):
    counts = {}
    for line in open(path):
        f = line.split(None, 2)
        counts["TOTAL" if f[0] == "total" else f[2].strip()] = int(f[1])
    return counts

def demangle(names):
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True).stdout
    short = []
    for n in out.split("\n")[: len(names)]:
        n = n.replace("(anonymous namespace)::", "").replace("tm2::runtime::", "")
        n = re.sub(r"^void ", "", n.split("(")[0])
        short.append(re.sub(r"<.*>", "<...>", n))  # template arguments: one name per template
    return short

rows = []
for i, p in enumerate(paths):
    one, eleven = load(f"{tmp}/{i}-1"), load(f"{tmp}/{i}-11")
    per = {k: (eleven.get(k, 0) - one.get(k, 0)) / 10 for k in set(one) | set(eleven)}
    info = json.load(open(f"{tmp}/{i}-1.json"))
    rows.append((p, info, per))
macs = rows[0][1]["macs"]
print(f"model {model}: {macs} MACs per inference; qemu-aarch64 dynamic instruction counts, one inference")
base = rows[0][2]["TOTAL"]
print(f"{'cpu / kernels':28s} {'instructions':>13s} {'per MAC':>8s} {'vs portable':>12s}")
for p, info, per in rows:
    label = f"{p.split()[0]} {info['kernel_path']}"
    print(f"{label:28s} {per['TOTAL']:13,.0f} {per['TOTAL'] / macs:8.3f} {base / per['TOTAL']:11.2f}x")
print("goal: NEON <= 1/8 of portable (>= 8.00x)")
for p, info, per in rows:
    top = sorted(((v, k) for k, v in per.items() if k != "TOTAL" and v > 0), reverse=True)[:8]
    names = demangle([k for _, k in top])
    print(f"  {p.split()[0]} {info['kernel_path']}: " +
          ", ".join(f"{n} {v / per['TOTAL'] * 100:.0f}%" for (v, _), n in zip(top, names)))
PY
done

# A72 cycle estimate of the NEON GEMM's inner loop: the loop with the most
# multiply-accumulates in gemmRowsNeon (the 4 × 16 block's SMLAL loop of
# core/runtime/kernels/neon_gemm16.h), as assembled, through llvm-mca's
# Cortex-A72 model. An estimate of that loop alone (no cache misses, no branches).
if command -v llvm-mca >/dev/null; then
  aarch64-linux-gnu-objdump -d --no-show-raw-insn "$bench" >"$tmp/bench.s"
  /usr/bin/python3 - "$tmp/bench.s" "$tmp/loop.s" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
func, body = None, []
for line in lines:
    m = re.match(r"^([0-9a-f]+) <(.*)>:$", line)
    if m:
        func = m.group(2)
        continue
    if func and "gemmRowsNeon" in func:
        m = re.match(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if m:
            body.append((int(m.group(1), 16), m.group(2), m.group(3)))
# Innermost loops: a backward branch whose range holds no other backward branch.
back = []
for addr, op, args in body:
    m = re.match(r"([0-9a-f]+) <", args)
    if op.startswith("b") and m and int(m.group(1), 16) < addr:
        back.append((int(m.group(1), 16), addr))
best = None
for start, end in back:
    if any(start <= s2 and e2 < end and (s2, e2) != (start, end) for s2, e2 in back):
        continue
    loop = [b for b in body if start <= b[0] <= end]
    macs = sum(1 for b in loop if b[1].startswith("smlal"))
    if best is None or macs > best[0]:
        best = (macs, loop)
if best is None:
    sys.exit("run_aarch64_work.sh: no gemmRowsNeon loop in the bench binary's disassembly")
with open(sys.argv[2], "w") as f:
    for _, op, args in best[1][:-1]:  # the backward branch itself left out
        f.write(f"{op} {args.split('//')[0].strip()}\n")
PY
  smlal=$(grep -c '^smlal' "$tmp/loop.s")
  cycles=$(llvm-mca -mtriple=aarch64 -mcpu=cortex-a72 -iterations=200 "$tmp/loop.s" 2>/dev/null |
    sed -n 's/^Total Cycles:[[:space:]]*//p')
  insns=$(wc -l <"$tmp/loop.s")
  awk -v c="$cycles" -v s="$smlal" -v n="$insns" 'BEGIN {
    per = c / 200; macs = 4 * s
    printf "A72 estimate (llvm-mca -mcpu=cortex-a72, an estimate, not a measurement): NEON GEMM inner loop %d instructions, %d SMLAL = %d MACs, %.1f cycles per iteration = %.2f MAC/cycle\n", n, s, macs, per, macs / per
  }'
else
  echo "A72 estimate: llvm-mca not installed (apt-get install llvm), skipped"
fi
