// Experiment files: JSON round trip, strict keys, value checks naming the key, label lists.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/base/error.h"
#include "core/experiment/experiment.h"

class TestExperimentFile : public QObject {
  Q_OBJECT
 private slots:
  void roundTripKeepsEveryField() {
    ser::Experiment e;
    e.name = "x";
    ser::CorpusSpec c;
    c.reader = ser::CorpusReader::CremaD;
    c.path = "/data/crema";
    c.demographics = "/data/demo.csv";
    e.corpora = {c};
    e.labels = ser::LabelSetKind::Common6;
    e.labelPolicy = ser::CommonLabelPolicy::CalmToNeutral;
    e.split.protocol = ser::SplitProtocol::KFold;
    e.split.folds = 4;
    e.split.fold = 2;
    e.testCorpora = {"crema-d"};
    e.frontEnd.logMel.mel.nMels = 40;
    e.frontEnd.logMel.mel.scale = ser::MelScale::Slaney;
    e.model = ser::ExperimentModel::ResNet18;
    e.training.epochs = 7;
    e.training.learning_rate = 3e-4;
    e.seed = 99;
    const ser::Experiment back = ser::experimentFromJson(ser::toJson(e));
    QCOMPARE(ser::toJson(back).dump(), ser::toJson(e).dump());
    QCOMPARE(back.training.epochs, 7);
    QCOMPARE(back.training.seed, 99u);  // the top-level seed drives everything
    QCOMPARE(back.split.seed, std::uint64_t(99));
    QVERIFY(back.training.model == ser::ModelKind::ResNet18);
    QCOMPARE(back.corpora[0].demographics, std::string("/data/demo.csv"));
  }

  void foldsFileAndPresetRoundTrip() {
    ser::Experiment e;
    ser::CorpusSpec c;
    c.path = "/data/ravdess";
    e.corpora = {c};
    e.split.protocol = ser::SplitProtocol::KFold;
    QVERIFY(!ser::toJson(e)["split"].contains("folds_preset"));  // written only when set
    QCOMPARE(ser::experimentFromJson(ser::toJson(e)).split.fold, -1);  // every fold
    e.split.foldsPreset = "emobox-ravdess";
    ser::Experiment back = ser::experimentFromJson(ser::toJson(e));
    QCOMPARE(back.split.foldsPreset, std::string("emobox-ravdess"));
    QVERIFY(back.split.foldsFile.empty());
    e.split.foldsPreset.clear();
    e.split.foldsFile = "/data/folds.csv";
    back = ser::experimentFromJson(ser::toJson(e));
    QCOMPARE(back.split.foldsFile, std::string("/data/folds.csv"));
    QCOMPARE(ser::toJson(back).dump(), ser::toJson(e).dump());
  }

