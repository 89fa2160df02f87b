// The wizard's DatasetSelection becomes the dataset part of an experiment that core accepts.
#include <QtTest>

#include "core/base/error.h"
#include "core/experiment/experiment.h"
#include "ui/dataset/dataset_selection.h"
#include "ui/training/experiment_from_selection.h"

using namespace ser;

namespace {

// The dataset JSON as core/experiment accepts it and writes it back.
nlohmann::json accepted(const nlohmann::json& dataset) {
  return toJson(experimentWithDataset(dataset, Experiment{}));
}

Clip clip(const std::string& corpus, const std::string& speaker) {
  Clip c;
  c.corpus = corpus;
  c.speaker = corpus + ":" + speaker;
  c.path = "/data/" + corpus + "/" + speaker + ".wav";
  return c;
}

std::vector<Clip> twoCorpora() {
  return {clip("demo-acted", "01"), clip("demo-acted", "02"), clip("demo-acted", "03"),
          clip("demo-crowd", "1001"), clip("demo-crowd", "1002")};
}

DatasetSelection selection(SplitChoiceProtocol protocol) {
  DatasetSelection s;
  CorpusSpec acted;
  acted.reader = CorpusReader::Ravdess;
  acted.path = "/data/demo-acted";
  acted.name = "demo-acted";
  CorpusSpec crowd;
  crowd.reader = CorpusReader::CremaD;
  crowd.path = "/data/demo-crowd";
  crowd.name = "demo-crowd";
  s.corpora = {acted, crowd};
  s.split.protocol = protocol;
  s.split.testSpeakers = {"demo-acted:03"};
  s.split.validationSpeakers = {"demo-acted:02"};
  s.split.trainCorpora = {"demo-acted"};
  s.split.testCorpora = {"demo-crowd"};
  return s;
}

}  // namespace

class TestExperimentFromSelection : public QObject {
  Q_OBJECT
 private slots:
  void protocols_data();
  void protocols();
  void labelsAndPolicy();
  void invalidSelectionsThrow();
};

void TestExperimentFromSelection::protocols_data() {
  QTest::addColumn<int>("protocol");
  QTest::addColumn<QString>("coreProtocol");
  QTest::addColumn<QStringList>("testSpeakers");
  QTest::addColumn<QStringList>("testCorpora");
  QTest::newRow("speaker-independent") << int(SplitChoiceProtocol::SpeakerIndependent) << "speakers"
                                       << QStringList{"demo-acted:03"} << QStringList{};
  QTest::newRow("k-fold") << int(SplitChoiceProtocol::KFold) << "kfold" << QStringList{} << QStringList{};
  QTest::newRow("random") << int(SplitChoiceProtocol::Random) << "random" << QStringList{} << QStringList{};
  QTest::newRow("cross-corpus holds out every test-corpus speaker")
      << int(SplitChoiceProtocol::CrossCorpus) << "speakers"
      << QStringList{"demo-crowd:1001", "demo-crowd:1002"} << QStringList{"demo-crowd"};
}

void TestExperimentFromSelection::protocols() {
  QFETCH(int, protocol);
  QFETCH(QString, coreProtocol);
  QFETCH(QStringList, testSpeakers);
  QFETCH(QStringList, testCorpora);
  DatasetSelection s = selection(SplitChoiceProtocol(protocol));
  s.split.folds = 4;
  s.split.testFraction = 0.25;
  const nlohmann::json dataset = datasetExperimentJson(s, twoCorpora());
  const nlohmann::json e = accepted(dataset);  // core validates it
  const Experiment direct = experimentFromSelection(s, twoCorpora(), Experiment{});
  QCOMPARE(nlohmann::json(toJson(direct)), e);
  QCOMPARE(QString::fromStdString(e["split"]["protocol"].get<std::string>()), coreProtocol);
  QStringList speakers;
  for (const auto& id : e["split"]["test_speakers"]) speakers << QString::fromStdString(id.get<std::string>());
  QCOMPARE(speakers, testSpeakers);
  QStringList corpora;
  for (const auto& c : e["test_corpora"]) corpora << QString::fromStdString(c.get<std::string>());
  QCOMPARE(corpora, testCorpora);
  QCOMPARE(e["corpora"].size(), std::size_t(2));
  QCOMPARE(e["corpora"][1]["reader"].get<std::string>(), std::string("crema-d"));
  if (coreProtocol == "kfold") {
    QCOMPARE(e["split"]["folds"].get<int>(), 4);
    QCOMPARE(e["split"]["fold"].get<int>(), 0);
    QVERIFY(e["split"]["validation_from_next_fold"].get<bool>());
  }
  if (coreProtocol == "random") QCOMPARE(e["split"]["test_fraction"].get<double>(), 0.25);
  if (protocol == int(SplitChoiceProtocol::SpeakerIndependent))
    QCOMPARE(e["split"]["validation_speakers"][0].get<std::string>(), std::string("demo-acted:02"));
  if (protocol == int(SplitChoiceProtocol::CrossCorpus))
    QCOMPARE(e["train_corpora"][0].get<std::string>(), std::string("demo-acted"));
}

void TestExperimentFromSelection::labelsAndPolicy() {
  DatasetSelection s = selection(SplitChoiceProtocol::SpeakerIndependent);
  nlohmann::json e = accepted(datasetExperimentJson(s, {}));
  QCOMPARE(e["labels"].get<std::string>(), std::string("common6"));
  QCOMPARE(e["label_policy"].get<std::string>(), std::string("drop"));
  s.labels = LabelSetChoice::Native;
  s.policy = CommonLabelPolicy::CalmToNeutral;
  e = accepted(datasetExperimentJson(s, {}));
  QCOMPARE(e["labels"].get<std::string>(), std::string("native"));
  QCOMPARE(e["label_policy"].get<std::string>(), std::string("calm-to-neutral"));
}

void TestExperimentFromSelection::invalidSelectionsThrow() {
  DatasetSelection none = selection(SplitChoiceProtocol::SpeakerIndependent);
  none.corpora.clear();
  QVERIFY_THROWS_EXCEPTION(ParameterError, datasetExperimentJson(none, twoCorpora()));
  DatasetSelection noTest = selection(SplitChoiceProtocol::SpeakerIndependent);
  noTest.split.testSpeakers.clear();
  QVERIFY_THROWS_EXCEPTION(ParameterError, datasetExperimentJson(noTest, twoCorpora()));
  // Cross-corpus without scanned clips cannot name the held-out speakers.
  QVERIFY_THROWS_EXCEPTION(Error, datasetExperimentJson(selection(SplitChoiceProtocol::CrossCorpus), {}));
  // A speaker id the core split does not know is caught when the run splits, not here; an
  // out-of-range fold count is caught by the selection's own validation.
  DatasetSelection k = selection(SplitChoiceProtocol::KFold);
  k.split.folds = 1;
  QVERIFY_THROWS_EXCEPTION(ParameterError, datasetExperimentJson(k, twoCorpora()));
}

QTEST_GUILESS_MAIN(TestExperimentFromSelection)
#include "tst_experiment_from_selection.moc"
