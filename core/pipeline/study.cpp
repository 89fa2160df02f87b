#include "core/pipeline/study.h"

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/json_text.h"
#include "core/corpus/corpus_spec.h"
#include "core/pipeline/output_folder.h"

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

}  // namespace

SplitSpec studyHeldOut(const StudyOptions& options, const CorpusSpec& corpus, const Corpus& scanned) {
  Experiment e = studyBase(options);
  e.corpora = {corpus};
  return defaultHeldOut(e, scanned.clips);
}

StudyOutcome reproduceStudy(const StudyOptions& o, RunListener* listener, TrainingObserver* observer,
                            ProgressReporter* progress, const CancelFlag* cancel) {
  if (o.ravdess.empty()) throw Error("reproduce needs a RAVDESS-layout corpus (--ravdess DIR)");
  if (o.outDir.empty()) throw Error("reproduce needs an output folder (--out DIR)");
  OutputFolderPolicy policy;
  policy.overwrite = o.overwrite;
  policy.inputs = {"demo-corpora"};
  OutputFolder folder(o.outDir, policy, "study");
  const fs::path studyDir = folder.workDir();
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
  StudyTable& table = outcome.table;
  table.path = studyDir;
  table.synthetic = synthetic;
  table.ravdess = o.ravdess;
  table.cremaD = o.cremaD;
  table.seed = o.seed;
  auto writeTable = [&] {
    writeFileAtomic(studyDir / "table.json", dumpJson(toJson(table), 2) + "\n");
    writeFileAtomic(studyDir / "table.md", studyTableMarkdown(table));
  };
  auto addRow = [&](const std::string& experiment, const std::string& suffix, const std::string& train,
                    const std::string& test, const std::string& tag, const RunOutcome& r) {
    table.rows.push_back(studyRow(experiment + suffix, experiment, train, test, tag, *r.record, studyDir));
    writeTable();
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
    const std::string suffix = protocol == SplitProtocol::Speakers ? "" : "r";  // unique row ids
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
    addRow("1", suffix, rName, rName, tag, r1);

    // 2. Network, RAVDESS -> RAVDESS.
    Experiment e2 = e1;
    e2.model = o.network;
    const RunOutcome r2 = run(e2, "2-" + net + "-ravdess-" + p);
    if (outcome.cancelled) break;
    addRow("2", suffix, rName, rName, tag, r2);

    if (!haveCrema) {
      table.skipped.push_back("3" + suffix + " (" + p + "): " + net + " " + rName +
                              " -> CREMA-D: no CREMA-D corpus given (--crema-d DIR)");
      table.skipped.push_back("4" + suffix + " (" + p + "): " + net + " " + rName +
                              " + CREMA-D -> CREMA-D: no CREMA-D corpus given");
      writeTable();
      continue;
    }

    // 3. Experiment 2's model on the held-out CREMA-D speakers.
    EvaluateOptions eo;
    eo.checkpoint = r2.checkpoint;
    eo.recordedCheckpoint =
        (fs::path(o.outDir) / fs::relative(r2.checkpoint, studyDir)).lexically_normal().string();
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
    addRow("3", suffix, rName, cName, tag, r3);

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
    addRow("4", suffix, rName + " + " + cName, cName, tag, r4);
  }
  writeTable();
  // A cancelled replacement is dropped (the old study stays); in place, what was done is kept.
  if (!outcome.cancelled) folder.commit();
  return outcome;
}

}  // namespace ser
