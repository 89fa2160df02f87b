#include "core/pipeline/cross_validation.h"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <system_error>
#include <type_traits>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/json_number.h"
#include "core/base/json_text.h"
#include "core/base/text.h"
#include "core/corpus/corpus_spec.h"
#include "core/metrics/metrics_report.h"
#include "core/metrics/predictions_csv.h"
#include "core/runs/run_record.h"

namespace ser {

namespace fs = std::filesystem;

namespace {

// Reads j[key] as T, naming the key on absence or a wrong type.
template <typename T>
T need(const nlohmann::json& j, const std::string& where, const char* key) {
  const std::string path = where.empty() ? key : where + "." + key;
  if (!j.is_object() || !j.contains(key)) throw Error("summary.json: no '" + path + "'");
  // A float into an integer (1e40 into a count) would be undefined behaviour, 1.7 a truncation.
  bool wholeNumbers = true;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    wholeNumbers = !j.at(key).is_number() || jsonIsIntegerOf<T>(j.at(key));
  } else if constexpr (std::is_same_v<T, ConfusionMatrix>) {
    if (j.at(key).is_array())
      for (const auto& row : j.at(key))
        if (row.is_array())
          for (const auto& v : row) wholeNumbers = wholeNumbers && (!v.is_number() || jsonIsIntegerOf<std::size_t>(v));
  }
  if (!wholeNumbers) throw Error("summary.json: '" + path + "' is not a whole number within range");
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Error("summary.json: '" + path + "' has the wrong type: " + j.at(key).dump());
  }
}

std::optional<Interval> summaryInterval(const nlohmann::json& j, const char* key, const std::string& where) {
  return intervalFromJson(j, key, "summary.json: ", where.empty() ? key : where + "." + key);
}

nlohmann::json groupJson(const GroupMetrics& g) {
  return {{"n", g.n},   {"speakers", g.speakers}, {"wa", g.wa}, {"uar", g.uar},
          {"wa_ci95", intervalJson(g.waCi95)}, {"uar_ci95", intervalJson(g.uarCi95)}};
}

GroupMetrics groupFromJson(const nlohmann::json& j, const std::string& where) {
  GroupMetrics g;
  g.n = need<std::size_t>(j, where, "n");
  g.wa = need<double>(j, where, "wa");
  g.uar = need<double>(j, where, "uar");
  if (j.contains("speakers")) g.speakers = need<std::size_t>(j, where, "speakers");
  g.waCi95 = summaryInterval(j, "wa_ci95", where);
  g.uarCi95 = summaryInterval(j, "uar_ci95", where);
  return g;
}

// The experiment as compared between runs: what decides the results (not its name, the cache
// folder or the thread count).
nlohmann::json comparable(const Experiment& e) {
  nlohmann::json j = toJson(e);
  j.erase("name");
  j.erase("cache");
  if (j.contains("training")) j["training"].erase("threads");
  return j;
}

// Refuses `dir` when its experiment.json holds another experiment than `e`; returns whether one
// is there (the same).
bool sameExperimentOrAbsent(const fs::path& dir, const Experiment& e, const std::string& what) {
  const fs::path file = dir / "experiment.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return false;
  nlohmann::json held;
  try {
    held = comparable(experimentFromJson(nlohmann::json::parse(readFile(file))));
  } catch (const std::exception& ex) {
    throw Error("'" + file.string() + "' cannot be read (" + ex.what() + "); the " + what +
                " folder holds something else: use another output folder or remove it");
  }
  const nlohmann::json patch = nlohmann::json::diff(held, comparable(e));
  if (!patch.empty())
    throw Error("'" + dir.string() + "' holds a " + what + " of a different experiment (" +
                patch.front().value("path", std::string("?")) +
                " differs): use another output folder, or remove it to start again");
  return true;
}

