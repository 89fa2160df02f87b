#!/bin/sh
# Installs every build, run and test dependency of SER Workbench from Debian 12 packages.
# Idempotent: packages already present are left as they are. Needs root (or sudo).
#   --no-python   skip the Python stack (torch/torchaudio/torchvision/numpy) used by benchmarks and by
#                 the encoder / ResNet18-export tests, which skip without it
set -eu

with_python=1
for arg in "$@"; do
  case "$arg" in
    --no-python) with_python=0 ;;
    *) echo "install-deps.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages="
  build-essential cmake ninja-build pkg-config git
  libsndfile1-dev libfftw3-dev libsoxr-dev libsvm-dev libpng-dev
  libtorch-dev libgloo-dev libopenblas0-pthread
  nlohmann-json3-dev libcli11-dev
  qt6-base-dev qt6-charts-dev qt6-multimedia-dev qt6-svg-dev libqt6opengl6-dev
  libgl-dev libegl-dev libxkbcommon-dev libqcustomplot-dev
  qt6-qpa-plugins qt6-wayland libqt6svg6 libqt6sql6-sqlite
  xvfb xauth poppler-utils
  clang libfuzzer-14-dev
  desktop-file-utils appstream file dpkg-dev librsvg2-bin
"
if [ "$with_python" -eq 1 ]; then
  packages="$packages python3 python3-numpy python3-torch python3-torchaudio python3-torchvision"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all dependencies already installed"
  exit 0
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
