#include "core/experiment/experiment.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <type_traits>

#include "core/base/atomic_file.h"
#include "core/base/enum_names.h"
#include "core/base/error.h"
#include "core/base/json_number.h"
#include "core/base/json_text.h"
#include "core/corpus/label_set.h"

namespace ser {

namespace {

// Experiment files nest a few levels (training.spec_augment is the deepest); anything deeper
// than this is refused while parsing, before a recursive dump or destructor could meet it.
constexpr int kMaxJsonDepth = 64;

std::string keyPath(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

// A JSON value for a message, bounded (see quoteForMessage).
std::string shown(const nlohmann::json& value) {
  return quoteForMessage(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// Refuses keys of `j` that are not in `allowed`, naming the key path.
void checkKeys(const nlohmann::json& j, const std::string& where,
               const std::vector<std::string>& allowed) {
  if (!j.is_object()) throw Error("'" + where + "' must be a JSON object, got: " + shown(j));
  for (const auto& item : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
    std::string list;
    for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
    throw Error("unknown key '" + quoteForMessage(keyPath(where, item.key())) +
                "' (allowed: " + list + ")");
  }
}

void checkKeys(const nlohmann::json& j, const std::string& where,
               std::initializer_list<const char*> allowed) {
  checkKeys(j, where, std::vector<std::string>(allowed.begin(), allowed.end()));
}

// The keys a writer produces for an object: what its reader accepts.
std::vector<std::string> keysOf(const nlohmann::json& written) {
  std::vector<std::string> out;
  for (const auto& item : written.items()) out.push_back(item.key());
  return out;
}

// Reads j[key] into `out` when present, naming the key path on a type mismatch. Integer fields
// take whole numbers only (1.7 is refused, not truncated) within the field's range, reported with
// the value as written.
template <typename T>
void read(const nlohmann::json& j, const std::string& where, const char* key, T& out) {
  if (!j.contains(key)) return;
  const nlohmann::json& v = j.at(key);
  const std::string path = keyPath(where, key);
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!v.is_number_integer())
      throw Error("'" + path + "' must be a whole number, got: " + shown(v));
    const bool fits = v.is_number_unsigned()
                          ? v.get<std::uint64_t>() <= std::uint64_t(std::numeric_limits<T>::max())
                          : v.get<std::int64_t>() >= std::int64_t(std::numeric_limits<T>::min()) &&
                                (v.get<std::int64_t>() < 0 ||
                                 std::uint64_t(v.get<std::int64_t>()) <=
                                     std::uint64_t(std::numeric_limits<T>::max()));
    if (!fits)
      throw Error("'" + path + "' = " + shown(v) + " is out of range [" +
                  std::to_string(std::numeric_limits<T>::min()) + ", " +
                  std::to_string(std::numeric_limits<T>::max()) + "]");
  }
  try {
    out = v.get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Error("'" + path + "' has the wrong type: " + shown(v));
  }
}

// Checks the "training" object's keys, nested ones included, against what toJson(TrainerOptions)
// writes, and its whole numbers as `read` does; the values are then read by trainerOptionsFromJson.
void checkTrainingKeys(const nlohmann::json& t) {
  const nlohmann::json written = toJson(TrainerOptions());
  std::vector<std::string> allowed;
  for (const auto& item : written.items())
    if (item.key() != "model" && item.key() != "seed") allowed.push_back(item.key());
  checkKeys(t, "training", allowed);
  for (const auto& item : t.items()) {
    const nlohmann::json& model = written.at(item.key());
    if (model.is_object()) {
      checkKeys(item.value(), "training." + item.key(), keysOf(model));
      for (const auto& inner : item.value().items()) {
        int whole = 0;
        if (model.at(inner.key()).is_number_integer())
          read(item.value(), "training." + item.key(), inner.key().c_str(), whole);
      }
    } else if (model.is_number_integer()) {
      int whole = 0;
      read(t, "training", item.key().c_str(), whole);
    }
  }
}

// Where a parse stands: the key path of the value being read, for messages.
class JsonPath {
 public:
  void open(bool array) { frames_.push_back({array, {}, 0}); }
  void close() {
    if (!frames_.empty()) frames_.pop_back();
    completed();
  }
  void key(const std::string& k) {
    if (!frames_.empty()) frames_.back().key = k;
  }
  void completed() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string text() const {
    std::string out;
    for (const auto& f : frames_) {
      if (f.array) out += "[" + std::to_string(f.index) + "]";
      else if (!f.key.empty()) out += (out.empty() ? "" : ".") + f.key;
    }
    return out;
  }

 private:
  struct Frame {
    bool array;
    std::string key;
    std::size_t index;
  };
  std::vector<Frame> frames_;
};

struct TooDeep {};

// Parses experiment JSON with its nesting bounded; errors name the key path being read.
nlohmann::json parseBounded(const std::string& text, const std::string& file) {
  using Event = nlohmann::json::parse_event_t;
  JsonPath path;
  auto callback = [&path](int depth, Event event, nlohmann::json& parsed) {
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (depth >= kMaxJsonDepth) throw TooDeep{};
        path.open(event == Event::array_start);
        break;
      case Event::object_end:
      case Event::array_end: path.close(); break;
      case Event::key: path.key(parsed.get<std::string>()); break;
      case Event::value: path.completed(); break;
    }
    return true;
  };
  const std::string where = "'" + file + "'";

  try {
    return nlohmann::json::parse(text, callback);
  } catch (const TooDeep&) {
    throw Error(where + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                " levels" + (path.text().empty() ? "" : " at '" + quoteForMessage(path.text()) + "'"));
  } catch (const nlohmann::json::out_of_range& e) {
    // 1e999 and the like: the number does not fit a double.
    throw Error(where + ": " +
                (path.text().empty() ? std::string("a number") : "'" + quoteForMessage(path.text()) + "'") +
                " is out of range (" + quoteForMessage(e.what(), 160) + ")");
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": not valid JSON (" + quoteForMessage(e.what(), 200) + ")");
  }
}

}  // namespace