// A fold folder that holds a finished run of `e`: its metrics.json and predictions.csv exist.
bool finishedFold(const fs::path& dir, const Experiment& e) {
  if (!sameExperimentOrAbsent(dir, e, "fold run")) return false;
  std::error_code ec;
  return fs::exists(dir / "metrics.json", ec) && fs::exists(dir / "predictions.csv", ec) &&
         fs::exists(dir / "config.json", ec);
}

Experiment experimentOfFold(const Experiment& e, int fold, int folds) {
  Experiment out = e;
  out.split.fold = fold - 1;
  out.name = e.name + " (fold " + std::to_string(fold) + " of " + std::to_string(folds) + ")";
  return out;
}

}  // namespace

MeanSd meanAndSampleSd(const std::vector<double>& values) {
  MeanSd out;
  if (values.empty()) return out;
  double sum = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / double(values.size());
  if (values.size() < 2) return out;
  double sq = 0.0;
  for (double v : values) sq += (v - out.mean) * (v - out.mean);
  out.sd = std::sqrt(sq / double(values.size() - 1));
  return out;
}

nlohmann::json toJson(const CrossValidationSummary& s) {
  nlohmann::json perFold = nlohmann::json::array();
  for (const FoldSummary& f : s.folds)
    perFold.push_back({{"fold", f.fold},
                       {"dir", "fold-" + std::to_string(f.fold)},
                       {"test_speakers", f.testSpeakers},
                       {"n", f.n},
                       {"wa", f.wa},
                       {"uar", f.uar},
                       {"macro_f1", f.macroF1}});
  nlohmann::json perSex = nlohmann::json::object();
  for (const auto& [sex, g] : s.perSex) perSex[toString(sex)] = groupJson(g);
  nlohmann::json pooled = groupJson(s.pooled);
  pooled["macro_f1"] = s.pooledMacroF1;
  return {{"format_version", s.formatVersion},
          {"experiment", s.experiment},
          {"model", s.model},
          {"seed", s.seed},
          {"folds", s.folds.size()},
          {"folds_source", s.foldsSource},
          {"notes", s.notes},
          {"labels", s.labels},
          {"synthetic", s.synthetic},
          {"wa_mean", s.waMean},
          {"wa_sd", s.waSd},
          {"uar_mean", s.uarMean},
          {"uar_sd", s.uarSd},
          {"macro_f1_mean", s.macroF1Mean},
          {"macro_f1_sd", s.macroF1Sd},
          {"sd", "sample (n - 1)"},
          {"per_fold", perFold},
          {"pooled", pooled},
          {"confusion", s.confusion},
          {"per_sex", perSex},
          {"female_minus_male_wa",
           s.femaleMinusMaleWa ? nlohmann::json(*s.femaleMinusMaleWa) : nlohmann::json()},
          {"female_minus_male_wa_ci95", intervalJson(s.femaleMinusMaleWaCi95)}};
}

