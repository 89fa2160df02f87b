#!/usr/bin/env bash
# The main job on the embedded synthetic demo corpus: installs dependencies, builds, writes the
# demo corpora, then
#  - with a display: opens serwb-gui with the demo corpus loaded and ready to train;
#  - without one: runs the pipeline headless with the serwb CLI (scan, preprocess, train a CNN,
#    evaluate) and prints where its run folder is.
# Everything goes to ./demo-workspace (override with SERWB_DEMO_DIR).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build.sh
work="${SERWB_DEMO_DIR:-$root/demo-workspace}"
serwb="$root/build/app/serwb"
gui="$root/build/app/gui/serwb-gui"
export OPENBLAS_NUM_THREADS=1
mkdir -p "$work"

if [ ! -f "$work/corpora/demo-acted/SERWB_SYNTHETIC.json" ] ||
   [ ! -f "$work/corpora/demo-crowd/SERWB_SYNTHETIC.json" ]; then
  echo "== serwb make-demo $work/corpora"
  "$serwb" make-demo "$work/corpora"
fi

if [ -x "$gui" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  echo "== serwb-gui --demo $work/corpora"
  exec "$gui" --demo "$work/corpora"
fi

echo "(no display: running the pipeline with the CLI; on a desktop this opens serwb-gui)"
acted="$work/corpora/demo-acted"
crowd="$work/corpora/demo-crowd"
echo "== serwb scan"
"$serwb" scan --ravdess "$acted" --crema-d "$crowd"
echo "== serwb preprocess (features cached in $work/cache)"
"$serwb" preprocess --ravdess "$acted" --crema-d "$crowd" --cache "$work/cache"
echo "== serwb train: compact CNN on both corpora, common 6 classes, speaker-independent split"
"$serwb" train --ravdess "$acted" --crema-d "$crowd" --labels common6 --model cnn --epochs 10 \
  --split speakers --test-fraction 0.25 --val-fraction 0.15 \
  --cache "$work/cache" --out "$work/runs/cnn-demo"
echo "== done. Run folder: $work/runs/cnn-demo"
echo "   The whole study on the demo corpus: $serwb reproduce --demo --out $work/study"
