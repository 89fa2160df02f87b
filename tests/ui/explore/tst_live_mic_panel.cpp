// The live microphone view fed by a synthetic source (a QIODevice producing a known signal): one
// prediction per half second of audio, over the last window of the model's clip length (checked
// against ClipClassifier on the same samples), a level meter that follows the signal's RMS,
// stop means stop, and a plain message when Qt lists no input device. The model is a small CNN
// trained on the synthetic demo corpus in initTestCase (1 s clips).
#include <QPushButton>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QtTest>
#include <cmath>

#include "core/demo/demo_corpus.h"
#include "core/pipeline/clip_classifier.h"
#include "core/pipeline/experiment_runner.h"
#include "ui/explore/audio_source.h"
#include "ui/explore/live_mic_panel.h"

using namespace ser;

namespace {

// A sequential device that hands out what the test pushes, announcing it with readyRead.
class PipeDevice : public QIODevice {
 public:
  PipeDevice() { open(QIODevice::ReadOnly); }
  bool isSequential() const override { return true; }
  qint64 bytesAvailable() const override { return buffer_.size() + QIODevice::bytesAvailable(); }
  void push(const QByteArray& bytes) {
    buffer_ += bytes;
    emit readyRead();
  }

 protected:
  qint64 readData(char* data, qint64 max) override {
    const qint64 n = std::min<qint64>(max, buffer_.size());
    std::memcpy(data, buffer_.constData(), size_t(n));
    buffer_.remove(0, n);
    return n;
  }
  qint64 writeData(const char*, qint64) override { return -1; }

 private:
  QByteArray buffer_;
};

constexpr int kRate = 16000;

// 16-bit samples of a sine of amplitude `amp` at 220 Hz, samples [from, from + n).
std::vector<qint16> sine(double amp, long from, int n) {
  std::vector<qint16> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    out[std::size_t(i)] = qint16(std::lround(amp * 32767.0 * std::sin(2 * M_PI * 220.0 * double(from + i) / kRate)));
  return out;
}

QByteArray bytes(const std::vector<qint16>& s) {
  return QByteArray(reinterpret_cast<const char*>(s.data()), qsizetype(s.size() * 2));
}

}  // namespace

