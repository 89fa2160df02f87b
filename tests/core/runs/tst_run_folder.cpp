#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/runs/metrics_export.h"
#include "core/runs/run_folder.h"
#include "core/runs/study_table.h"
#include "tests/core/runs/run_fixture.h"

using ser::testing::writeRunFixture;
using ser::testing::writeText;

class TestRunFolder : public QObject {
  Q_OBJECT

 private slots:
  void loadsRunFolder();
  void runWithoutCurves();
  void confusionFallsBackToPredictions();
  void predictionRowsFromCsv();
  void errorsNameTheFile_data();
  void errorsNameTheFile();
  void loadsStudy();
  void studyErrorsNameTheFile();
  void exportsMetricsCsv();
};

void TestRunFolder::loadsRunFolder() {
  QTemporaryDir tmp;
  const QString dir = tmp.filePath("acted-cnn");
  QVERIFY(writeRunFixture(dir));
  const ser::RunFolder run = ser::loadRunFolder(dir.toStdString());
  QCOMPARE(QString::fromStdString(run.name()), QString("acted-cnn"));
  QCOMPARE(run.labels, (std::vector<std::string>{"neutral", "happy", "sad", "angry"}));
  QCOMPARE(run.predictions.size(), std::size_t(24));
  QCOMPARE(run.curves.size(), std::size_t(8));
  QCOMPARE(run.curves[4].lr, 0.0005);
  QCOMPARE(run.curves[7].valUar, 0.652);
  QVERIFY(run.synthetic());
  QVERIFY(!run.speakerIndependent());

  const auto& quoted = run.predictions[12];
  QCOMPARE(QString::fromStdString(quoted.path), QString("/data/demo-acted/Actor_03/take 2, loud/03-01-03-01-01-01-03.wav"));
  QCOMPARE(QString::fromStdString(quoted.trueLabel), QString("happy"));
  QCOMPARE(QString::fromStdString(quoted.predicted), QString("angry"));
  QCOMPARE(run.confidence(quoted), 0.56);
  QVERIFY(!quoted.correct());

  int wrong = 0;
  for (const auto& p : run.predictions) wrong += p.correct() ? 0 : 1;
  QCOMPARE(wrong, 6);
  const auto c = run.confusion();
  QCOMPARE(c[1][3], 2.0);
  QCOMPARE(c[3][1], 1.0);
  QCOMPARE(c[0][0], 5.0);
}

void TestRunFolder::runWithoutCurves() {
  QTemporaryDir tmp;
  ser::testing::RunFixtureOptions o;
  o.withCurves = false;
  o.synthetic = false;
  o.speakerIndependent = true;
  QVERIFY(writeRunFixture(tmp.path(), o));
  const auto run = ser::loadRunFolder(tmp.path().toStdString());
  QVERIFY(run.curves.empty());
  QVERIFY(!run.synthetic());
  QVERIFY(run.speakerIndependent());
}

void TestRunFolder::confusionFallsBackToPredictions() {
  QTemporaryDir tmp;
  QVERIFY(writeRunFixture(tmp.path()));
  auto withConfusion = ser::loadRunFolder(tmp.path().toStdString());
  auto withoutConfusion = withConfusion;
  withoutConfusion.metrics.erase("confusion");
  QCOMPARE(withoutConfusion.confusion(), withConfusion.confusion());
}

// Rows keep the file's text; sex becomes "male"/"female"/"" and probabilities are doubles in
// metrics.json's label order, all NaN for a clip written without them.
void TestRunFolder::predictionRowsFromCsv() {
  QTemporaryDir tmp;
  QVERIFY(writeRunFixture(tmp.path()));
  QVERIFY(writeText(tmp.filePath("predictions.csv"),
                    "path,corpus,speaker,sex,true,predicted,p_neutral,p_happy,p_sad,p_angry\n"
                    "\"/d/a, b.wav\",demo-acted,Actor_03,male,happy,angry,0.04,0.38,0.02,0.56\n"
                    "/d/c.wav,demo-crowd,1001,female,sad,sad,0.1,0.2,0.3,0.4\n"
                    "/d/e.wav,demo-crowd,1002,unknown,angry,neutral,,,,\n"));
  const auto run = ser::loadRunFolder(tmp.path().toStdString());
  QCOMPARE(run.predictions.size(), std::size_t(3));
  const auto& a = run.predictions[0];
  QCOMPARE(QString::fromStdString(a.path), QString("/d/a, b.wav"));
  QCOMPARE(QString::fromStdString(a.corpus), QString("demo-acted"));
  QCOMPARE(QString::fromStdString(a.speaker), QString("Actor_03"));
  QCOMPARE(QString::fromStdString(a.sex), QString("male"));
  QCOMPARE(QString::fromStdString(a.trueLabel), QString("happy"));
  QCOMPARE(QString::fromStdString(a.predicted), QString("angry"));
  QVERIFY(a.probabilities == (std::vector<double>{0.04, 0.38, 0.02, 0.56}));  // exact: as written
  QCOMPARE(QString::fromStdString(run.predictions[1].sex), QString("female"));
  QVERIFY(run.predictions[1].probabilities == (std::vector<double>{0.1, 0.2, 0.3, 0.4}));
  const auto& none = run.predictions[2];
  QCOMPARE(QString::fromStdString(none.sex), QString());
  QCOMPARE(none.probabilities.size(), run.labels.size());
  for (double p : none.probabilities) QVERIFY(std::isnan(p));
  QCOMPARE(run.confidence(none), 0.0);
}

