#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer build of the LibTorch-free core
# layers and their tests (base, dsp, data, model, experiment), then runs them.
# LibTorch-linked suites are left out: Debian's LibTorch is not built with ASan.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
build="${TM2_SANITIZE_DIR:-$root/build-sanitize}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTM2_SANITIZE=ON -DTM2_BUILD_BENCH=OFF -DTM2_BUILD_GUI=OFF >/dev/null
suites=(tm2_base_tests tm2_dsp_tests tm2_data_tests tm2_model_tests tm2_experiment_tests)
cmake --build "$build" --target "${suites[@]}" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for suite in "${suites[@]}"; do
  "$build/tests/$suite" --gtest_brief=1
done
