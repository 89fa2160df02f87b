#!/usr/bin/python3
"""Test helper for tst_speech_encoder (Python side of the C++/Python agreement check).

  encoder_helper.py reference MODULE SAMPLES OUT
      runs the TorchScript encoder MODULE on SAMPLES (raw little-endian float32, one clip at
      16 kHz) as a [1, samples] batch and writes its output [layers, 1, frames, dim] to OUT as raw
      float32, with its shape "layers frames dim" in OUT.shape.
  encoder_helper.py bad FOLDER
      writes encoders that break the contract: rank3.pt (takes [batch, 1, samples]), rate8k.pt
      (declares 8000 Hz), noattrs.pt (no attributes), tuple.pt (returns a tuple).
"""
import sys

import torch
from torch import nn


def reference(module_path, samples_path, out_path):
    module = torch.jit.load(module_path)
    wave = torch.from_numpy(__import__("numpy").fromfile(samples_path, dtype="<f4")).unsqueeze(0)
    with torch.no_grad():
        out = module(wave)
    out[:, 0].contiguous().numpy().astype("<f4").tofile(out_path)
    with open(out_path + ".shape", "w") as f:
        f.write(f"{out.shape[0]} {out.shape[2]} {out.shape[3]}\n")


class Rank3(nn.Module):
    sample_rate: int
    num_layers: int
    hidden_dim: int
    arch: str

    def __init__(self, rate: int = 16000):
        super().__init__()
        self.sample_rate = rate
        self.num_layers = 2
        self.hidden_dim = 4
        self.arch = "test-rank3"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 3:
            raise RuntimeError("expected a [batch, 1, samples] input")
        frames = x.shape[2] // 320
        return torch.zeros(2, x.shape[0], frames, 4)


class Good(Rank3):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        frames = x.shape[1] // 320
        return torch.zeros(2, x.shape[0], frames, 4)


class NoAttrs(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(2, x.shape[0], x.shape[1] // 320, 4)


class Tuple(Rank3):
    def forward(self, x: torch.Tensor):
        return (torch.zeros(2, x.shape[0], 5, 4), torch.zeros(1))


def bad(folder):
    torch.jit.save(torch.jit.script(Rank3()), f"{folder}/rank3.pt")
    torch.jit.save(torch.jit.script(Good(8000)), f"{folder}/rate8k.pt")
    torch.jit.save(torch.jit.script(NoAttrs()), f"{folder}/noattrs.pt")
    torch.jit.save(torch.jit.script(Tuple()), f"{folder}/tuple.pt")


if __name__ == "__main__":
    if sys.argv[1] == "reference":
        reference(*sys.argv[2:5])
    elif sys.argv[1] == "bad":
        bad(sys.argv[2])
    else:
        raise SystemExit(__doc__)
