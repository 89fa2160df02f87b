// The libsvm baseline on Gaussian blobs: learning, grid search, save/load, errors.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/svm/svm_classifier.h"

using ser::FeatureMatrix;
using ser::SvmClassifier;

namespace {

constexpr int kDims = 5;

// Three unit-variance Gaussian blobs 4 sd apart in the first two dimensions; the other
// dimensions are noise, and column 4 is constant (zero variance) on purpose.
void blobs(int perClass, std::uint32_t seed, FeatureMatrix& x, std::vector<int>& y, int classes = 3) {
  const double centres[3][2] = {{0, 0}, {4, 0}, {0, 4}};
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  x = FeatureMatrix(perClass * classes, kDims);
  y.clear();
  for (int i = 0; i < perClass * classes; ++i) {
    const int c = i % classes;
    x.at(i, 0) = float(centres[c][0] + noise(rng));
    x.at(i, 1) = float(centres[c][1] + noise(rng));
    x.at(i, 2) = float(100.0 + 10.0 * noise(rng));  // large scale: standardisation matters
    x.at(i, 3) = float(noise(rng));
    x.at(i, 4) = 7.0f;
    y.push_back(c);
  }
}

std::vector<float> row(const FeatureMatrix& x, int r) {
  return {x.data.begin() + r * x.cols, x.data.begin() + (r + 1) * x.cols};
}

double accuracy(const SvmClassifier& svm, const FeatureMatrix& x, const std::vector<int>& y) {
  int right = 0;
  for (int r = 0; r < x.rows; ++r) right += svm.predict(row(x, r)) == y[std::size_t(r)] ? 1 : 0;
  return double(right) / x.rows;
}

ser::SvmOptions smallGrid() {
  ser::SvmOptions o;
  o.cGrid = {0.1, 10.0};
  o.threads = 2;
  return o;
}

struct CountingProgress : ser::ProgressReporter {
  std::size_t calls = 0, lastDone = 0, lastTotal = 0;
  void progress(std::size_t done, std::size_t total, const std::string&) override {
    ++calls;
    lastDone = done;
    lastTotal = total;
  }
};

}  // namespace

class TestSvmClassifier : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void learnsSeparableBlobs();
  void saveLoadRoundTripIsIdentical();
  void corruptModelFile_data();
  void corruptModelFile();
  void cancelLeavesClassifierUntouched();
  void classAbsentFromTrainingGetsZeroProbability();
  void invalidInput();

 private:
  FeatureMatrix trainX_, valX_, testX_;
  std::vector<int> trainY_, valY_, testY_;
  SvmClassifier svm_;
  ser::SvmFitReport report_;
  CountingProgress progress_;
};

void TestSvmClassifier::initTestCase() {
  blobs(60, 1, trainX_, trainY_);
  blobs(30, 2, valX_, valY_);
  blobs(40, 3, testX_, testY_);
  report_ = svm_.fit(trainX_, trainY_, valX_, valY_, 3, smallGrid(), &progress_);
}

void TestSvmClassifier::learnsSeparableBlobs() {
  QVERIFY(svm_.trained());
  QVERIFY(!report_.cancelled);
  QCOMPARE(report_.grid.size(), std::size_t(6));  // 2 C x 3 default gammas
  QCOMPARE(progress_.calls, std::size_t(7));
  QCOMPARE(progress_.lastDone, progress_.lastTotal);
  // The chosen point is the grid's best validation UAR.
  for (const auto& p : report_.grid) QVERIFY(p.validationUar <= report_.validationUar);
  QVERIFY(report_.validationUar > 0.85);
  QVERIFY(report_.supportVectors > 0);
  const double acc = accuracy(svm_, testX_, testY_);
  QVERIFY2(acc > 0.9, qPrintable(QString::number(acc)));  // chance is 1/3
  const std::vector<float> p = svm_.predictProbabilities(row(testX_, 0));
  QCOMPARE(p.size(), std::size_t(3));
  QVERIFY(std::abs(std::accumulate(p.begin(), p.end(), 0.0f) - 1.0f) < 1e-4f);
  // A point deep inside blob 2 is confidently class 2.
  const std::vector<float> far = svm_.predictProbabilities({0.0f, 6.0f, 100.0f, 0.0f, 7.0f});
  QVERIFY(far[2] > 0.8f);
}

void TestSvmClassifier::saveLoadRoundTripIsIdentical() {
  QTemporaryDir dir;
  const auto path = std::filesystem::path(dir.path().toStdString()) / "svm.json";
  svm_.save(path);
  const SvmClassifier loaded = SvmClassifier::load(path);
  QCOMPARE(loaded.numClasses(), 3);
  QCOMPARE(loaded.featureCount(), kDims);
  QCOMPARE(loaded.c(), svm_.c());
  QCOMPARE(loaded.gamma(), svm_.gamma());
  QVERIFY(loaded.predictProbabilities(testX_) == svm_.predictProbabilities(testX_));
  // Saving the loaded model gives the same file.
  const auto again = std::filesystem::path(dir.path().toStdString()) / "again.json";
  loaded.save(again);
  QCOMPARE(ser::readFile(again), ser::readFile(path));
}

