// One experiment model from every entry point. The GUI (the dataset wizard, then the Training
// panel's settings form), `serwb train` (its experiment builder) and `serwb reproduce` (the
// study's held-out speakers) give the same held-out speakers for the same corpus and seed; the
// GUI and `serwb train` given equivalent choices build the same experiment JSON, and running it
// from the panel and from the CLI's builder gives identical metrics and predictions.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "app/cli/train_command.h"
#include "core/corpus/corpus_reader.h"
#include "core/demo/demo_corpus.h"
#include "core/experiment/experiment.h"
#include "core/pipeline/experiment_runner.h"
#include "core/pipeline/study.h"
#include "ui/dataset/corpus_loader.h"
#include "ui/dataset/dataset_wizard.h"
#include "ui/dataset/label_split_page.h"
#include "ui/dataset/scan_page.h"
#include "ui/training/compute_info.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_form.h"

using namespace ser;

namespace {

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::string readText(const QString& path) {
  std::ifstream in(path.toStdString());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The CLI flags naming `specs` (RAVDESS and CREMA-D layouts).
std::vector<std::string> corpusFlags(const std::vector<CorpusSpec>& specs) {
  std::vector<std::string> args;
  for (const CorpusSpec& s : specs) {
    args.push_back(s.reader == CorpusReader::Ravdess ? "--ravdess" : "--crema-d");
    args.push_back(s.path);
  }
  return args;
}

}  // namespace

class TestExperimentEntryPoints : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void sameHeldOutSpeakersFromEveryEntryPoint_data();
  void sameHeldOutSpeakersFromEveryEntryPoint();
  void guiAndCliBuildTheSameExperiment_data();
  void guiAndCliBuildTheSameExperiment();
  void guiAndCliRunsGiveIdenticalMetrics();

 private:
  // Runs the dataset wizard on `specs` with its defaults (after `edit` on the label and split
  // page) and returns the experiment it built; `corpus` receives the scanned clips.
  static Experiment wizardExperiment(const std::vector<CorpusSpec>& specs,
                                     std::shared_ptr<const Corpus>* corpus,
                                     const std::function<void(LabelSplitPage*)>& edit = {});

  QTemporaryDir tmp_;
  std::vector<CorpusSpec> demo_;
};

void TestExperimentEntryPoints::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(tmp_.isValid());
  qputenv("XDG_CACHE_HOME", tmp_.filePath(QStringLiteral("cache")).toUtf8());
  DemoCorpusOptions o;
  o.actedActors = 6;
  o.crowdActors = 5;
  o.crowdSentences = 1;
  const QString demo = QDir::cleanPath(tmp_.filePath(QStringLiteral("demo")));
  makeDemoCorpus(demo.toStdString(), o);
  demo_ = demoCorpusSpecs(demo);
}

Experiment TestExperimentEntryPoints::wizardExperiment(const std::vector<CorpusSpec>& specs,
                                                       std::shared_ptr<const Corpus>* corpus,
                                                       const std::function<void(LabelSplitPage*)>& edit) {
  DatasetWizard wizard;
  for (const CorpusSpec& s : specs) wizard.addSource(s.reader, QString::fromStdString(s.path));
  wizard.show();
  QSignalSpy finished(wizard.scanPage(), &ScanPage::scanFinished);
  wizard.next();
  if (!QTest::qWaitFor([&] { return finished.count() == 1; }, 60000)) return {};
  wizard.next();
  if (wizard.currentId() != DatasetWizard::LabelSplitPageId) return {};
  if (edit) edit(wizard.labelSplitPage());
  wizard.button(QWizard::FinishButton)->click();
  if (wizard.result() != QDialog::Accepted) return {};
  if (corpus) *corpus = wizard.corpus();
  return wizard.experiment();
}

void TestExperimentEntryPoints::sameHeldOutSpeakersFromEveryEntryPoint_data() {
  QTest::addColumn<QString>("corpus");
  QTest::newRow("demo corpus (two corpora)") << QStringLiteral("demo");
  QTest::newRow("ravdess-dev") << QStringLiteral("ravdess-dev");
}