CrossValidationSummary crossValidationSummaryFromJson(const nlohmann::json& j) {
  CrossValidationSummary s;
  s.formatVersion = need<int>(j, "", "format_version");
  if (s.formatVersion > CrossValidationSummary::kFormatVersion)
    throw Error("summary.json: format_version " + std::to_string(s.formatVersion) +
                " was written by a newer serwb (this one reads up to " +
                std::to_string(CrossValidationSummary::kFormatVersion) + ")");
  s.experiment = need<std::string>(j, "", "experiment");
  s.model = need<std::string>(j, "", "model");
  s.seed = need<std::uint32_t>(j, "", "seed");
  s.foldsSource = need<std::string>(j, "", "folds_source");
  s.notes = need<std::vector<std::string>>(j, "", "notes");
  s.labels = need<std::vector<std::string>>(j, "", "labels");
  s.synthetic = need<bool>(j, "", "synthetic");
  s.waMean = need<double>(j, "", "wa_mean");
  s.waSd = need<double>(j, "", "wa_sd");
  s.uarMean = need<double>(j, "", "uar_mean");
  s.uarSd = need<double>(j, "", "uar_sd");
  s.macroF1Mean = need<double>(j, "", "macro_f1_mean");
  s.macroF1Sd = need<double>(j, "", "macro_f1_sd");
  const auto rows = need<nlohmann::json>(j, "", "per_fold");
  if (!rows.is_array()) throw Error("summary.json: 'per_fold' must be a list");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string where = "per_fold[" + std::to_string(i) + "]";
    FoldSummary f;
    f.fold = need<int>(rows[i], where, "fold");
    f.testSpeakers = need<std::vector<std::string>>(rows[i], where, "test_speakers");
    f.n = need<std::size_t>(rows[i], where, "n");
    f.wa = need<double>(rows[i], where, "wa");
    f.uar = need<double>(rows[i], where, "uar");
    f.macroF1 = need<double>(rows[i], where, "macro_f1");
    s.folds.push_back(std::move(f));
  }
  if (need<std::size_t>(j, "", "folds") != s.folds.size())
    throw Error("summary.json: 'folds' is " + j.at("folds").dump() + " but 'per_fold' has " +
                std::to_string(s.folds.size()) + " rows");
  const auto pooled = need<nlohmann::json>(j, "", "pooled");
  s.pooled = groupFromJson(pooled, "pooled");
  s.pooledMacroF1 = need<double>(pooled, "pooled", "macro_f1");
  s.confusion = need<ConfusionMatrix>(j, "", "confusion");
  if (s.confusion.size() != s.labels.size())
    throw Error("summary.json: 'confusion' has " + std::to_string(s.confusion.size()) +
                " rows for " + std::to_string(s.labels.size()) + " labels");
  for (const auto& row : s.confusion)
    if (row.size() != s.labels.size())
      throw Error("summary.json: 'confusion' is not " + std::to_string(s.labels.size()) +
                  " x " + std::to_string(s.labels.size()));
  const auto perSex = need<nlohmann::json>(j, "", "per_sex");
  for (const Sex sex : {Sex::Male, Sex::Female})
    if (perSex.contains(toString(sex)))
      s.perSex[sex] = groupFromJson(perSex[toString(sex)], "per_sex." + toString(sex));
  if (!j.contains("female_minus_male_wa"))
    throw Error("summary.json: no 'female_minus_male_wa'");
  if (!j["female_minus_male_wa"].is_null())
    s.femaleMinusMaleWa = need<double>(j, "", "female_minus_male_wa");
  s.femaleMinusMaleWaCi95 = summaryInterval(j, "female_minus_male_wa_ci95", "");
  return s;
}

void writeCrossValidationSummary(const fs::path& file, const CrossValidationSummary& summary) {
  writeFileAtomic(file, dumpJson(toJson(summary), 2) + "\n");
}

CrossValidationSummary readCrossValidationSummary(const fs::path& file) {
  try {
    return crossValidationSummaryFromJson(nlohmann::json::parse(readFile(file)));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error("'" + file.string() + "': not valid JSON (" + e.what() + ")");
  } catch (const Error& e) {
    throw Error("'" + file.string() + "': " + e.what());
  }
}