class TestLiveMicPanel : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  QString checkpoint_;

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings writes to a test location
    QVERIFY(tmp_.isValid());
    DemoCorpusOptions d;
    d.actedActors = 4;
    d.crowdActors = 2;
    d.crowdSentences = 1;
    const DemoCorpusSummary demo = makeDemoCorpus(tmp_.filePath("demo").toStdString(), d);
    Experiment e;
    CorpusSpec c;
    c.reader = CorpusReader::Ravdess;
    c.path = demo.actedDir;
    e.corpora = {c};
    e.model = ExperimentModel::Cnn;
    e.split.testSpeakers = {"demo-acted:01"};
    e.split.validationSpeakers = {"demo-acted:02"};
    e.frontEnd.audio.fixedSeconds = 1.0;
    e.training.epochs = 1;
    e.training.batch_size = 16;
    e.training.threads = 1;
    e.training.device = DeviceChoice::Cpu;
    e.cache = tmp_.filePath("cache").toStdString();
    RunOptions o;
    o.outDir = tmp_.filePath("run").toStdString();
    QVERIFY(runExperiment(e, o).record);
    checkpoint_ = tmp_.filePath("run/best.ckpt");
  }

  void predictsEveryHalfSecondOverTheLastWindow() {
    PipeDevice pipe;
    IoDeviceAudioSource source(&pipe, kRate, QAudioFormat::Int16);
    source.setName(QStringLiteral("220 Hz test tone"));
    LiveMicPanel panel;
    panel.setCheckpoint(checkpoint_);
    panel.setSource(&source);
    QSignalSpy predicted(&panel, &LiveMicPanel::predicted);
    QVERIFY2(panel.start(), qPrintable(panel.message()));
    QVERIFY(panel.message().contains(QStringLiteral("220 Hz test tone")));

    // 3 s in 0.1 s blocks: a prediction after every 5 blocks, none between.
    std::vector<qint16> sent;
    const int block = kRate / 10;
    for (int b = 1; b <= 30; ++b) {
      const auto s = sine(0.5, long(sent.size()), block);
      sent.insert(sent.end(), s.begin(), s.end());
      pipe.push(bytes(s));
      QCOMPARE(panel.predictionCount(), b / 5);
      // The meter follows the block's RMS: amplitude / sqrt(2).
      QVERIFY2(std::abs(panel.level() - 0.5 / std::sqrt(2.0)) < 0.005, qPrintable(QString::number(panel.level())));
    }
    QCOMPARE(predicted.count(), 6);
    const QStringList labels = panel.labels();
    QVERIFY(labels.size() >= 2);
    for (const auto& p : panel.history()) {
      QCOMPARE(int(p.size()), int(labels.size()));
      float sum = 0;
      for (float v : p) sum += v;
      QVERIFY(std::abs(sum - 1.0f) < 1e-4f);
    }
    // The last prediction is the model on the last second (its clip length) of what was sent.
    ClipClassifier classifier(checkpoint_.toStdString(), DeviceChoice::Cpu);
    std::vector<float> last;
    for (std::size_t i = sent.size() - std::size_t(kRate); i < sent.size(); ++i) last.push_back(float(sent[i]) / 32768.0f);
    const std::vector<float> expected = classifier.classifySamples(last, kRate);
    for (std::size_t k = 0; k < expected.size(); ++k)
      QVERIFY(std::abs(panel.history().back()[k] - expected[k]) < 1e-5f);
    // The first prediction (0.5 s in) saw half a second of tone after half a second of zeros.
    std::vector<float> first(std::size_t(kRate / 2), 0.0f);
    for (int i = 0; i < kRate / 2; ++i) first.push_back(float(sent[std::size_t(i)]) / 32768.0f);
    const std::vector<float> expectedFirst = classifier.classifySamples(first, kRate);
    for (std::size_t k = 0; k < expectedFirst.size(); ++k)
      QVERIFY(std::abs(panel.history().front()[k] - expectedFirst[k]) < 1e-5f);

    // Silence: the level drops to zero.
    pipe.push(bytes(std::vector<qint16>(std::size_t(block), 0)));
    QCOMPARE(panel.level(), 0.0);
    // A quieter tone: the level follows.
    pipe.push(bytes(sine(0.1, 0, block)));
    QVERIFY(std::abs(panel.level() - 0.1 / std::sqrt(2.0)) < 0.002);

    // Stopped, nothing more is predicted.
    panel.stop();
    const int before = panel.predictionCount();
    pipe.push(bytes(sine(0.5, 0, kRate)));
    QCOMPARE(panel.predictionCount(), before);
  }

  void convertsFloatStereoAndKeepsPartialFrames() {
    PipeDevice pipe;
    IoDeviceAudioSource source(&pipe, 48000, QAudioFormat::Float, 2);
    const float frames[] = {0.5f, -0.5f, 0.25f, 0.75f};
    QByteArray raw(reinterpret_cast<const char*>(frames), sizeof frames);
    // Split inside the second frame: the first call returns one frame, the second the other.
    QVector<float> a = source.convert(raw.left(10));
    QCOMPARE(a.size(), 1);
    QCOMPARE(a[0], 0.0f);
    QVector<float> b = source.convert(raw.mid(10));
    QCOMPARE(b.size(), 1);
    QCOMPARE(b[0], 0.5f);
  }

  void saysSoWithoutAModelOrADevice() {
    LiveMicPanel panel;
    if (MicrophoneSource::devices().isEmpty()) {
      // This machine has no input device: the panel says so and cannot start.
      QVERIFY2(panel.message().contains(QStringLiteral("No audio input device")), qPrintable(panel.message()));
      QPushButton* start = nullptr;
      for (auto* b : panel.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Start")) start = b;
      QVERIFY(start && !start->isEnabled());
      panel.setCheckpoint(checkpoint_);
      QVERIFY(!panel.start());
      QVERIFY(panel.message().contains(QStringLiteral("No audio input device")));
    } else {
      QCOMPARE(panel.deviceCount(), int(MicrophoneSource::devices().size()));
      QVERIFY(!panel.start());
      QVERIFY(panel.message().contains(QStringLiteral("No model")));
    }
    // A checkpoint that cannot be read is named.
    PipeDevice pipe;
    IoDeviceAudioSource source(&pipe, kRate, QAudioFormat::Int16);
    panel.setSource(&source);
    panel.setCheckpoint(tmp_.filePath("missing.ckpt"));
    QVERIFY(!panel.start());
    QVERIFY2(panel.message().contains(QStringLiteral("missing.ckpt")), qPrintable(panel.message()));
  }
};

QTEST_MAIN(TestLiveMicPanel)
#include "tst_live_mic_panel.moc"
