// The clip preview's details line: the channel count comes from the file when the clip does not
// carry it (clips built from a run's predictions, as in the Misclassified tab).
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/audio/audio_file.h"
#include "ui/dataset/clip_preview.h"

using namespace ser;

class TestClipPreview : public QObject {
  Q_OBJECT
 private slots:
  void channelsComeFromTheFileWhenTheClipHasNone_data();
  void channelsComeFromTheFileWhenTheClipHasNone();
};

void TestClipPreview::channelsComeFromTheFileWhenTheClipHasNone_data() {
  QTest::addColumn<int>("fileChannels");
  QTest::addColumn<int>("clipChannels");
  QTest::addColumn<QString>("expected");
  QTest::newRow("mono file, clip from predictions") << 1 << 0 << "1 ch";
  QTest::newRow("stereo file, clip from predictions") << 2 << 0 << "2 ch";
  QTest::newRow("stereo file, scanned clip") << 2 << 2 << "2 ch";
}

void TestClipPreview::channelsComeFromTheFileWhenTheClipHasNone() {
  QFETCH(int, fileChannels);
  QFETCH(int, clipChannels);
  QFETCH(QString, expected);
  QTemporaryDir dir;
  const std::string path = dir.filePath("tone.wav").toStdString();
  std::vector<float> samples(8000);
  for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = 0.3f * float(std::sin(0.05 * double(i)));
  writeAudio(path, samples, 16000, fileChannels);

  Clip clip;
  clip.path = path;
  clip.corpus = "demo-acted";
  clip.channels = clipChannels;
  ClipPreview preview;
  QSignalSpy loaded(&preview, &ClipPreview::clipLoaded);
  preview.showClip(clip);
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
  QVERIFY2(preview.detailsText().contains(QStringLiteral("\u00b7  ") + expected), qPrintable(preview.detailsText()));
  QVERIFY(!preview.detailsText().contains("0 ch"));
}

QTEST_MAIN(TestClipPreview)
#include "tst_clip_preview.moc"
