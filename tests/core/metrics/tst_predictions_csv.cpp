// predictions.csv round trip and error reporting.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/metrics/predictions_csv.h"

using ser::Prediction;

class TestPredictionsCsv : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip();
  void headerAndQuoting();
  void malformedFiles_data();
  void malformedFiles();
  void invalidWrite();
};

namespace {
std::filesystem::path tempFile(const QTemporaryDir& dir, const char* name) {
  return std::filesystem::path(dir.path().toStdString()) / name;
}
}  // namespace

void TestPredictionsCsv::roundTrip() {
  QTemporaryDir dir;
  const std::vector<std::string> labels = {"neutral", "happy, very", "sad \"blue\""};
  std::vector<Prediction> ps(3);
  ps[0] = {"/a/b, c.wav", "ravdess", "ravdess:01", ser::Sex::Male, 0, 1, {0.1f, 0.7f, 0.2f}};
  ps[1] = {"/a/\"q\"\nline.wav", "crema-d", "crema-d:1001", ser::Sex::Female, 2, 2,
           {1e-7f, 0.333333343f, 0.666666627f}};
  ps[2] = {"/x.wav", "demo", "demo:1", ser::Sex::Unknown, 1, 0, {}};
  const auto path = tempFile(dir, "predictions.csv");
  ser::writePredictionsCsv(path, ps, labels);
  const ser::PredictionTable t = ser::readPredictionsCsv(path);
  QCOMPARE(t.labels, labels);
  QCOMPARE(t.predictions.size(), ps.size());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const Prediction& a = ps[i];
    const Prediction& b = t.predictions[i];
    QCOMPARE(b.path, a.path);
    QCOMPARE(b.corpus, a.corpus);
    QCOMPARE(b.speaker, a.speaker);
    QVERIFY(b.sex == a.sex);
    QCOMPARE(b.truth, a.truth);
    QCOMPARE(b.predicted, a.predicted);
    QVERIFY(b.probabilities == a.probabilities);  // exact: shortest round-trip form
  }
}

void TestPredictionsCsv::headerAndQuoting() {
  QTemporaryDir dir;
  const auto path = tempFile(dir, "p.csv");
  std::vector<Prediction> ps(1);
  ps[0] = {"/a,b.wav", "ravdess", "ravdess:01", ser::Sex::Female, 1, 0, {0.25f, 0.75f}};
  ser::writePredictionsCsv(path, ps, {"angry", "sad"});
  const std::string text = ser::readFile(path);
  QCOMPARE(QString::fromStdString(text),
           QString("path,corpus,speaker,sex,true,predicted,p_angry,p_sad\n"
                   "\"/a,b.wav\",ravdess,ravdess:01,female,sad,angry,0.25,0.75\n"));
}

void TestPredictionsCsv::malformedFiles_data() {
  QTest::addColumn<QString>("content");
  QTest::addColumn<QString>("messagePart");
  QTest::newRow("empty") << "" << "empty";
  QTest::newRow("missing column") << "path,corpus,speaker,sex,true,p_a\n" << "predicted";
  QTest::newRow("no probability columns")
      << "path,corpus,speaker,sex,true,predicted\n" << "p_<label>";
  QTest::newRow("unknown label") << "path,corpus,speaker,sex,true,predicted,p_a,p_b\n"
                                    "x,c,c:1,male,a,zz,0.5,0.5\n"
                                 << "zz";
  QTest::newRow("bad number") << "path,corpus,speaker,sex,true,predicted,p_a,p_b\n"
                                 "x,c,c:1,male,a,b,0.5,abc\n"
                              << "abc";
  QTest::newRow("field count") << "path,corpus,speaker,sex,true,predicted,p_a,p_b\n"
                                  "x,c,c:1,male,a,b,0.5\n"
                               << "fields";
  QTest::newRow("field count names the line")
      << "path,corpus,speaker,sex,true,predicted,p_a,p_b\n\n"
         "x,c,c:1,male,a,b,0.5\n"
      << "line 3 has 7 fields, header has 8";
  QTest::newRow("unknown label names the line")
      << "path,corpus,speaker,sex,true,predicted,p_a,p_b\n"
         "\"x\ny\",c,c:1,male,a,b,0.5,0.5\n"
         "x,c,c:1,male,a,zz,0.5,0.5\n"
      << "line 4: predicted label 'zz'";
  QTest::newRow("unterminated quote") << "path,corpus,speaker,sex,true,predicted,p_a\n"
                                         "\"x,c,c:1,male,a,a,1\n"
                                      << "unterminated";
}

void TestPredictionsCsv::malformedFiles() {
  QFETCH(QString, content);
  QFETCH(QString, messagePart);
  QTemporaryDir dir;
  const auto path = tempFile(dir, "bad.csv");
  ser::writeFileAtomic(path, content.toStdString());
  try {
    ser::readPredictionsCsv(path);
    QFAIL("no exception");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains(messagePart), e.what());
    QVERIFY2(QString(e.what()).contains("bad.csv"), e.what());
  }
}

void TestPredictionsCsv::invalidWrite() {
  QTemporaryDir dir;
  std::vector<Prediction> ps(1);
  ps[0] = {"/x.wav", "c", "c:1", ser::Sex::Male, 0, 5, {}};
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::writePredictionsCsv(tempFile(dir, "p.csv"), ps, {"a", "b"}));
  ps[0].predicted = 1;
  ps[0].probabilities = {1.0f};
  QVERIFY_THROWS_EXCEPTION(ser::Error, ser::writePredictionsCsv(tempFile(dir, "p.csv"), ps, {"a", "b"}));
  QVERIFY(!std::filesystem::exists(tempFile(dir, "p.csv")));
}

QTEST_GUILESS_MAIN(TestPredictionsCsv)
#include "tst_predictions_csv.moc"
