#!/bin/sh
# Tests the Debian package the way a user gets it: checks its control fields and files, then runs
# the installed serwb --version, serwb make-demo, serwb train --help (through serwb-engine), and
# serwb-gui (offscreen, for 10 s).
#   packaging/test-deb.sh [--system] [DEB]
# By default the package is unpacked with `dpkg -x` into a scratch root and run from there (its
# runtime libraries are the machine's). --system installs it with apt-get (needs root) and
# runs /usr/bin/serwb and /usr/bin/serwb-gui instead; the package stays installed.
# DEB defaults to the newest serwb_*.deb in build-deb/ of the source tree.
set -eu

system=0
if [ "${1:-}" = "--system" ]; then system=1; shift; fi
src=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls -t "$src"/build-deb/serwb_*.deb 2>/dev/null | head -n 1)}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "test-deb.sh: no .deb given and none in $src/build-deb (run packaging/build-deb.sh)" >&2
  exit 2
fi
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

app_id=io.github.serwb.SERWorkbench
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/data"
export OPENBLAS_NUM_THREADS=1

# Control fields.
version=$(dpkg-deb -f "$deb" Version)
arch=$(dpkg-deb -f "$deb" Architecture)
depends=$(dpkg-deb -f "$deb" Depends)
echo "package: $(basename "$deb")"
echo "Depends: $depends"
[ "$(basename "$deb")" = "serwb_${version}_${arch}.deb" ] && pass "file name serwb_${version}_${arch}.deb" ||
  fail "file name $(basename "$deb") is not serwb_${version}_${arch}.deb"
for p in libqt6widgets6 libqt6charts6 libqt6multimedia6 libqt6printsupport6 libqt6gui6 libqt6core6 \
         qt6-qpa-plugins libqt6svg6 libtorch1.13 libfftw3-single3 libsndfile1 libsoxr0 libsvm3 \
         libqcustomplot2.1-qt6 libopenblas0-pthread; do
  printf '%s\n' "$depends" | tr ',' '\n' | grep -Eq "^ *$p( |\$)" || fail "Depends lacks $p"
done
# Every dependency must be a real package of this distribution, and installed here.
for p in $(printf '%s\n' "$depends" | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g'); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    fail "dependency $p is not an installed package on this machine"
done
pass "Depends checked"

# Install.
if [ "$system" -eq 1 ]; then
  apt-get install -y -q "$deb" >"$scratch/apt.log" 2>&1 || { cat "$scratch/apt.log"; fail "apt-get install"; }
  root=""
else
  dpkg -x "$deb" "$scratch/root"
  root="$scratch/root"
fi

# Files.
for f in usr/bin/serwb usr/bin/serwb-gui usr/libexec/serwb/serwb-engine \
         usr/share/applications/$app_id.desktop usr/share/metainfo/$app_id.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/serwb.svg usr/share/man/man1/serwb.1.gz \
         usr/share/man/man1/serwb-gui.1.gz usr/share/doc/serwb/copyright; do
  [ -f "$root/$f" ] || fail "missing /$f"
done
for size in 16 22 24 32 48 64 128 256; do
  png="$root/usr/share/icons/hicolor/${size}x${size}/apps/serwb.png"
  if [ ! -f "$png" ]; then
    fail "missing ${size}x${size} icon"
  elif command -v file >/dev/null 2>&1 && ! file "$png" | grep -q "PNG image data, $size x $size"; then
    fail "${size}x${size} icon is $(file -b "$png")"
  fi
done
for b in usr/bin/serwb usr/bin/serwb-gui usr/libexec/serwb/serwb-engine; do
  missing_libs=$(ldd "$root/$b" | grep "not found" || true)
  [ -z "$missing_libs" ] || fail "/$b: unresolved libraries: $missing_libs"
done
# The front door starts without libtorch; only the engine links it.
if ldd "$root/usr/bin/serwb" | grep -q libtorch; then fail "/usr/bin/serwb links libtorch"; fi
pass "files checked"

if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$root/usr/share/applications/$app_id.desktop" && pass "desktop-file-validate" ||
    fail "desktop-file-validate"
fi
if command -v appstreamcli >/dev/null 2>&1; then
  # validate-tree also checks that the launchable, the desktop entry and the icon agree.
  appstreamcli validate-tree --no-net "${root:-/}" >"$scratch/appstream.log" 2>&1 && pass "appstreamcli validate-tree" ||
    { cat "$scratch/appstream.log"; fail "appstreamcli validate-tree"; }
fi
if command -v man >/dev/null 2>&1; then
  for page in serwb serwb-gui; do
    warnings=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null || true)
    [ -z "$warnings" ] && pass "$page(1) formats cleanly" || fail "$page(1): $warnings"
  done
fi

# Run.
out=$("$root/usr/bin/serwb" --version) || fail "serwb --version exited $?"
echo "$out"
printf '%s\n' "$out" | head -n 1 | grep -qx "serwb $version" && pass "serwb --version names $version" ||
  fail "serwb --version does not start with 'serwb $version'"
printf '%s\n' "$out" | grep -Eq '^libtorch [0-9]+\.[0-9]+\.[0-9]+ \((cpu|cuda:0), ' && pass "serwb --version names libtorch" ||
  fail "serwb --version does not name libtorch and the device"

if "$root/usr/bin/serwb" train --help >"$scratch/train-help.log" 2>&1 &&
   grep -q -- "--model" "$scratch/train-help.log"; then
  pass "serwb train --help answers through serwb-engine"
else
  cat "$scratch/train-help.log"; fail "serwb train --help"
fi

if "$root/usr/bin/serwb" make-demo "$scratch/demo" >"$scratch/make-demo.log" 2>&1; then
  n=$(find "$scratch/demo" -name '*.wav' | wc -l)
  [ "$n" -gt 0 ] && pass "serwb make-demo wrote $n clips" || fail "serwb make-demo wrote no clips"
else
  cat "$scratch/make-demo.log"; fail "serwb make-demo"
fi

set +e
QT_QPA_PLATFORM=offscreen timeout 10 "$root/usr/bin/serwb-gui" --demo "$scratch/demo" \
  >"$scratch/gui.log" 2>&1
rc=$?
set -e
if [ "$rc" -eq 124 ]; then
  pass "serwb-gui ran offscreen for 10 s"
else
  cat "$scratch/gui.log"
  fail "serwb-gui exited with status $rc within 10 s"
fi

if [ "$failures" -ne 0 ]; then
  echo "test-deb.sh: $failures check(s) failed"
  exit 1
fi
echo "test-deb.sh: all checks passed"
