#!/usr/bin/python3
"""Exports a pretrained speech encoder as the TorchScript file `serwb train --encoder FILE` reads.

The contract (checked by SER Workbench's C++ side, core/model/speech_encoder.h):
  forward(waveform: Tensor[batch, samples] float32, 16 kHz mono, roughly in [-1, 1]; models
          pretrained on standardised waveforms standardise each clip inside the module)
      -> Tensor[num_layers, batch, frames, hidden_dim] float32:
         the output of every transformer layer, first to last, stacked
         (the convolutional feature encoder's output is not included).
  attributes: sample_rate (int, 16000), num_layers (int), hidden_dim (int), arch (str)
  ("<arch>" for pretrained weights, "<arch>-random" for --random, "hf:<type>:<name>" for --hf).
The module runs in eval mode (no dropout), on the CPU, and its weights are frozen.

Sources:
  --arch wav2vec2_base|wav2vec2_large|wav2vec2_large_lv60k|hubert_base|hubert_large|
         hubert_xlarge|wavlm_base|wavlm_base_plus|wavlm_large|wav2vec2_xlsr53
        torchaudio's pipeline bundle of that name (its pretrained weights: torchaudio loads them
        from its cache, ~/.cache/torch/hub/checkpoints, downloading them if they are not there;
        SER Workbench itself never downloads anything). Which bundles exist depends on the
        installed torchaudio (Debian 12's 0.13 has no WavLM bundles or models: use --hf for WavLM).
  --arch ... --random
        the same architecture (torchaudio.models.wav2vec2_base() etc.) with random weights: no
        weights needed; for tests.
  --arch tiny --random
        a 2-layer, 48-dim wav2vec2 architecture with random weights: small enough for fast tests.
  --hf NAME_OR_FOLDER
        a Hugging Face checkpoint (needs the `transformers` package, not in Debian 12; loaded from
        its cache or a folder): a wav2vec2/HuBERT/WavLM model (AutoModel), traced, or Whisper's
        encoder, with Whisper's log-mel front end (80 or 128 bands, 25 ms / 10 ms) computed inside
        the exported module; clips up to 30 s; frames are cropped to the clip's length (50 per s).
        This path has not been run in SER Workbench's own tests (no transformers there).

Examples:
  /usr/bin/python3 tools/export_encoder.py --arch hubert_base --out hubert_base.pt
  /usr/bin/python3 tools/export_encoder.py --arch wav2vec2_base --random --out w2v2_random.pt
  /usr/bin/python3 tools/export_encoder.py --hf microsoft/wavlm-base-plus --out wavlm_base_plus.pt
"""
import argparse
import sys

import torch
from torch import nn

# torchaudio bundle name per --arch, and the model factory for --random.
TORCHAUDIO_ARCHS = {
    "wav2vec2_base": ("WAV2VEC2_BASE", "wav2vec2_base"),
    "wav2vec2_large": ("WAV2VEC2_LARGE", "wav2vec2_large"),
    "wav2vec2_large_lv60k": ("WAV2VEC2_LARGE_LV60K", "wav2vec2_large_lv60k"),
    "hubert_base": ("HUBERT_BASE", "hubert_base"),
    "hubert_large": ("HUBERT_LARGE", "hubert_large"),
    "hubert_xlarge": ("HUBERT_XLARGE", "hubert_xlarge"),
    "wavlm_base": ("WAVLM_BASE", "wavlm_base"),
    "wavlm_base_plus": ("WAVLM_BASE_PLUS", "wavlm_base"),
    "wavlm_large": ("WAVLM_LARGE", "wavlm_large"),
    "wav2vec2_xlsr53": ("WAV2VEC2_XLSR53", "wav2vec2_large_lv60k"),
}
# Models pretrained on per-utterance standardised waveforms (fairseq `normalize: True`), used when
# the torchaudio bundle does not say (torchaudio >= 2.0 bundles carry _normalize_waveform).
NORMALIZED_INPUT = {"wav2vec2_large_lv60k", "wav2vec2_xlsr53", "hubert_large", "hubert_xlarge",
                    "wavlm_large"}