void TestRunFolder::errorsNameTheFile_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QByteArray>("content");  // empty: delete the file
  QTest::addColumn<QString>("expected");
  QTest::newRow("missing config") << "config.json" << QByteArray() << "Missing run file: %1/config.json";
  QTest::newRow("missing metrics") << "metrics.json" << QByteArray() << "Missing run file: %1/metrics.json";
  QTest::newRow("missing predictions") << "predictions.csv" << QByteArray() << "Missing run file: %1/predictions.csv";
  QTest::newRow("truncated metrics") << "metrics.json" << QByteArray("{\"labels\": [\"a\",")
                                     << "Corrupt run file: %1/metrics.json";
  QTest::newRow("metrics without labels") << "metrics.json" << QByteArray("{\"wa\": 0.5}")
                                          << "%1/metrics.json: 'labels' must be a non-empty array";
  QTest::newRow("confusion wrong shape")
      << "metrics.json" << QByteArray(R"({"labels": ["a", "b"], "confusion": [[1, 2]]})")
      << "%1/metrics.json: 'confusion' must have one row per label (2)";
  QTest::newRow("config not JSON") << "config.json" << QByteArray("seed = 1") << "Corrupt run file: %1/config.json";
  // serwb always writes every column, so every column is required.
  QTest::newRow("predictions without predicted column")
      << "predictions.csv"
      << QByteArray("path,corpus,speaker,sex,true,p_neutral,p_happy,p_sad,p_angry\n"
                    "x.wav,c,c:1,male,sad,0.1,0.1,0.7,0.1\n")
      << "Corrupt run file: %1/predictions.csv: no 'predicted' column";
  QTest::newRow("predictions without sex column")
      << "predictions.csv"
      << QByteArray("path,corpus,speaker,true,predicted,p_neutral,p_happy,p_sad,p_angry\n"
                    "x.wav,c,c:1,sad,sad,0.1,0.1,0.7,0.1\n")
      << "Corrupt run file: %1/predictions.csv: no 'sex' column";
  QTest::newRow("predictions bad probability")
      << "predictions.csv"
      << QByteArray("path,corpus,speaker,sex,true,predicted,p_neutral,p_happy,p_sad,p_angry\n"
                    "x.wav,c,c:1,male,sad,sad,0.1,0.1,high,0.1\n")
      << "Corrupt run file: %1/predictions.csv: row 2, column 'p_sad': 'high' is not a number";
  QTest::newRow("predictions some probabilities empty")
      << "predictions.csv"
      << QByteArray("path,corpus,speaker,sex,true,predicted,p_neutral,p_happy,p_sad,p_angry\n"
                    "x.wav,c,c:1,male,sad,sad,0.1,,0.7,0.1\n")
      << "Corrupt run file: %1/predictions.csv: line 2: some probability cells are empty";
  QTest::newRow("predictions label without p_ column")
      << "predictions.csv"
      << QByteArray("path,corpus,speaker,sex,true,predicted,p_neutral,p_happy,p_sad,p_angry\n"
                    "x.wav,c,c:1,male,calm,sad,0.1,0.1,0.7,0.1\n")
      << "Corrupt run file: %1/predictions.csv: line 2: true label 'calm' has no p_ column";
  QTest::newRow("predictions p_ columns in another order than metrics labels")
      << "predictions.csv"
      << QByteArray("path,corpus,speaker,sex,true,predicted,p_happy,p_neutral,p_sad,p_angry\n"
                    "x.wav,c,c:1,male,sad,sad,0.1,0.1,0.7,0.1\n")
      << "Corrupt run file: %1/predictions.csv: the p_<label> columns (happy, neutral, sad, angry) "
         "are not the labels of metrics.json (neutral, happy, sad, angry)";
  QTest::newRow("predictions p_ column missing for a metrics label")
      << "predictions.csv"
      << QByteArray("path,corpus,speaker,sex,true,predicted,p_neutral,p_happy,p_sad\n"
                    "x.wav,c,c:1,male,sad,sad,0.1,0.1,0.8\n")
      << "Corrupt run file: %1/predictions.csv: the p_<label> columns (neutral, happy, sad) "
         "are not the labels of metrics.json (neutral, happy, sad, angry)";
  QTest::newRow("predictions ragged row")
      << "predictions.csv" << QByteArray("path,true,predicted\nx.wav,sad\n") << "%1/predictions.csv: line 2";
  QTest::newRow("predictions unterminated quote")
      << "predictions.csv" << QByteArray("path,true,predicted\n\"x.wav,sad,sad\n")
      << "Corrupt run file: %1/predictions.csv: line 2: unterminated quoted field";
  QTest::newRow("curves ragged row after a blank line")
      << "curves.csv" << QByteArray("epoch,train_loss\n1,0.5\n\n2\n")
      << "Corrupt run file: %1/curves.csv: line 4 has 1 fields, header has 2";
  QTest::newRow("curves bad number names the line")
      << "curves.csv" << QByteArray("epoch,train_loss\r\n1,0.5\r\n\r\n2,x\r\n")
      << "%1/curves.csv: row 4, column 'train_loss': 'x' is not a number";
  QTest::newRow("curves bad epoch") << "curves.csv" << QByteArray("epoch,train_loss\none,0.5\n")
                                    << "%1/curves.csv: row 2, column 'epoch'";
}

