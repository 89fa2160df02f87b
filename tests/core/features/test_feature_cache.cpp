// The feature cache and the preprocessing pool: hits and misses, keys, atomicity, failures and
// cancellation. Clips are written in code (sines at several rates), so no corpus reader is needed.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "core/audio/audio_file.h"
#include "core/base/error.h"
#include "core/features/feature_cache.h"
#include "core/features/preprocessor.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace fs = std::filesystem;

namespace {

std::vector<float> tone(double freq, int rate, double seconds) {
  std::vector<float> s(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = 0.3f * static_cast<float>(std::sin(2.0 * M_PI * freq * double(i) / rate));
  return s;
}

// Six good clips (mixed rates, channels, lengths) and one corrupt one, last.
std::vector<ser::Clip> makeClips(const std::string& dir) {
  std::vector<ser::Clip> clips;
  const int rates[] = {16000, 48000, 22050, 16000, 44100, 8000};
  for (int i = 0; i < 6; ++i) {
    ser::Clip c;
    c.path = dir + "/clip" + std::to_string(i) + ".wav";
    ser::writeAudio(c.path, tone(200.0 + 100 * i, rates[i], 1.0 + 0.5 * i), rates[i], 1 + i % 2);
    c.sampleRate = rates[i];
    c.frames = static_cast<long long>((1.0 + 0.5 * i) * rates[i]);
    clips.push_back(c);
  }
  ser::Clip bad;
  bad.path = dir + "/corrupt.wav";
  std::ofstream(bad.path, std::ios::binary) << "RIFF\x10\x00\x00\x00WAVEfmt garbage";
  clips.push_back(bad);
  return clips;
}

std::size_t countFiles(const std::string& dir, const std::string& suffix) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().string().find(suffix) != std::string::npos) ++n;
  return n;
}

struct Recorder : ser::ProgressReporter {
  std::mutex m;
  std::vector<std::size_t> done;
  std::size_t total = 0;
  ser::CancelFlag* cancelAfter2 = nullptr;
  void progress(std::size_t d, std::size_t t, const std::string&) override {
    std::lock_guard<std::mutex> lock(m);
    done.push_back(d);
    total = t;
    if (cancelAfter2 && d >= 2) cancelAfter2->cancel();
  }
};

}  // namespace

class TestFeatureCache : public QObject {
  Q_OBJECT
 private slots:
  void serialisationRoundTripsAndRejectsDamage() {
    ser::CachedFeatures f;
    f.logMel = ser::FeatureMatrix(3, 4);
    for (std::size_t i = 0; i < f.logMel.data.size(); ++i) f.logMel.data[i] = float(i) * 0.5f;
    f.utterance = {1.f, -2.f, 3.5f};
    const std::string bytes = ser::serialiseFeatures(f);
    const auto back = ser::deserialiseFeatures(bytes);
    QVERIFY(back.has_value());
    QCOMPARE(back->logMel.rows, 3);
    QCOMPARE(back->logMel.cols, 4);
    QCOMPARE(back->logMel.data, f.logMel.data);
    QCOMPARE(back->utterance, f.utterance);

    std::string flipped = bytes;
    flipped[20] ^= 0x40;
    QVERIFY(!ser::deserialiseFeatures(flipped).has_value());
    QVERIFY(!ser::deserialiseFeatures(bytes.substr(0, bytes.size() - 5)).has_value());
    QVERIFY(!ser::deserialiseFeatures("").has_value());
    QVERIFY(!ser::deserialiseFeatures(std::string(64, 'x')).has_value());
  }

