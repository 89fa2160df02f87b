#!/usr/bin/python3
"""Preprocessing speed: the serwb C++ front end against the same front end in Python torchaudio.

Same files, same cores, same work per clip: decode, downmix to mono, resample to 16 kHz, fix to 3.0 s,
power STFT (25 ms Hann, 10 ms hop, n_fft 512, centred), 64-band HTK mel 0-8000 Hz, log(x + 1e-6),
13 MFCC by orthonormal DCT-II with deltas, and utterance statistics (serwb computes more of them:
RMS, ZCR, centroid, roll-off, flatness).

Whole processes, timed from start to exit on all cores: `serwb preprocess --ravdess DIR --json`
(features computed and dropped), the same into an empty cache, and one Python process running the
torchaudio front end on a pool of one worker per core (torch threads = 1), interpreter start and
`import torch` included. Each round runs every contestant once, interleaved, so a busy machine
slows them alike; best and median of the rounds are reported.

Also the CPU time (user + system) of each whole process and the workers it waited for: on a busy
machine the wall time says how long a user waited, the CPU time how much work each front end did.

Stage by stage, on one thread, in CPU time: build/benchmarks/bench_front_end for serwb, the same
stages in torchaudio in this process. The floor is what no front end can avoid for these files: decoding each
whole clip and resampling it with a reused high-quality libsoxr resampler (bench_front_end's
decode + resample_whole_clip), spread over the cores.

Inputs (--input):
  48k  the RAVDESS release's shape: every speech clip of the development subset as 48 kHz 16-bit WAV.
       Actors 01-02 are the original files; actors 03-12 (16 kHz FLAC in the subset) are converted
       to 48 kHz WAV with libsoxr (bench_front_end make-corpus) into --corpus, outside the repository.
  dev  the development subset as it is (actors 03-12 need no resampling).

Usage: /usr/bin/python3 benchmarks/bench_preprocess.py [--input 48k|dev] [--data DIR] [--corpus DIR]
           [--build DIR] [--rounds N] [--json]
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchaudio).
"""
import argparse
import glob
import json
import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_RATE = 16000
LENGTH = 48000  # 3.0 s


def python_worker_init():
    import torch
    torch.set_num_threads(1)


class TorchaudioFrontEnd:
    """The front end in torchaudio, configured once, stage by stage."""

    def __init__(self):
        import torch
        import torchaudio
        import torchaudio.functional as F
        self.torch, self.torchaudio, self.F = torch, torchaudio, F
        self.spectrogram = torchaudio.transforms.Spectrogram(
            n_fft=512, win_length=400, hop_length=160, power=2.0, center=True, pad_mode="reflect")
        self.mel = torchaudio.transforms.MelScale(
            n_mels=64, sample_rate=SAMPLE_RATE, f_min=0.0, f_max=8000.0, n_stft=257, mel_scale="htk",
            norm=None)
        self.dct = F.create_dct(13, 64, "ortho")

    def decode(self, path):
        wav, sr = self.torchaudio.load(path)
        return wav.mean(dim=0), sr

    def resample(self, mono, sr):
        if sr != SAMPLE_RATE:
            mono = self.F.resample(mono, sr, SAMPLE_RATE)
        if mono.numel() > LENGTH:
            start = (mono.numel() - LENGTH) // 2
            return mono[start:start + LENGTH]
        return self.torch.nn.functional.pad(mono, (0, LENGTH - mono.numel()))

    def stft(self, samples):
        return self.spectrogram(samples)

    def log_mel(self, power):
        return self.torch.log(self.mel(power) + 1e-6)

    def mfcc(self, logmel):
        mfcc = (logmel.T @ self.dct).T
        return mfcc, self.F.compute_deltas(mfcc)

    def statistics(self, mfcc, delta):
        return self.torch.cat([mfcc.mean(1), mfcc.std(1), delta.mean(1), delta.std(1)])

    def __call__(self, path):
        mono, sr = self.decode(path)
        logmel = self.log_mel(self.stft(self.resample(mono, sr)))
        feats = self.statistics(*self.mfcc(logmel))
        return logmel.shape[1], float(feats.sum())


_front_end = None


def python_front_end(path):
    global _front_end
    if _front_end is None:
        _front_end = TorchaudioFrontEnd()
    return _front_end(path)


def torchaudio_process(files_from, workers):
    """The body of the timed torchaudio process: every file through the front end on a pool."""
    import torch  # noqa: F401  (imported before the pool forks, as a user's script would)
    import torchaudio  # noqa: F401
    with open(files_from) as f:
        files = f.read().split("\n")
    with mp.get_context("fork").Pool(workers, initializer=python_worker_init) as pool:
        results = pool.map(python_front_end, files, chunksize=4)
    assert all(frames == 301 for frames, _ in results), "unexpected frame counts"


