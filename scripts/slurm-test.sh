#!/usr/bin/env bash
# The Slurm end-to-end test (tests/slurm): starts the one-node cluster
# (scripts/slurm-local.sh, which installs slurm-wlm and munge), builds
# tinym2net and tm2_slurm_tests in the configured build folder, submits the
# tiny sweep as a job array, cancels and resumes a task, collects, and stops
# the cluster again. About 1–2 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${TM2_BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "slurm-test: $build is not configured (run scripts/setup.sh first)" >&2
  exit 1
fi
bash "$root/scripts/slurm-local.sh" start
trap 'bash "$root/scripts/slurm-local.sh" stop' EXIT
export SLURM_CONF="${TM2_SLURM_DIR:-/tmp/tm2-slurm}/slurm.conf"
cmake --build "$build" --target tinym2net tm2_slurm_tests -j "${TM2_JOBS:-$(nproc)}"
timeout 300 "$build/tests/tm2_slurm_tests"