def tiny_wav2vec2():
    import torchaudio
    conv = [(32, 10, 5), (32, 3, 2), (32, 3, 2), (32, 3, 2), (32, 3, 2), (32, 2, 2), (32, 2, 2)]
    return torchaudio.models.wav2vec2_model(
        extractor_mode="group_norm", extractor_conv_layer_config=conv, extractor_conv_bias=False,
        encoder_embed_dim=48, encoder_projection_dropout=0.0, encoder_pos_conv_kernel=16,
        encoder_pos_conv_groups=4, encoder_num_layers=2, encoder_num_heads=4,
        encoder_attention_dropout=0.0, encoder_ff_interm_features=96, encoder_ff_interm_dropout=0.0,
        encoder_dropout=0.0, encoder_layer_norm_first=False, encoder_layer_drop=0.0, aux_num_out=None)


class TorchaudioEncoder(nn.Module):
    """torchaudio Wav2Vec2Model (wav2vec 2.0, HuBERT, WavLM) -> stacked transformer layer outputs."""

    sample_rate: int
    num_layers: int
    hidden_dim: int
    arch: str
    normalize: bool

    def __init__(self, model, arch: str, num_layers: int, hidden_dim: int, normalize: bool):
        super().__init__()
        self.model = model
        self.sample_rate = 16000
        self.num_layers = num_layers
        self.hidden_dim = hidden_dim
        self.arch = arch
        self.normalize = normalize

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        if waveform.dim() != 2:
            raise RuntimeError("expected a [batch, samples] waveform")
        if self.normalize:
            waveform = nn.functional.layer_norm(waveform, [waveform.shape[1]])
        layers, _ = self.model.extract_features(waveform)
        return torch.stack(layers)


class HfEncoder(nn.Module):
    """A Hugging Face wav2vec2/HuBERT/WavLM model -> stacked transformer layer outputs."""

    def __init__(self, model, normalize):
        super().__init__()
        self.model = model
        self.normalize = normalize

    def forward(self, waveform):
        if self.normalize:
            waveform = nn.functional.layer_norm(waveform, [waveform.shape[1]])
        out = self.model(waveform, output_hidden_states=True)
        # hidden_states[0] is the input of the first layer (the projected CNN features): left out.
        return torch.stack(out.hidden_states[1:])