def torchaudio_stages(files, rounds):
    """Best round of each stage on one thread, in milliseconds per clip."""
    import torch
    torch.set_num_threads(1)
    fe = TorchaudioFrontEnd()
    names = ["decode", "resample", "stft", "mel", "mfcc", "utterance_statistics"]
    best = {k: float("inf") for k in names}
    for _ in range(rounds):
        spent = dict.fromkeys(names, 0.0)
        clock = time.thread_time  # this thread's CPU time, as bench_front_end
        for path in files:
            t0 = clock()
            mono, sr = fe.decode(path)
            t1 = clock()
            samples = fe.resample(mono, sr)
            t2 = clock()
            power = fe.stft(samples)
            t3 = clock()
            logmel = fe.log_mel(power)
            t4 = clock()
            mfcc, delta = fe.mfcc(logmel)
            t5 = clock()
            fe.statistics(mfcc, delta)
            t6 = clock()
            for k, a, b in zip(names, (t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6)):
                spent[k] += b - a
        for k in names:
            best[k] = min(best[k], spent[k])
    return {k: 1e3 * v / len(files) for k, v in best.items()}


def wall(cmd):
    """Runs cmd; returns (seconds from start to exit, CPU seconds (user + system) of the process
    and the children it waited for, stdout)."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} exited with {proc.returncode}")
        out.seek(0)
        return seconds, usage.ru_utime + usage.ru_stime, out.read()


def make_48k_corpus(bench_front_end, data, corpus):
    marker = os.path.join(corpus, ".serwb-bench-corpus")
    if os.path.exists(marker):
        return
    print(f"writing the 48 kHz benchmark corpus to {corpus} ...", file=sys.stderr)
    subprocess.run([bench_front_end, "make-corpus", "--data", data, "--out", corpus, "--rate", "48000"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(marker, "w") as f:
        f.write(f"RAVDESS speech clips of {data} as 48 kHz 16-bit WAV (bench_front_end make-corpus)\n")


def summary(values):
    return {"best": min(values), "median": statistics.median(values), "runs": values}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", choices=["48k", "dev"], default="48k")
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ravdess-dev"),
                    help="the RAVDESS development subset")
    ap.add_argument("--corpus", default=os.path.join(tempfile.gettempdir(), "serwb-bench-ravdess-48k"),
                    help="where the 48 kHz corpus is written (once) and read")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="the CMake build folder")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds of the whole-process runs")
    ap.add_argument("--stage-rounds", type=int, default=3, help="rounds of the stage-by-stage timing")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--torchaudio-process", nargs=2, metavar=("FILES_FROM", "WORKERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if args.torchaudio_process:
        torchaudio_process(args.torchaudio_process[0], int(args.torchaudio_process[1]))
        return

    serwb = os.path.join(args.build, "app", "serwb")
    bench_front_end = os.path.join(args.build, "benchmarks", "bench_front_end")
    data = os.path.abspath(args.data)
    if args.input == "48k":
        make_48k_corpus(bench_front_end, data, os.path.abspath(args.corpus))
        data = os.path.abspath(args.corpus)
    files = sorted(glob.glob(os.path.join(data, "Actor_*", "03-01-*.*")))
    if not files:
        sys.exit(f"no RAVDESS speech files under {data}")
    cores = os.cpu_count() or 1

    scratch = tempfile.mkdtemp(prefix="serwb-bench-preprocess-")
    try:
        files_from = os.path.join(scratch, "files.txt")
        with open(files_from, "w") as f:
            f.write("\n".join(files))
        base = [serwb, "preprocess", "--ravdess", data, "--json"]
        py_cmd = [sys.executable, os.path.abspath(__file__), "--torchaudio-process", files_from, str(cores)]
        runs = {"serwb": [], "serwb_into_cache": [], "torchaudio": [], "serwb_in_process": []}
        cpu = {"serwb": [], "serwb_into_cache": [], "torchaudio": []}
        for r in range(args.rounds):
            seconds, cpu_seconds, out = wall(base)
            report = json.loads(out)
            if report["failed"] or report["computed"] != len(files):
                sys.exit(f"serwb preprocess did not compute every file: {report}")
            runs["serwb"].append(seconds)
            cpu["serwb"].append(cpu_seconds)
            runs["serwb_in_process"].append(report["seconds"])
            cache = os.path.join(scratch, f"cache{r}")
            seconds, cpu_seconds, _ = wall(base + ["--cache", cache])
            runs["serwb_into_cache"].append(seconds)
            cpu["serwb_into_cache"].append(cpu_seconds)
            seconds, cpu_seconds, _ = wall(py_cmd)
            runs["torchaudio"].append(seconds)
            cpu["torchaudio"].append(cpu_seconds)
        cached_seconds, _, out = wall(base + ["--cache", cache])
        if json.loads(out)["cached"] != len(files):
            sys.exit("serwb preprocess did not read every file from its cache")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    cpp_stages = json.loads(subprocess.run(
        [bench_front_end, "time", "--data", data, "--rounds", str(args.stage_rounds)],
        check=True, capture_output=True, text=True).stdout)
    py_stages = torchaudio_stages(files, args.stage_rounds)
    per_clip = cpp_stages["ms_per_clip"]
    floor_ms = per_clip["decode"] + per_clip["resample_whole_clip"]
    floor = floor_ms * len(files) / 1e3 / cores
    floor_cpu = floor_ms * len(files) / 1e3

    whole = {k: summary(v) for k, v in runs.items()}
    whole_cpu = {k: summary(v) for k, v in cpu.items()}
    result = {
        "input": args.input, "data": data, "files": len(files), "cores": cores,
        "clips_by_rate": cpp_stages["clips_by_rate"], "audio_seconds": cpp_stages["audio_seconds"],
        "load_average": os.getloadavg(), "rounds": args.rounds,
        "whole_process_seconds": whole,
        "serwb_from_cache_seconds": cached_seconds,
        "speedup_best": whole["torchaudio"]["best"] / whole["serwb"]["best"],
        "speedup_median": whole["torchaudio"]["median"] / whole["serwb"]["median"],
        "cpu_seconds": whole_cpu,
        "cpu_speedup_median": whole_cpu["torchaudio"]["median"] / whole_cpu["serwb"]["median"],
        "floor_seconds": floor, "serwb_over_floor_best": whole["serwb"]["best"] / floor,
        "floor_cpu_seconds": floor_cpu,
        "serwb_cpu_over_floor_median": whole_cpu["serwb"]["median"] / floor_cpu,
        "stages_ms_per_clip": {"serwb": per_clip, "torchaudio": py_stages},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    rates = ", ".join(f"{n} at {int(r) // 1000} kHz" for r, n in sorted(cpp_stages["clips_by_rate"].items()))
    print(f"{len(files)} clips ({rates}; {cpp_stages['audio_seconds']:.0f} s of audio) from {data}")
    print(f"{cores} cores, load average {os.getloadavg()[0]:.1f}; whole processes, {args.rounds} interleaved rounds")
    print(f"{'':28s} {'wall best':>9s} {'median':>7s} {'clips/s':>8s} {'CPU median':>11s}")
    for key, label in (("serwb", "serwb preprocess"), ("serwb_into_cache", "serwb preprocess --cache"),
                       ("torchaudio", "torchaudio (python3)"),
                       ("serwb_in_process", "  serwb's own 'seconds'")):
        w = whole[key]
        c = f"{whole_cpu[key]['median']:11.2f}" if key in whole_cpu else ""
        print(f"{label:28s} {w['best']:9.2f} {w['median']:7.2f} {len(files) / w['best']:8.0f} {c}")
    print(f"{'serwb from its cache':28s} {cached_seconds:9.2f}")
    print(f"speed-up over torchaudio: wall {result['speedup_best']:.1f}x (best), {result['speedup_median']:.1f}x (median); "
          f"CPU {result['cpu_speedup_median']:.1f}x (median)")
    print(f"floor (decode + whole-clip resample, {floor_ms:.2f} ms of CPU per clip): {floor_cpu:.2f} CPU s, "
          f"{floor:.2f} s over {cores} cores; serwb: {result['serwb_over_floor_best']:.2f}x the floor in wall time (best), "
          f"{result['serwb_cpu_over_floor_median']:.2f}x in CPU time (median)")
    print(f"stages on one thread, best of {args.stage_rounds}, ms per clip:")
    print(f"  {'stage':22s} {'serwb':>8s} {'torchaudio':>11s}")
    for k in ["decode", "resample", "stft", "mel", "mfcc", "utterance_statistics", "cache_write",
              "resample_whole_clip"]:
        py = f"{py_stages[k]:11.3f}" if k in py_stages else f"{'':11s}"
        print(f"  {k:22s} {per_clip[k]:8.3f} {py}")


if __name__ == "__main__":
    main()