namespace {
constexpr std::pair<LabelSetKind, const char*> kLabelSets[] = {
    {LabelSetKind::Native, "native"}, {LabelSetKind::Common6, "common6"}, {LabelSetKind::Common6, "common"}};
constexpr std::pair<ExperimentModel, const char*> kModels[] = {{ExperimentModel::Cnn, "cnn"},
                                                               {ExperimentModel::ResNet18, "resnet18"},
                                                               {ExperimentModel::Svm, "svm"},
                                                               {ExperimentModel::Encoder, "encoder"}};
}  // namespace

std::string toString(LabelSetKind kind) { return enumName(kind, kLabelSets); }
LabelSetKind labelSetKindFromString(const std::string& s) { return enumFromName("labels", s, kLabelSets); }
std::string toString(ExperimentModel model) { return enumName(model, kModels); }
ExperimentModel experimentModelFromString(const std::string& s) { return enumFromName("model", s, kModels); }

ModelKind networkKind(ExperimentModel model) {
  switch (model) {
    case ExperimentModel::ResNet18: return ModelKind::ResNet18;
    case ExperimentModel::Encoder: return ModelKind::EncoderHead;
    case ExperimentModel::Cnn:
    case ExperimentModel::Svm: break;
  }
  return ModelKind::CompactCnn;
}

LabelField labelField(LabelSetKind kind) {
  return kind == LabelSetKind::Native ? LabelField::Emotion : LabelField::Common;
}

std::vector<std::string> labelsFor(const std::vector<Clip>& clips, LabelSetKind kind) {
  std::set<std::string> present;
  for (const Clip& c : clips) {
    const std::string& l = kind == LabelSetKind::Native ? c.emotion : c.common;
    if (!l.empty()) present.insert(l);
  }
  std::vector<std::string> canonical =
      kind == LabelSetKind::Native ? ravdessLabels() : commonLabels();
  if (kind == LabelSetKind::Native)
    for (const auto& l : cremadLabels())
      if (std::find(canonical.begin(), canonical.end(), l) == canonical.end()) canonical.push_back(l);
  std::vector<std::string> out;
  for (const auto& l : canonical)
    if (present.erase(l)) out.push_back(l);
  out.insert(out.end(), present.begin(), present.end());  // others, sorted
  return out;
}

