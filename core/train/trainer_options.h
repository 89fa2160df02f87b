#pragma once
// Every setting of a training run, with defaults. Field names are the names the wizard, the CLI
// and the JSON config use. Torch-free.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/model/model_kind.h"

namespace ser {

enum class OptimizerKind { Adam, AdamW, Sgd };
std::string toString(OptimizerKind kind);                          // "adam", "adamw", "sgd"
OptimizerKind optimizerKindFromString(const std::string& name);     // throws ParameterError

enum class SchedulerKind { None, Cosine, Plateau };
std::string toString(SchedulerKind kind);                          // "none", "cosine", "plateau"
SchedulerKind schedulerKindFromString(const std::string& name);

// How features are standardised (per mel band, mean 0 / std 1) before the network.
enum class Normalisation {
  PerUtterance,  // each clip by its own per-band statistics
  PerSpeaker,    // each speaker's clips by that speaker's statistics; unknown speaker -> training set's
  None,          // raw log-mel
};
std::string toString(Normalisation mode);                          // "per_utterance", "per_speaker", "none"
Normalisation normalisationFromString(const std::string& name);

enum class DeviceChoice { Auto, Cpu, Cuda };
std::string toString(DeviceChoice choice);                         // "auto", "cpu", "cuda"
DeviceChoice deviceChoiceFromString(const std::string& name);

// Arithmetic of the training step. auto: fp32 on the CPU; on CUDA bf16 where the card has bf16
// tensor cores (compute capability 8.0 and up: Ampere, Hopper), else fp16. fp16 and bf16 run the
// forward pass under autocast (weights and optimiser stay fp32); fp16 also scales the loss
// (DynamicLossScaler). They need CUDA: asked for on the CPU they are refused (ParameterError).
enum class Precision { Auto, Fp32, Fp16, Bf16 };
std::string toString(Precision precision);                         // "auto", "fp32", "fp16", "bf16"
Precision precisionFromString(const std::string& name);

// Where the training batches are put together. host: on the CPU, clip by clip (the CPU path; on
// CUDA the batch then goes over in pinned memory, prefetched by a second thread); device: the
// normalised training and validation features are uploaded once and batches are indexed,
// augmented and mixed there; auto: device on CUDA when the features fit in free device memory
// with a margin, else host.
enum class DataPlacement { Auto, Host, Device };
std::string toString(DataPlacement placement);                     // "auto", "host", "device"
DataPlacement dataPlacementFromString(const std::string& name);

// SpecAugment (Park et al. 2019) masks on the training split; masked cells get the clip's mean.
struct SpecAugmentOptions {
  int time_masks = 2;        // masks per clip along time, [0, 10]; 0 = off
  int time_mask_width = 20;  // maximum width in frames, [0, 1000]; each mask draws U[0, max]
  int freq_masks = 2;        // masks per clip along mel bands, [0, 10]
  int freq_mask_width = 8;   // maximum width in bands, [0, 256]
};

struct TrainerOptions {
  ModelKind model = ModelKind::CompactCnn;  // "cnn" | "resnet18" | "encoder"
  std::string pretrained_weights;           // resnet18 only: see loadPretrainedResNet18; empty = none
  // model encoder only (and required there): the TorchScript speech encoder file
  // (core/model/speech_encoder.h); it stays frozen, only the head trains.
  std::string encoder;
  Pooling pooling = Pooling::Average;       // cnn, resnet18: avg | stats | attentive (ModelOptions)
  bool deltas = false;                      // cnn, resnet18: delta and delta-delta input channels
  double dropout = 0.3;                     // before the classifier, [0, 0.9]
  OptimizerKind optimizer = OptimizerKind::Adam;
  double learning_rate = 1e-3;              // initial, (0, 10]
  double weight_decay = 1e-4;               // L2 (adam, sgd) or decoupled (adamw), [0, 1]
  double momentum = 0.9;                    // sgd only, [0, 1)
  SchedulerKind scheduler = SchedulerKind::Cosine;  // cosine: to 0 over `epochs` (after the warm-up)
  // Linear warm-up: epoch e <= warmup_epochs trains at learning_rate * e / (warmup_epochs + 1),
  // then the scheduler starts (cosine then decays over the remaining epochs). [0, epochs - 1]
  int warmup_epochs = 0;
  int plateau_patience = 2;                 // plateau: epochs without val-UAR gain before a cut, [1, 100]
  double plateau_factor = 0.5;              // plateau: learning-rate multiplier per cut, (0, 1)
  int epochs = 30;                          // maximum epochs, [1, 10000]
  int batch_size = 32;                      // [1, 4096]
  int eval_batch_size = 64;                 // validation/prediction batches, [1, 4096]
  int patience = 8;                         // early stopping: epochs without val-UAR gain, [0, 10000]; 0 = off
  bool class_weights = true;                // weight the training loss by inverse class frequency
  double label_smoothing = 0.0;             // training loss targets (1 - s) one-hot + s / classes, [0, 0.5]
  SpecAugmentOptions spec_augment;
  double mixup_alpha = 0.0;                 // mixup Beta(alpha, alpha), [0, 10]; 0 = off
  double noise_std = 0.0;                   // Gaussian noise after normalisation, [0, 10]; 0 = off
  double gain_db = 0.0;                     // random gain U[-gain_db, gain_db] dB before normalisation, [0, 40];
                                            // cancelled by per_utterance normalisation
  // per_speaker (default): keeps each speaker's emotional level and timbre changes while removing
  // who is speaking; test speakers are normalised by their own clips' statistics (no labels used).
  Normalisation normalisation = Normalisation::PerSpeaker;
  std::uint32_t seed = 42;                  // model init, shuffling and augmentation
  int threads = 0;                          // CPU intra-op threads (process-wide), [0, 1024]; 0 = all cores
  DeviceChoice device = DeviceChoice::Auto; // auto: CUDA when available
  Precision precision = Precision::Auto;    // see Precision; fp16/bf16 need CUDA
  bool channels_last = false;               // CUDA only: NHWC activations (faster convolutions on tensor cores)
  DataPlacement data_placement = DataPlacement::Auto;  // see DataPlacement

  void validate() const;                    // throws ParameterError naming the field
};

// JSON with the field names above and enum names as strings. fromJson starts from the defaults,
// so missing keys keep them; unknown keys and bad values throw ParameterError.
nlohmann::json toJson(const TrainerOptions& options);
TrainerOptions trainerOptionsFromJson(const nlohmann::json& json);

}  // namespace ser