  void refusals_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("mention");
    const QString corpora = R"("corpora": [{"reader": "ravdess", "path": "/x"}])";
    QTest::newRow("unknown top-level key") << "{" + corpora + R"(, "epochs": 3})" << "epochs";
    QTest::newRow("unknown split key") << "{" + corpora + R"(, "split": {"tests": 1}})" << "split.tests";
    QTest::newRow("unknown corpus key") << R"({"corpora": [{"reader": "ravdess", "path": "/x", "song": 1}]})"
                                        << "song";
    QTest::newRow("bad reader") << R"({"corpora": [{"reader": "timit", "path": "/x"}]})" << "reader";
    QTest::newRow("bad model") << "{" + corpora + R"(, "model": "transformer"})" << "model";
    QTest::newRow("bad labels") << "{" + corpora + R"(, "labels": "all"})" << "labels";
    QTest::newRow("wrong type") << "{" + corpora + R"(, "seed": "one"})" << "seed";
    QTest::newRow("fraction out of range") << "{" + corpora + R"(, "split": {"test_fraction": 1.5}})"
                                           << "test_fraction";
    QTest::newRow("bad n_mels") << "{" + corpora + R"(, "front_end": {"n_mels": 0}})" << "n_mels";
    QTest::newRow("bad epochs") << "{" + corpora + R"(, "training": {"epochs": 0}})" << "epochs";
    QTest::newRow("model inside training") << "{" + corpora + R"(, "training": {"model": "cnn"}})" << "model";
    QTest::newRow("no corpora") << R"({"model": "cnn"})" << "corpora";
    QTest::newRow("unknown folds preset")
        << "{" + corpora + R"(, "split": {"protocol": "kfold", "folds_preset": "emobox-iemocap"}})"
        << "folds_preset";
    QTest::newRow("folds file without kfold")
        << "{" + corpora + R"(, "split": {"protocol": "speakers", "folds_file": "f.csv"}})"
        << "folds_file";
    QTest::newRow("folds file and preset")
        << "{" + corpora +
               R"(, "split": {"protocol": "kfold", "folds_file": "f.csv", "folds_preset": "emobox-ravdess"}})"
        << "not both";
    QTest::newRow("misspelt folds key") << "{" + corpora + R"(, "split": {"fold_file": "f.csv"}})"
                                        << "split.fold_file";
  }
  void refusals() {
    QFETCH(QString, json);
    QFETCH(QString, mention);
    try {
      ser::experimentFromJson(nlohmann::json::parse(json.toStdString()));
      QFAIL("accepted");
    } catch (const ser::Error& e) {
      QVERIFY2(QString(e.what()).contains(mention), e.what());
    }
  }

  // Files read with loadExperimentFile: bounded nesting, numbers that do not fit, whole numbers,
  // nested unknown keys; every message names the file and the key and stays one short line.
  void fileRefusals_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mention");
    const QByteArray corpora = R"("corpora": [{"reader": "ravdess", "path": "/x"}])";
    QTest::newRow("100000 levels of nesting")
        << QByteArray("{" + corpora + R"(, "split": )") + QByteArray(100000, '[') +
               QByteArray(100000, ']') + "}"
        << "deeper than 64";
    QTest::newRow("number overflow") << "{" + corpora + R"(, "training": {"learning_rate": 1e999}})"
                                     << "training.learning_rate";
    QTest::newRow("fractional epochs") << "{" + corpora + R"(, "training": {"epochs": 1.7}})"
                                       << "'training.epochs' must be a whole number, got: 1.7";
    QTest::newRow("fractional fold") << "{" + corpora + R"(, "split": {"folds": 2.5}})"
                                     << "'split.folds' must be a whole number";
    QTest::newRow("unknown nested training key")
        << "{" + corpora + R"(, "training": {"spec_augment": {"time_maskz": 2}}})"
        << "training.spec_augment.time_maskz";
    QTest::newRow("unknown training key") << "{" + corpora + R"(, "training": {"epochz": 2}})"
                                          << "training.epochz";
    QTest::newRow("integer beyond int") << "{" + corpora + R"(, "training": {"epochs": 99999999999}})"
                                        << "99999999999";
    QTest::newRow("negative seed") << "{" + corpora + R"(, "seed": -1})" << "'seed' = -1";
    QTest::newRow("huge value") << "{" + corpora + ", \"model\": \"" + QByteArray(5000000, 'x') + "\"}"
                                << "(5000002 bytes)";
    QTest::newRow("huge wrong type") << "{" + corpora + ", \"labels\": [\"" + QByteArray(5000000, 'y') + "\"]}"
                                     << "labels";
  }
  void fileRefusals() {
    QFETCH(QByteArray, json);
    QFETCH(QString, mention);
    QTemporaryDir dir;
    const std::string path = dir.filePath("experiment.json").toStdString();
    std::ofstream(path, std::ios::binary).write(json.constData(), json.size());
    try {
      ser::loadExperimentFile(path);
      QFAIL("accepted");
    } catch (const ser::Error& e) {
      const QString message = QString::fromUtf8(e.what());
      QVERIFY2(message.contains(mention), e.what());
      QVERIFY2(message.contains(QString::fromStdString(path)), e.what());
      QVERIFY2(message.size() < 600, qPrintable(message.left(600)));
      QVERIFY2(!message.contains('\n'), qPrintable(message.left(600)));
    }
  }

  void quotedValuesAreBounded() {
    QCOMPARE(ser::quoteForMessage("short"), std::string("short"));
    const std::string cut = ser::quoteForMessage(std::string(1000, 'a'), 10);
    QCOMPARE(cut, std::string("aaaaaaaaaa... (1000 bytes)"));
    QCOMPARE(ser::quoteForMessage("a\nb"), std::string("a\\nb"));
    // Never a broken UTF-8 sequence: "é" is two bytes, the cut backs up before it.
    QCOMPARE(ser::quoteForMessage("abcdefghi\xc3\xa9z", 10), std::string("abcdefghi... (12 bytes)"));
  }

  void labelListsFollowCanonicalOrderAndPresence() {
    std::vector<ser::Clip> clips(4);
    clips[0].emotion = "surprised";
    clips[1].emotion = "neutral";
    clips[1].common = "neutral";
    clips[2].emotion = "angry";
    clips[2].common = "angry";
    clips[3].emotion = "bored";  // a manifest label outside both sets
    QCOMPARE(ser::labelsFor(clips, ser::LabelSetKind::Native),
             (std::vector<std::string>{"neutral", "angry", "surprised", "bored"}));
    QCOMPARE(ser::labelsFor(clips, ser::LabelSetKind::Common6),
             (std::vector<std::string>{"neutral", "angry"}));
  }
};

QTEST_GUILESS_MAIN(TestExperimentFile)
#include "test_experiment_file.moc"