namespace {

std::vector<std::size_t> keepCorpora(const std::vector<std::size_t>& indices,
                                     const std::vector<Clip>& clips,
                                     const std::vector<std::string>& corpora) {
  if (corpora.empty()) return indices;
  std::vector<std::size_t> out;
  for (std::size_t i : indices)
    if (std::find(corpora.begin(), corpora.end(), clips[i].corpus) != corpora.end()) out.push_back(i);
  return out;
}

std::vector<std::string> speakersOfIndices(const std::vector<Clip>& clips,
                                           const std::vector<std::size_t>& indices) {
  std::set<std::string> s;
  for (std::size_t i : indices) s.insert(clips[i].speaker);
  return {s.begin(), s.end()};
}

}  // namespace

Split experimentSplit(const Experiment& e, const std::vector<Clip>& clips) {
  const std::vector<std::string> labels = labelsFor(clips, e.labels);
  if (labels.size() < 2)
    throw Error("the corpora give fewer than two classes under the '" + toString(e.labels) +
                "' label set");
  const std::vector<int> labelOf = labelIndices(clips, labels, labelField(e.labels));
  SplitSpec spec = e.split;
  spec.seed = e.seed;
  Split split = makeSplit(clips, labelOf, spec);
  split.train = keepCorpora(split.train, clips, e.trainCorpora);
  split.validation = keepCorpora(split.validation, clips, e.trainCorpora);
  split.test = keepCorpora(split.test, clips, e.testCorpora);
  if (split.train.empty() || split.test.empty())
    throw Error("the split leaves no training or no test clips (check the speaker lists and "
                "train/test corpora)");
  std::set<int> trained;
  for (std::size_t i : split.train) trained.insert(labelOf[i]);
  std::set<std::string> untrained;
  for (std::size_t i : split.test)
    if (!trained.count(labelOf[i])) untrained.insert(labels[std::size_t(labelOf[i])]);
  if (!untrained.empty())
    throw Error("the test split has clips of " +
                std::string(untrained.size() > 1 ? "classes " : "class ") +
                nlohmann::json(std::vector<std::string>(untrained.begin(), untrained.end())).dump() +
                " that no training clip has" +
                (e.testCorpora.empty() ? std::string()
                                       : std::string(": corpora with different native labels "
                                                     "need the common 6-class label set")));
  split.trainSpeakers = speakersOfIndices(clips, split.train);
  split.validationSpeakers = speakersOfIndices(clips, split.validation);
  split.testSpeakers = speakersOfIndices(clips, split.test);
  return split;
}

SplitSpec defaultHeldOut(const Experiment& e, const std::vector<Clip>& clips) {
  SplitSpec spec;
  spec.seed = e.seed;
  const std::vector<std::string> labels = labelsFor(clips, e.labels);
  return resolveHeldOutSpeakers(clips, labelIndices(clips, labels, labelField(e.labels)), spec);
}

void Experiment::validate() const {
  if (corpora.empty()) throw Error("experiment: 'corpora' must name at least one corpus");
  for (const auto& c : corpora)
    if (c.path.empty()) throw Error("experiment: a corpus entry has an empty 'path'");
  split.validate();
  frontEnd.validate();
  if (model != ExperimentModel::Svm) {
    TrainerOptions t = training;
    t.model = networkKind(model);
    t.validate();
  } else {
    svm.validate();
  }
}

nlohmann::json toJson(const SplitSpec& s) {
  nlohmann::json j = {{"protocol", toString(s.protocol)},
                      {"test_speakers", s.testSpeakers},
                      {"validation_speakers", s.validationSpeakers},
                      {"test_fraction", s.testFraction},
                      {"validation_fraction", s.validationFraction},
                      {"test_speaker_count", s.testSpeakerCount},
                      {"validation_speaker_count", s.validationSpeakerCount},
                      {"balance_sex", s.balanceSex},
                      {"folds", s.folds},
                      {"fold", s.fold},
                      {"validation_from_next_fold", s.validationFromNextFold}};
  if (!s.foldsFile.empty()) j["folds_file"] = s.foldsFile;  // written only when set
  if (!s.foldsPreset.empty()) j["folds_preset"] = s.foldsPreset;
  return j;
}

