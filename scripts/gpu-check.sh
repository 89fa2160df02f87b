#!/usr/bin/env bash
# One-command check of SER Workbench on a GPU machine: builds the Qt-free engine against the
# machine's own PyTorch (its libtorch), then on the synthetic demo corpus
#   (a) trains the compact CNN and ResNet18 on CUDA and on the CPU from the same seed and compares
#       the test metrics (close, not identical: other arithmetic, other augmentation draws), and
#       both again on CUDA in fp32 and fp16 beside the default precision,
#   (b) evaluates the CUDA checkpoint on the CPU and compares its predictions with CUDA's,
#   (c) resumes a CUDA run on the CPU,
#   (d) measures training throughput (samples/s) of ResNet18 and the CNN at batch 32 and 256, fp32
#       and mixed precision (and mixed precision + channels-last), in the C++ engine and in the
#       same network in Python PyTorch on the same GPU,
# and writes summary.json and summary.md. Run `scripts/gpu-check.sh --help` for the options.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/gpu-check.sh [--cpu] [options]

Runs unattended; everything goes to --out (default: ./build-gpu-check). Exit status 0 when every
check passed; the summary says which failed.

The GPU machine needs: a CUDA toolkit (nvcc; libtorch's CMake config asks for it), CMake >= 3.25,
ninja, a C++17 compiler, and python3 with PyTorch 2.x built for CUDA. No internet and no Debian
packages: the small libraries the engine needs travel with the repository as .deb files (give
their folder with --debs) and are unpacked with `dpkg -x` (or `ar` + `tar` where there is no dpkg)
into a private prefix. Gather them on a Debian 12 machine with

    scripts/gpu-check.sh --gather DIR

which runs, in DIR,

    apt-get download libsndfile1-dev libsndfile1 libflac12 libmp3lame0 libmpg123-0 libogg0 \
      libopus0 libvorbis0a libvorbisenc2 libflac-dev libogg-dev libvorbis-dev libopus-dev \
      libmpg123-dev libsoxr-dev libsoxr0 libsoxr-lsr0 libgomp1 libfftw3-dev libfftw3-single3 \
      libfftw3-double3 libfftw3-long3 libfftw3-quad3 libfftw3-bin libsvm-dev libsvm3 \
      libcli11-dev nlohmann-json3-dev pkgconf pkgconf-bin libpkgconf3 libpng-dev libpng16-16 \
      zlib1g-dev zlib1g

(the development packages, the .pc files that sndfile.pc and libpng.pc require, the runtime
dependencies: 35 files, 10 MB), then
copy DIR into the repository (or next to it). Debian 12's libraries need glibc >= 2.36 on the GPU
machine. A shared library the GPU machine already has (same soname: libz, libgomp, libpng16...)
is dropped from the private prefix, so the system's copy serves everything, PyTorch included; the
rest reach serwb through its RPATH, not through LD_LIBRARY_PATH. Data-parallel training needs
Gloo's headers from the PyTorch (its include/gloo); without them, or when distributed.cpp does not
compile against that PyTorch, the engine is built without data-parallel training
(SERWB_DATA_PARALLEL) and the summary lists that as a failed check.

Options:
  --cpu            the same steps against this machine's libtorch (Debian's CPU libtorch 1.13)
                   with few epochs and steps; the "accelerator" side runs on the CPU with the
                   device data path (--data-placement device). Tests the script itself.
  --debs DIR       the .deb files (default: none; system libraries are used)
  --out DIR        output folder (default: ./build-gpu-check; with --cpu: ./build-gpu-check-cpu)
  --python PY      the Python with PyTorch (default: python3; with --cpu: /usr/bin/python3)
  --jobs N         build jobs (default: all cores)
  --skip-build     reuse the build in --out
  --build DIR      use this existing build folder (configured by you, e.g. the README's build/)
                   instead of configuring one in --out; its serwb and bench_train_throughput are
                   brought up to date
  --skip-training  only the build and the throughput measurements
  --time-budget S  start no throughput measurement after S seconds from the start (they are
                   listed as skipped), so a run with a hard time limit still writes its summary
  --tolerance X    largest accepted |test UAR(CUDA) - test UAR(CPU)| (default 0.2; the demo test set is ~36 clips)
  --gather DIR     download the .deb files into DIR (on Debian 12, with network) and exit
  -h, --help       this text
EOF
}

