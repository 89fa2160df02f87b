#!/usr/bin/python3
"""Writes reference vectors for the core/features tests, computed with torch/torchaudio.

Run with Debian's Python (torch + torchaudio 0.13):
    /usr/bin/python3 tools/make_feature_reference.py [output_dir]
Default output: tests/core/features/data/. The output is deterministic.

Files:
  signals.json       input signals (int16 PCM values; the float signal is value / 32768)
  filterbanks.json   mel filterbanks (torchaudio.functional.melscale_fbanks) for several
                     scale/norm/size combinations, stored sparsely per band
  case_<name>.json   one signal under one parameter set: power STFT (selected frames),
                     log-mel, MFCC and deltas (all frames)
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torchaudio.functional as F

SR = 16000

# Parameter sets, named as the C++ fields.
PARAMS = {
    "default": dict(sample_rate=SR, window_ms=25.0, hop_ms=10.0, n_fft=512, window="hann",
                    n_mels=64, f_min=0.0, f_max=8000.0, mel_scale="htk", mel_norm="none",
                    log_offset=1e-6, n_mfcc=13),
    "alt": dict(sample_rate=SR, window_ms=16.0, hop_ms=8.0, n_fft=256, window="hamming",
                n_mels=40, f_min=50.0, f_max=7600.0, mel_scale="slaney", mel_norm="slaney",
                log_offset=1e-3, n_mfcc=20),
}

CASES = [("sines", "default"), ("chirp", "alt"), ("noise", "default")]

FILTERBANKS = [
    dict(name="htk_none_512", sample_rate=SR, n_fft=512, n_mels=64, f_min=0.0, f_max=8000.0,
         mel_scale="htk", mel_norm="none"),
    dict(name="slaney_slaney_256", sample_rate=SR, n_fft=256, n_mels=40, f_min=50.0, f_max=7600.0,
         mel_scale="slaney", mel_norm="slaney"),
    dict(name="htk_slaney_1024_22050", sample_rate=22050, n_fft=1024, n_mels=80, f_min=20.0,
         f_max=11025.0, mel_scale="htk", mel_norm="slaney"),
    dict(name="slaney_none_400_8k", sample_rate=8000, n_fft=400, n_mels=26, f_min=0.0, f_max=4000.0,
         mel_scale="slaney", mel_norm="none"),
]


def make_signals():
    n = int(0.3 * SR)
    t = np.arange(n) / SR
    sines = 0.5 * np.sin(2 * np.pi * 440 * t) + 0.25 * np.sin(2 * np.pi * 1234 * t + 0.3)
    # Linear chirp 200 -> 6000 Hz.
    f0, f1, dur = 200.0, 6000.0, n / SR
    chirp = 0.6 * np.sin(2 * np.pi * (f0 * t + 0.5 * (f1 - f0) / dur * t * t))
    noise = np.random.default_rng(1234).normal(0.0, 0.2, n)
    out = {}
    for name, x in (("sines", sines), ("chirp", chirp), ("noise", noise)):
        out[name] = np.clip(np.round(x * 32768), -32768, 32767).astype(np.int64)
    return out


def power_stft(x, p):
    win_length = round(p["window_ms"] * p["sample_rate"] / 1000)
    hop = round(p["hop_ms"] * p["sample_rate"] / 1000)
    window = (torch.hann_window if p["window"] == "hann" else torch.hamming_window)(win_length)
    spec = torch.stft(x, n_fft=p["n_fft"], hop_length=hop, win_length=win_length, window=window,
                      center=True, pad_mode="reflect", normalized=False, onesided=True,
                      return_complex=True)
    return spec.abs() ** 2  # (bins, frames)


def filterbank(sample_rate, n_fft, n_mels, f_min, f_max, mel_scale, mel_norm):
    fb = F.melscale_fbanks(n_fft // 2 + 1, f_min, f_max, n_mels, sample_rate,
                           norm=None if mel_norm == "none" else mel_norm, mel_scale=mel_scale)
    return fb.T.contiguous()  # (mels, bins), our layout


def rounded(a, digits=7):
    return [float(f"{v:.{digits}g}") for v in np.asarray(a, dtype=np.float64).ravel().tolist()]


def matrix(m, digits=7):
    m = np.asarray(m)
    return {"rows": int(m.shape[0]), "cols": int(m.shape[1]), "data": rounded(m, digits)}


def sparse_filterbank(fb):
    bands = []
    for row in fb.numpy():
        nz = np.nonzero(row)[0]
        if len(nz) == 0:
            bands.append({"first": 0, "values": []})
        else:
            bands.append({"first": int(nz[0]), "values": rounded(row[nz[0]:nz[-1] + 1])})
    return bands


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "core", "features", "data"))
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)

    signals = make_signals()
    write(out_dir, "signals.json", {
        "sample_rate": SR, "scale": 32768,
        "signals": {k: v.tolist() for k, v in signals.items()}})

    fbs = []
    for spec in FILTERBANKS:
        fb = filterbank(spec["sample_rate"], spec["n_fft"], spec["n_mels"], spec["f_min"],
                        spec["f_max"], spec["mel_scale"], spec["mel_norm"])
        fbs.append(dict(spec, bins=spec["n_fft"] // 2 + 1, bands=sparse_filterbank(fb)))
    write(out_dir, "filterbanks.json", {"filterbanks": fbs})

    for signal_name, params_name in CASES:
        p = PARAMS[params_name]
        x = torch.tensor(signals[signal_name], dtype=torch.float32) / 32768.0
        power = power_stft(x, p)
        fb = filterbank(p["sample_rate"], p["n_fft"], p["n_mels"], p["f_min"], p["f_max"],
                        p["mel_scale"], p["mel_norm"])
        mel = fb @ power
        log_mel = torch.log(mel + p["log_offset"])
        dct = F.create_dct(p["n_mfcc"], p["n_mels"], "ortho")  # (n_mels, n_mfcc)
        mfcc = dct.T @ log_mel
        deltas = F.compute_deltas(mfcc, win_length=5, mode="replicate")
        frames = power.shape[1]
        # Power at a few frames only (keeps the file small): both padded edges and the middle.
        sel = sorted({0, 1, 2, frames // 2, frames - 2, frames - 1})
        write(out_dir, f"case_{signal_name}_{params_name}.json", {
            "signal": signal_name, "params": p,
            "power_frames": sel,
            "power": matrix(power[:, sel]),
            "power_total_frames": int(frames),
            "log_mel": matrix(log_mel),
            "mfcc": matrix(mfcc),
            "deltas": matrix(deltas),
        })


def write(out_dir, name, obj):
    path = os.path.join(out_dir, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
