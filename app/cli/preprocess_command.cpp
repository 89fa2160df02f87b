#include <iomanip>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/corpus_options.h"
#include "app/cli/front_end_options.h"
#include "app/cli/terminal_progress.h"
#include "core/corpus/corpus_summary.h"
#include "core/features/preprocessor.h"

namespace ser::cli {

class PreprocessCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    corpora_.addTo(sub);
    frontEnd_.addTo(sub);
    sub.add_option("--cache", cacheDir_,
                   "feature cache folder (without it, features are computed and dropped: a "
                   "throughput check)");
    sub.add_flag("--json", json_, "print one JSON object instead of text");
  }

  int run(const CancelFlag& cancel) override {
    PreprocessOptions options;
    options.params = frontEnd_.resolved();
    options.threads = frontEnd_.threads;
    const bool showBar = !json_ && TerminalProgress::stdoutIsTerminal();
    Corpus corpus;
    {
      TerminalProgress bar("scan", showBar);
      corpus = loadCorpora(corpora_.specs(), corpora_.policy(), &bar, &cancel);
    }
    std::unique_ptr<FeatureCache> cache;
    if (!cacheDir_.empty()) cache = std::make_unique<FeatureCache>(cacheDir_, options.params);
    TerminalProgress bar("preprocess", showBar);
    const PreprocessResult r = preprocess(corpus.clips, options, cache.get(), &bar, &cancel);
    bar.finish();

    const std::string cacheWarning = cache ? cacheWriteWarning(r, cache->dir()) : std::string();
    if (json_) {
      nlohmann::json warnings = nlohmann::json::array();
      if (!cacheWarning.empty()) warnings.push_back(cacheWarning);
      nlohmann::json failures = nlohmann::json::array();
      for (const auto& f : r.failures) failures.push_back({{"path", f.path}, {"reason", f.reason}});
      printJson({{"clips", r.clips},
                 {"computed", r.computed},
                 {"cached", r.cached},
                 {"failed", r.failures.size()},
                 {"failures", failures},
                 {"cache_write_failures", r.cacheWriteFailures},
                 {"warnings", warnings},
                 {"skipped_by_scan", corpus.skipped.size()},
                 {"cancelled", r.cancelled},
                 {"threads", r.threads},
                 {"seconds", r.seconds},
                 {"audio_seconds", r.audioSeconds},
                 {"clips_per_second", r.clipsPerSecond()},
                 {"audio_seconds_per_second", r.audioSecondsPerSecond()},
                 {"cache", cacheDir_.empty() ? nlohmann::json() : nlohmann::json(cacheDir_)},
                 {"front_end", options.params.fingerprint()},
                 {"synthetic", corpus.synthetic}});
    } else {
      std::cout << std::fixed << std::setprecision(2) << r.clips << " clips: " << r.computed
                << " computed, " << r.cached << " from cache, " << r.failures.size()
                << " failed in " << r.seconds << " s on " << r.threads << " threads ("
                << std::setprecision(1) << r.clipsPerSecond() << " clips/s, "
                << r.audioSecondsPerSecond() << " audio-s/s)\n";
      if (!cacheWarning.empty()) std::cout << "warning: " << cacheWarning << "\n";
      for (const auto& f : r.failures) std::cout << "  failed: " << f.reason << "\n";
      if (r.cancelled) std::cout << "cancelled: features computed so far are kept in the cache\n";
    }
    return r.cancelled ? 130 : 0;
  }

 private:
  CorpusOptions corpora_;
  FrontEndOptions frontEnd_;
  std::string cacheDir_;
  bool json_ = false;
};

std::unique_ptr<Command> makePreprocessCommand() { return std::make_unique<PreprocessCommand>(); }

}  // namespace ser::cli