  // The entry checksum catches every single-bit flip, at every position of a clip-sized entry's
  // words and tail, a truncation, and two words swapped (within a lane and across lanes).
  void checksumCatchesDamage() {
    ser::CachedFeatures f;
    f.logMel = ser::FeatureMatrix(64, 301);
    for (std::size_t i = 0; i < f.logMel.data.size(); ++i)
      f.logMel.data[i] = std::sin(0.01f * static_cast<float>(i));
    f.utterance.assign(62, 0.25f);
    const std::string bytes = ser::serialiseFeatures(f);
    const std::string body = bytes.substr(0, bytes.size() - 8);
    QCOMPARE(body.size() % 32 == 0, false);  // a tail of loose bytes too
    const std::uint64_t sum = ser::featureEntryChecksum(body);
    int missed = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string damaged = body;
        damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
        missed += ser::featureEntryChecksum(damaged) == sum;
      }
    }
    QCOMPARE(missed, 0);
    QVERIFY(ser::featureEntryChecksum(body.substr(0, body.size() - 1)) != sum);
    QVERIFY(ser::featureEntryChecksum(body + '\0') != sum);
    for (std::size_t other : {std::size_t(32), std::size_t(8)}) {  // same lane, next lane
      std::string swapped = body;
      std::swap_ranges(swapped.begin() + 64, swapped.begin() + 72, swapped.begin() + 64 + other);
      QVERIFY(swapped != body);
      QVERIFY(ser::featureEntryChecksum(swapped) != sum);
    }
    // A format-1 entry (other magic) is a miss, whatever its checksum.
    std::string v1 = body;
    v1[7] = '1';
    const std::uint64_t v1sum = ser::featureEntryChecksum(v1);
    v1.append(reinterpret_cast<const char*>(&v1sum), sizeof v1sum);
    QVERIFY(!ser::deserialiseFeatures(v1).has_value());
  }

  void keyFollowsFileIdentityAndParameters() {
    QTemporaryDir dir;
    const std::string audio = dir.path().toStdString() + "/a.wav";
    ser::writeAudio(audio, tone(440, 16000, 0.5), 16000);
    ser::FrontEndParams p;
    const ser::FeatureCache c1(dir.path().toStdString() + "/cache", p);
    const std::string k1 = c1.entryPath(audio);
    QVERIFY(!k1.empty());
    QCOMPARE(c1.entryPath(audio), k1);  // stable

    ser::FrontEndParams p2 = p;
    p2.logMel.mel.nMels = 40;
    QVERIFY(ser::FeatureCache(dir.path().toStdString() + "/cache", p2).entryPath(audio) != k1);

    // Rewriting the file with other content (size changes) changes the key.
    ser::writeAudio(audio, tone(440, 16000, 0.7), 16000);
    QVERIFY(c1.entryPath(audio) != k1);

    QVERIFY(c1.entryPath(dir.path().toStdString() + "/missing.wav").empty());
    QVERIFY(!c1.load(dir.path().toStdString() + "/missing.wav").has_value());
  }

  void corruptEntryReadsAsMiss() {
    QTemporaryDir dir;
    const std::string audio = dir.path().toStdString() + "/a.wav";
    ser::writeAudio(audio, tone(440, 16000, 0.5), 16000);
    const ser::FeatureCache cache(dir.path().toStdString() + "/cache", ser::FrontEndParams{});
    ser::CachedFeatures f;
    f.logMel = ser::FeatureMatrix(2, 2, 1.0f);
    cache.store(audio, f);
    QVERIFY(cache.load(audio).has_value());
    std::ofstream(cache.entryPath(audio), std::ios::binary | std::ios::trunc) << "half-written";
    QVERIFY(!cache.load(audio).has_value());
  }

  void preprocessComputesThenReadsCache() {
    QTemporaryDir dir;
    const auto clips = makeClips(dir.path().toStdString());
    const std::string cacheDir = dir.path().toStdString() + "/cache";
    ser::PreprocessOptions opt;
    opt.threads = 2;
    opt.keepInMemory = true;
    const ser::FeatureCache cache(cacheDir, opt.params);

    Recorder rec;
    const ser::PreprocessResult first = ser::preprocess(clips, opt, &cache, &rec);
    QCOMPARE(first.clips, clips.size());
    QCOMPARE(first.computed, std::size_t(6));
    QCOMPARE(first.cached, std::size_t(0));
    QCOMPARE(first.failures.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(first.failures[0].path).endsWith("corrupt.wav"));
    QVERIFY(!first.failures[0].reason.empty());
    QCOMPARE(first.features[0].logMel.rows, 64);
    QCOMPARE(first.features[0].logMel.cols, 301);  // 3.0 s at 16 kHz, 10 ms hop, centred frames
    QVERIFY(first.features[6].logMel.empty());      // the corrupt clip
    QVERIFY(std::abs(first.audioSeconds - (1.0 + 1.5 + 2.0 + 2.5 + 3.0 + 3.5)) < 1e-3);  // source lengths
    QCOMPARE(rec.total, clips.size());
    QCOMPARE(rec.done.size(), clips.size());
    for (std::size_t i = 0; i < rec.done.size(); ++i) QCOMPARE(rec.done[i], i + 1);
    QCOMPARE(countFiles(cacheDir, ".feat"), std::size_t(6));
    QCOMPARE(countFiles(cacheDir, ".tmp"), std::size_t(0));

    const ser::PreprocessResult second = ser::preprocess(clips, opt, &cache);
    QCOMPARE(second.computed, std::size_t(0));
    QCOMPARE(second.cached, std::size_t(6));
    for (std::size_t i = 0; i < 6; ++i) {
      QCOMPARE(second.features[i].logMel.data, first.features[i].logMel.data);
      QCOMPARE(second.features[i].utterance, first.features[i].utterance);
    }

    // A changed parameter recomputes everything.
    ser::PreprocessOptions changed = opt;
    changed.params.logMel.mel.nMels = 40;
    const ser::FeatureCache cache40(cacheDir, changed.params);
    const ser::PreprocessResult third = ser::preprocess(clips, changed, &cache40);
    QCOMPARE(third.computed, std::size_t(6));
    QCOMPARE(third.features[0].logMel.rows, 40);
  }

  void cancelKeepsWhatWasDone() {
    QTemporaryDir dir;
    auto clips = makeClips(dir.path().toStdString());
    clips.pop_back();  // no corrupt file here
    // More clips than workers so cancellation has something left to skip.
    const auto more = clips;
    for (int rep = 0; rep < 4; ++rep)
      for (std::size_t i = 0; i < more.size(); ++i) {
        ser::Clip c = more[i];
        c.path = dir.path().toStdString() + "/r" + std::to_string(rep) + "_" + std::to_string(i) + ".wav";
        fs::copy_file(more[i].path, c.path);
        clips.push_back(c);
      }
    const std::string cacheDir = dir.path().toStdString() + "/cache";
    ser::PreprocessOptions opt;
    opt.threads = 2;
    const ser::FeatureCache cache(cacheDir, opt.params);
    ser::CancelFlag cancel;
    Recorder rec;
    rec.cancelAfter2 = &cancel;
    const ser::PreprocessResult r = ser::preprocess(clips, opt, &cache, &rec, &cancel);
    QVERIFY(r.cancelled);
    QVERIFY(r.computed >= 2);
    QVERIFY(r.computed < clips.size());
    QCOMPARE(countFiles(cacheDir, ".tmp"), std::size_t(0));
    QCOMPARE(countFiles(cacheDir, ".feat"), r.computed);

    // Resuming reads the finished ones and computes the rest.
    const ser::PreprocessResult again = ser::preprocess(clips, opt, &cache);
    QVERIFY(!again.cancelled);
    QCOMPARE(again.cached, r.computed);
    QCOMPARE(again.cached + again.computed, clips.size());
  }

  // A full disk or a read-only cache must not drop clips: the features are used all the same.
  // The write failure is real: every entry's sub-folder name is taken by a file (this works
  // for root too, who ignores permissions).
  void cacheWriteFailureKeepsTheFeatures() {
    QTemporaryDir dir;
    const auto clips = makeClips(dir.path().toStdString());
    const std::string cacheDir = dir.path().toStdString() + "/cache";
    fs::create_directories(cacheDir);
    for (int i = 0; i < 256; ++i) {
      char name[3];
      std::snprintf(name, sizeof name, "%02x", i);
      std::ofstream(cacheDir + "/" + name) << "blocks the entry folder";
    }
    ser::PreprocessOptions opt;
    opt.threads = 2;
    opt.keepInMemory = true;
    const ser::FeatureCache cache(cacheDir, opt.params);
    const ser::PreprocessResult r = ser::preprocess(clips, opt, &cache);
    QCOMPARE(r.computed, std::size_t(6));  // every readable clip, none lost
    QCOMPARE(r.failures.size(), std::size_t(1));  // only the corrupt one
    QVERIFY(QString::fromStdString(r.failures[0].path).endsWith("corrupt.wav"));
    QCOMPARE(r.cacheWriteFailures, std::size_t(6));
    QVERIFY2(r.cacheWriteError.find("cannot write") != std::string::npos, r.cacheWriteError.c_str());
    for (std::size_t i = 0; i < 6; ++i) QCOMPARE(r.features[i].logMel.rows, 64);
    QCOMPARE(countFiles(cacheDir, ".feat"), std::size_t(0));
    const std::string warning = ser::cacheWriteWarning(r, cacheDir);
    QVERIFY2(warning.find("could not write 6 feature cache entries to '" + cacheDir + "'") !=
                 std::string::npos,
             warning.c_str());
    QVERIFY2(warning.find("Not a directory") != std::string::npos, warning.c_str());

    ser::PreprocessResult clean = r;
    clean.cacheWriteFailures = 0;
    QVERIFY(ser::cacheWriteWarning(clean, cacheDir).empty());
  }

  // Float audio holding NaN or infinity, or values whose power overflows, is a failure naming
  // the file; the other clips go on and no non-finite value reaches the features.
  void nonFiniteAudioFailsNamingTheFile_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("NaN sample") << int(ser::fixtures::BadAudio::NanSamples)
                                << "sample 800 is not a finite number (NaN)";
    QTest::newRow("infinite sample") << int(ser::fixtures::BadAudio::InfSamples)
                                     << "sample 800 is not a finite number (infinity)";
    QTest::newRow("power overflows") << int(ser::fixtures::BadAudio::HugeSamples)
                                     << "features are not finite numbers (peak sample";
  }
  void nonFiniteAudioFailsNamingTheFile() {
    QFETCH(int, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    auto clips = makeClips(dir.path().toStdString());
    clips.pop_back();
    ser::Clip bad;
    bad.path = dir.path().toStdString() + "/poisoned.wav";
    ser::fixtures::writeBadAudio(bad.path, static_cast<ser::fixtures::BadAudio>(kind));
    clips.insert(clips.begin() + 2, bad);
    ser::PreprocessOptions opt;
    opt.threads = 2;
    opt.keepInMemory = true;
    const ser::FeatureCache cache(dir.path().toStdString() + "/cache", opt.params);
    const ser::PreprocessResult r = ser::preprocess(clips, opt, &cache);
    QCOMPARE(r.computed, std::size_t(6));
    QCOMPARE(r.failures.size(), std::size_t(1));
    QCOMPARE(r.failures[0].path, bad.path);
    QVERIFY2(QString::fromStdString(r.failures[0].reason).contains("poisoned.wav"),
             r.failures[0].reason.c_str());
    QVERIFY2(QString::fromStdString(r.failures[0].reason).contains(reason),
             r.failures[0].reason.c_str());
    QVERIFY(r.features[2].logMel.empty());
    for (const auto& f : r.features) {
      for (float v : f.logMel.data) QVERIFY(std::isfinite(v));
      for (float v : f.utterance) QVERIFY(std::isfinite(v));
    }
  }

  // An entry holding NaN (written by a version that let it through) is not served: the clip is
  // recomputed from its (good) audio.
  void nonFiniteCacheEntryIsRecomputed() {
    QTemporaryDir dir;
    const std::string audio = dir.path().toStdString() + "/a.wav";
    ser::writeAudio(audio, tone(440, 16000, 0.5), 16000);
    ser::PreprocessOptions opt;
    opt.keepInMemory = true;
    const ser::FeatureCache cache(dir.path().toStdString() + "/cache", opt.params);
    ser::CachedFeatures poisoned;
    poisoned.logMel = ser::FeatureMatrix(64, 301, std::nanf(""));
    poisoned.utterance = {1.0f};
    cache.store(audio, poisoned);
    ser::Clip clip;
    clip.path = audio;
    const ser::PreprocessResult r = ser::preprocess({clip}, opt, &cache);
    QCOMPARE(r.cached, std::size_t(0));
    QCOMPARE(r.computed, std::size_t(1));
    for (float v : r.features[0].logMel.data) QVERIFY(std::isfinite(v));
    const auto rewritten = cache.load(audio);
    QVERIFY(rewritten.has_value());
    for (float v : rewritten->logMel.data) QVERIFY(std::isfinite(v));
  }

  void badParametersAreRefusedBeforeWork() {
    ser::PreprocessOptions opt;
    opt.params.logMel.mel.nMels = 0;
    QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::preprocess({}, opt, nullptr));
  }
};

QTEST_GUILESS_MAIN(TestFeatureCache)
#include "test_feature_cache.moc"