mode=gpu
out=""
debs=""
python=""
jobs="$(nproc 2>/dev/null || echo 4)"
skip_build=0
build_dir=""
time_budget=0
skip_training=0
tolerance=0.2
gather=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) mode=cpu ;;
    --debs) debs="$2"; shift ;;
    --out) out="$2"; shift ;;
    --python) python="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --skip-build) skip_build=1 ;;
    --build) build_dir="$2"; shift ;;
    --time-budget) time_budget="$2"; shift ;;
    --skip-training) skip_training=1 ;;
    --tolerance) tolerance="$2"; shift ;;
    --gather) gather="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "gpu-check.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

deb_names="libsndfile1-dev libsndfile1 libflac12 libmp3lame0 libmpg123-0 libogg0 libopus0 libvorbis0a
  libvorbisenc2 libflac-dev libogg-dev libvorbis-dev libopus-dev libmpg123-dev libsoxr-dev libsoxr0 libsoxr-lsr0 libgomp1 libfftw3-dev libfftw3-single3 libfftw3-double3
  libfftw3-long3 libfftw3-quad3 libfftw3-bin libsvm-dev libsvm3 libcli11-dev nlohmann-json3-dev pkgconf
  pkgconf-bin libpkgconf3 libpng-dev libpng16-16 zlib1g-dev zlib1g"
if [ -n "$gather" ]; then
  mkdir -p "$gather"
  # shellcheck disable=SC2086
  (cd "$gather" && apt-get download $deb_names)
  echo "gpu-check.sh: $(ls "$gather"/*.deb | wc -l) .deb files in $gather"
  exit 0
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$mode" = cpu ]; then
  out="${out:-$root/build-gpu-check-cpu}"
  python="${python:-/usr/bin/python3}"
else
  out="${out:-$root/build-gpu-check}"
  python="${python:-python3}"
fi
mkdir -p "$out/results"
out="$(cd "$out" && pwd)"
logfile="$out/gpu-check.log"
: > "$logfile"
t0=$(date +%s)
say() { echo "== [$(( $(date +%s) - t0 ))s] $*" | tee -a "$logfile"; }
# Runs a command with its output in the log; on failure shows the log's tail and stops.
run() {
  echo "\$ $*" >> "$logfile"
  if ! "$@" >> "$logfile" 2>&1; then
    echo "gpu-check.sh: failed: $*" >&2
    tail -n 40 "$logfile" >&2
    exit 1
  fi
}
# The same for a step the later ones need not: on failure it is noted (the summary lists it as a
# failed check) and the script goes on, so one broken step does not cost the rest of the figures.
failed_steps="$out/failed-steps.txt"
: > "$failed_steps"
try_step() {
  echo "\$ $*" >> "$logfile"
  if ! "$@" >> "$logfile" 2>&1; then
    echo "gpu-check.sh: failed (going on): $*" >&2
    tail -n 15 "$logfile" >&2
    echo "$*" >> "$failed_steps"
  fi
  return 0
}
export OPENBLAS_NUM_THREADS=1

# ---- settings per mode -------------------------------------------------------------------------
if [ "$mode" = gpu ]; then
  accel_device=(--device cuda)
  cnn_epochs=12; resnet_epochs=8
  bench_batches="32 256"; bench_steps=40; bench_warmup=8; bench_shape=(--rows 64 --cols 301)
  mixed=auto
else
  accel_device=(--device cpu --data-placement device)
  cnn_epochs=8; resnet_epochs=4   # enough to learn above chance, for the "both learn" check
  bench_batches="4 16"; bench_steps=2; bench_warmup=1; bench_shape=(--rows 64 --cols 101)
  mixed=""   # mixed precision needs CUDA: not measured with --cpu
fi

# ---- 1. build ----------------------------------------------------------------------------------
build="${build_dir:-$out/build}"
prefix_path=""
if [ "$mode" = gpu ]; then
  "$python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' ||
    { echo "gpu-check.sh: $python's PyTorch sees no CUDA device (use --cpu on a machine without one)" >&2; exit 1; }
  prefix_path="$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')"