void TestExperimentEntryPoints::sameHeldOutSpeakersFromEveryEntryPoint() {
  QFETCH(QString, corpus);
  std::vector<CorpusSpec> specs = demo_;
  if (corpus == QLatin1String("ravdess-dev")) {
    const QString dir = QStringLiteral(SERWB_SHARED_DATA "/ravdess-dev");
    if (!QDir(dir).exists()) QSKIP("ravdess-dev is absent");
    CorpusSpec s;
    s.reader = CorpusReader::Ravdess;
    s.path = QDir::cleanPath(dir).toStdString();
    specs = {s};
  }

  // The GUI: the wizard's proposal, accepted as it stands (seed: Experiment's default).
  std::shared_ptr<const Corpus> scanned;
  const Experiment gui = wizardExperiment(specs, &scanned);
  QVERIFY(scanned);
  QVERIFY(!gui.split.testSpeakers.empty());
  QCOMPARE(gui.seed, Experiment{}.seed);

  for (const std::uint32_t seed : {gui.seed, 7u}) {
    // `serwb train` without speaker lists: the automatic choice, resolved as the run resolves it.
    std::vector<std::string> args = corpusFlags(specs);
    for (const char* a : {"--out", "unused"}) args.push_back(a);
    args.push_back("--seed");
    args.push_back(std::to_string(seed));
    const Experiment cli = cli::trainExperimentFromArgs(args);
    QVERIFY(cli.split.testSpeakers.empty());  // left to the policy
    const Split cliSplit = experimentSplit(cli, scanned->clips);

    // `serwb reproduce`: the study's held-out speakers, corpus by corpus (common labels).
    StudyOptions study;
    study.seed = seed;
    std::vector<std::string> test, validation;
    for (const CorpusSpec& spec : specs) {
      const Corpus one = loadCorpora({spec}, study.labelPolicy);
      const SplitSpec held = studyHeldOut(study, spec, one);
      test.insert(test.end(), held.testSpeakers.begin(), held.testSpeakers.end());
      validation.insert(validation.end(), held.validationSpeakers.begin(), held.validationSpeakers.end());
    }
    std::sort(test.begin(), test.end());
    std::sort(validation.begin(), validation.end());

    QCOMPARE(cliSplit.testSpeakers, test);
    QCOMPARE(cliSplit.validationSpeakers, validation);
    if (seed == gui.seed) {
      QCOMPARE(gui.split.testSpeakers, test);
      QCOMPARE(gui.split.validationSpeakers, validation);
      // The wizard's Experiment runs into the same split as its lists say.
      const Split guiSplit = experimentSplit(gui, scanned->clips);
      QCOMPARE(guiSplit.testSpeakers, test);
    }
    // Every corpus is represented among the test speakers.
    for (const CorpusSpec& spec : specs) {
      const Corpus one = loadCorpora({spec}, study.labelPolicy);
      const std::string prefix = one.clips.front().corpus + ":";
      QVERIFY(std::any_of(test.begin(), test.end(), [&](const std::string& id) { return id.rfind(prefix, 0) == 0; }));
    }
  }
}

void TestExperimentEntryPoints::guiAndCliBuildTheSameExperiment_data() {
  QTest::addColumn<QString>("model");
  QTest::addColumn<int>("mode");
  QTest::addColumn<QStringList>("flags");  // the CLI's equivalent of the GUI's choices
  const int held = int(SplitMode::HeldOutSpeakers);
  QTest::newRow("cnn, held-out speakers") << "cnn" << held << QStringList{};
  QTest::newRow("svm, held-out speakers") << "svm" << held << QStringList{};
  QTest::newRow("resnet18, common labels") << "resnet18" << held << QStringList{"--labels", "common6"};
  QTest::newRow("cnn, k-fold k = 3") << "cnn" << int(SplitMode::KFold)
                                     << QStringList{"--split", "kfold", "--folds", "3"};
  QTest::newRow("svm, random split") << "svm" << int(SplitMode::Random) << QStringList{"--split", "random"};
}