void TestRunFolder::errorsNameTheFile() {
  QFETCH(QString, file);
  QFETCH(QByteArray, content);
  QFETCH(QString, expected);
  QTemporaryDir tmp;
  QVERIFY(writeRunFixture(tmp.path()));
  const QString target = tmp.filePath(file);
  if (content.isEmpty())
    QVERIFY(QFile::remove(target));
  else
    QVERIFY(writeText(target, content));
  try {
    ser::loadRunFolder(tmp.path().toStdString());
    QFAIL("no exception");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains(expected.arg(tmp.path())), e.what());
  }
}

void TestRunFolder::loadsStudy() {
  QTemporaryDir tmp;
  QVERIFY(ser::testing::writeStudyFixture(tmp.path()));
  QVERIFY(ser::isStudyFolder(tmp.path().toStdString()));
  QVERIFY(!ser::isRunFolder(tmp.path().toStdString()));
  const auto study = ser::loadStudy(tmp.path().toStdString());
  QCOMPARE(study.rows.size(), std::size_t(3));
  QVERIFY(study.synthetic);
  QCOMPARE(study.skipped.size(), std::size_t(1));
  QCOMPARE(QString::fromStdString(study.rows[1].experiment), QString("acted -> crowd"));
  QCOMPARE(study.rows[1].uar, 0.386);
  QVERIFY(study.runPath(study.rows[2]).empty());
  const auto svm = ser::loadRunFolder(study.runPath(study.rows[1]).string());
  QVERIFY(svm.curves.empty());
}

void TestRunFolder::studyErrorsNameTheFile() {
  QTemporaryDir tmp;
  try {
    ser::loadStudy(tmp.path().toStdString());
    QFAIL("no exception");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains(tmp.path() + "/table.json"), e.what());
  }
  QVERIFY(writeText(tmp.filePath("table.json"), R"({"rows": [{"experiment": "x", "wa": 0.5}]})"));
  try {
    ser::loadStudy(tmp.path().toStdString());
    QFAIL("no exception");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains("row 0 ('x'): 'uar' is not a number"), e.what());
  }
}

void TestRunFolder::exportsMetricsCsv() {
  QTemporaryDir tmp;
  const QString dir = tmp.filePath("acted-cnn");
  QVERIFY(writeRunFixture(dir));
  const auto run = ser::loadRunFolder(dir.toStdString());
  const QString csv = QString::fromStdString(ser::metricsToCsv(run));
  QVERIFY(csv.startsWith("run,scope,group,metric,value,ci95_lo,ci95_hi\n"));
  QVERIFY2(csv.contains("acted-cnn,overall,,wa,0.75,0.5833,0.9167\n"), qPrintable(csv));
  QVERIFY(csv.contains("acted-cnn,class,happy,recall,0.5,,\n"));
  QVERIFY(csv.contains("acted-cnn,sex_gap,,female_minus_male_wa,0.1667,-0.1667,0.5\n"));
  QVERIFY(csv.contains("acted-cnn,class_by_sex,happy/male,recall,0.3333,,\n"));
  QVERIFY(csv.contains("acted-cnn,speaker,Actor_03,wa,0.5,,\n"));
  QVERIFY(csv.contains("acted-cnn,confusion,happy->angry,count,2,,\n"));
  // Every row has the header's 7 fields.
  const auto table = ser::parseCsv(csv.toStdString(), "export");
  QVERIFY(table.rows.size() > 40);
  const auto j = ser::metricsToJson(run);
  QCOMPARE(j["metrics"]["n"].get<int>(), 24);
  QVERIFY(j["synthetic"].get<bool>());
}

QTEST_GUILESS_MAIN(TestRunFolder)
#include "tst_run_folder.moc"