fi
cmake_args=(-S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSERWB_BUILD_GUI=OFF
            -DBUILD_TESTING=OFF -DSERWB_BUILD_BENCHMARKS=ON)
if [ -n "$debs" ]; then
  deps="$out/deps"
  compgen -G "$debs/*.deb" >/dev/null ||
    { echo "gpu-check.sh: --debs $debs: no .deb files there (gather them with --gather DIR, see --help)" >&2; exit 1; }
  say "unpacking $(ls "$debs"/*.deb | wc -l) .deb files from $debs into $deps"
  rm -rf "$deps"; mkdir -p "$deps"
  for deb in "$debs"/*.deb; do
    if command -v dpkg >/dev/null; then
      dpkg -x "$deb" "$deps"
    else
      (tmp="$(mktemp -d)"; cd "$tmp" && ar x "$deb" && tar -xf data.tar.* -C "$deps"; rm -rf "$tmp")
    fi
  done
  libdir="$(dirname "$(find "$deps" -name 'libsndfile.so' | head -n 1)")"
  [ -d "$libdir" ] || { echo "gpu-check.sh: no libsndfile.so in $debs (see --help)" >&2; exit 1; }
  # Libraries the machine already has (by soname) are dropped: one copy of libz or libgomp per
  # process, and the machine's is the one its PyTorch was tested with.
  system_libs="$(ldconfig -p 2>/dev/null || true)"
  for lib in "$libdir"/lib*.so.*; do
    name="$(basename "$lib")"
    [[ "$name" =~ ^[^.]+\.so\.[0-9]+$ ]] || continue   # the soname link (libz.so.1)
    system_copy="$(awk -v n="$name" '$1 == n && /x86-64/ && !seen {print $NF; seen = 1}' <<<"$system_libs")"
    if [ -n "$system_copy" ] && [ -e "$system_copy" ]; then
      echo "  $name: the machine's own copy is used ($system_copy)" >> "$logfile"
      real="$(readlink -f "$lib")"
      rm -f "$real"; ln -sf "$system_copy" "$real"   # every link to it now reaches the machine's copy
    fi
  done
  export PKG_CONFIG_PATH="$libdir/pkgconfig:$deps/usr/share/pkgconfig"
  export PKG_CONFIG_LIBDIR="$PKG_CONFIG_PATH"
  export PKG_CONFIG_SYSROOT_DIR="$deps"
  # Named explicitly: CMake would otherwise find the unpacked usr/bin/pkg-config first (through
  # CMAKE_PREFIX_PATH), which needs its libpkgconf from $libdir.
  if command -v pkg-config >/dev/null; then
    cmake_args+=(-DPKG_CONFIG_EXECUTABLE="$(command -v pkg-config)")
  elif [ -x "$deps/usr/bin/pkgconf" ]; then
    printf '#!/bin/sh\nLD_LIBRARY_PATH="%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "%s" "$@"\n' \
      "$libdir" "$deps/usr/bin/pkgconf" > "$deps/run-pkgconf"
    chmod +x "$deps/run-pkgconf"
    cmake_args+=(-DPKG_CONFIG_EXECUTABLE="$deps/run-pkgconf")
  fi
  prefix_path="${prefix_path:+$prefix_path;}$deps/usr"
  # DT_RPATH (not RUNPATH) so that libsndfile finds its codecs in $libdir too.
  cmake_args+=(-DLIBSVM_INCLUDE_DIR="$deps/usr/include" -DLIBSVM_LIBRARY="$libdir/libsvm.so"
               "-DCMAKE_EXE_LINKER_FLAGS=-Wl,--disable-new-dtags -Wl,-rpath-link,$libdir -Wl,-rpath,$libdir")
fi
[ -n "$prefix_path" ] && cmake_args+=("-DCMAKE_PREFIX_PATH=$prefix_path")
command -v ccache >/dev/null && cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ -n "$build_dir" ]; then
  [ -f "$build/CMakeCache.txt" ] || { echo "gpu-check.sh: --build $build is not a configured build folder" >&2; exit 1; }
  say "bringing serwb and bench_train_throughput up to date in $build"
  run cmake --build "$build" -j "$jobs" --target serwb bench_train_throughput
elif [ "$skip_build" = 0 ] || [ ! -x "$build/app/serwb" ]; then
  say "configuring ($mode) in $build"
  run cmake "${cmake_args[@]}"
  say "building serwb and bench_train_throughput (-j$jobs)"
  # -k 0: every compile error in one pass (a GPU machine's time is scarce)
  echo "\$ cmake --build $build -j $jobs --target serwb bench_train_throughput -- -k 0" >> "$logfile"
  if ! cmake --build "$build" -j "$jobs" --target serwb bench_train_throughput -- -k 0 >> "$logfile" 2>&1; then
    if grep -q "FAILED: .*distributed.cpp" "$logfile"; then
      # c10d's headers in this PyTorch do not fit: the rest of the engine is still worth checking.
      echo "data-parallel training: core/train/distributed.cpp does not compile against this PyTorch" >> "$failed_steps"
      say "distributed.cpp failed to compile: building again with -DSERWB_DATA_PARALLEL=OFF"
      run cmake "${cmake_args[@]}" -DSERWB_DATA_PARALLEL=OFF
      run cmake --build "$build" -j "$jobs" --target serwb bench_train_throughput -- -k 0
    else
      echo "gpu-check.sh: the build failed" >&2
      grep -E "error|FAILED" "$logfile" | head -n 40 >&2
      exit 1
    fi
  fi
  if grep -q "building WITHOUT" "$logfile"; then   # CMake wraps its warning's lines
    echo "data-parallel training: this PyTorch has no Gloo headers (built with SERWB_DATA_PARALLEL=AUTO -> off)" >> "$failed_steps"
  fi
fi
serwb="$build/app/serwb"
bench="$build/benchmarks/bench_train_throughput"
"$serwb" --version >> "$logfile" 2>&1

# ---- 2. demo corpus ----------------------------------------------------------------------------
corpus="$out/demo"
if [ ! -f "$corpus/demo-acted/SERWB_SYNTHETIC.json" ]; then
  say "writing the synthetic demo corpus"
  run "$serwb" make-demo "$corpus"
fi
acted="$corpus/demo-acted"
cache="$out/cache"
runs="$out/runs"
rm -rf "$runs" "$out/eval" "$out/skipped-throughput.txt"; mkdir -p "$runs"
common=(--ravdess "$acted" --split speakers --test-fraction 0.25 --val-fraction 0.15 --seed 7
        --cache "$cache" --quiet --json)

if [ "$skip_training" = 0 ]; then
# ---- 3a. the same training on the accelerator and on the CPU -----------------------------------
for model in cnn resnet18; do
  epochs=$cnn_epochs; [ "$model" = resnet18 ] && epochs=$resnet_epochs
  say "training $model for $epochs epochs on the accelerator (${accel_device[*]})"
  try_step "$serwb" train "${common[@]}" --model "$model" --epochs "$epochs" --patience 0 "${accel_device[@]}" \
      --out "$runs/$model-accel"
  say "training $model for $epochs epochs on the CPU"
  try_step "$serwb" train "${common[@]}" --model "$model" --epochs "$epochs" --patience 0 --device cpu \
      --out "$runs/$model-cpu"
done
# The precisions against each other on the accelerator (what --precision auto should be): the
# same training in fp32 and fp16 beside the default's (bf16 from compute capability 8.0).
if [ -n "$mixed" ]; then
  for model in cnn resnet18; do
    epochs=$cnn_epochs; [ "$model" = resnet18 ] && epochs=$resnet_epochs
    for prec in fp32 fp16; do
      say "training $model for $epochs epochs on the accelerator in $prec"
      try_step "$serwb" train "${common[@]}" --model "$model" --epochs "$epochs" --patience 0 "${accel_device[@]}" \
          --precision "$prec" --out "$runs/$model-accel-$prec"
    done
  done
fi

# ---- 3b. the accelerator's checkpoint evaluated on the CPU -------------------------------------
test_speakers="$("$python" -c 'import json,sys; c=json.load(open(sys.argv[1])); print(",".join(c["resolved"]["split"]["test_speakers"]))' "$runs/cnn-accel/config.json" 2>/dev/null || true)"
for model in cnn resnet18; do
  say "evaluating the $model accelerator checkpoint on the CPU"
  speakers=(); [ -n "$test_speakers" ] && speakers=(--speakers "$test_speakers")
  try_step "$serwb" evaluate --checkpoint "$runs/$model-accel/best.ckpt" --ravdess "$acted" "${speakers[@]}" \
      --cache "$cache" --device cpu --quiet --json --out "$out/eval/$model-accel-on-cpu"
done

# ---- 3c. resume an accelerator run on the CPU --------------------------------------------------
say "cnn: 1 epoch on the accelerator, then resumed on the CPU to 2 epochs"
try_step "$serwb" train "${common[@]}" --model cnn --epochs 1 --patience 0 "${accel_device[@]}" --out "$runs/cnn-resume"
try_step "$serwb" train "${common[@]}" --model cnn --epochs 2 --patience 0 --device cpu --out "$runs/cnn-resume" --resume
fi

# ---- 3d. throughput: C++ engine vs Python PyTorch ----------------------------------------------
bdev=cpu; [ "$mode" = gpu ] && bdev=cuda
variants=("fp32:")
if [ -n "$mixed" ]; then
  mixed_resolved="$("$bench" --models cnn --batch-size 2 --steps 1 --warmup 0 --device cuda --precision "$mixed" \
                    --no-trainer --rows 8 --cols 8 2>> "$logfile" |
                    "$python" -c 'import json,sys; print(json.load(sys.stdin)["precision"])')" || mixed_resolved=bf16
  variants+=("$mixed_resolved:" "$mixed_resolved:cl")
fi
for model in resnet18 cnn; do
  for batch in $bench_batches; do
    for v in "${variants[@]}"; do
      prec="${v%%:*}"; cl=(); tag="$prec"
      [ "${v#*:}" = cl ] && { cl=(--channels-last); tag="$prec-cl"; }
      name="$model-b$batch-$tag"
      if [ "$time_budget" -gt 0 ] && [ $(( $(date +%s) - t0 )) -ge "$time_budget" ]; then
        say "throughput $model batch $batch $tag: skipped (--time-budget $time_budget s spent)"
        echo "$name" >> "$out/skipped-throughput.txt"
        continue
      fi
      say "throughput $model batch $batch $tag: C++ engine and PyTorch"
      echo "\$ bench_train_throughput $name" >> "$logfile"
      bench_args=(--models "$model" --batch-size "$batch" --steps "$bench_steps" --warmup "$bench_warmup"
                  --device "$bdev" --precision "$prec" "${cl[@]}" "${bench_shape[@]}")
      if ! "$bench" "${bench_args[@]}" > "$out/results/cpp-$name.json" 2>> "$logfile"; then
        # Kept for the record; then the step loop alone, so one broken part costs one column only.
        mv "$out/results/cpp-$name.json" "$out/results/failed-cpp-$name.txt"
        echo "bench_train_throughput $name (exit status: see gpu-check.log; its output: results/failed-cpp-$name.txt)" >> "$failed_steps"
        echo "gpu-check.sh: bench_train_throughput failed for $name; again without the trainer" >&2
        "$bench" "${bench_args[@]}" --no-trainer > "$out/results/cpp-$name.json" 2>> "$logfile" ||
          { echo "bench_train_throughput --no-trainer $name" >> "$failed_steps"; rm -f "$out/results/cpp-$name.json"; }
      fi
      "$python" "$root/benchmarks/bench_train_throughput.py" --models "$model" --batch-size "$batch" \
          --steps "$bench_steps" --warmup "$bench_warmup" --device "$bdev" --precision "$prec" "${cl[@]}" \
          "${bench_shape[@]}" > "$out/results/py-$name.json" 2>> "$logfile" ||
        echo "{\"error\": \"bench_train_throughput.py failed (see gpu-check.log)\"}" > "$out/results/py-$name.json"
    done
  done
done

# ---- 4. summary --------------------------------------------------------------------------------
say "writing summary.json and summary.md"
status=0
"$python" - "$out" "$mode" "$tolerance" "$(( $(date +%s) - t0 ))" "$skip_training" <<'PY' || status=$?
import csv, glob, json, os, sys

out, mode, tolerance, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
models_trained = () if sys.argv[5] == "1" else ("cnn", "resnet18")   # --skip-training: none
runs = os.path.join(out, "runs")
checks, failures = [], []

def check(name, ok, detail):
    checks.append({"check": name, "ok": bool(ok), "detail": detail})
    if not ok:
        failures.append(name)

def metrics(run):
    try:
        with open(os.path.join(runs, run, "metrics.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

def predictions(path):
    try:
        with open(path) as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return None
    return {r["path"]: r for r in rows}

with open(os.path.join(out, "failed-steps.txt")) as f:
    for line in f.read().splitlines():
        check(f"step ran: {line}", False, "failed (see gpu-check.log)")

training = {}
for model in models_trained:
    a, c = metrics(f"{model}-accel"), metrics(f"{model}-cpu")
    if a is None or c is None:
        check(f"{model}: trained on the accelerator and on the CPU", False,
              f"metrics.json missing for {'the accelerator' if a is None else 'the CPU'}")
        continue
    row = {}
    for side, m in (("accel", a), ("cpu", c)):
        row[side] = {k: m.get(k) for k in ("uar", "wa", "device", "precision", "train_seconds",
                                           "train_samples_per_second", "best_epoch", "epochs")}
    row["uar_difference"] = abs(a["uar"] - c["uar"])
    training[model] = row
    check(f"{model}: test UAR on the accelerator within {tolerance} of the CPU's",
          row["uar_difference"] <= tolerance, f"{a['uar']:.3f} vs {c['uar']:.3f}")
    chance = 1.0 / max(1, len(a.get("labels", [])))
    check(f"{model}: both runs learn (test UAR above chance)", a["uar"] > chance and c["uar"] > chance,
          f"{a['uar']:.3f}, {c['uar']:.3f} (chance {chance:.3f})")

evaluation = {}
for model in models_trained:
    accel = predictions(os.path.join(runs, f"{model}-accel", "predictions.csv"))
    cpu = predictions(os.path.join(out, "eval", f"{model}-accel-on-cpu", "predictions.csv"))
    if not accel or not cpu:
        check(f"{model}: accelerator checkpoint evaluated on the CPU gives the accelerator's predictions", False,
              "predictions.csv missing")
        continue
    common = sorted(set(accel) & set(cpu))
    prob_cols = [k for k in next(iter(accel.values())) if k.startswith("p_")]
    worst = max((abs(float(accel[p][k]) - float(cpu[p][k])) for p in common for k in prob_cols), default=float("nan"))
    same = sum(accel[p]["predicted"] == cpu[p]["predicted"] for p in common) if common and "predicted" in accel[common[0]] else None
    evaluation[model] = {"clips": len(common), "max_probability_difference": worst, "same_label": same}
    # Prediction runs in fp32 on both sides; on CUDA cuDNN may use TF32 convolutions (Ampere and
    # newer), so the GPU side agrees with the CPU to about 1e-2, the CPU side to float rounding.
    limit = 2e-2 if mode == "gpu" else 1e-5
    check(f"{model}: accelerator checkpoint evaluated on the CPU gives the accelerator's predictions",
          len(common) > 0 and len(common) == len(accel) and worst <= limit,
          f"{len(common)} clips, largest probability difference {worst:.2e} (limit {limit:g}), "
          f"same label for {same}")

precisions = {}
for model in models_trained:
    rows = {}
    for run, label in ((f"{model}-accel", "auto"), (f"{model}-accel-fp32", "fp32"), (f"{model}-accel-fp16", "fp16")):
        m = metrics(run)
        if m is not None:
            rows[label] = {k: m.get(k) for k in ("uar", "wa", "precision", "train_seconds", "train_samples_per_second")}
    if len(rows) > 1:
        precisions[model] = rows

resumed = metrics("cnn-resume") or {}
if models_trained:
    check("cnn: accelerator run resumed on the CPU", resumed.get("epochs") == 2,
          f"epochs {resumed.get('epochs')}, device {resumed.get('device')}")

throughput = []
for path in sorted(glob.glob(os.path.join(out, "results", "cpp-*.json"))):
    name = os.path.basename(path)[4:-5]
    model, batch, tag = name.split("-", 2)
    try:
        cpp = json.load(open(path))
    except ValueError:
        continue
    try:
        py = json.load(open(os.path.join(out, "results", f"py-{name}.json")))
    except (OSError, ValueError):
        py = {}
    m = cpp["models"][model]
    row = {"model": model, "batch": int(batch[1:]), "precision": tag, "device": cpp["device"],
           "cpp_step": m["step_samples_per_second"], "cpp_trainer": m.get("trainer_samples_per_second"),
           "python_step": py.get("models", {}).get(model, {}).get("step_samples_per_second"),
           "torch_cpp": cpp["torch_version"], "torch_python": py.get("torch_version")}
    if row["python_step"]:
        row["trainer_vs_python"] = row["cpp_trainer"] / row["python_step"] if row["cpp_trainer"] else None
        row["step_vs_python"] = row["cpp_step"] / row["python_step"]
    throughput.append(row)
throughput.sort(key=lambda r: (r["model"] != "resnet18", r["batch"], r["precision"]))
skipped = []
if os.path.exists(os.path.join(out, "skipped-throughput.txt")):
    skipped = open(os.path.join(out, "skipped-throughput.txt")).read().split()
check("throughput measured for every configuration", all(r["python_step"] for r in throughput) and throughput,
      f"{len(throughput)} configurations")

summary = {"mode": mode, "seconds": seconds, "training": training, "evaluation_on_cpu": evaluation,
           "resume_on_cpu": {"epochs": resumed.get("epochs"), "device": resumed.get("device")},
           "precisions_on_accelerator": precisions, "throughput": throughput,
           "throughput_skipped_for_time": skipped, "checks": checks, "passed": not failures}
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=2)

md = [f"# scripts/gpu-check.sh{' --cpu' if mode == 'cpu' else ''}: {'PASSED' if not failures else 'FAILED'}", "",
      f"{seconds} s in all. Accelerator side: "
      f"{training['cnn']['accel']['device'] if 'cnn' in training else 'unknown (the CNN did not train)'}.", "",
      "## Training on the demo corpus (demo-acted, speaker split, seed 7): test metrics", "",
      "| model | side | device | precision | UAR | WA | train s | samples/s |", "|---|---|---|---|---|---|---|---|"]
for model, row in training.items():
    for side in ("accel", "cpu"):
        r = row[side]
        md.append(f"| {model} | {side} | {r['device']} | {r['precision']} | {r['uar']:.3f} | {r['wa']:.3f} | "
                  f"{r['train_seconds']:.1f} | {r['train_samples_per_second']:.0f} |")
if precisions:
    md += ["", "## Precision on the accelerator (same training; auto = the default)", "",
           "| model | asked | precision | UAR | WA | train s | samples/s |", "|---|---|---|---|---|---|---|"]
    for model, rows in precisions.items():
        for label, r in rows.items():
            md.append(f"| {model} | {label} | {r['precision']} | {r['uar']:.3f} | {r['wa']:.3f} | "
                      f"{r['train_seconds']:.1f} | {r['train_samples_per_second']:.0f} |")
md += ["", "## Training throughput, samples/s (C++ step loop / whole C++ trainer / same network in PyTorch)", "",
       "| model | batch | precision | C++ step | C++ trainer | PyTorch | step / PyTorch | trainer / PyTorch |",
       "|---|---|---|---|---|---|---|---|"]
fmt = lambda v: f"{v:.0f}" if isinstance(v, (int, float)) else "-"
for r in throughput:
    ratio, step_ratio = r.get("trainer_vs_python"), r.get("step_vs_python")
    md.append(f"| {r['model']} | {r['batch']} | {r['precision']} | {fmt(r['cpp_step'])} | {fmt(r['cpp_trainer'])} | "
              f"{fmt(r['python_step'])} | {f'{step_ratio:.2f}x' if step_ratio else '-'} | "
              f"{f'{ratio:.2f}x' if ratio else '-'} |")
if throughput:
    md += ["", f"C++: libtorch {throughput[0]['torch_cpp']} on {throughput[0]['device']}; "
               f"Python: PyTorch {throughput[0]['torch_python']}."]
if skipped:
    md += ["", f"Not measured (time budget spent): {', '.join(skipped)}."]
md += ["", "## Checks", ""] + [f"- [{'x' if c['ok'] else ' '}] {c['check']}: {c['detail']}" for c in checks]
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
sys.exit(1 if failures else 0)
PY
say "done in $(( $(date +%s) - t0 )) s: $out/summary.md"
exit $status
