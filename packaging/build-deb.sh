#!/bin/sh
# Builds the Debian package serwb_<version>_<arch>.deb with CPack.
#   packaging/build-deb.sh [BUILD_DIR [CMAKE_ARGS...]]
# BUILD_DIR defaults to build-deb/ in the source tree. Without CMAKE_ARGS the tests and benchmarks
# are left out of that build (-DBUILD_TESTING=OFF -DSERWB_BUILD_BENCHMARKS=OFF): the package holds
# neither and CPack builds `all` before it installs. Prints the path of the .deb on its last line.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-deb}
[ "$#" -gt 0 ] && shift
if [ "$#" -eq 0 ]; then
  set -- -DBUILD_TESTING=OFF -DSERWB_BUILD_BENCHMARKS=OFF
fi

for tool in cmake cpack dpkg-shlibdeps rsvg-convert; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-deb.sh: '$tool' not found (packaging/install-deps.sh installs it)" >&2
    exit 1
  fi
done

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build" -j"$(nproc)"
rm -f "$build"/serwb_*.deb
(cd "$build" && cpack -G DEB)

deb=$(ls "$build"/serwb_*.deb)
echo "build-deb.sh: Depends: $(dpkg-deb -f "$deb" Depends)"
echo "$deb"
