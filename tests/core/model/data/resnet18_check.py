#!/usr/bin/python3
"""Test helper for tst_resnet18_torchvision: checks what SER Workbench's C++ ResNet-18 loaded.

  resnet18_check.py SEED LOADED
      rebuilds torchvision's resnet18 with random weights from SEED (as
      tools/export_resnet18_weights.py --torchvision --random --seed SEED does) and compares it
      with LOADED, the C++ model's tensors written by ser::savePretrainedResNet18 after
      ser::loadPretrainedResNet18: every tensor but fc.* and num_batches_tracked must be equal,
      conv1.weight must be the mean of torchvision's RGB filters. Prints one line per mismatch
      and "checked N tensors"; exits 1 on any mismatch.
"""
import sys

import torch
import torchvision

seed, loaded_path = int(sys.argv[1]), sys.argv[2]
torch.manual_seed(seed)
reference = torchvision.models.resnet18(num_classes=1000).state_dict()
module = torch.jit.load(loaded_path)
loaded = dict(module.named_parameters())
loaded.update(dict(module.named_buffers()))

bad = 0
checked = 0
for name, ref in reference.items():
    if name.startswith("fc.") or name.endswith("num_batches_tracked"):
        continue
    if name not in loaded:
        print(f"missing: {name}")
        bad += 1
        continue
    got = loaded[name]
    want = ref.mean(dim=1, keepdim=True) if name == "conv1.weight" else ref
    if tuple(got.shape) != tuple(want.shape):
        print(f"shape: {name}: {tuple(got.shape)} != {tuple(want.shape)}")
        bad += 1
    elif not torch.allclose(got, want.float(), rtol=0, atol=1e-7 if name == "conv1.weight" else 0):
        print(f"values: {name}: max diff {(got - want).abs().max().item()}")
        bad += 1
    checked += 1
extra = sorted(n for n in loaded if n not in reference)
for name in extra:
    print(f"unexpected: {name}")
print(f"checked {checked} tensors")
sys.exit(1 if bad or extra or checked < 100 else 0)