void TestExperimentEntryPoints::guiAndCliBuildTheSameExperiment() {
  QFETCH(QString, model);
  QFETCH(int, mode);
  QFETCH(QStringList, flags);
  std::shared_ptr<const Corpus> scanned;
  const Experiment dataset = wizardExperiment(demo_, &scanned, [&](LabelSplitPage* page) {
    page->setMode(SplitMode(mode));
    if (flags.contains(QStringLiteral("common6"))) page->setLabelSet(LabelSetKind::Common6);
    if (SplitMode(mode) == SplitMode::KFold) page->foldsSpin()->setValue(3);
  });
  QVERIFY(!dataset.corpora.empty());

  // The GUI's experiment: the Training panel's form with its defaults, the model chosen.
  TrainingPanel panel;
  panel.setDataset(dataset, scanned);
  QComboBox* models = panel.settings()->modelCombo();
  models->setCurrentIndex(models->findData(model));
  const Experiment gui = panel.experiment();

  // The CLI's experiment from the equivalent flags.
  std::vector<std::string> args = corpusFlags(demo_);
  for (const char* a : {"--out", "unused", "--model"}) args.push_back(a);
  args.push_back(model.toStdString());
  if (cudaAvailable()) args.insert(args.end(), {"--batch-size", "64"});  // the form's CUDA default
  for (const QString& f : flags) args.push_back(f.toStdString());
  if (SplitMode(mode) == SplitMode::HeldOutSpeakers) {
    args.insert(args.end(), {"--test-speakers", joined(dataset.split.testSpeakers)});
    if (!dataset.split.validationSpeakers.empty())
      args.insert(args.end(), {"--val-speakers", joined(dataset.split.validationSpeakers)});
  }
  Experiment cli = cli::trainExperimentFromArgs(args);
  cli.name = gui.name;  // the CLI names it after --out, the panel after the run folder at Start
  QCOMPARE(QString::fromStdString(toJson(gui).dump(2)), QString::fromStdString(toJson(cli).dump(2)));
}

void TestExperimentEntryPoints::guiAndCliRunsGiveIdenticalMetrics() {
  std::shared_ptr<const Corpus> scanned;
  const Experiment dataset = wizardExperiment(demo_, &scanned);
  QVERIFY(!dataset.corpora.empty());
  TrainingPanel panel;
  panel.setDataset(dataset, scanned);
  QComboBox* models = panel.settings()->modelCombo();
  models->setCurrentIndex(models->findData(QStringLiteral("svm")));
  const QString guiDir = tmp_.filePath(QStringLiteral("run-gui"));
  panel.setOutputDir(guiDir);
  QSignalSpy finished(&panel, &TrainingPanel::runFinished);
  QSignalSpy failed(&panel, &TrainingPanel::runFailed);
  panel.start();
  QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 240000);
  if (!failed.isEmpty()) QFAIL(qPrintable(failed.at(0).at(1).toString()));

  std::vector<std::string> args = corpusFlags(demo_);
  const QString cliDir = tmp_.filePath(QStringLiteral("run-cli"));
  args.insert(args.end(), {"--out", cliDir.toStdString(), "--model", "svm", "--test-speakers",
                           joined(dataset.split.testSpeakers), "--val-speakers",
                           joined(dataset.split.validationSpeakers)});
  RunOptions options;
  options.outDir = cliDir.toStdString();
  const RunOutcome cli = runExperiment(cli::trainExperimentFromArgs(args), options);
  QVERIFY(!cli.cancelled);

  // The same clips, the same probabilities, the same figures.
  const std::string guiPredictions = readText(QDir(guiDir).filePath(QStringLiteral("predictions.csv")));
  QVERIFY(!guiPredictions.empty());
  QCOMPARE(guiPredictions, readText(QDir(cliDir).filePath(QStringLiteral("predictions.csv"))));
  const auto guiMetrics = nlohmann::json::parse(readText(QDir(guiDir).filePath(QStringLiteral("metrics.json"))));
  for (const char* key : {"n", "wa", "uar", "macro_f1", "confusion", "per_sex"})
    QCOMPARE(QString::fromStdString(guiMetrics.at(key).dump()),
             QString::fromStdString(ser::metricsJson(*cli.record).at(key).dump()));
}

QTEST_MAIN(TestExperimentEntryPoints)
#include "tst_experiment_entry_points.moc"
