#!/usr/bin/python3
"""Preprocessing throughput: the serwb C++ front end against the same front end in Python torchaudio.

Same files, same cores, same work per clip: decode, downmix to mono, resample to 16 kHz, fix to 3.0 s,
power STFT (25 ms Hann, 10 ms hop, n_fft 512, centred), 64-band HTK mel 0-8000 Hz, log(x + 1e-6),
13 MFCC by orthonormal DCT-II with deltas, and utterance statistics (serwb computes more of them:
RMS, ZCR, centroid, roll-off, flatness). The compared serwb run keeps features in memory as the
Python side does; serwb is also timed writing an empty cache, and reading it back.
Python runs one process per core (torch threads = 1).

Usage: /usr/bin/python3 benchmarks/bench_preprocess.py [--data DIR] [--serwb PATH] [--repeat N] [--json]
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchaudio).
"""
import argparse
import glob
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def python_worker_init():
    import torch
    torch.set_num_threads(1)


def python_front_end(path):
    import torch
    import torchaudio
    import torchaudio.functional as F
    wav, sr = torchaudio.load(path)
    mono = wav.mean(dim=0)
    if sr != 16000:
        mono = F.resample(mono, sr, 16000)
    n = 48000
    if mono.numel() > n:
        start = (mono.numel() - n) // 2
        mono = mono[start:start + n]
    else:
        mono = torch.nn.functional.pad(mono, (0, n - mono.numel()))
    state = python_front_end.__dict__
    if "mel" not in state:
        state["mel"] = torchaudio.transforms.MelSpectrogram(
            sample_rate=16000, n_fft=512, win_length=400, hop_length=160, f_min=0.0, f_max=8000.0,
            n_mels=64, power=2.0, center=True, pad_mode="reflect", mel_scale="htk", norm=None)
        state["dct"] = F.create_dct(13, 64, "ortho")
    logmel = torch.log(state["mel"](mono) + 1e-6)
    mfcc = (logmel.T @ state["dct"]).T
    delta = F.compute_deltas(mfcc)
    feats = torch.cat([mfcc.mean(1), mfcc.std(1), delta.mean(1), delta.std(1)])
    return logmel.shape[1], float(feats.sum())


def run_python(files, workers):
    start = time.perf_counter()
    with mp.get_context("fork").Pool(workers, initializer=python_worker_init) as pool:
        results = pool.map(python_front_end, files, chunksize=4)
    seconds = time.perf_counter() - start
    assert all(frames == 301 for frames, _ in results)
    return seconds


def serwb_json(cmd):
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def run_serwb(serwb, data):
    """Compute only (like the Python side), then into an empty cache, then from that cache."""
    base = [serwb, "preprocess", "--ravdess", data, "--json"]
    compute = serwb_json(base)
    cache = tempfile.mkdtemp(prefix="serwb-bench-cache-")
    try:
        cold = serwb_json(base + ["--cache", cache])
        warm = serwb_json(base + ["--cache", cache])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return compute, cold, warm


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ravdess-dev"))
    ap.add_argument("--serwb", default=os.path.join(ROOT, "build", "app", "serwb"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side; the best is reported")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    data = os.path.abspath(args.data)
    files = sorted(glob.glob(os.path.join(data, "Actor_*", "03-01-*.*")))
    if not files:
        sys.exit(f"no RAVDESS speech files under {data}")
    cores = os.cpu_count() or 1

    cpp_runs, cold_runs, py_runs = [], [], []
    warm = None
    for _ in range(args.repeat):
        compute, cold, warm = run_serwb(args.serwb, data)
        for r in (compute, cold):
            if r["failed"] or r["computed"] != len(files):
                sys.exit(f"serwb preprocess did not compute every file: {r}")
        cpp_runs.append(compute["seconds"])
        cold_runs.append(cold["seconds"])
        py_runs.append(run_python(files, cores))
    audio_seconds = compute["audio_seconds"]  # decoded source audio, the same files on both sides
    cpp, py, cpp_cold = min(cpp_runs), min(py_runs), min(cold_runs)
    result = {
        "files": len(files), "cores": cores, "audio_seconds": audio_seconds,
        "serwb": {"seconds": cpp, "clips_per_second": len(files) / cpp,
                  "audio_seconds_per_second": audio_seconds / cpp, "threads": compute["threads"]},
        "serwb_into_cache": {"seconds": cpp_cold, "clips_per_second": len(files) / cpp_cold},
        "serwb_cached": {"seconds": warm["seconds"], "clips_per_second": warm["clips_per_second"]},
        "torchaudio": {"seconds": py, "clips_per_second": len(files) / py,
                       "audio_seconds_per_second": audio_seconds / py, "processes": cores},
        "speedup": py / cpp,
        "runs": {"serwb_seconds": cpp_runs, "serwb_into_cache_seconds": cold_runs,
                 "torchaudio_seconds": py_runs},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(files)} clips from {data}, {cores} cores, best of {args.repeat}")
    print(f"  serwb (C++)      {cpp:7.2f} s  {len(files)/cpp:8.1f} clips/s  {audio_seconds/cpp:8.1f} audio-s/s")
    print(f"  torchaudio (Py)  {py:7.2f} s  {len(files)/py:8.1f} clips/s  {audio_seconds/py:8.1f} audio-s/s")
    print(f"  speed-up         {py/cpp:7.1f}x")
    print(f"  serwb into cache {cpp_cold:7.2f} s  {len(files)/cpp_cold:8.1f} clips/s  (same, writing each entry)")
    print(f"  serwb from cache {warm['seconds']:7.2f} s  {warm['clips_per_second']:8.1f} clips/s")


if __name__ == "__main__":
    main()
