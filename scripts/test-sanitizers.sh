#!/usr/bin/env bash
# The core and CLI tests under AddressSanitizer + UBSan (CMake option SERWB_SANITIZE): configures
# ./build-asan (no GUI, no benchmarks), builds, and runs the tests through CTest. Any ASan or
# UBSan report, or a leak in our code, fails the test that caused it. Third-party leaks
# (libtorch, OpenBLAS, Qt: not built with ASan) are suppressed in tests/sanitizers/lsan.supp,
# each with its reason. Extra arguments go to ctest (e.g. -R tst_split).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# -O1 -g1: line numbers in reports at a fraction of -O2 -g's compile time (libtorch headers).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DSERWB_SANITIZE=ON \
  -DSERWB_BUILD_GUI=OFF -DSERWB_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j"$(nproc)"

supp="$root/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export OPENBLAS_NUM_THREADS=1
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" "$@"
