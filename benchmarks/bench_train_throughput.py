#!/usr/bin/python3
"""Training throughput of the same networks in Python PyTorch, for comparison with
bench_train_throughput (C++/libtorch). Same layer shapes as core/model (parameter counts are
checked against the C++ figures), same batch, input shape, optimiser, warm-up and timed steps.

Run with Debian's PyTorch and one OpenBLAS thread:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/bench_train_throughput.py --threads 2
On a GPU (scripts/gpu-check.sh): --device cuda --precision fp32|fp16|bf16 [--channels-last]; fp16
and bf16 run the forward pass under torch.autocast, fp16 with a GradScaler, cuDNN autotuning on.
Prints one JSON object.
"""
import argparse
import json
import os
import time

import torch
from torch import nn
import torch.nn.functional as F

# Parameter counts of the C++ models for 6 classes (tests/core/model checks them for 4 classes).
EXPECTED_PARAMETERS = {"resnet18": 11173318, "cnn": 98166}


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or in_planes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, 0, bias=False),
                                            nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)), inplace=True)
        out = self.bn2(self.conv2(out))
        out += self.downsample(x) if self.downsample is not None else x
        return F.relu(out, inplace=True)


class ResNet18(nn.Module):
    """core/model/resnet18.h: torchvision ResNet-18 with a 1-channel stem."""

    def __init__(self, num_classes, dropout=0.3):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        widths = [(64, 1), (128, 2), (256, 2), (512, 2)]
        in_planes = 64
        for i, (planes, stride) in enumerate(widths, start=1):
            setattr(self, f"layer{i}", nn.Sequential(BasicBlock(in_planes, planes, stride),
                                                     BasicBlock(planes, planes, 1)))
            in_planes = planes
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(512, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)), inplace=True)
        x = F.max_pool2d(x, 3, 2, 1)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(self.dropout(x))


class CompactCnn(nn.Module):
    """core/model/compact_cnn.h: 4 x [conv3x3 (no bias), BN, ReLU, maxpool 2 (ceil)], 32-64-128-128."""

    def __init__(self, num_classes, dropout=0.3):
        super().__init__()
        layers = []
        in_ch = 1
        for width in (16, 32, 64, 128):
            layers += [nn.Conv2d(in_ch, width, 3, padding=1, bias=False), nn.BatchNorm2d(width),
                       nn.ReLU(inplace=True), nn.MaxPool2d(2, ceil_mode=True)]
            in_ch = width
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(in_ch, num_classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)
        return self.fc(self.dropout(x))


MODELS = {"resnet18": ResNet18, "cnn": CompactCnn}


DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16}


def make_scaler(enabled):
    if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler"):
        return torch.amp.GradScaler("cuda", enabled=enabled)
    return torch.cuda.amp.GradScaler(enabled=enabled)


def throughput(name, batch, rows, cols, classes, warmup, steps, device, precision="fp32",
               channels_last=False):
    torch.manual_seed(0)
    model = MODELS[name](classes).to(device)
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    model.train()
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 1, rows, cols, device=device).contiguous(memory_format=memory_format)
    y = torch.randint(0, classes, (batch,), device=device)
    mixed = precision in DTYPES
    scaler = make_scaler(precision == "fp16") if mixed else None

    def step():
        adam.zero_grad(set_to_none=True)  # PyTorch 2.x's default; the C++ trainer does the same
        if mixed:
            with torch.autocast("cuda", dtype=DTYPES[precision]):
                logits = model(x)
            loss = F.cross_entropy(logits.float(), y)
            scaler.scale(loss).backward()
            scaler.step(adam)
            scaler.update()
        else:
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            adam.step()
        return loss.item()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    return params, steps * batch / seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0, help="0 = all cores")
    ap.add_argument("--rows", type=int, default=64)
    ap.add_argument("--cols", type=int, default=301)
    ap.add_argument("--models", default="resnet18,cnn")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--precision", default="fp32", choices=["fp32", "fp16", "bf16"])
    ap.add_argument("--channels-last", action="store_true")
    args = ap.parse_args()

    classes = 6
    use_cuda = args.device != "cpu" and torch.cuda.is_available()
    device = torch.device("cuda:0" if use_cuda else "cpu")
    threads = args.threads if args.threads > 0 else (os.cpu_count() or 1)
    if not use_cuda:
        torch.set_num_threads(threads)
        if args.precision != "fp32" or args.channels_last:
            raise SystemExit("--precision fp16/bf16 and --channels-last need CUDA")
    else:
        torch.backends.cudnn.benchmark = True  # as the C++ engine does on CUDA
    out = {"engine": "pytorch-python", "torch_version": torch.__version__,
           "device": f"{device} ({torch.cuda.get_device_name(0)})" if use_cuda else f"cpu ({torch.get_num_threads()} threads)",
           "threads": torch.get_num_threads(), "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
           "batch_size": args.batch_size, "input": [1, args.rows, args.cols],
           "precision": args.precision, "channels_last": args.channels_last,
           "warmup_steps": args.warmup, "timed_steps": args.steps, "models": {}}
    for name in args.models.split(","):
        params, sps = throughput(name, args.batch_size, args.rows, args.cols, classes,
                                 args.warmup, args.steps, device, args.precision, args.channels_last)
        if params != EXPECTED_PARAMETERS[name]:
            raise SystemExit(f"{name}: {params} parameters, the C++ model has {EXPECTED_PARAMETERS[name]}")
        out["models"][name] = {"parameters": params, "step_samples_per_second": sps}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