SplitSpec splitSpecFromJson(const nlohmann::json& j) {
  checkKeys(j, "split",
            {"protocol", "test_speakers", "validation_speakers", "test_fraction",
             "validation_fraction", "test_speaker_count", "validation_speaker_count", "balance_sex",
             "folds", "fold", "validation_from_next_fold", "folds_file", "folds_preset"});
  SplitSpec s;
  std::string protocol = toString(s.protocol);
  read(j, "split", "protocol", protocol);
  s.protocol = splitProtocolFromString(protocol);
  read(j, "split", "test_speakers", s.testSpeakers);
  read(j, "split", "validation_speakers", s.validationSpeakers);
  read(j, "split", "test_fraction", s.testFraction);
  read(j, "split", "validation_fraction", s.validationFraction);
  read(j, "split", "test_speaker_count", s.testSpeakerCount);
  read(j, "split", "validation_speaker_count", s.validationSpeakerCount);
  read(j, "split", "balance_sex", s.balanceSex);
  read(j, "split", "folds", s.folds);
  read(j, "split", "fold", s.fold);
  read(j, "split", "validation_from_next_fold", s.validationFromNextFold);
  read(j, "split", "folds_file", s.foldsFile);
  read(j, "split", "folds_preset", s.foldsPreset);
  return s;
}

nlohmann::json toJson(const FrontEndParams& p) {
  return {{"sample_rate", p.audio.sampleRate},
          {"seconds", p.audio.fixedSeconds},
          {"window_ms", p.logMel.stft.windowMs},
          {"hop_ms", p.logMel.stft.hopMs},
          {"n_fft", p.logMel.stft.nFft},
          {"window", p.logMel.stft.window == WindowType::Hann ? "hann" : "hamming"},
          {"n_mels", p.logMel.mel.nMels},
          {"f_min", p.logMel.mel.fMin},
          {"f_max", p.logMel.mel.fMax},
          {"mel_scale", p.logMel.mel.scale == MelScale::Htk ? "htk" : "slaney"},
          {"mel_norm", p.logMel.mel.norm == MelNorm::None ? "none" : "slaney"},
          {"log_offset", p.logMel.logOffset},
          {"n_mfcc", p.nMfcc}};
}

FrontEndParams frontEndParamsFromJson(const nlohmann::json& j) {
  checkKeys(j, "front_end",
            {"sample_rate", "seconds", "window_ms", "hop_ms", "n_fft", "window", "n_mels", "f_min",
             "f_max", "mel_scale", "mel_norm", "log_offset", "n_mfcc"});
  FrontEndParams p;
  read(j, "front_end", "sample_rate", p.audio.sampleRate);
  read(j, "front_end", "seconds", p.audio.fixedSeconds);
  read(j, "front_end", "window_ms", p.logMel.stft.windowMs);
  read(j, "front_end", "hop_ms", p.logMel.stft.hopMs);
  read(j, "front_end", "n_fft", p.logMel.stft.nFft);
  read(j, "front_end", "n_mels", p.logMel.mel.nMels);
  read(j, "front_end", "f_min", p.logMel.mel.fMin);
  read(j, "front_end", "f_max", p.logMel.mel.fMax);
  read(j, "front_end", "log_offset", p.logMel.logOffset);
  read(j, "front_end", "n_mfcc", p.nMfcc);
  std::string window = "hann", scale = "htk", norm = "none";
  read(j, "front_end", "window", window);
  read(j, "front_end", "mel_scale", scale);
  read(j, "front_end", "mel_norm", norm);
  if (window != "hann" && window != "hamming")
    throw ParameterError("window", "'" + window + "'", "{hann, hamming}");
  if (scale != "htk" && scale != "slaney")
    throw ParameterError("mel_scale", "'" + scale + "'", "{htk, slaney}");
  if (norm != "none" && norm != "slaney")
    throw ParameterError("mel_norm", "'" + norm + "'", "{none, slaney}");
  p.logMel.stft.window = window == "hann" ? WindowType::Hann : WindowType::Hamming;
  p.logMel.mel.scale = scale == "htk" ? MelScale::Htk : MelScale::Slaney;
  p.logMel.mel.norm = norm == "none" ? MelNorm::None : MelNorm::Slaney;
  p.logMel.stft.sampleRate = p.audio.sampleRate;
  return p;
}

nlohmann::json toJson(const SvmOptions& o) {
  return {{"c_grid", o.cGrid}, {"gamma_grid", o.gammaGrid}, {"balance_classes", o.balanceClasses},
          {"tolerance", o.tolerance}, {"cache_mb", o.cacheMb}};
}

