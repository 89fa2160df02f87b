#!/bin/bash
# Start-up time of serwb commands that do not train: --help, --version, scan of a small corpus
# (the synthetic demo corpus, 2 + 2 actors, written once to a scratch folder), and for contrast
# `train --help`, which runs serwb-engine (libtorch). Each command runs N times per binary; the
# binaries take turns within each round, so a busy machine slows them alike. Prints the median
# and the fastest run in milliseconds.
#   benchmarks/bench_startup.sh [-n N] [SERWB...]      (default: build/app/serwb, N = 20)
# Give two binaries (say, an older build and this one) to compare them in the same run.
set -eu

n=20
if [ "${1:-}" = "-n" ]; then n=$2; shift 2; fi
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$#" -eq 0 ]; then set -- "$root/build/app/serwb"; fi
for b in "$@"; do
  [ -x "$b" ] || { echo "bench_startup.sh: $b is not an executable" >&2; exit 2; }
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OPENBLAS_NUM_THREADS=1
"$1" make-demo "$scratch/demo" --acted-actors 2 --crowd-actors 2 --json >/dev/null
corpus="--ravdess $scratch/demo/demo-acted --crema-d $scratch/demo/demo-crowd"
clips=$("$1" scan $corpus --json | sed -n 's/.*"clips":\([0-9]*\).*/\1/p')

commands=("--help" "--version" "scan $corpus --json")
labels=("--help" "--version" "scan ($clips clips)")
if "$1" train --help >/dev/null 2>&1; then
  commands+=("train --help")
  labels+=("train --help (engine)")
else
  echo "note: '$1 train --help' fails (no serwb-engine beside it?): not timed" >&2
fi

# times[b,c] holds the run times (ms) of command c with binary b, one per line.
declare -A times
for ((round = 0; round < n; round++)); do
  for ((c = 0; c < ${#commands[@]}; c++)); do
    for ((b = 1; b <= $#; b++)); do
      bin=${!b}
      start=$EPOCHREALTIME
      # shellcheck disable=SC2086  # the command's words split on purpose
      "$bin" ${commands[c]} >/dev/null 2>&1 || { echo "failed: $bin ${commands[c]}" >&2; exit 1; }
      end=$EPOCHREALTIME
      times[$b,$c]+="$(echo "($end - $start) * 1000" | bc -l)"$'\n'
    done
  done
done

echo "start-up, $n runs each, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((b = 1; b <= $#; b++)); do echo "[$b] ${!b}"; done
printf '%-24s' "ms: median / fastest"
for ((b = 1; b <= $#; b++)); do printf '  %-16s' "[$b]"; done
echo
for ((c = 0; c < ${#commands[@]}; c++)); do
  printf '%-24s' "${labels[c]}"
  for ((b = 1; b <= $#; b++)); do
    sorted=$(printf '%s' "${times[$b,$c]}" | sort -g)
    median=$(printf '%s\n' "$sorted" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    min=$(printf '%s\n' "$sorted" | head -n 1)
    printf '  %-16s' "$(printf '%.1f / %.1f' "$median" "$min")"
  done
  echo
done
