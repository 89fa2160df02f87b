// core/image: the log-mel image (orientation, dB range, colours), PNG encoding, and the corpus
// export behind `serwb export-spectrograms` on the demo corpus and on real RAVDESS.
#include <QDir>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/corpus/corpus_spec.h"
#include "core/demo/demo_corpus.h"
#include "core/image/png_writer.h"
#include "core/image/spectrogram_export.h"
#include "tests/fixtures/corpus_fixtures.h"

using namespace ser;

namespace {

constexpr float kNeperPerDb = 1.0f / 4.3429448f;

// Image files under each sub-folder of `dir`: {folder name: count}.
std::map<std::string, std::size_t> imagesPerFolder(const QString& dir) {
  std::map<std::string, std::size_t> out;
  for (const QString& sub : QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
    out[sub.toStdString()] = QDir(dir + "/" + sub).entryList({"*.png"}, QDir::Files).size();
  return out;
}

std::map<std::string, std::size_t> clipsPerEmotion(const std::vector<Clip>& clips) {
  std::map<std::string, std::size_t> out;
  for (const Clip& c : clips) ++out[c.emotion];
  return out;
}

Corpus loadRavdess(const std::string& dir) {
  CorpusSpec spec;
  spec.reader = CorpusReader::Ravdess;
  spec.path = dir;
  return loadCorpora({spec}, CommonLabelPolicy::Drop);
}

SpectrogramExportOptions optionsFor(const QString& out) {
  SpectrogramExportOptions o;
  o.outDir = out.toStdString();
  o.preprocess.threads = 2;
  o.batch = 16;  // several batches on the demo corpus
  return o;
}

}  // namespace

class TestSpectrogramExport : public QObject {
  Q_OBJECT

 private slots:
  void lowBandsAtTheBottomAndTheTop80Db() {
    // 3 bands x 4 frames in natural-log power; the loudest cell is band 2, frame 1.
    FeatureMatrix m(3, 4, -80.0f * kNeperPerDb);  // 80 dB below 0 dB
    m.at(2, 1) = 0.0f;                            // 0 dB: the top
    m.at(0, 0) = -40.0f * kNeperPerDb;            // half way down the range
    m.at(1, 3) = -200.0f * kNeperPerDb;           // below the range: clamped
    m.at(0, 2) = std::nanf("");
    const ArgbImage img = renderLogMel(m);
    QCOMPARE(img.width, 4);
    QCOMPARE(img.height, 3);
    const auto& lut = colorMapTable(ColorMap::Viridis);
    QCOMPARE(img.at(1, 0), lut[255]);   // band 2 is the top row
    QCOMPARE(img.at(0, 2), lut[128]);   // band 0 is the bottom row; -40 dB -> t = 0.5
    QCOMPARE(img.at(3, 1), lut[0]);
    QCOMPARE(img.at(2, 2), lut[0]);     // NaN
    QCOMPARE(img.at(0, 0), lut[0]);     // -80 dB, the floor
    QCOMPARE(logMelTopDb(m), 0.0f);
    LogMelImageOptions magma;
    magma.map = ColorMap::Magma;
    magma.dynamicRangeDb = 40.0f;
    QCOMPARE(renderLogMel(m, magma).at(0, 2), colorMapTable(ColorMap::Magma)[0]);  // -40 dB is now the floor
    QVERIFY(renderLogMel(FeatureMatrix()).pixels.empty());
  }

  void colorMapsAreViridisAndMagma() {
    // Ends of matplotlib's maps: viridis #440154 -> #fde725, magma #000004 -> #fcfdbf.
    QCOMPARE(colorMapTable(ColorMap::Viridis)[0], 0xff440154u);
    QCOMPARE(colorMapTable(ColorMap::Viridis)[255], 0xfde725u | 0xff000000u);
    QCOMPARE(colorMapTable(ColorMap::Magma)[0], 0xff000004u);
    QCOMPARE(colorMapTable(ColorMap::Magma)[255], 0xfcfdbfu | 0xff000000u);
    QCOMPARE(colorMapIndex(-1.0), 0);
    QCOMPARE(colorMapIndex(2.0), 255);
    QCOMPARE(colorMapIndex(std::nan("")), 0);
  }

