// The clip preview's details line: the channel count comes from the file when the clip does not
// carry it (clips built from a run's predictions, as in the Misclassified tab).
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/audio/audio_file.h"
#include "core/corpus/corpus_reader.h"
#include "ravdess_fixture.h"
#include "ui/dataset/clip_filter_proxy.h"
#include "ui/dataset/clip_preview.h"
#include "ui/dataset/dataset_browser.h"

using namespace ser;

class TestClipPreview : public QObject {
  Q_OBJECT
 private slots:
  void channelsComeFromTheFileWhenTheClipHasNone_data();
  void channelsComeFromTheFileWhenTheClipHasNone();
  void browserPreviewNeverShowsAFilteredOutClip();
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

void TestClipPreview::browserPreviewNeverShowsAFilteredOutClip() {
  QTemporaryDir dir;
  test::writeRavdessFixture(dir.path());
  auto corpus = std::make_shared<Corpus>(scanRavdess(dir.path().toStdString()));
  DatasetBrowser browser;
  browser.resize(1000, 700);
  browser.show();
  browser.setCorpus(corpus);
  browser.setTextFilter(QStringLiteral("03-01-05-01-01-01-02"));  // actor 02, angry
  QCOMPARE(browser.proxy()->rowCount(), 1);
  QSignalSpy loaded(browser.preview(), &ClipPreview::clipLoaded);
  browser.selectRow(0);
  QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
  const QString shown = browser.preview()->clipPath();
  QVERIFY(shown.endsWith(QStringLiteral("03-01-05-01-01-01-02.wav")));

  // Filtered to actor 01's clips: the angry clip of actor 02 is no longer previewed; if anything
  // is, it is a listed clip.
  browser.setTextFilter(QStringLiteral("-01.wav"));
  QVERIFY(browser.proxy()->rowCount() > 0);
  const QString now = browser.preview()->clipPath();
  QVERIFY2(now != shown, qPrintable(now));
  if (!now.isEmpty()) QVERIFY(now.endsWith(QStringLiteral("-01.wav")));

  // Filtered to nothing: nothing previewed, and a load still in flight is not shown when it ends.
  browser.setTextFilter(QStringLiteral("no such clip"));
  QCOMPARE(browser.proxy()->rowCount(), 0);
  QVERIFY(browser.preview()->clipPath().isEmpty());
  QTest::qWait(300);
  QVERIFY(!browser.preview()->audio());
  QVERIFY(browser.preview()->detailsText().isEmpty());
}

QTEST_MAIN(TestClipPreview)
#include "tst_clip_preview.moc"
