// The preprocessing front end stage by stage, with the engine's own classes, on one thread:
// decode, resample (cropped to the clip window first, as `serwb preprocess` does, and the whole
// clip as before), STFT, mel, MFCC, utterance statistics, cache write. Each stage runs on every
// clip in turn; a round is one pass over all clips, and each stage's best round is reported.
// Times are the thread's CPU time (a busy machine does not inflate them; file reads and writes
// count only their system-call CPU time). Prints one JSON object (milliseconds per clip and per
// round). Not part of the product.
//   build/benchmarks/bench_front_end time --data DIR [--rounds N]
// Also writes the 48 kHz benchmark corpus that benchmarks/bench_preprocess.py uses: RAVDESS
// speech files converted to 16-bit WAV at --rate with libsoxr (high quality); files already at
// that rate are copied as they are.
//   build/benchmarks/bench_front_end make-corpus --data ../shared/data/ravdess-dev --out DIR
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <time.h>
#include <unistd.h>

#include "core/audio/audio_file.h"
#include "core/audio/front_end.h"
#include "core/audio/resampler.h"
#include "core/base/error.h"
#include "core/features/feature_cache.h"
#include "core/features/front_end_params.h"
#include "core/features/log_mel.h"
#include "core/features/mfcc.h"
#include "core/features/utterance_features.h"

namespace fs = std::filesystem;
using namespace ser;

