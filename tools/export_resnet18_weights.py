#!/usr/bin/python3
"""Writes ImageNet ResNet-18 weights in the format SER Workbench's C++ engine reads
(ser::loadPretrainedResNet18, option `pretrained_weights`).

The output is a TorchScript archive (torch.jit.save) of a tree of empty modules that mirrors the
dotted tensor names: module "layer1" -> "0" -> "conv1" holding tensor "weight", and so on. Both
libtorch 1.13 and 2.x read it through torch::serialize::InputArchive, with no Python pickles.
Tensors keep torchvision's shapes and names; the C++ side (ser::loadPretrainedResNet18) maps each
tensor to the parameter or BatchNorm buffer of the same name, replaces the 3-channel first
convolution by the mean of its RGB filters (conv1.weight [64, 3, 7, 7] -> [64, 1, 7, 7], so a
1-channel log-mel image gets the response of a grey image of the same values) and leaves the final
layer (fc) at its random initialisation, sized for the run's label count.

Sources (one of):
  --state-dict FILE   a torchvision resnet18 state_dict saved with torch.save
                      (e.g. resnet18-f37072fd.pth from download.pytorch.org), no torchvision needed
  --torchvision       torchvision.models.resnet18 with its default ImageNet weights (needs
                      torchvision, and the weights in its cache or a network connection)
  --torchvision --random
                      the same architecture with torchvision's random initialisation (seeded by
                      --seed): no weights needed; for tests

Example:
  /usr/bin/python3 tools/export_resnet18_weights.py --state-dict resnet18-f37072fd.pth -o resnet18.pt
"""
import argparse
import sys

import torch
from torch import nn


def load_state_dict(args):
    if args.state_dict:
        state = torch.load(args.state_dict, map_location="cpu")
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
        if not isinstance(state, dict):
            raise SystemExit(f"{args.state_dict}: not a state_dict (got {type(state).__name__})")
        return state
    import torchvision  # only for --torchvision
    if args.random:
        torch.manual_seed(args.seed)
        return torchvision.models.resnet18(num_classes=1000).state_dict()
    try:
        model = torchvision.models.resnet18(weights=torchvision.models.ResNet18_Weights.DEFAULT)
    except AttributeError:  # torchvision < 0.13
        model = torchvision.models.resnet18(pretrained=True)
    return model.state_dict()


class Holder(nn.Module):
    """An empty module used as one level of the name tree."""

    def forward(self):
        return 0


def build_tree(state):
    root = Holder()
    for name, tensor in state.items():
        if not torch.is_tensor(tensor):
            continue
        *path, leaf = name.split(".")
        module = root
        for part in path:
            if part not in module._modules:
                module.add_module(part, Holder())
            module = module._modules[part]
        tensor = tensor.detach().cpu().contiguous()
        if tensor.is_floating_point():
            tensor = tensor.float()
        if leaf.startswith("running_") or leaf == "num_batches_tracked":
            module.register_buffer(leaf, tensor)
        else:
            module.register_parameter(leaf, nn.Parameter(tensor, requires_grad=False))
    return root


def main():
    ap = argparse.ArgumentParser(description="Export ResNet-18 weights for SER Workbench")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--state-dict", help="torchvision resnet18 state_dict (.pth)")
    src.add_argument("--torchvision", action="store_true", help="use torchvision's ImageNet weights")
    ap.add_argument("--random", action="store_true", help="with --torchvision: random weights (tests)")
    ap.add_argument("--seed", type=int, default=0, help="seed of --random")
    ap.add_argument("-o", "--output", required=True, help="file to write")
    args = ap.parse_args()
    if args.random and not args.torchvision:
        ap.error("--random goes with --torchvision")

    state = load_state_dict(args)
    if "conv1.weight" not in state or "layer4.1.bn2.running_var" not in state:
        raise SystemExit("the state_dict does not look like a ResNet-18 (conv1.weight / layer4.1.bn2 missing)")
    scripted = torch.jit.script(build_tree(state))
    torch.jit.save(scripted, args.output)
    print(f"wrote {len(state)} tensors to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
