#!/usr/bin/env bash
# The engine's tests under AddressSanitizer + UBSan (CMake option SERWB_SANITIZE) in ./build-asan
# (no GUI, no benchmarks). Any ASan or UBSan report, or a leak in our code, fails the test that
# caused it. Third-party leaks (libtorch, OpenBLAS, Qt: not built with ASan) are suppressed in
# tests/sanitizers/lsan.supp, each with its reason.
#
#   scripts/test-sanitizers.sh [ctest args...]               every core and CLI test (long: the
#                                                            libtorch code compiles slowly with ASan)
#   scripts/test-sanitizers.sh --torch-free [ctest args...]  the tests of the engine's libtorch-free
#                                                            areas (label "torch-free": audio decoding,
#                                                            corpus readers, CSV/JSON, features and
#                                                            their cache, metrics, run records, SVM):
#                                                            the parsers of untrusted input. What
#                                                            .ci/run runs.
# Extra arguments go to ctest (e.g. -R tst_split).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

torch_free=0
if [[ ${1:-} == --torch-free ]]; then
  torch_free=1
  shift
fi

# -O1 -g1: line numbers in reports at a fraction of -O2 -g's compile time (libtorch headers).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DSERWB_SANITIZE=ON \
  -DSERWB_BUILD_GUI=OFF -DSERWB_BUILD_BENCHMARKS=OFF >/dev/null

ctest_args=()
if [[ $torch_free == 1 ]]; then
  cmake --build build-asan -j"$(nproc)" --target torch_free_tests
  # The label is a promise: none of these executables may load libtorch.
  mapfile -t exes < <(ctest --test-dir build-asan -N -V -L torch-free |
                        sed -n 's/^[0-9]*: Test command: //p' | awk '{print $1}')
  [[ ${#exes[@]} -gt 0 ]] || { echo "no torch-free tests found" >&2; exit 1; }
  for exe in "${exes[@]}"; do
    if ldd "$exe" | grep -q torch; then
      echo "$exe is labelled torch-free but loads libtorch (tests/CMakeLists.txt)" >&2
      exit 1
    fi
  done
  echo "${#exes[@]} torch-free test executables built with ASan + UBSan" >&2
  ctest_args=(-L torch-free)
else
  cmake --build build-asan -j"$(nproc)"
fi

supp="$root/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export OPENBLAS_NUM_THREADS=1
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" "${ctest_args[@]}" "$@"