namespace {

using Clock = std::chrono::steady_clock;

// RAVDESS speech files (03-01-*) under Actor_*/ of `root`, sorted.
std::vector<std::string> speechFiles(const std::string& root) {
  std::vector<std::string> files;
  for (const auto& actor : fs::directory_iterator(root)) {
    if (!actor.is_directory() || actor.path().filename().string().rfind("Actor_", 0) != 0) continue;
    for (const auto& f : fs::directory_iterator(actor.path())) {
      const std::string name = f.path().filename().string();
      if (f.is_regular_file() && name.rfind("03-01-", 0) == 0) files.push_back(f.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw Error("no RAVDESS speech files under '" + root + "'");
  return files;
}

int makeCorpus(const std::string& data, const std::string& out, int rate) {
  const auto start = Clock::now();
  Resampler resampler(rate);
  std::size_t converted = 0, copied = 0;
  for (const std::string& path : speechFiles(data)) {
    const fs::path src(path);
    fs::path dst = fs::path(out) / src.parent_path().filename() / src.filename();
    dst.replace_extension(".wav");
    fs::create_directories(dst.parent_path());
    const AudioInfo info = readAudioInfo(path);
    if (info.sampleRate == rate && src.extension() == ".wav") {
      fs::copy_file(src, dst, fs::copy_options::overwrite_existing);
      ++copied;
      continue;
    }
    const MonoAudio audio = loadMono(path);
    writeAudio(dst.string(), resampler.process(audio.samples, audio.sampleRate), rate,
               info.channels);
    ++converted;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << nlohmann::json{{"out", out},        {"rate", rate},      {"copied", copied},
                              {"converted", converted}, {"seconds", seconds}}
                   .dump()
            << std::endl;
  return 0;
}

// Accumulates one stage's time over a round.
struct Stage {
  explicit Stage(const char* n) : name(n) {}
  const char* name;
  double roundSeconds = 0.0;
  std::vector<double> rounds;
};

// This thread's CPU time in seconds: unlike the wall clock, it does not count the time other
// processes on a busy machine hold the core.
double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

class Timer {
 public:
  explicit Timer(Stage& s) : stage_(s), start_(threadCpuSeconds()) {}
  ~Timer() { stage_.roundSeconds += threadCpuSeconds() - start_; }

 private:
  Stage& stage_;
  double start_;
};

int timeStages(const std::string& data, int rounds) {
  const std::vector<std::string> files = speechFiles(data);
  const FrontEndParams params;
  AudioFrontEnd frontEnd(params.audio);
  Resampler wholeResampler(params.audio.sampleRate);
  const LogMel logMel(params.logMel);
  const FeatureMatrix dct = dctMatrix(params.nMfcc, params.logMel.mel.nMels);
  UtteranceFeatureParams uttParams;
  uttParams.logMel = params.logMel;
  uttParams.nMfcc = params.nMfcc;
  const UtteranceFeatures utterance(uttParams);
  const fs::path cacheDir = fs::temp_directory_path() / ("serwb-bench-front-end-" + std::to_string(::getpid()));
  const FeatureCache cache(cacheDir.string(), params);

  // The stages of `serwb preprocess`, in its order, and the old whole-clip resampling beside them.
  Stage decode{"decode"}, resample{"resample"}, stft{"stft"}, mel{"mel"}, mfcc{"mfcc"},
      stats{"utterance_statistics"}, cacheWrite{"cache_write"}, resampleWhole{"resample_whole_clip"};
  std::vector<Stage*> stages = {&decode, &resample, &stft, &mel, &mfcc, &stats, &cacheWrite};
  std::map<int, std::size_t> rates;
  double audioSeconds = 0.0;
  std::vector<float> samples, wholeResampled;
  for (int r = 0; r < rounds; ++r) {
    for (Stage* s : stages) s->roundSeconds = 0.0;
    resampleWhole.roundSeconds = 0.0;
    for (const std::string& path : files) {
      MonoAudio audio;
      {
        Timer t(decode);
        audio = loadMono(path);
      }
      if (r == 0) {
        ++rates[audio.sampleRate];
        audioSeconds += audio.seconds();
      }
      {
        Timer t(resample);
        frontEnd.process(audio.samples.data(), audio.samples.size(), audio.sampleRate, samples);
      }
      {
        Timer t(resampleWhole);
        wholeResampler.process(audio.samples.data(), audio.samples.size(), audio.sampleRate,
                               wholeResampled);
        wholeResampled = fixLength(wholeResampled, samples.size());
      }
      FeatureMatrix power, lm, c;
      {
        Timer t(stft);
        power = logMel.stft().power(samples);
      }
      {
        Timer t(mel);
        lm = logMel.fromPower(power);
      }
      {
        Timer t(mfcc);
        c = deltas(applyDct(dct, lm));
      }
      std::vector<float> utt;
      {
        // UtteranceFeatures computes its MFCC again: the MFCC stage's time is subtracted below.
        Timer t(stats);
        utt = utterance.compute(samples, power, lm);
      }
      {
        Timer t(cacheWrite);
        cache.store(path, CachedFeatures{std::move(lm), std::move(utt)});
      }
    }
    stats.roundSeconds = std::max(0.0, stats.roundSeconds - mfcc.roundSeconds);
    for (Stage* s : stages) s->rounds.push_back(s->roundSeconds);
    resampleWhole.rounds.push_back(resampleWhole.roundSeconds);
  }
  std::error_code ec;
  fs::remove_all(cacheDir, ec);

  const double n = static_cast<double>(files.size());
  nlohmann::json perClip = nlohmann::json::object(), best = nlohmann::json::object();
  double total = 0.0;
  stages.push_back(&resampleWhole);
  for (const Stage* s : stages) {
    const double b = *std::min_element(s->rounds.begin(), s->rounds.end());
    perClip[s->name] = 1e3 * b / n;
    best[s->name] = 1e3 * b;
    if (s != &resampleWhole) total += b;
  }
  nlohmann::json byRate = nlohmann::json::object();
  for (const auto& [rate, count] : rates) byRate[std::to_string(rate)] = count;
  std::cout << nlohmann::json{{"data", data},
                              {"clips", files.size()},
                              {"clips_by_rate", byRate},
                              {"audio_seconds", audioSeconds},
                              {"rounds", rounds},
                              {"threads", 1},
                              {"ms_per_clip", perClip},
                              {"ms_per_round", best},
                              {"ms_per_clip_total", 1e3 * total / n}}
                   .dump(2)
            << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"The preprocessing front end stage by stage (and the 48 kHz benchmark corpus)"};
  cli.require_subcommand(1);
  std::string data, out;
  int rounds = 5, rate = 48000;
  CLI::App* timeCmd = cli.add_subcommand("time", "time each stage on one thread; prints JSON");
  timeCmd->add_option("--data", data, "RAVDESS-layout folder")->required();
  timeCmd->add_option("--rounds", rounds, "passes over all clips; each stage's best is reported")
      ->check(CLI::Range(1, 1000));
  CLI::App* corpusCmd = cli.add_subcommand("make-corpus", "write the benchmark corpus");
  corpusCmd->add_option("--data", data, "RAVDESS-layout source folder")->required();
  corpusCmd->add_option("--out", out, "output folder (gets Actor_*/ of WAV files)")->required();
  corpusCmd->add_option("--rate", rate, "sample rate of the written files")
      ->check(CLI::Range(8000, 192000));
  CLI11_PARSE(cli, argc, argv);
  try {
    return timeCmd->parsed() ? timeStages(data, rounds) : makeCorpus(data, out, rate);
  } catch (const std::exception& e) {
    std::cerr << "bench_front_end: " << e.what() << std::endl;
    return 1;
  }
}
