#include "core/runs/run_record.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <set>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/base/json_number.h"
#include "core/base/json_text.h"
#include "core/base/text.h"
#include "core/metrics/predictions_csv.h"

namespace ser {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---- small JSON helpers ------------------------------------------------------------------

json groupJson(const GroupMetrics& m) {
  return {{"n", m.n},
          {"speakers", m.speakers},
          {"wa", m.wa},
          {"uar", m.uar},
          {"wa_ci95", intervalJson(m.waCi95)},
          {"uar_ci95", intervalJson(m.uarCi95)}};
}

class Reader {
 public:
  explicit Reader(fs::path file) : file_(std::move(file)) {}
  Error corrupt(const std::string& why) const {
    return Error("Corrupt run file: " + file_.string() + ": " + why);
  }
  const json& object(const json& parent, const char* key) const {
    static const json empty = json::object();
    if (!parent.contains(key) || parent[key].is_null()) return empty;
    if (!parent[key].is_object()) throw corrupt(std::string("'") + key + "' is not an object");
    return parent[key];
  }
  double number(const json& o, const char* key, const std::string& where, double fallback) const {
    if (!o.contains(key) || o[key].is_null()) return fallback;
    if (!o[key].is_number()) throw corrupt("'" + where + key + "' is not a number");
    return o[key].get<double>();
  }
  // A whole number within [lo, hi], so that the cast the caller makes is defined (a JSON number
  // may be 1e300).
  double whole(const json& o, const char* key, const std::string& where, double lo, double hi,
               double fallback) const {
    const double v = number(o, key, where, fallback);
    if (!(v >= lo && v <= hi) || v != std::floor(v))
      throw corrupt("'" + where + key + "' is not a whole number from " + std::to_string((long long)lo) +
                    " to " + std::to_string((long long)hi));
    return v;
  }
  std::size_t count(const json& o, const char* key, const std::string& where) const {
    const double v = number(o, key, where, 0.0);
    if (!(v >= 0 && v <= kMaxCount) || v != std::floor(v)) throw corrupt("'" + where + key + "' is not a count");
    return std::size_t(v);
  }
  static constexpr double kMaxCount = 9.0e15;  // below 2^53: every count a double holds exactly
  bool flag(const json& o, const char* key, const std::string& where, bool fallback) const {
    if (!o.contains(key) || o[key].is_null()) return fallback;
    if (!o[key].is_boolean()) throw corrupt("'" + where + key + "' is not true or false");
    return o[key].get<bool>();
  }
  std::string text(const json& o, const char* key) const {
    if (!o.contains(key) || o[key].is_null()) return {};
    if (!o[key].is_string()) throw corrupt(std::string("'") + key + "' is not a string");
    return o[key].get<std::string>();
  }
  std::vector<std::string> strings(const json& o, const char* key) const {
    std::vector<std::string> out;
    if (!o.contains(key) || o[key].is_null()) return out;
    if (!o[key].is_array()) throw corrupt(std::string("'") + key + "' is not a list");
    for (const auto& v : o[key]) {
      if (!v.is_string()) throw corrupt(std::string("'") + key + "' must hold strings");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  std::optional<Interval> interval(const json& o, const char* key, const std::string& where) const {
    return intervalFromJson(o, key, "Corrupt run file: " + file_.string() + ": ", where + key);
  }
  GroupMetrics group(const json& o, const std::string& where) const {
    if (!o.is_object()) throw corrupt("'" + where + "' is not an object");
    GroupMetrics m;
    m.n = count(o, "n", where + ".");
    m.speakers = count(o, "speakers", where + ".");
    m.wa = number(o, "wa", where + ".", 0.0);
    m.uar = number(o, "uar", where + ".", 0.0);
    m.waCi95 = interval(o, "wa_ci95", where + ".");
    m.uarCi95 = interval(o, "uar_ci95", where + ".");
    return m;
  }

 private:
  fs::path file_;
};

Sex sexKey(const std::string& key) {
  if (key == "male") return Sex::Male;
  if (key == "female") return Sex::Female;
  return Sex::Unknown;
}

json readJsonFile(const fs::path& file) {
  if (!fs::exists(file)) throw Error("Missing run file: " + file.string());
  const std::string text = readFile(file);
  try {
    return parseJson(text);  // serwb's JSON: non-UTF-8 bytes escaped reversibly
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw Error("Corrupt run file: " + file.string() + ": " + e.what());
  }
}

// `row` is the record's 1-based line (the header is row 1).
double toNumber(const std::string& text, const fs::path& file, std::size_t row,
                const std::string& column) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (text.empty() || end == begin || *end != '\0')
    throw Error("Corrupt run file: " + file.string() + ": row " + std::to_string(row) +
                ", column '" + column + "': '" + text + "' is not a number");
  return v;
}

std::vector<EpochStats> readCurves(const fs::path& file) {
  std::vector<EpochStats> out;
  if (!fs::exists(file)) return out;
  CsvTable t;
  try {
    t = parseCsv(readFile(file), file.string());
  } catch (const Error& e) {
    throw Error(std::string("Corrupt run file: ") + e.what());
  }
  const int cEpoch = t.column("epoch");
  if (cEpoch < 0) throw Error("Corrupt run file: " + file.string() + ": no 'epoch' column");
  struct Col { const char* name; double EpochStats::*field; };
  const Col cols[] = {{"train_loss", &EpochStats::train_loss}, {"train_acc", &EpochStats::train_acc},
                      {"val_loss", &EpochStats::val_loss},     {"val_acc", &EpochStats::val_acc},
                      {"val_uar", &EpochStats::val_uar},       {"lr", &EpochStats::lr},
                      {"seconds", &EpochStats::seconds}};
  for (const CsvRecord& f : t.rows) {
    EpochStats p;
    // A whole number that fits an int (casting 1.8e19 to int is undefined behaviour; found by
    // fuzz_run_folder): anything else is a corrupt file.
    const double epoch = toNumber(f[cEpoch], file, f.line, "epoch");
    if (!(epoch >= 0 && epoch <= 1e9) || epoch != std::floor(epoch))
      throw Error("Corrupt run file: " + file.string() + " line " + std::to_string(f.line) + ": epoch '" +
                  f[cEpoch] + "' is not a whole number of epochs");
    p.epoch = static_cast<int>(epoch);
    for (const auto& c : cols) {
      const int i = t.column(c.name);
      p.*(c.field) = i < 0 || f[i].empty() ? std::nan("") : toNumber(f[i], file, f.line, c.name);
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace

json intervalJson(const std::optional<Interval>& interval) {
  return interval ? json::array({interval->lo, interval->hi}) : json(nullptr);
}

std::optional<Interval> intervalFromJson(const json& object, const std::string& key,
                                         const std::string& errorPrefix, const std::string& path) {
  if (!object.is_object() || !object.contains(key) || object[key].is_null()) return std::nullopt;
  const json& v = object[key];
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
    throw Error(errorPrefix + "'" + path + "' is not an interval [lo, hi]");
  return Interval{v[0].get<double>(), v[1].get<double>()};
}

void SplitProvenance::settle() {
  for (auto* list : {&trainSpeakers, &validationSpeakers, &testSpeakers, &trainCorpora, &testCorpora})
    *list = sortedUnique(std::move(*list));
  std::vector<std::string> seen = trainSpeakers;
  seen.insert(seen.end(), validationSpeakers.begin(), validationSpeakers.end());
  testSpeakersSeen = sortedIntersection(std::move(seen), testSpeakers);
}

bool SplitProvenance::crossCorpus() const {
  if (trainCorpora.empty() || testCorpora.empty()) return false;
  return sortedIntersection(trainCorpora, testCorpora).empty();
}

std::string RunRecord::name() const {
  fs::path p = path;
  if (!p.empty() && p.filename().empty()) p = p.parent_path();
  return p.filename().string();
}

double RunRecord::confidence(const Prediction& p) const {
  if (p.predicted < 0 || std::size_t(p.predicted) >= p.probabilities.size()) return 0.0;
  return double(p.probabilities[std::size_t(p.predicted)]);
}

json toJson(const SplitProvenance& s) {
  return {{"protocol", s.protocol},
          {"speaker_independent", s.speakerIndependent()},
          {"provenance_known", s.known},
          {"cross_corpus", s.crossCorpus()},
          {"warnings", s.warnings},
          {"train_speakers", s.trainSpeakers},
          {"validation_speakers", s.validationSpeakers},
          {"test_speakers", s.testSpeakers},
          {"train_corpora", s.trainCorpora},
          {"test_corpora", s.testCorpora},
          {"test_speakers_seen_in_training", s.testSpeakersSeen},
          {"train_clips", s.trainClips},
          {"validation_clips", s.validationClips},
          {"test_clips", s.testClips}};
}

json metricsJson(const RunRecord& record) {
  const MetricsReport& r = record.metrics;
  json j;
  j["format_version"] = record.formatVersion;
  j["labels"] = r.labels;
  j["n"] = r.overall.n;
  j["speakers"] = r.overall.speakers;
  j["wa"] = r.overall.wa;
  j["uar"] = r.overall.uar;
  j["wa_ci95"] = intervalJson(r.overall.waCi95);
  j["uar_ci95"] = intervalJson(r.overall.uarCi95);
  j["macro_f1"] = r.macroF1;
  j["macro_f1_ci95"] = intervalJson(r.macroF1Ci95);
  j["chance"] = r.chance();
  j["confusion"] = r.confusion;
  j["intervals"] = {{"method", "percentile bootstrap over speakers (each speaker keeps its clips); "
                               "per speaker: Wilson interval over the speaker's clips"},
                    {"confidence", 0.95},
                    {"min_speakers", MetricsReportOptions{}.minSpeakersForInterval}};

  json perClass = json::object();
  for (std::size_t c = 0; c < r.labels.size() && c < r.perClass.size(); ++c) {
    const ClassStats& s = r.perClass[c];
    perClass[r.labels[c]] = {{"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1},
                             {"support", s.support}};
  }
  j["per_class"] = perClass;

  json perSex = json::object();
  for (const auto& [sex, m] : r.perSex) perSex[toString(sex)] = groupJson(m);
  j["per_sex"] = perSex;

  if (r.sexGap)
    j["sex_gap"] = {{"female_minus_male_wa", r.sexGap->femaleMinusMaleWa},
                    {"ci95", intervalJson(r.sexGap->ci95)}};
  else
    j["sex_gap"] = nullptr;

  json perSpeaker = json::object();
  for (const auto& [speaker, m] : r.perSpeaker) perSpeaker[speaker] = groupJson(m);
  j["per_speaker"] = perSpeaker;

  json perCorpus = json::object();
  for (const auto& [corpus, m] : r.perCorpus) perCorpus[corpus] = groupJson(m);
  j["per_corpus"] = perCorpus;

  // per_class_by_sex keeps its version-1 meaning (recall or null); the detail beside it adds
  // the counts and the interval.
  json bySex = json::object(), detail = json::object();
  for (std::size_t c = 0; c < r.labels.size() && c < r.perClassBySex.size(); ++c) {
    json entry = json::object(), entryDetail = json::object();
    for (const auto& [sex, recall] : r.perClassBySex[c]) {
      entry[toString(sex)] = recall ? json(recall->recall) : json(nullptr);
      entryDetail[toString(sex)] =
          recall ? json{{"recall", recall->recall}, {"n", recall->n}, {"speakers", recall->speakers},
                        {"ci95", intervalJson(recall->ci95)}}
                 : json(nullptr);
    }
    bySex[r.labels[c]] = entry;
    detail[r.labels[c]] = entryDetail;
  }
  j["per_class_by_sex"] = bySex;
  j["per_class_by_sex_detail"] = detail;

  j["split"] = toJson(record.split);

  j["model"] = record.model;
  j["experiment"] = record.experimentName;
  j["seed"] = record.seed;
  j["synthetic"] = record.synthetic;
  const TrainingFacts& t = record.training;
  if (!t.device.empty()) j["device"] = t.device;
  if (!t.precision.empty()) j["precision"] = t.precision;
  if (t.trainSeconds >= 0) j["train_seconds"] = t.trainSeconds;
  if (t.samplesPerSecond >= 0) j["train_samples_per_second"] = t.samplesPerSecond;
  if (t.bestEpoch > 0) j["best_epoch"] = t.bestEpoch;
  if (t.epochs > 0) j["epochs"] = t.epochs;
  if (t.parameters > 0) j["parameters"] = t.parameters;
  if (!t.stop.empty()) j["stop"] = t.stop;
  if (!t.encoderFile.empty()) j["encoder"] = {{"file", t.encoderFile}, {"hash", t.encoderHash}};
  if (t.svmC)
    j["svm"] = {{"c", *t.svmC}, {"gamma", t.svmGamma.value_or(0.0)},
                {"validation_uar", t.svmValidationUar.value_or(0.0)}};
  if (record.evaluation) {
    j["checkpoint"] = record.evaluation->checkpoint;
    j["left_out_labels"] = record.evaluation->leftOutLabels;
  }
  j["failed_clips"] = record.failedClips;
  return j;
}

std::string curvesCsv(const std::vector<EpochStats>& curves) {
  std::ostringstream os;
  os << "epoch,train_loss,train_acc,val_loss,val_acc,val_uar,lr,seconds\n";
  os << std::setprecision(9);
  for (const auto& s : curves)
    os << s.epoch << ',' << s.train_loss << ',' << s.train_acc << ',' << s.val_loss << ','
       << s.val_acc << ',' << s.val_uar << ',' << s.lr << ',' << s.seconds << '\n';
  return os.str();
}

void writeRunRecord(const fs::path& dir, const RunRecord& record) {
  writePredictionsCsv(dir / "predictions.csv", record.predictions, record.metrics.labels);
  if (!record.curves.empty()) writeFileAtomic(dir / "curves.csv", curvesCsv(record.curves));
  // metrics.json last: its presence marks a finished run (isRunFolder).
  writeFileAtomic(dir / "metrics.json", dumpJson(metricsJson(record), 2) + "\n");
}

void readMetricsJson(const json& m, const fs::path& file, RunRecord& record) {
  const Reader rd(file);
  if (!m.is_object()) throw rd.corrupt("not a JSON object");
  const double version = rd.number(m, "format_version", "", 1.0);
  if (version > kRunRecordFormatVersion)
    throw Error("Run file " + file.string() + " was written by a newer serwb (format version " +
                std::to_string(int(version)) + "; this serwb reads up to " +
                std::to_string(kRunRecordFormatVersion) + ")");
  record.formatVersion = int(version);

  MetricsReport& r = record.metrics;
  r.labels = rd.strings(m, "labels");
  if (r.labels.empty()) throw rd.corrupt("'labels' must be a non-empty array");
  const std::size_t k = r.labels.size();
  for (const char* key : {"wa", "uar"})
    if (m.contains(key) && !m[key].is_number()) throw rd.corrupt(std::string("'") + key + "' is not a number");
  r.overall.n = rd.count(m, "n", "");
  r.overall.speakers = rd.count(m, "speakers", "");
  r.overall.wa = rd.number(m, "wa", "", 0.0);
  r.overall.uar = rd.number(m, "uar", "", 0.0);
  r.overall.waCi95 = rd.interval(m, "wa_ci95", "");
  r.overall.uarCi95 = rd.interval(m, "uar_ci95", "");
  r.macroF1 = rd.number(m, "macro_f1", "", 0.0);
  r.macroF1Ci95 = rd.interval(m, "macro_f1_ci95", "");  // absent before this release

  r.confusion.assign(k, std::vector<std::size_t>(k, 0));
  if (m.contains("confusion")) {
    const json& c = m["confusion"];
    if (!c.is_array() || c.size() != k)
      throw rd.corrupt("'confusion' must have one row per label (" + std::to_string(k) + ")");
    for (std::size_t i = 0; i < k; ++i) {
      if (!c[i].is_array() || c[i].size() != k)
        throw rd.corrupt("'confusion' must be " + std::to_string(k) + " x " + std::to_string(k));
      for (std::size_t j = 0; j < k; ++j) {
        const json& v = c[i][j];
        if (!jsonIsIntegerOf<std::size_t>(v))  // 8.9e39 is a number but no count
          throw rd.corrupt("'confusion' holds a non-count");
        r.confusion[i][j] = v.get<std::size_t>();
      }
    }
  }
  r.perClass = classStats(r.confusion);

  for (const auto& [key, value] : rd.object(m, "per_sex").items()) {
    const Sex sex = sexKey(key);
    if (sex != Sex::Unknown) r.perSex[sex] = rd.group(value, "per_sex." + key);
  }
  if (m.contains("sex_gap") && m["sex_gap"].is_object()) {
    SexGap gap;
    gap.femaleMinusMaleWa = rd.number(m["sex_gap"], "female_minus_male_wa", "sex_gap.", 0.0);
    gap.ci95 = rd.interval(m["sex_gap"], "ci95", "sex_gap.");
    r.sexGap = gap;
  }
  for (const auto& [key, value] : rd.object(m, "per_speaker").items())
    r.perSpeaker[key] = rd.group(value, "per_speaker." + key);
  for (const auto& [key, value] : rd.object(m, "per_corpus").items())
    r.perCorpus[key] = rd.group(value, "per_corpus." + key);

  r.perClassBySex.assign(k, {});
  const json& bySex = rd.object(m, "per_class_by_sex");
  const json& detail = rd.object(m, "per_class_by_sex_detail");
  for (std::size_t c = 0; c < k; ++c) {
    const std::string& label = r.labels[c];
    if (!bySex.contains(label)) continue;
    if (!bySex[label].is_object()) throw rd.corrupt("'per_class_by_sex." + label + "' is not an object");
    for (const auto& [key, value] : bySex[label].items()) {
      const Sex sex = sexKey(key);
      if (sex == Sex::Unknown) continue;
      if (value.is_null()) {
        r.perClassBySex[c][sex] = std::nullopt;
        continue;
      }
      if (!value.is_number()) throw rd.corrupt("'per_class_by_sex." + label + "." + key + "' is not a number");
      ClassRecall cr;
      cr.recall = value.get<double>();
      if (detail.contains(label) && detail[label].is_object() && detail[label].contains(key) &&
          detail[label][key].is_object()) {
        const json& d = detail[label][key];
        const std::string where = "per_class_by_sex_detail." + label + "." + key + ".";
        cr.n = rd.count(d, "n", where);
        cr.speakers = rd.count(d, "speakers", where);
        cr.ci95 = rd.interval(d, "ci95", where);
      }
      r.perClassBySex[c][sex] = cr;
    }
  }

  const json& split = rd.object(m, "split");
  SplitProvenance& s = record.split;
  s.protocol = rd.text(split, "protocol");
  s.warnings = rd.strings(split, "warnings");
  s.trainSpeakers = rd.strings(split, "train_speakers");
  s.validationSpeakers = rd.strings(split, "validation_speakers");
  s.testSpeakers = rd.strings(split, "test_speakers");
  s.trainCorpora = rd.strings(split, "train_corpora");
  s.testCorpora = rd.strings(split, "test_corpora");
  s.trainClips = rd.count(split, "train_clips", "split.");
  s.validationClips = rd.count(split, "validation_clips", "split.");
  s.testClips = rd.count(split, "test_clips", "split.");
  if (record.formatVersion >= 2) {
    s.known = rd.flag(split, "provenance_known", "split.", false);
    s.testSpeakersSeen = rd.strings(split, "test_speakers_seen_in_training");
  } else {
    // Version 1: a training run listed its speakers, so the overlap can be computed; an
    // evaluation did not record what the model was trained on.
    s.known = split.contains("train_speakers");
    s.settle();
  }
  if (s.protocol.empty() && m.contains("checkpoint")) s.protocol = "evaluation";

  record.model = rd.text(m, "model");
  record.experimentName = rd.text(m, "experiment");
  if (m.contains("seed") && m["seed"].is_number_unsigned())
    record.seed = m["seed"].get<std::uint64_t>();
  else
    record.seed = std::uint64_t(rd.whole(m, "seed", "", 0.0, Reader::kMaxCount, 0.0));
  record.synthetic = rd.flag(m, "synthetic", "", false);
  TrainingFacts& t = record.training;
  t.device = rd.text(m, "device");
  t.precision = rd.text(m, "precision");
  t.trainSeconds = rd.number(m, "train_seconds", "", -1.0);
  t.samplesPerSecond = rd.number(m, "train_samples_per_second", "", -1.0);
  t.bestEpoch = int(rd.whole(m, "best_epoch", "", 0.0, 1e9, 0.0));
  t.epochs = int(rd.whole(m, "epochs", "", 0.0, 1e9, 0.0));
  t.parameters = static_cast<long long>(rd.whole(m, "parameters", "", 0.0, Reader::kMaxCount, 0.0));
  t.stop = rd.text(m, "stop");
  if (m.contains("encoder") && m["encoder"].is_object()) {
    t.encoderFile = rd.text(m["encoder"], "file");
    t.encoderHash = rd.text(m["encoder"], "hash");
  }
  if (m.contains("svm") && m["svm"].is_object()) {
    t.svmC = rd.number(m["svm"], "c", "svm.", 0.0);
    t.svmGamma = rd.number(m["svm"], "gamma", "svm.", 0.0);
    t.svmValidationUar = rd.number(m["svm"], "validation_uar", "svm.", 0.0);
  }
  if (m.contains("checkpoint")) {
    EvaluationFacts e;
    e.checkpoint = rd.text(m, "checkpoint");
    e.leftOutLabels = rd.count(m, "left_out_labels", "");
    record.evaluation = e;
  }
  record.failedClips = rd.count(m, "failed_clips", "");
}

std::vector<EpochStats> readCurvesCsv(const fs::path& file) { return readCurves(file); }

bool isRunFolder(const std::string& dir) { return fs::is_regular_file(fs::path(dir) / "metrics.json"); }

namespace {
// config.json marks the demo corpus synthetic, as a whole or per corpus (older runs' metrics.json
// may lack the flag).
bool configFlagsSynthetic(const json& config) {
  auto flagged = [](const json& j) {
    return j.is_object() && j.contains("synthetic") && j["synthetic"].is_boolean() && j["synthetic"].get<bool>();
  };
  if (!config.is_object()) return false;
  bool synthetic = flagged(config);
  if (config.contains("corpora") && config["corpora"].is_array())
    for (const auto& c : config["corpora"]) synthetic = synthetic || flagged(c);
  return synthetic;
}
}  // namespace

bool trainedOnSyntheticData(const std::string& model) {
  const fs::path dir = fs::path(model).parent_path();
  if (!isRunFolder(dir.string())) return false;
  try {
    RunRecord record;
    readMetricsJson(readJsonFile(dir / "metrics.json"), dir / "metrics.json", record);
    return record.synthetic || (fs::is_regular_file(dir / "config.json") &&
                                configFlagsSynthetic(readJsonFile(dir / "config.json")));
  } catch (const std::exception&) {
    return false;  // a damaged folder: opening it as a run says what is wrong
  }
}

RunRecord loadRunRecord(const std::string& dir) {
  RunRecord record;
  record.path = dir;
  if (!fs::is_directory(record.path)) throw Error("Run folder not found: " + dir);
  record.config = readJsonFile(record.path / "config.json");
  const fs::path metricsFile = record.path / "metrics.json";
  readMetricsJson(readJsonFile(metricsFile), metricsFile, record);
  record.synthetic = record.synthetic || configFlagsSynthetic(record.config);

  const fs::path predictionsFile = record.path / "predictions.csv";
  if (!fs::exists(predictionsFile)) throw Error("Missing run file: " + predictionsFile.string());
  PredictionTable table;
  try {
    table = readPredictionsCsv(predictionsFile);
  } catch (const Error& e) {
    throw Error(std::string("Corrupt run file: ") + e.what());
  }
  if (table.labels != record.metrics.labels)
    throw Error("Corrupt run file: " + predictionsFile.string() + ": the p_<label> columns (" +
                joinStrings(table.labels) + ") are not the labels of metrics.json (" +
                joinStrings(record.metrics.labels) + "), in that order");
  record.predictions = std::move(table.predictions);
  record.curves = readCurves(record.path / "curves.csv");

  if (record.formatVersion < 2 && !record.predictions.empty()) {
    // Written before intervals were drawn over speakers: recompute the figures from the clips
    // (same point estimates, honest intervals), keep the rest as written.
    const std::vector<std::string> labels = record.metrics.labels;
    record.metrics = computeReport(record.predictions, labels);
    record.split.warnings.push_back(
        "written by an older serwb: intervals recomputed over speakers from predictions.csv" +
        std::string(record.split.known ? "" : "; which speakers trained the model is not recorded"));
  }
  return record;
}

}  // namespace ser
