#include "core/pipeline/study.h"

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/corpus/corpus_spec.h"

namespace ser {

namespace fs = std::filesystem;

namespace {

// The study's base experiment: the common label set (the study compares corpora), its seed.
Experiment studyBase(const StudyOptions& o) {
  Experiment base;
  base.labels = LabelSetKind::Common6;
  base.labelPolicy = o.labelPolicy;
  base.frontEnd = o.frontEnd;
  base.training = o.training;
  base.seed = o.seed;
  base.cache = o.cache;
  return base;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

nlohmann::json row(const std::string& id, const std::string& model, const std::string& train,
                   const std::string& test, const std::string& protocol, const RunOutcome& run,
                   const fs::path& studyDir) {
  const nlohmann::json& m = run.metrics;
  nlohmann::json r = {{"experiment", id},
                      {"model", model},
                      {"train", train},
                      {"test", test},
                      {"protocol", protocol},
                      {"n", m.value("n", 0)},
                      {"wa", m.value("wa", 0.0)},
                      {"uar", m.value("uar", 0.0)},
                      {"wa_ci95", m.value("wa_ci95", nlohmann::json())},
                      {"uar_ci95", m.value("uar_ci95", nlohmann::json())},
                      {"run_dir", fs::relative(run.dir, studyDir).string()}};
  if (m.contains("per_sex")) {
    for (const char* sex : {"male", "female"})
      if (m["per_sex"].contains(sex)) r[std::string("wa_") + sex] = m["per_sex"][sex]["wa"];
  }
  r["sex_gap"] = m.value("sex_gap", nlohmann::json());
  return r;
}

std::string pct(const nlohmann::json& v) {
  if (!v.is_number()) return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << 100.0 * v.get<double>();
  return os.str();
}

}  // namespace

SplitSpec studyHeldOut(const StudyOptions& options, const CorpusSpec& corpus, const Corpus& scanned) {
  Experiment e = studyBase(options);
  e.corpora = {corpus};
  return defaultHeldOut(e, scanned.clips);
}

std::string studyTableMarkdown(const nlohmann::json& table) {
  std::ostringstream os;
  os << "# SER Workbench: the study, reproduced\n\n";
  if (table.value("synthetic", false))
    os << "**SYNTHETIC demo data** (written by `serwb make-demo`): these figures say nothing "
          "about real speech.\n\n";
  os << "All rows use the common 6-class label set (neutral, happy, sad, angry, fearful, "
        "disgust). WA = accuracy, UAR = unweighted average recall, in %; 95% bootstrap "
        "intervals in brackets. The random protocol mixes speakers across training and test "
        "(as the original study most likely did): its figures are optimistic.\n\n";
  os << "| # | model | train | test | protocol | n | WA | UAR | WA male | WA female | "
        "female - male |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : table["rows"]) {
    auto ci = [](const nlohmann::json& v) {
      return v.is_array() && v.size() == 2 ? " [" + pct(v[0]) + ", " + pct(v[1]) + "]" : std::string();
    };
    std::string gap = "-";
    if (r.contains("sex_gap") && r["sex_gap"].is_object())
      gap = pct(r["sex_gap"]["female_minus_male_wa"]) + ci(r["sex_gap"]["ci95"]);
    os << "| " << r.value("experiment", "") << " | " << r.value("model", "") << " | "
       << r.value("train", "") << " | " << r.value("test", "") << " | "
       << r.value("protocol", "") << " | " << r.value("n", 0) << " | " << pct(r["wa"])
       << ci(r["wa_ci95"]) << " | " << pct(r["uar"]) << ci(r["uar_ci95"]) << " | "
       << pct(r.value("wa_male", nlohmann::json())) << " | "
       << pct(r.value("wa_female", nlohmann::json())) << " | " << gap << " |\n";
  }
  if (!table["skipped"].empty()) {
    os << "\nSkipped:\n";
    for (const auto& s : table["skipped"]) os << "- " << s.get<std::string>() << "\n";
  }
  return os.str();
}

StudyOutcome reproduceStudy(const StudyOptions& o, RunListener* listener, TrainingObserver* observer,
                            ProgressReporter* progress, const CancelFlag* cancel) {
  if (o.ravdess.empty()) throw Error("reproduce needs a RAVDESS-layout corpus (--ravdess DIR)");
  if (o.outDir.empty()) throw Error("reproduce needs an output folder (--out DIR)");
  const fs::path studyDir(o.outDir);
  std::error_code ec;
  fs::create_directories(studyDir, ec);
  if (ec) throw Error("cannot create study folder '" + studyDir.string() + "': " + ec.message());

  CorpusSpec ravdess;
  ravdess.reader = CorpusReader::Ravdess;
  ravdess.path = o.ravdess;
  CorpusSpec crema;
  crema.reader = CorpusReader::CremaD;
  crema.path = o.cremaD;
  const bool haveCrema = !o.cremaD.empty();

  const Experiment base = studyBase(o);
  const Corpus rCorpus = loadCorpora({ravdess}, o.labelPolicy);
  const std::string rName = rCorpus.clips.front().corpus;
  bool synthetic = rCorpus.synthetic;
  const SplitSpec rHeld = studyHeldOut(o, ravdess, rCorpus);
  std::string cName;
  SplitSpec cHeld;
  if (haveCrema) {
    const Corpus cCorpus = loadCorpora({crema}, o.labelPolicy);
    cName = cCorpus.clips.front().corpus;
    synthetic = synthetic || cCorpus.synthetic;
    cHeld = studyHeldOut(o, crema, cCorpus);
  }
  const std::string net = toString(o.network);

  StudyOutcome outcome;
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json skipped = nlohmann::json::array();
  auto writeTable = [&] {
    outcome.table = {{"rows", rows}, {"skipped", skipped}, {"synthetic", synthetic},
                     {"ravdess", o.ravdess}, {"crema_d", o.cremaD}, {"seed", o.seed}};
    writeFileAtomic(studyDir / "table.json", outcome.table.dump(2) + "\n");
    writeFileAtomic(studyDir / "table.md", studyTableMarkdown(outcome.table));
  };
  auto run = [&](Experiment e, const std::string& folder) -> RunOutcome {
    if (listener) listener->onStage("experiment " + folder);
    RunOptions ro;
    ro.outDir = (studyDir / folder).string();
    ro.progress = progress;
    ro.observer = observer;
    ro.listener = listener;
    ro.cancel = cancel;
    e.name = folder;
    RunOutcome r = runExperiment(e, ro);
    if (r.cancelled) outcome.cancelled = true;
    return r;
  };

  std::vector<SplitProtocol> protocols = {SplitProtocol::Speakers};
  if (o.randomSplitToo) protocols.push_back(SplitProtocol::Random);
  for (SplitProtocol protocol : protocols) {
    const std::string p = toString(protocol);
    const std::string tag = protocol == SplitProtocol::Speakers ? "speaker-independent" : "random split";
    SplitSpec rSplit;
    rSplit.protocol = protocol;
    if (protocol == SplitProtocol::Speakers) {
      rSplit.testSpeakers = rHeld.testSpeakers;
      rSplit.validationSpeakers = rHeld.validationSpeakers;
    }

    // 1. Hybrid SVM, RAVDESS -> RAVDESS.
    Experiment e1 = base;
    e1.corpora = {ravdess};
    e1.split = rSplit;
    e1.model = ExperimentModel::Svm;
    const RunOutcome r1 = run(e1, "1-svm-ravdess-" + p);
    if (outcome.cancelled) break;
    rows.push_back(row("1", "svm", rName, rName, tag, r1, studyDir));
    writeTable();

    // 2. Network, RAVDESS -> RAVDESS.
    Experiment e2 = e1;
    e2.model = o.network;
    const RunOutcome r2 = run(e2, "2-" + net + "-ravdess-" + p);
    if (outcome.cancelled) break;
    rows.push_back(row("2", net, rName, rName, tag, r2, studyDir));
    writeTable();

    if (!haveCrema) {
      skipped.push_back("3 (" + p + "): " + net + " " + rName + " -> CREMA-D: no CREMA-D corpus given (--crema-d DIR)");
      skipped.push_back("4 (" + p + "): " + net + " " + rName + " + CREMA-D -> CREMA-D: no CREMA-D corpus given");
      writeTable();
      continue;
    }

    // 3. Experiment 2's model on the held-out CREMA-D speakers.
    EvaluateOptions eo;
    eo.checkpoint = r2.checkpoint;
    eo.corpora = {crema};
    eo.speakers = cHeld.testSpeakers;
    eo.outDir = (studyDir / ("3-" + net + "-ravdess-to-crema-d-" + p)).string();
    eo.cache = o.cache;
    eo.progress = progress;
    eo.listener = listener;
    eo.cancel = cancel;
    if (listener) listener->onStage("experiment 3-" + net + "-ravdess-to-crema-d-" + p);
    const RunOutcome r3 = evaluateCheckpoint(eo);
    if (r3.cancelled) {
      outcome.cancelled = true;
      break;
    }
    rows.push_back(row("3", net, rName, cName, tag, r3, studyDir));
    writeTable();

    // 4. The generalist: RAVDESS + CREMA-D -> CREMA-D (same held-out CREMA-D speakers).
    Experiment e4 = base;
    e4.corpora = {ravdess, crema};
    e4.model = o.network;
    e4.split.protocol = protocol;
    e4.testCorpora = {cName};
    if (protocol == SplitProtocol::Speakers) {
      e4.split.testSpeakers = concat(rHeld.testSpeakers, cHeld.testSpeakers);
      e4.split.validationSpeakers = concat(rHeld.validationSpeakers, cHeld.validationSpeakers);
    }
    const RunOutcome r4 = run(e4, "4-" + net + "-ravdess+crema-d-" + p);
    if (outcome.cancelled) break;
    rows.push_back(row("4", net, rName + " + " + cName, cName, tag, r4, studyDir));
    writeTable();
  }
  writeTable();
  return outcome;
}

}  // namespace ser
