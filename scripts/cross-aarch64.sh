#!/usr/bin/env bash
# Cross-builds the integer runtime (and tinym2net-bench, when app/bench exists)
# for the Raspberry Pi 4 with Debian's aarch64 toolchain, then runs the
# runtime's GoogleTest suite under qemu-aarch64. Only core/runtime is built:
# the rest of the workbench needs LibTorch, which does not cross-compile.
# Build folder: build-aarch64 (override with the first argument).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-aarch64}"
start=$SECONDS
# The runtime's FFT (KissFFT) for the target comes from Debian's arm64 package (multiarch).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO dpkg --add-architecture arm64
fi
bash "$root/scripts/install-deps.sh" "$root/scripts/deps-aarch64.txt"
cmake -S "$root/core/runtime/standalone" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-toolchain.cmake" >/dev/null
targets=(tm2_runtime_tests)
# The bench is built once it has a main(); until then app/bench is a library in progress.
if grep -qs 'int main' "$root"/app/bench/*.cpp; then
  targets+=(tinym2net-bench)
else
  echo "cross-aarch64: app/bench has no main() yet, tinym2net-bench skipped"
fi
cmake --build "$build" --target "${targets[@]}" -j "${TM2_JOBS:-$(nproc)}"
file "$build/tm2_runtime_tests" 2>/dev/null | grep -q aarch64 || {
  echo "cross-aarch64: tm2_runtime_tests is not an aarch64 binary" >&2
  exit 1
}
# Tests write to a TempDir; run from the build folder so nothing lands in the tree.
# qemu's default CPU ("max") has the dot-product instructions, so the NEON and the
# NEON dot-product loops are both checked; then again as the Pi 4's Cortex-A72 (no
# SDOT), where the run-time choice must fall back to plain NEON.
(cd "$build" && qemu-aarch64 -L /usr/aarch64-linux-gnu ./tm2_runtime_tests --gtest_brief=1)
(cd "$build" && qemu-aarch64 -cpu cortex-a72 -L /usr/aarch64-linux-gnu ./tm2_runtime_tests --gtest_brief=1)
echo "cross-aarch64: done in $((SECONDS - start)) s"
