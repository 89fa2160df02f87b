#!/usr/bin/python3
"""C++ engine vs Python PyTorch training throughput, in one run, interleaved.

Runs build/benchmarks/bench_train_throughput (the C++ engine's training step) and
benchmarks/bench_train_throughput.py (the same network, batch, input, optimiser and step in
PyTorch) alternately, for several rounds, in fresh processes, swapping which goes first each round
(so a drift in machine speed hits both alike). On a small shared machine one run of either varies
by about 10%, so a single pair of numbers proves nothing; the paired per-round ratio C++/Python and
its median do. Prints a Markdown table and writes the raw figures as JSON.

The C++ engine keeps large blocks on glibc's heap (core/train/compute_device.h), which is most of
its lead on this machine. --controls adds two honest controls to every round: Python under the same
malloc settings (GLIBC_TUNABLES), and the C++ engine with glibc's defaults (SERWB_MALLOC=default).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/compare_train_throughput.py --rounds 5 --controls
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, env):
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--models", default="resnet18,cnn")
    ap.add_argument("--threads", type=int, default=0, help="0 = all cores")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--cpp", default=os.path.join(ROOT, "build", "benchmarks", "bench_train_throughput"))
    ap.add_argument("--python", default="/usr/bin/python3", help="a Python with PyTorch")
    ap.add_argument("--json", default="", help="write the raw figures here")
    ap.add_argument("--controls", action="store_true",
                    help="also run Python with the engine's malloc settings and C++ without them")
    args = ap.parse_args()
    if args.rounds < 1:
        sys.exit("--rounds must be at least 1")
    if not os.access(args.cpp, os.X_OK):
        sys.exit(f"{args.cpp}: not built (cmake -DSERWB_BUILD_BENCHMARKS=ON, then ninja)")

    base_env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    base_env.pop("SERWB_MALLOC", None)
    base_env.pop("GLIBC_TUNABLES", None)
    # What core/train/compute_device.cpp sets with mallopt, as glibc tunables for another process.
    heap_env = dict(base_env, GLIBC_TUNABLES="glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824")
    common = ["--threads", str(args.threads), "--batch-size", str(args.batch_size),
              "--warmup", str(args.warmup), "--steps", str(args.steps)]
    cpp = lambda m: [args.cpp, "--models", m, "--no-trainer"] + common
    py = lambda m: [args.python, os.path.join(HERE, "bench_train_throughput.py"), "--models", m] + common
    engines = {"cpp": (cpp, base_env), "python": (py, base_env)}
    labels = {"cpp": "C++ engine", "python": "PyTorch",
              "python_heap": "PyTorch + engine's malloc settings", "cpp_default_malloc": "C++, glibc malloc defaults"}
    if args.controls:
        engines["python_heap"] = (py, heap_env)
        engines["cpp_default_malloc"] = (cpp, dict(base_env, SERWB_MALLOC="default"))
    models = args.models.split(",")
    samples = {m: {e: [] for e in engines} for m in models}
    info = {}
    start = time.time()
    for r in range(args.rounds):
        order = list(engines) if r % 2 == 0 else list(reversed(engines))
        for m in models:
            for engine in order:
                command, env = engines[engine]
                result = run(command(m), env)
                samples[m][engine].append(result["models"][m]["step_samples_per_second"])
                info[engine] = {k: result[k] for k in ("torch_version", "device", "threads")}
            print(f"round {r + 1}/{args.rounds} {m}: " +
                  ", ".join(f"{e} {samples[m][e][-1]:.1f}" for e in engines) + " samples/s",
                  file=sys.stderr, flush=True)

    summary = {}
    print("| model | engine | samples/s median (range) | / PyTorch, per round | median ratio | rounds >= PyTorch |")
    print("|---|---|---|---|---|---|")
    for m in models:
        py_samples = samples[m]["python"]
        summary[m] = {}
        for e in engines:
            xs = samples[m][e]
            ratios = [x / p for x, p in zip(xs, py_samples)]
            summary[m][e] = {"samples_per_second": xs, "median": statistics.median(xs),
                             "ratios_to_python": ratios, "median_ratio": statistics.median(ratios),
                             "rounds_not_slower": sum(r >= 1.0 for r in ratios)}
            s_ = summary[m][e]
            rel = "" if e == "python" else ", ".join(f"{x:.2f}" for x in ratios)
            print(f"| {m} | {labels[e]} | {s_['median']:.1f} ({min(xs):.1f}-{max(xs):.1f}) | {rel} | "
                  f"{'' if e == 'python' else format(s_['median_ratio'], '.2f')} | "
                  f"{'' if e == 'python' else str(s_['rounds_not_slower']) + '/' + str(len(xs))} |")
    report = {"rounds": args.rounds, "batch_size": args.batch_size, "warmup_steps": args.warmup,
              "timed_steps": args.steps, "engines": info, "wall_seconds": round(time.time() - start, 1),
              "models": summary}
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(report, f, indent=2)
        os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
