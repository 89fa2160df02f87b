#!/usr/bin/env bash
# The main job on the embedded demo corpus: installs dependencies, builds, writes the synthetic
# demo corpora, scans and preprocesses them with the serwb CLI.
# Data and caches go to ./demo-workspace (override with SERWB_DEMO_DIR).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build.sh
work="${SERWB_DEMO_DIR:-$root/demo-workspace}"
serwb="$root/build/app/serwb"
export OPENBLAS_NUM_THREADS=1

echo "== serwb make-demo $work/corpora"
"$serwb" make-demo "$work/corpora"
echo "== serwb scan (both demo corpora)"
"$serwb" scan --ravdess "$work/corpora/demo-acted" --crema-d "$work/corpora/demo-crowd"
echo "== serwb preprocess (log-mel + utterance features, cached in $work/cache)"
"$serwb" preprocess --ravdess "$work/corpora/demo-acted" --crema-d "$work/corpora/demo-crowd" \
  --cache "$work/cache"
echo "== second run reads the cache"
"$serwb" preprocess --ravdess "$work/corpora/demo-acted" --crema-d "$work/corpora/demo-crowd" \
  --cache "$work/cache"
