#!/usr/bin/env bash
# The main job on the built-in demo datasets: install, build, generate both
# demo datasets (once), inspect them, then
#  - image-audio: `ablate` — train the fused network and each unimodal one under
#    one budget, quantize each to INT8, INT4 and ILP mixed precision;
#  - image-audio, the fused network: mixed precision → integer `.tmn` model,
#    checked against the network (`eval-runtime`), timed with its MFCC front-end
#    (`tinym2net-bench`) and exported for a microcontroller (`export-mcu`);
#  - audio-audio: `compare` — multimodal against each unimodal variant.
# Runs go to demo-runs/, recorded in the experiment store demo-runs/workspace.
# Then, when a display is present, the workbench window opens on the image-audio
# demo with that workspace (its Experiments pane lists the runs above).
# TM2_DEMO_GUI=only skips the CLI runs and just opens the window; =no never opens it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
tm2="${TM2_BUILD_DIR:-$root/build}/app/cli/tinym2net"
data="${TM2_DEMO_DIR:-$root/demo-data}"
runs="${TM2_RUNS_DIR:-$root/demo-runs}"
epochs="${TM2_DEMO_EPOCHS:-20}"
# One intra-op thread: for networks this small, a second LibTorch thread makes
# training several times slower whenever the other core is busy (README, Threads).
threads="${TM2_THREADS:-1}"
gui="${TM2_BUILD_DIR:-$root/build}/app/gui/tinym2net-gui"
bench="${TM2_BUILD_DIR:-$root/build}/app/bench/tinym2net-bench"
mode="${TM2_DEMO_GUI:-auto}"
open_window() {
  if [ "$mode" != no ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    echo "== opening the workbench window (close it to finish) =="
    "$gui" --dataset "$data/image-audio" --workspace "$runs/workspace" --threads "$threads"
  elif [ "$mode" != no ]; then
    echo "(no display: the workbench window was not opened; run $gui --dataset $data/image-audio)"
  fi
}
for kind in image-audio audio-audio; do
  if [ ! -f "$data/$kind/manifest.csv" ]; then
    "$tm2" data make-demo --kind "$kind" --out "$data/$kind" --seed 1
  fi
  echo "== $kind: dataset =="
  "$tm2" data inspect "$data/$kind" --threads "$threads"
done
if [ "$mode" = only ]; then
  open_window
  exit 0
fi
echo "== image-audio: fused vs unimodal × FP32 / INT8 / INT4 / mixed precision =="
"$tm2" ablate --data "$data/image-audio" --out "$runs/ablate-image-audio" --epochs "$epochs" \
  --workspace "$runs/workspace" --threads "$threads"
ablate="$runs/ablate-image-audio"
model="$runs/image-audio-mp.tmn"
echo "== image-audio: the fused network in mixed precision → integer model =="
"$tm2" quantize --run "$ablate" --mode mp --workspace "$runs/workspace" --threads "$threads"
"$tm2" export --run "$ablate" --plan "$ablate/quant-mp.json" --out "$model" --threads "$threads"
echo "== the integer model against the network (test split, per layer) =="
"$tm2" eval-runtime --model "$model" --run "$ablate" --threads "$threads"
echo "== the integer model on this machine, batch 1, with its MFCC front-end =="
"$bench" "$model" --runs 1000 --audio "$(find "$data/image-audio" -name '*.wav' | sort | sed -n 1p)"
echo "== the integer model for a microcontroller =="
"$tm2" export-mcu --model "$model" --out "$runs/mcu-image-audio-mp"
echo "== audio-audio: fused vs unimodal =="
"$tm2" compare --data "$data/audio-audio" --out "$runs/compare-audio-audio" --epochs "$epochs" \
  --workspace "$runs/workspace" --threads "$threads" --no-resume
open_window