CrossValidationSummary summariseFolds(const std::vector<fs::path>& dirs,
                                      const std::vector<std::vector<std::string>>& testSpeakers) {
  if (dirs.empty()) throw Error("cross-validation: no folds to summarise");
  CrossValidationSummary s;
  std::vector<Prediction> pooled;
  std::vector<double> wa, uar, f1;
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    const fs::path file = dirs[k] / "predictions.csv";
    PredictionTable table = readPredictionsCsv(file);
    if (k == 0) s.labels = table.labels;
    if (table.labels != s.labels)
      throw Error("'" + file.string() + "': labels " + joinStrings(table.labels) +
                  " differ from fold 1's " + joinStrings(s.labels));
    if (table.predictions.empty()) throw Error("'" + file.string() + "': no predictions");
    std::vector<int> truth, pred;
    for (const Prediction& p : table.predictions) {
      truth.push_back(p.truth);
      pred.push_back(p.predicted);
    }
    const int classes = int(s.labels.size());
    FoldSummary f;
    f.fold = int(k + 1);
    if (k < testSpeakers.size()) f.testSpeakers = testSpeakers[k];
    f.n = truth.size();
    f.wa = weightedAccuracy(truth, pred);
    f.uar = unweightedAverageRecall(truth, pred, classes);
    f.macroF1 = macroF1(classStats(confusionMatrix(truth, pred, classes)));
    wa.push_back(f.wa);
    uar.push_back(f.uar);
    f1.push_back(f.macroF1);
    s.folds.push_back(std::move(f));
    pooled.insert(pooled.end(), std::make_move_iterator(table.predictions.begin()),
                  std::make_move_iterator(table.predictions.end()));
  }
  const MeanSd w = meanAndSampleSd(wa), u = meanAndSampleSd(uar), m = meanAndSampleSd(f1);
  s.waMean = w.mean;
  s.waSd = w.sd;
  s.uarMean = u.mean;
  s.uarSd = u.sd;
  s.macroF1Mean = m.mean;
  s.macroF1Sd = m.sd;

  // Every clip is tested exactly once, so the pooled predictions are one test set over all
  // speakers: the same report (and speaker-bootstrap intervals) as a single run.
  const MetricsReport report = computeReport(pooled, s.labels);
  s.pooled = report.overall;
  s.confusion = report.confusion;
  s.pooledMacroF1 = report.macroF1;
  s.perSex = report.perSex;
  if (report.sexGap) {
    s.femaleMinusMaleWa = report.sexGap->femaleMinusMaleWa;
    s.femaleMinusMaleWaCi95 = report.sexGap->ci95;
  }
  return s;
}

