#include "core/train/trainer_options.h"

#include <set>

#include "core/base/enum_names.h"
#include "core/base/error.h"
#include "core/base/json_number.h"

namespace ser {

namespace {

constexpr std::pair<OptimizerKind, const char*> kOptimizers[] = {
    {OptimizerKind::Adam, "adam"}, {OptimizerKind::AdamW, "adamw"}, {OptimizerKind::Sgd, "sgd"}};
constexpr std::pair<SchedulerKind, const char*> kSchedulers[] = {
    {SchedulerKind::None, "none"}, {SchedulerKind::Cosine, "cosine"}, {SchedulerKind::Plateau, "plateau"}};
constexpr std::pair<Normalisation, const char*> kNormalisations[] = {
    {Normalisation::PerUtterance, "per_utterance"},
    {Normalisation::PerSpeaker, "per_speaker"},
    {Normalisation::None, "none"}};
constexpr std::pair<DeviceChoice, const char*> kDevices[] = {
    {DeviceChoice::Auto, "auto"}, {DeviceChoice::Cpu, "cpu"}, {DeviceChoice::Cuda, "cuda"}};
constexpr std::pair<Precision, const char*> kPrecisions[] = {
    {Precision::Auto, "auto"}, {Precision::Fp32, "fp32"}, {Precision::Fp16, "fp16"}, {Precision::Bf16, "bf16"}};
constexpr std::pair<DataPlacement, const char*> kPlacements[] = {
    {DataPlacement::Auto, "auto"}, {DataPlacement::Host, "host"}, {DataPlacement::Device, "device"}};

}  // namespace

std::string toString(OptimizerKind kind) { return enumName(kind, kOptimizers); }
OptimizerKind optimizerKindFromString(const std::string& name) {
  return enumFromName("optimizer", name, kOptimizers);
}
std::string toString(SchedulerKind kind) { return enumName(kind, kSchedulers); }
SchedulerKind schedulerKindFromString(const std::string& name) {
  return enumFromName("scheduler", name, kSchedulers);
}
std::string toString(Normalisation mode) { return enumName(mode, kNormalisations); }
Normalisation normalisationFromString(const std::string& name) {
  return enumFromName("normalisation", name, kNormalisations);
}
std::string toString(DeviceChoice choice) { return enumName(choice, kDevices); }
DeviceChoice deviceChoiceFromString(const std::string& name) {
  return enumFromName("device", name, kDevices);
}
std::string toString(Precision precision) { return enumName(precision, kPrecisions); }
Precision precisionFromString(const std::string& name) {
  return enumFromName("precision", name, kPrecisions);
}
std::string toString(DataPlacement placement) { return enumName(placement, kPlacements); }
DataPlacement dataPlacementFromString(const std::string& name) {
  return enumFromName("data_placement", name, kPlacements);
}

void TrainerOptions::validate() const {
  checkArchitecture(model, pooling, deltas, pretrained_weights);
  if (!encoder.empty() && model != ModelKind::EncoderHead)
    throw ParameterError("encoder", encoder, "only with model encoder");
  if (encoder.empty() && model == ModelKind::EncoderHead)
    throw ParameterError("encoder", "''", "a TorchScript encoder file with model encoder");
  checkRange("dropout", dropout, 0.0, 0.9);
  checkPositive("learning_rate", learning_rate);
  checkRange("learning_rate", learning_rate, 0.0, 10.0);
  checkRange("weight_decay", weight_decay, 0.0, 1.0);
  if (!(momentum >= 0.0 && momentum < 1.0))
    throw ParameterError("momentum", std::to_string(momentum), "[0, 1)");
  checkRangeInt("plateau_patience", plateau_patience, 1, 100);
  if (!(plateau_factor > 0.0 && plateau_factor < 1.0))
    throw ParameterError("plateau_factor", std::to_string(plateau_factor), "(0, 1)");
  checkRangeInt("epochs", epochs, 1, 10000);
  checkRangeInt("warmup_epochs", warmup_epochs, 0, epochs - 1);
  checkRange("label_smoothing", label_smoothing, 0.0, 0.5);
  checkRangeInt("batch_size", batch_size, 1, 4096);
  checkRangeInt("eval_batch_size", eval_batch_size, 1, 4096);
  checkRangeInt("patience", patience, 0, 10000);
  checkRangeInt("spec_augment.time_masks", spec_augment.time_masks, 0, 10);
  checkRangeInt("spec_augment.time_mask_width", spec_augment.time_mask_width, 0, 1000);
  checkRangeInt("spec_augment.freq_masks", spec_augment.freq_masks, 0, 10);
  checkRangeInt("spec_augment.freq_mask_width", spec_augment.freq_mask_width, 0, 256);
  checkRange("mixup_alpha", mixup_alpha, 0.0, 10.0);
  checkRange("noise_std", noise_std, 0.0, 10.0);
  checkRange("gain_db", gain_db, 0.0, 40.0);
  checkRangeInt("threads", threads, 0, 1024);
  if (device == DeviceChoice::Cpu && (precision == Precision::Fp16 || precision == Precision::Bf16))
    throw ParameterError("precision", toString(precision),
                         "fp32 or auto with device cpu (mixed precision needs CUDA)");
  if (device == DeviceChoice::Cpu && channels_last)
    throw ParameterError("channels_last", "true", "false with device cpu (channels-last is for CUDA)");
}

nlohmann::json toJson(const TrainerOptions& o) {
  return {
      {"model", toString(o.model)},
      {"pretrained_weights", o.pretrained_weights},
      {"encoder", o.encoder},
      {"pooling", toString(o.pooling)},
      {"deltas", o.deltas},
      {"dropout", o.dropout},
      {"optimizer", toString(o.optimizer)},
      {"learning_rate", o.learning_rate},
      {"weight_decay", o.weight_decay},
      {"momentum", o.momentum},
      {"scheduler", toString(o.scheduler)},
      {"plateau_patience", o.plateau_patience},
      {"plateau_factor", o.plateau_factor},
      {"warmup_epochs", o.warmup_epochs},
      {"epochs", o.epochs},
      {"batch_size", o.batch_size},
      {"eval_batch_size", o.eval_batch_size},
      {"patience", o.patience},
      {"class_weights", o.class_weights},
      {"label_smoothing", o.label_smoothing},
      {"spec_augment",
       {{"time_masks", o.spec_augment.time_masks},
        {"time_mask_width", o.spec_augment.time_mask_width},
        {"freq_masks", o.spec_augment.freq_masks},
        {"freq_mask_width", o.spec_augment.freq_mask_width}}},
      {"mixup_alpha", o.mixup_alpha},
      {"noise_std", o.noise_std},
      {"gain_db", o.gain_db},
      {"normalisation", toString(o.normalisation)},
      {"seed", o.seed},
      {"threads", o.threads},
      {"device", toString(o.device)},
      {"precision", toString(o.precision)},
      {"channels_last", o.channels_last},
      {"data_placement", toString(o.data_placement)},
  };
}

TrainerOptions trainerOptionsFromJson(const nlohmann::json& json) {
  TrainerOptions o;
  if (!json.is_object()) throw ParameterError("trainer options", json.dump(), "a JSON object");
  const std::set<std::string> known = {
      "model", "pretrained_weights", "encoder", "pooling", "deltas", "dropout", "optimizer",
      "learning_rate", "weight_decay", "momentum", "scheduler", "plateau_patience", "plateau_factor",
      "warmup_epochs", "epochs", "batch_size", "eval_batch_size", "patience", "class_weights",
      "label_smoothing", "spec_augment", "mixup_alpha", "noise_std",
      "gain_db", "normalisation", "seed", "threads", "device", "precision", "channels_last",
      "data_placement"};
  for (const auto& item : json.items())
    if (!known.count(item.key()))
      throw ParameterError(item.key(), item.value().dump(), "a known trainer option");

  auto get = [](const nlohmann::json& from, const std::string& key, auto& field) {
    if (!from.contains(key)) return;
    using T = std::decay_t<decltype(field)>;
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      if (from.at(key).is_number() && !jsonIsIntegerOf<T>(from.at(key)))  // 1.7, 1e10: no silent cast
        throw ParameterError(key, from.at(key).dump(), "an integer within range");
    }
    try {
      from.at(key).get_to(field);
    } catch (const nlohmann::json::exception&) {
      throw ParameterError(key, from.at(key).dump(), "a value of the right type");
    }
  };
  std::string text;
  auto getEnum = [&](const std::string& key, auto& field, auto parse) {
    if (!json.contains(key)) return;
    text.clear();
    get(json, key, text);
    field = parse(text);
  };
  getEnum("model", o.model, modelKindFromString);
  get(json, "pretrained_weights", o.pretrained_weights);
  get(json, "encoder", o.encoder);
  getEnum("pooling", o.pooling, poolingFromString);
  get(json, "deltas", o.deltas);
  get(json, "dropout", o.dropout);
  getEnum("optimizer", o.optimizer, optimizerKindFromString);
  get(json, "learning_rate", o.learning_rate);
  get(json, "weight_decay", o.weight_decay);
  get(json, "momentum", o.momentum);
  getEnum("scheduler", o.scheduler, schedulerKindFromString);
  get(json, "plateau_patience", o.plateau_patience);
  get(json, "plateau_factor", o.plateau_factor);
  get(json, "warmup_epochs", o.warmup_epochs);
  get(json, "epochs", o.epochs);
  get(json, "batch_size", o.batch_size);
  get(json, "eval_batch_size", o.eval_batch_size);
  get(json, "patience", o.patience);
  get(json, "class_weights", o.class_weights);
  get(json, "label_smoothing", o.label_smoothing);
  if (json.contains("spec_augment")) {
    const auto& sa = json.at("spec_augment");
    get(sa, "time_masks", o.spec_augment.time_masks);
    get(sa, "time_mask_width", o.spec_augment.time_mask_width);
    get(sa, "freq_masks", o.spec_augment.freq_masks);
    get(sa, "freq_mask_width", o.spec_augment.freq_mask_width);
  }
  get(json, "mixup_alpha", o.mixup_alpha);
  get(json, "noise_std", o.noise_std);
  get(json, "gain_db", o.gain_db);
  getEnum("normalisation", o.normalisation, normalisationFromString);
  get(json, "seed", o.seed);
  get(json, "threads", o.threads);
  getEnum("device", o.device, deviceChoiceFromString);
  getEnum("precision", o.precision, precisionFromString);
  get(json, "channels_last", o.channels_last);
  getEnum("data_placement", o.data_placement, dataPlacementFromString);
  o.validate();
  return o;
}

}  // namespace ser