  void pngRoundTripsAndNamesAnUnwritableFile() {
    ArgbImage img;
    img.width = 5;
    img.height = 2;
    for (int i = 0; i < 10; ++i) img.pixels.push_back(0xff000000u | std::uint32_t(i * 0x0a1b2c));
    const std::string bytes = encodePng(img);
    QVERIFY(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    const ArgbImage back = decodePng(bytes, "memory");
    QCOMPARE(back.width, 5);
    QCOMPARE(back.height, 2);
    QVERIFY(back.pixels == img.pixels);
    QTemporaryDir tmp;
    writeFileAtomic(tmp.filePath("blocker").toStdString(), std::string("a file, not a folder"));
    const std::string bad = tmp.filePath("blocker/x.png").toStdString();
    try {
      writePng(bad, img);
      QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find(bad) != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, encodePng(ArgbImage{}));
    QVERIFY_THROWS_EXCEPTION(Error, decodePng("not a png", "memory"));
  }

  void demoCorpusOneImagePerClipInAFolderPerEmotion() {
    QTemporaryDir tmp;
    DemoCorpusOptions demo;
    demo.actedActors = 2;
    demo.crowdActors = 2;
    const DemoCorpusSummary made = makeDemoCorpus(tmp.filePath("demo").toStdString(), demo);
    const Corpus corpus = loadRavdess(made.actedDir);
    QCOMPARE(int(corpus.clips.size()), made.actedClips);
    const FeatureCache cache(tmp.filePath("cache").toStdString(), FrontEndParams{});
    const SpectrogramExportOptions options = optionsFor(tmp.filePath("out"));
    const SpectrogramExportResult r = exportSpectrograms(corpus.clips, options, &cache);
    QCOMPARE(r.failures.size(), std::size_t(0));
    QCOMPARE(r.written, corpus.clips.size());
    QCOMPARE(r.computed, corpus.clips.size());
    const auto expected = clipsPerEmotion(corpus.clips);
    QCOMPARE(imagesPerFolder(tmp.filePath("out")), expected);
    QCOMPARE(r.perLabel, expected);

    // Each image has the clip's log-mel shape: frames wide, bands tall, and its colours.
    for (const Clip& clip : {corpus.clips.front(), corpus.clips.back()}) {
      const auto features = cache.load(clip.path);
      QVERIFY(features.has_value());
      const std::string png = tmp.filePath("out").toStdString() + "/" + clip.emotion + "/" +
                              std::filesystem::path(clip.path).stem().string() + ".png";
      const ArgbImage img = decodePng(readFile(png), png);
      QCOMPARE(img.width, features->logMel.cols);
      QCOMPARE(img.height, features->logMel.rows);
      QCOMPARE(img.height, FrontEndParams{}.logMel.mel.nMels);
      QVERIFY(img.pixels == renderLogMel(features->logMel).pixels);
    }

    // A second export reads every clip from the cache and writes the same files.
    const std::string first = readFile(tmp.filePath("out").toStdString() + "/" + corpus.clips[3].emotion + "/" +
                                       std::filesystem::path(corpus.clips[3].path).stem().string() + ".png");
    const SpectrogramExportResult again = exportSpectrograms(corpus.clips, options, &cache);
    QCOMPARE(again.cached, corpus.clips.size());
    QCOMPARE(again.computed, std::size_t(0));
    QCOMPARE(readFile(tmp.filePath("out").toStdString() + "/" + corpus.clips[3].emotion + "/" +
                      std::filesystem::path(corpus.clips[3].path).stem().string() + ".png"),
             first);
  }

  void badClipGetsItsReasonAndTheRestGoOn() {
    QTemporaryDir tmp;
    const std::string root = tmp.filePath("ravdess").toStdString();
    fixtures::RavdessFixture spec;
    spec.samples = 16000;
    const auto paths = fixtures::makeRavdessFixture(root, {1, 2}, spec);
    // A valid header over NaN samples: the scan keeps it, the features cannot be computed.
    const std::string bad = paths[5];
    fixtures::writeBadAudio(bad, fixtures::BadAudio::NanSamples);
    const Corpus corpus = loadRavdess(root);
    QCOMPARE(corpus.clips.size(), paths.size());
    const SpectrogramExportResult r = exportSpectrograms(corpus.clips, optionsFor(tmp.filePath("out")), nullptr);
    QCOMPARE(r.failures.size(), std::size_t(1));
    QCOMPARE(r.failures[0].path, bad);
    QVERIFY2(r.failures[0].reason.find(bad) != std::string::npos, r.failures[0].reason.c_str());
    QCOMPARE(r.written, paths.size() - 1);
    std::size_t files = 0;
    for (const auto& [folder, n] : imagesPerFolder(tmp.filePath("out"))) files += n;
    QCOMPARE(files, paths.size() - 1);
  }

  void commonLabelsLeaveOutClipsWithoutOne() {
    QTemporaryDir tmp;
    const std::string root = tmp.filePath("ravdess").toStdString();
    fixtures::makeRavdessFixture(root, {1});
    const Corpus corpus = loadRavdess(root);
    SpectrogramExportOptions options = optionsFor(tmp.filePath("out"));
    options.label = SpectrogramLabel::Common;
    const SpectrogramExportResult r = exportSpectrograms(corpus.clips, options, nullptr);
    std::size_t common = 0;
    for (const Clip& c : corpus.clips) common += c.common.empty() ? 0 : 1;
    QVERIFY(common < corpus.clips.size());  // calm and surprised have no common label under "drop"
    QCOMPARE(r.written, common);
    QCOMPARE(r.unlabelled, corpus.clips.size() - common);
    QVERIFY(!QDir(tmp.filePath("out/calm")).exists());
  }

  void unwritableOutputFolderIsOneError() {
    QTemporaryDir tmp;
    writeFileAtomic(tmp.filePath("file").toStdString(), std::string("x"));
    QVERIFY_THROWS_EXCEPTION(Error, exportSpectrograms({}, optionsFor(tmp.filePath("file/out")), nullptr));
  }

  void realRavdessActor() {
    const QString root = QStringLiteral(SERWB_SHARED_DATA) + "/ravdess-dev";
    if (!QDir(root + "/Actor_01").exists()) QSKIP("RAVDESS (../shared/data/ravdess-dev) is absent");
    Corpus corpus = loadRavdess(root.toStdString());
    std::vector<Clip> clips;
    for (const Clip& c : corpus.clips)
      if (c.speaker == "ravdess:01" || c.speaker == "ravdess:03") clips.push_back(c);  // 48 kHz WAV and FLAC
    QVERIFY(clips.size() >= 100);
    QTemporaryDir tmp;
    const SpectrogramExportResult r = exportSpectrograms(clips, optionsFor(tmp.filePath("out")), nullptr);
    QCOMPARE(r.failures.size(), std::size_t(0));
    QCOMPARE(imagesPerFolder(tmp.filePath("out")), clipsPerEmotion(clips));
    const std::string png = tmp.filePath("out").toStdString() + "/" + clips[0].emotion + "/" +
                            std::filesystem::path(clips[0].path).stem().string() + ".png";
    const ArgbImage img = decodePng(readFile(png), png);
    const FrontEndParams p;
    QCOMPARE(img.height, p.logMel.mel.nMels);
    QCOMPARE(img.width, 1 + int(p.audio.fixedSeconds * 1000 / p.logMel.stft.hopMs));  // 3 s at 10 ms, centred frames
  }
};

QTEST_GUILESS_MAIN(TestSpectrogramExport)
#include "tst_spectrogram_export.moc"