CrossValidationOutcome runCrossValidation(const Experiment& given, const RunOptions& options) {
  Experiment e = given;
  e.split.seed = e.seed;
  e.validate();
  if (!e.split.everyFold())
    throw Error("cross-validation needs split protocol 'kfold' with fold -1 (every fold); got "
                "protocol '" + toString(e.split.protocol) + "', fold " +
                std::to_string(e.split.fold));
  if (options.outDir.empty()) throw Error("no output folder given for the cross-validation");
  const fs::path out(options.outDir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw Error("cannot create folder '" + out.string() + "': " + ec.message());
  sameExperimentOrAbsent(out, e, "cross-validation");

  RunListener* listener = options.listener;
  auto log = [listener](const std::string& line) {
    if (listener) listener->onLog(line);
  };
  CrossValidationOutcome outcome;
  outcome.dir = out.string();

  // The folds, planned on the clips as each fold's makeSplit will plan them.
  if (listener) listener->onStage("scan");
  const Corpus corpus = loadCorpora(e.corpora, e.labelPolicy, options.progress, options.cancel);
  if (isCancelled(options.cancel) || corpus.cancelled) {
    outcome.cancelled = true;
    return outcome;
  }
  const std::vector<std::string> labels = labelsFor(corpus.clips, e.labels);
  const FoldPlan plan =
      planFolds(corpus.clips, labelIndices(corpus.clips, labels, labelField(e.labels)), e.split);
  const int k = int(plan.folds.size());
  log("cross-validation: " + std::to_string(k) + " folds, " + plan.source);
  for (const std::string& note : plan.notes) log("note: " + note);
  writeFileAtomic(out / "experiment.json", dumpJson(toJson(e), 2) + "\n");

  std::vector<fs::path> dirs;
  for (int f = 1; f <= k; ++f) {
    dirs.push_back(out / ("fold-" + std::to_string(f)));
    outcome.foldDirs.push_back(dirs.back().string());
  }
  for (int f = 1; f <= k; ++f) {
    if (isCancelled(options.cancel)) {
      outcome.cancelled = true;
      return outcome;
    }
    const Experiment foldExperiment = experimentOfFold(e, f, k);
    const fs::path& dir = dirs[std::size_t(f - 1)];
    const std::string tested = joinStrings(plan.folds[std::size_t(f - 1)]);
    if (finishedFold(dir, foldExperiment)) {
      log("fold " + std::to_string(f) + " of " + std::to_string(k) + " (test " + tested +
          "): finished in " + dir.string() + ", not rerun");
      ++outcome.foldsReused;
      continue;
    }
    if (listener) listener->onStage("fold " + std::to_string(f) + " of " + std::to_string(k));
    log("fold " + std::to_string(f) + " of " + std::to_string(k) + ": test speakers " + tested);
    RunOptions foldOptions = options;
    foldOptions.outDir = dir.string();
    foldOptions.resume = options.resume && fs::exists(dir / "last.ckpt", ec);
    // An unfinished fold of this cross-validation (OUT/experiment.json matched) is rerun in place.
    foldOptions.overwrite = options.overwrite || (!foldOptions.resume && fs::exists(dir, ec));
    RunOutcome r;
    try {
      r = runExperiment(foldExperiment, foldOptions);
    } catch (const Error& err) {
      if (isCancelled(options.cancel)) {  // e.g. "cancelled while scanning"
        outcome.cancelled = true;
        return outcome;
      }
      throw Error("fold " + std::to_string(f) + " (test " + tested + "): " + err.what());
    }
    if (r.cancelled) {
      outcome.cancelled = true;
      return outcome;
    }
    ++outcome.foldsRun;
  }

  CrossValidationSummary summary = summariseFolds(dirs, plan.folds);
  summary.experiment = e.name;
  summary.model = toString(e.model);
  summary.seed = e.seed;
  summary.foldsSource = plan.source;
  summary.notes = plan.notes;
  summary.synthetic = corpus.synthetic;
  writeCrossValidationSummary(out / "summary.json", summary);
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << "cross-validation over " << k << " folds: WA "
     << 100 * summary.waMean << " +- " << 100 * summary.waSd << "%, UAR " << 100 * summary.uarMean
     << " +- " << 100 * summary.uarSd << "% (mean +- sample sd)";
  log(os.str());
  outcome.summary = std::move(summary);
  return outcome;
}

std::vector<FoldJob> planCrossValidationJobs(const Experiment& given, const RunOptions& options) {
  Experiment e = given;
  e.split.seed = e.seed;
  e.validate();
  if (!e.split.everyFold())
    throw Error("running folds as separate jobs needs split protocol 'kfold' with every fold (no --fold)");
  if (options.outDir.empty()) throw Error("no output folder given for the cross-validation");
  const fs::path out(options.outDir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw Error("cannot create folder '" + out.string() + "': " + ec.message());
  sameExperimentOrAbsent(out, e, "cross-validation");
  const Corpus corpus = loadCorpora(e.corpora, e.labelPolicy, options.progress, options.cancel);
  if (isCancelled(options.cancel) || corpus.cancelled) throw Cancelled("cancelled while scanning");
  const std::vector<std::string> labels = labelsFor(corpus.clips, e.labels);
  const FoldPlan plan =
      planFolds(corpus.clips, labelIndices(corpus.clips, labels, labelField(e.labels)), e.split);
  writeFileAtomic(out / "experiment.json", dumpJson(toJson(e), 2) + "\n");
  const int k = int(plan.folds.size());
  std::vector<FoldJob> jobs;
  for (int f = 1; f <= k; ++f) {
    FoldJob job;
    job.fold = f;
    job.experiment = experimentOfFold(e, f, k);
    job.dir = out / ("fold-" + std::to_string(f));
    job.testSpeakers = plan.folds[std::size_t(f - 1)];
    job.finished = finishedFold(job.dir, job.experiment);
    job.resume = !job.finished && options.resume && fs::exists(job.dir / "last.ckpt", ec);
    job.overwrite = !job.finished && !job.resume && (options.overwrite || fs::exists(job.dir, ec));
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace ser