SvmOptions svmOptionsFromJson(const nlohmann::json& j) {
  checkKeys(j, "svm", {"c_grid", "gamma_grid", "balance_classes", "tolerance", "cache_mb"});
  SvmOptions o;
  read(j, "svm", "c_grid", o.cGrid);
  read(j, "svm", "gamma_grid", o.gammaGrid);
  read(j, "svm", "balance_classes", o.balanceClasses);
  read(j, "svm", "tolerance", o.tolerance);
  read(j, "svm", "cache_mb", o.cacheMb);
  return o;
}

nlohmann::json toJson(const Experiment& e) {
  nlohmann::json corpora = nlohmann::json::array();
  for (const auto& c : e.corpora) corpora.push_back(toJson(c));
  nlohmann::json training = toJson(e.training);
  training.erase("model");  // the top-level "model" decides
  training.erase("seed");   // the top-level "seed" decides
  nlohmann::json j = {{"name", e.name},
                      {"corpora", corpora},
                      {"labels", toString(e.labels)},
                      {"label_policy", toString(e.labelPolicy)},
                      {"split", toJson(e.split)},
                      {"train_corpora", e.trainCorpora},
                      {"test_corpora", e.testCorpora},
                      {"front_end", toJson(e.frontEnd)},
                      {"model", toString(e.model)},
                      {"training", training},
                      {"svm", toJson(e.svm)},
                      {"seed", e.seed}};
  if (!e.cache.empty()) j["cache"] = e.cache;
  return j;
}

Experiment experimentFromJson(const nlohmann::json& j) {
  checkKeys(j, "",
            {"name", "corpora", "labels", "label_policy", "split", "train_corpora", "test_corpora",
             "front_end", "model", "training", "svm", "seed", "cache"});
  Experiment e;
  read(j, "", "name", e.name);
  if (j.contains("corpora")) {
    if (!j["corpora"].is_array())
      throw Error("'corpora' must be a list of corpus entries, got: " + shown(j["corpora"]));
    for (const auto& c : j["corpora"]) e.corpora.push_back(corpusSpecFromJson(c));
  }
  std::string labels = toString(e.labels), policy = toString(e.labelPolicy), model = toString(e.model);
  read(j, "", "labels", labels);
  read(j, "", "label_policy", policy);
  read(j, "", "model", model);
  e.labels = labelSetKindFromString(labels);
  e.labelPolicy = commonLabelPolicyFromString(policy);
  e.model = experimentModelFromString(model);
  read(j, "", "seed", e.seed);
  read(j, "", "cache", e.cache);
  read(j, "", "train_corpora", e.trainCorpora);
  read(j, "", "test_corpora", e.testCorpora);
  if (j.contains("split")) e.split = splitSpecFromJson(j["split"]);
  if (j.contains("front_end")) e.frontEnd = frontEndParamsFromJson(j["front_end"]);
  if (j.contains("svm")) e.svm = svmOptionsFromJson(j["svm"]);
  if (j.contains("training")) {
    nlohmann::json t = j["training"];
    if (!t.is_object()) throw Error("'training' must be a JSON object");
    if (t.contains("model") || t.contains("seed"))
      throw Error("'training' must not hold 'model' or 'seed': set them at the top level");
    checkTrainingKeys(t);
    try {
      e.training = trainerOptionsFromJson(t);
    } catch (const ParameterError&) {
      throw;
    } catch (const std::exception& ex) {
      throw Error(std::string("'training': ") + quoteForMessage(ex.what(), 400));
    }
  }
  e.training.model = networkKind(e.model);
  e.training.seed = e.seed;
  e.split.seed = e.seed;
  e.svm.seed = e.seed;
  e.validate();
  return e;
}

Experiment loadExperimentFile(const std::string& path) {
  // serwb writes its JSON as UTF-8 with non-UTF-8 bytes escaped (json_text.h). A hand-written
  // file may hold raw non-UTF-8 bytes instead: only then are they escaped before the one bounded
  // parse (depth, key paths in messages), and the escapes are turned back into the original bytes.
  std::string text = readFile(path);
  if (!isValidUtf8(text)) text = escapeNonUtf8(text);
  const nlohmann::json j = unescapeStrings(parseBounded(text, path));
  try {
    return experimentFromJson(j);
  } catch (const Error& e) {
    throw Error("'" + path + "': " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw Error("'" + path + "': " + quoteForMessage(e.what(), 200));
  }
}

}  // namespace ser