void TestSvmClassifier::corruptModelFile_data() {
  QTest::addColumn<int>("kind");
  QTest::addColumn<QString>("messagePart");
  QTest::newRow("missing file") << 0 << "svm.json";
  QTest::newRow("truncated") << 1 << "not a readable SVM model file";
  QTest::newRow("not json") << 2 << "not a readable SVM model file";
  QTest::newRow("other json") << 3 << "not an SVM model file";
  QTest::newRow("libsvm text altered") << 4 << "checksum";
  QTest::newRow("standardiser size") << 5 << "inconsistent sizes";
}

void TestSvmClassifier::corruptModelFile() {
  QFETCH(int, kind);
  QFETCH(QString, messagePart);
  QTemporaryDir dir;
  const auto path = std::filesystem::path(dir.path().toStdString()) / "svm.json";
  if (kind != 0) {
    svm_.save(path);
    std::string text = ser::readFile(path);
    switch (kind) {
      case 1: text.resize(text.size() / 2); break;
      case 2: text = "\x01\x02garbage"; break;
      case 3: text = "{\"format\": \"something-else\"}"; break;
      case 4: {
        const auto pos = text.find("total_sv");
        QVERIFY(pos != std::string::npos);
        text[pos + 10] = text[pos + 10] == '9' ? '8' : '9';
        break;
      }
      case 5: {
        const auto pos = text.find("\"mean\": [");
        QVERIFY(pos != std::string::npos);
        text.insert(pos + 9, "1.0,");
        break;
      }
    }
    ser::writeFileAtomic(path, text);
  }
  try {
    SvmClassifier::load(path);
    QFAIL("no exception");
  } catch (const ser::Error& e) {
    QVERIFY2(QString(e.what()).contains(messagePart), e.what());
    QVERIFY2(QString(e.what()).contains("svm.json"), e.what());
  }
}

void TestSvmClassifier::cancelLeavesClassifierUntouched() {
  ser::CancelFlag cancel;
  cancel.cancel();
  SvmClassifier svm;
  const auto report = svm.fit(trainX_, trainY_, valX_, valY_, 3, smallGrid(), nullptr, &cancel);
  QVERIFY(report.cancelled);
  QVERIFY(!svm.trained());
  QVERIFY_THROWS_EXCEPTION(ser::Error, svm.predict(row(testX_, 0)));
}

void TestSvmClassifier::classAbsentFromTrainingGetsZeroProbability() {
  // Labels 0..2 trained, class 3 declared but never seen; a single-point grid needs no
  // validation set.
  ser::SvmOptions o;
  o.cGrid = {1.0};
  o.gammaGrid = {0.2};
  SvmClassifier svm;
  const auto report = svm.fit(trainX_, trainY_, FeatureMatrix(), {}, 4, o);
  QCOMPARE(report.grid.size(), std::size_t(1));
  QCOMPARE(svm.c(), 1.0);
  QCOMPARE(svm.gamma(), 0.2);
  const auto p = svm.predictProbabilities(row(testX_, 1));
  QCOMPARE(p.size(), std::size_t(4));
  QCOMPARE(p[3], 0.0f);
  QVERIFY(accuracy(svm, testX_, testY_) > 0.9);
}

void TestSvmClassifier::invalidInput() {
  SvmClassifier svm;
  ser::SvmOptions o = smallGrid();
  o.cGrid = {1.0, -1.0};
  QVERIFY_THROWS_EXCEPTION(ser::ParameterError, svm.fit(trainX_, trainY_, valX_, valY_, 3, o));
  o = smallGrid();
  // A grid search without validation clips.
  QVERIFY_THROWS_EXCEPTION(ser::Error, svm.fit(trainX_, trainY_, FeatureMatrix(), {}, 3, o));
  // One class only.
  std::vector<int> oneClass(trainY_.size(), 1);
  QVERIFY_THROWS_EXCEPTION(ser::Error, svm.fit(trainX_, oneClass, valX_, valY_, 3, o));
  // Non-finite feature.
  FeatureMatrix bad = trainX_;
  bad.at(3, 2) = std::nanf("");
  QVERIFY_THROWS_EXCEPTION(ser::Error, svm.fit(bad, trainY_, valX_, valY_, 3, o));
  // Label out of range.
  std::vector<int> badY = trainY_;
  badY[0] = 3;
  QVERIFY_THROWS_EXCEPTION(ser::Error, svm.fit(trainX_, badY, valX_, valY_, 3, o));
  // Wrong feature count at prediction.
  QVERIFY_THROWS_EXCEPTION(ser::Error, svm_.predictProbabilities(std::vector<float>{1.0f, 2.0f}));
  QVERIFY(!svm.trained());
}

QTEST_GUILESS_MAIN(TestSvmClassifier)
#include "tst_svm_classifier.moc"
