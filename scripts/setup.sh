#!/usr/bin/env bash
# Installs the Debian packages (scripts/deps.txt) and builds the project into
# build/ (Release). Idempotent: re-running only rebuilds what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
build="${TM2_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
# Two cores here; LibTorch translation units need ~2 GiB each.
cmake --build "$build" -j "${TM2_JOBS:-$(nproc)}"
