#!/usr/bin/env bash
# libFuzzer runs of the parsers of untrusted input (tests/fuzz/, README "Sanitizers and fuzzing").
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]  one target, e.g. manifest_csv 3600
#   scripts/fuzz.sh all SECONDS [libFuzzer options...]     every target in turn (the CI smoke run)
#   scripts/fuzz.sh list                                   the target names
# Builds the targets with clang in ./build-fuzz (ASan + UBSan + coverage) first. Inputs that reach
# new code go to build-fuzz/corpus/TARGET (the seeds in tests/fuzz/corpus/TARGET are only read).
# A finding is saved as build-fuzz/artifacts/TARGET/crash-* (or leak-*, timeout-*, oom-*) and
# the script exits non-zero; reproduce it with build-fuzz/tests/fuzz/fuzz_TARGET FILE.
# Each run ends with libFuzzer's stats (stat::number_of_executed_units = executions).
# SERWB_FUZZ_NO_BUILD=1 skips the build (for several runs in parallel on one build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

targets=()
for f in tests/fuzz/fuzz_*.cpp; do
  name="$(basename "$f" .cpp)"
  targets+=("${name#fuzz_}")
done

usage() { echo "usage: $0 TARGET|all SECONDS [libFuzzer options...] | $0 list" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
if [[ $1 == list ]]; then printf '%s\n' "${targets[@]}"; exit 0; fi
[[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage
what="${1#fuzz_}"
seconds="$2"
shift 2
if [[ $what == all ]]; then
  run=("${targets[@]}")
else
  [[ " ${targets[*]} " == *" $what "* ]] || { echo "unknown target '$what' (try: $0 list)" >&2; exit 2; }
  run=("$what")
fi

build=build-fuzz
if [[ ${SERWB_FUZZ_NO_BUILD:-0} != 1 ]]; then
  if [[ ! -f $build/build.ninja ]]; then
    CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DSERWB_BUILD_FUZZERS=ON -DSERWB_BUILD_GUI=OFF -DBUILD_TESTING=OFF \
      -DSERWB_BUILD_BENCHMARKS=OFF >/dev/null
  fi
  cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' "${run[@]}")
fi

dictOf() {
  case "$1" in
    *_name) echo tests/fuzz/dict/names.dict ;;
    *_csv) echo tests/fuzz/dict/csv.dict ;;
    experiment_json|checkpoint_meta|run_folder) echo tests/fuzz/dict/json.dict ;;
  esac
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
command -v llvm-symbolizer >/dev/null && export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer)"
for t in "${run[@]}"; do
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  dict="$(dictOf "$t")"
  echo "== fuzz_$t: $seconds s" >&2
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" ${dict:+-dict="$dict"} "$@" \
    "$work" "tests/fuzz/corpus/$t"
done