class WhisperLayers(nn.Module):
    """Whisper's encoder on its fixed 30 s log-mel input -> stacked layer outputs (traced)."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, features):
        out = self.encoder(features, output_hidden_states=True)
        return torch.stack(out.hidden_states[1:])


class WhisperEncoder(nn.Module):
    """Whisper's log-mel front end (as WhisperFeatureExtractor computes it) + the traced encoder."""

    sample_rate: int
    num_layers: int
    hidden_dim: int
    arch: str

    def __init__(self, layers, mel_filters, num_layers: int, hidden_dim: int, arch: str):
        super().__init__()
        self.layers = layers
        self.register_buffer("mel_filters", torch.tensor(mel_filters, dtype=torch.float32))
        self.register_buffer("window", torch.hann_window(400))
        self.sample_rate = 16000
        self.num_layers = num_layers
        self.hidden_dim = hidden_dim
        self.arch = arch

    def log_mel(self, waveform: torch.Tensor) -> torch.Tensor:
        x = nn.functional.pad(waveform, [0, 480000 - waveform.shape[1]])  # Whisper sees 30 s
        spec = torch.stft(x, 400, 160, window=self.window, center=True, pad_mode="reflect",
                          return_complex=True)
        power = spec[..., :-1].abs() ** 2
        mel = torch.matmul(self.mel_filters.transpose(0, 1), power)  # [batch, mels, 3000]
        log = torch.clamp(mel, min=1e-10).log10()
        log = torch.maximum(log, log.amax(dim=[1, 2], keepdim=True) - 8.0)
        return (log + 4.0) / 4.0

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        if waveform.dim() != 2:
            raise RuntimeError("expected a [batch, samples] waveform")
        n = waveform.shape[1]
        if n > 480000:
            raise RuntimeError("Whisper's encoder takes at most 30 s")
        states = self.layers(self.log_mel(waveform))
        return states[:, :, : (n + 319) // 320]  # 50 encoder frames per second


def torchaudio_model(arch, random):
    import torchaudio
    if arch == "tiny":
        if not random:
            raise SystemExit("--arch tiny exists only with --random (a test architecture)")
        return tiny_wav2vec2(), False
    if arch not in TORCHAUDIO_ARCHS:
        raise SystemExit(f"unknown --arch {arch}; known: tiny, {', '.join(TORCHAUDIO_ARCHS)}")
    bundle_name, factory_name = TORCHAUDIO_ARCHS[arch]
    if random:
        factory = getattr(torchaudio.models, factory_name, None)
        if factory is None:
            raise SystemExit(f"this torchaudio ({torchaudio.__version__}) has no models.{factory_name}")
        return factory(), arch in NORMALIZED_INPUT
    bundle = getattr(torchaudio.pipelines, bundle_name, None)
    if bundle is None:
        raise SystemExit(f"this torchaudio ({torchaudio.__version__}) has no pipelines.{bundle_name}")
    if bundle.sample_rate != 16000:
        raise SystemExit(f"{bundle_name} expects {bundle.sample_rate} Hz, not 16000")
    normalize = getattr(bundle, "_normalize_waveform", arch in NORMALIZED_INPUT)
    return bundle.get_model(), bool(normalize)


def export_torchaudio(args):
    model, normalize = torchaudio_model(args.arch, args.random)
    model = model.eval()
    with torch.no_grad():
        layers, _ = model.extract_features(torch.zeros(1, 16000))
    wrapper = TorchaudioEncoder(model, args.arch + ("-random" if args.random else ""),
                                len(layers), int(layers[0].shape[-1]), normalize)
    for p in wrapper.parameters():
        p.requires_grad_(False)
    return torch.jit.script(wrapper.eval())


class TracedEncoder(nn.Module):
    """A traced [batch, samples] -> stacked-layers module with the contract's attributes."""

    sample_rate: int
    num_layers: int
    hidden_dim: int
    arch: str

    def __init__(self, inner, num_layers: int, hidden_dim: int, arch: str):
        super().__init__()
        self.inner = inner
        self.sample_rate = 16000
        self.num_layers = num_layers
        self.hidden_dim = hidden_dim
        self.arch = arch

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        if waveform.dim() != 2:
            raise RuntimeError("expected a [batch, samples] waveform")
        return self.inner(waveform)


def script_traced(wrapper, arch):
    """Traces `wrapper` on 3 s of noise and wraps it, with its attributes, in a scripted module."""
    example = 0.1 * torch.randn(1, 16000 * 3)
    with torch.no_grad():
        traced = torch.jit.trace(wrapper, example, strict=False, check_trace=False)
        out = traced(example)
        # Traced shapes must follow the input length: check on another length.
        other = traced(0.1 * torch.randn(1, 16000 * 2))
    if other.shape[2] == out.shape[2]:
        raise SystemExit("the traced encoder did not follow the input length; cannot export it")
    return torch.jit.script(TracedEncoder(traced, int(out.shape[0]), int(out.shape[-1]), arch).eval())


def main():
    ap = argparse.ArgumentParser(description="Export a speech encoder for serwb train --encoder")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--arch", help="torchaudio architecture / bundle (see the module docstring)")
    src.add_argument("--hf", help="Hugging Face model name or folder (needs transformers)")
    ap.add_argument("--random", action="store_true", help="random weights (with --arch; for tests)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random weights")
    ap.add_argument("--out", required=True, help="TorchScript file to write")
    args = ap.parse_args()
    torch.manual_seed(args.seed)

    if args.arch:
        module = export_torchaudio(args)
    else:
        model = None
        try:
            import transformers
        except ImportError:
            raise SystemExit("--hf needs the `transformers` Python package")
        config = transformers.AutoConfig.from_pretrained(args.hf)
        if config.model_type == "whisper":
            model = transformers.WhisperModel.from_pretrained(args.hf).eval()
            extractor = transformers.WhisperFeatureExtractor.from_pretrained(args.hf)
            mels = torch.zeros(1, extractor.feature_size, 3000)
            with torch.no_grad():
                layers = torch.jit.trace(WhisperLayers(model.encoder).eval(), mels, strict=False,
                                         check_trace=False)
                out = layers(mels)
            module = torch.jit.script(WhisperEncoder(
                layers, extractor.mel_filters, int(out.shape[0]), int(out.shape[-1]),
                f"hf:whisper:{args.hf}").eval())
            torch.jit.save(module, args.out)
            print(f"wrote {args.out}: {module.arch}, {module.num_layers} layers of "
                  f"{module.hidden_dim}", file=sys.stderr)
            return
        else:
            model = transformers.AutoModel.from_pretrained(args.hf).eval()
            extractor = transformers.AutoFeatureExtractor.from_pretrained(args.hf)
            wrapper = HfEncoder(model, bool(getattr(extractor, "do_normalize", False))).eval()
        module = script_traced(wrapper, f"hf:{config.model_type}:{args.hf}")
    torch.jit.save(module, args.out)
    print(f"wrote {args.out}: {module.arch}, {module.num_layers} layers of {module.hidden_dim}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
