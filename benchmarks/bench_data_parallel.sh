#!/bin/bash
# Data-parallel training on one machine: the same compact-CNN run as 1 process x T threads and as
# W ranks x (T / W) threads each (Gloo over loopback, launched with the environment torchrun sets),
# on the synthetic demo corpus (written once to a scratch folder). The two set-ups take turns in
# every round, so a busy machine slows them alike. Prints, per run: whole-process wall time,
# training samples/s (metrics.json), the gradient all-reduce time per step (rank 0's train.log) and
# the test WA/UAR, then the medians.
#   benchmarks/bench_data_parallel.sh [-n ROUNDS] [-e EPOCHS] [-w RANKS] [-t THREADS] [SERWB]
#   (defaults: 3 rounds, 3 epochs, 2 ranks, 2 threads, build/app/serwb)
set -eu

rounds=3 epochs=3 world=2 threads=2
while getopts "n:e:w:t:" opt; do
  case $opt in
    n) rounds=$OPTARG ;; e) epochs=$OPTARG ;; w) world=$OPTARG ;; t) threads=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
root=$(cd "$(dirname "$0")/.." && pwd)
serwb=${1:-$root/build/app/serwb}
[ -x "$serwb" ] || { echo "bench_data_parallel.sh: $serwb is not an executable" >&2; exit 2; }
per_rank=$((threads / world)); [ "$per_rank" -ge 1 ] || per_rank=1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OPENBLAS_NUM_THREADS=1
"$serwb" make-demo "$scratch/demo" --acted-actors 8 --crowd-actors 2 >/dev/null
train=(train --ravdess "$scratch/demo/demo-acted" --model cnn --epochs "$epochs" --batch-size 32
       --patience 0 --test-speakers demo-acted:01,demo-acted:02 --val-speakers demo-acted:03
       --cache "$scratch/cache" --quiet)
"$serwb" preprocess --ravdess "$scratch/demo/demo-acted" --cache "$scratch/cache" >/dev/null 2>&1 || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
report() {  # label dir seconds
  python3 - "$1" "$2" "$3" <<'PY'
import json, re, sys
label, run, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
m = json.load(open(run + "/metrics.json"))
log = open(run + "/train.log").read()
ar = re.findall(r"gradient all-reduce ([0-9.eE+-]+) ms per step", log)
print(f"{label:<22} wall {seconds:6.1f} s  train {m['train_samples_per_second']:7.1f} clips/s  "
      f"all-reduce {float(ar[-1]) if ar else 0.0:6.2f} ms/step  test WA {100*m['wa']:.1f}%  "
      f"UAR {100*m['uar']:.1f}%  ({m['device']})")
PY
}

echo "compact CNN, $epochs epochs, batch 32, demo corpus (8 actors, 2 test, 1 validation); $rounds rounds"
for ((r = 1; r <= rounds; r++)); do
  out=$scratch/one-$r
  start=$(now)
  "$serwb" "${train[@]}" --threads "$threads" --out "$out"
  report "1 x $threads threads" "$out" "$(echo "$(now) - $start" | bc)"

  out=$scratch/ddp-$r
  port=$(free_port)
  start=$(now)
  pids=()
  for ((k = 0; k < world; k++)); do
    RANK=$k WORLD_SIZE=$world LOCAL_RANK=$k LOCAL_WORLD_SIZE=$world MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
      "$serwb" "${train[@]}" --threads "$per_rank" --out "$out" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  report "$world ranks x $per_rank thread" "$out" "$(echo "$(now) - $start" | bc)"
done
