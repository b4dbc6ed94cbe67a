#!/usr/bin/env bash
# Sanitizer runs over everything that needs no LibTorch (Debian's LibTorch is
# not built with the sanitizers):
#  1. AddressSanitizer + UndefinedBehaviorSanitizer: the core suites base, dsp,
#     data, model, experiment, the integer runtime, the device tools and the
#     sweep machinery (sweep file, plan, statistics, records, collect).
#  2. ThreadSanitizer: the GUI's worker runner (TaskRunner: jobs, progress,
#     cancellation) in its own small test program (tests/tsan); Qt is not
#     TSan-instrumented, so tests/tsan/tsan.supp silences reports inside Qt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
jobs="${TM2_SANITIZE_JOBS:-$(nproc)}"

build="${TM2_SANITIZE_DIR:-$root/build-sanitize}"
# -g1: function names and line tables, all a sanitizer report shows, without the variable info
# (a test file compiles ~17 % faster; CI builds this tree from scratch).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTM2_SANITIZE=ON -DTM2_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1 -DTM2_BUILD_GUI=OFF "${launcher[@]}" >/dev/null
suites=(tm2_base_tests tm2_dsp_tests tm2_data_tests tm2_model_tests tm2_experiment_tests
        tm2_runtime_tests tm2_device_tests tm2_sweep_tests)
cmake --build "$build" --target "${suites[@]}" -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for suite in "${suites[@]}"; do
  echo "sanitize.sh: ASan+UBSan $suite"
  "$build/tests/$suite" --gtest_brief=1
done

tsan_build="${TM2_TSAN_DIR:-$root/build-tsan}"
cmake -S "$root" -B "$tsan_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTM2_TSAN=ON -DTM2_BUILD_BENCH=OFF \
  -DTM2_BUILD_GUI=OFF "${launcher[@]}" >/dev/null
cmake --build "$tsan_build" --target tm2_task_runner_tsan_tests -j "$jobs"
echo "sanitize.sh: ThreadSanitizer tm2_task_runner_tsan_tests"
# Repeated: a race shows only in some interleavings.
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan/tsan.supp" \
  QT_QPA_PLATFORM=offscreen "$tsan_build/tests/tsan/tm2_task_runner_tsan_tests" --gtest_brief=1 --gtest_repeat=20
