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

struct HeldOut {
  std::vector<std::string> test;
  std::vector<std::string> validation;
};

// Sex-balanced held-out speakers of one corpus, or RAVDESS's customary actors when present.
HeldOut heldOutSpeakers(const CorpusSpec& spec, CommonLabelPolicy policy, std::uint32_t seed,
                        bool ravdessPreset) {
  const Corpus corpus = loadCorpora({spec}, policy);
  SplitSpec s;
  s.seed = seed;
  if (ravdessPreset) {
    try {
      s = ravdessPresetSpec(corpus.clips);
    } catch (const Error&) {
      // Fewer than 24 actors (e.g. the development subset): choose, sex-balanced.
    }
  }
  s.seed = seed;
  if (s.testSpeakers.empty()) {
    s.testFraction = 0.2;
    s.validationFraction = 0.15;
    s.balanceSex = true;
  }
  const std::vector<std::string> labels = labelsFor(corpus.clips, LabelSetKind::Common6);
  const Split split = makeSplit(corpus.clips, labelIndices(corpus.clips, labels, LabelField::Common), s);
  return {split.testSpeakers, split.validationSpeakers};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

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

  const Corpus rCorpus = loadCorpora({ravdess}, o.labelPolicy);
  const std::string rName = rCorpus.clips.front().corpus;
  bool synthetic = rCorpus.synthetic;
  std::string cName;
  if (haveCrema) {
    const Corpus cCorpus = loadCorpora({crema}, o.labelPolicy);
    cName = cCorpus.clips.front().corpus;
    synthetic = synthetic || cCorpus.synthetic;
  }
  const HeldOut rHeld = heldOutSpeakers(ravdess, o.labelPolicy, o.seed, true);
  HeldOut cHeld;
  if (haveCrema) cHeld = heldOutSpeakers(crema, o.labelPolicy, o.seed, false);

  Experiment base;
  base.labels = LabelSetKind::Common6;
  base.labelPolicy = o.labelPolicy;
  base.frontEnd = o.frontEnd;
  base.training = o.training;
  base.seed = o.seed;
  base.cache = o.cache;
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
      rSplit.testSpeakers = rHeld.test;
      rSplit.validationSpeakers = rHeld.validation;
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
    eo.speakers = cHeld.test;
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
      e4.split.testSpeakers = concat(rHeld.test, cHeld.test);
      e4.split.validationSpeakers = concat(rHeld.validation, cHeld.validation);
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
