#include <iomanip>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/corpus_options.h"
#include "app/cli/front_end_options.h"
#include "app/cli/terminal_progress.h"
#include "core/base/error.h"
#include "core/image/spectrogram_export.h"

namespace ser::cli {

class ExportSpectrogramsCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    corpora_.addTo(sub);
    frontEnd_.addTo(sub);
    sub.add_option("--out", out_, "output folder: one sub-folder per emotion, one image per clip")->required();
    sub.add_option("--format", format_, "image format: png")->capture_default_str();
    sub.add_option("--labels", labels_,
                   "folder names: native (the corpus's emotion, every clip) | common (the 6-class "
                   "set; clips without a common label are left out)")
        ->capture_default_str();
    sub.add_option("--colormap", colormap_, "viridis | magma (the GUI's spectrogram is viridis)")
        ->capture_default_str();
    sub.add_option("--range-db", rangeDb_, "dynamic range below the loudest cell, in dB (0, 200]")
        ->capture_default_str();
    sub.add_option("--cache", cacheDir_, "feature cache folder (default: ~/.cache/serwb/features)");
    sub.add_flag("--no-cache", noCache_, "compute every clip's features, read and write no cache");
    sub.add_flag("--json", json_, "print one JSON object instead of text");
  }

  int run(const CancelFlag& cancel) override {
    SpectrogramExportOptions options;
    options.outDir = out_;
    options.preprocess.params = frontEnd_.resolved();
    options.preprocess.threads = frontEnd_.threads;
    if (format_ != "png") throw ParameterError("format", "'" + format_ + "'", "{png}");
    if (labels_ == "native")
      options.label = SpectrogramLabel::Native;
    else if (labels_ == "common")
      options.label = SpectrogramLabel::Common;
    else
      throw ParameterError("labels", "'" + labels_ + "'", "{native, common}");
    if (colormap_ == "viridis")
      options.image.map = ColorMap::Viridis;
    else if (colormap_ == "magma")
      options.image.map = ColorMap::Magma;
    else
      throw ParameterError("colormap", "'" + colormap_ + "'", "{viridis, magma}");
    if (!(rangeDb_ > 0 && rangeDb_ <= 200)) throw ParameterError("range_db", std::to_string(rangeDb_), "(0, 200]");
    options.image.dynamicRangeDb = float(rangeDb_);

    const bool showBar = !json_ && TerminalProgress::stdoutIsTerminal();
    Corpus corpus;
    {
      TerminalProgress bar("scan", showBar);
      corpus = loadCorpora(corpora_.specs(), corpora_.policy(), &bar, &cancel);
    }
    std::unique_ptr<FeatureCache> cache;
    if (!noCache_)
      cache = std::make_unique<FeatureCache>(cacheDir_.empty() ? defaultFeatureCacheDir() : cacheDir_,
                                             options.preprocess.params);
    TerminalProgress bar("spectrograms", showBar);
    const SpectrogramExportResult r = exportSpectrograms(corpus.clips, options, cache.get(), &bar, &cancel);
    bar.finish();

    if (json_) {
      nlohmann::json failures = nlohmann::json::array();
      for (const auto& f : r.failures) failures.push_back({{"path", f.path}, {"reason", f.reason}});
      nlohmann::json perLabel = nlohmann::json::object();
      for (const auto& [label, n] : r.perLabel) perLabel[label] = n;
      printJson({{"clips", r.clips},
                 {"written", r.written},
                 {"cached", r.cached},
                 {"computed", r.computed},
                 {"unlabelled", r.unlabelled},
                 {"failed", r.failures.size()},
                 {"failures", failures},
                 {"per_label", perLabel},
                 {"skipped_by_scan", corpus.skipped.size()},
                 {"cache", cache ? nlohmann::json(cache->dir()) : nlohmann::json()},
                 {"cache_write_failures", r.cacheWriteFailures},
                 {"out", out_},
                 {"n_mels", options.preprocess.params.logMel.mel.nMels},
                 {"cancelled", r.cancelled},
                 {"seconds", r.seconds},
                 {"synthetic", corpus.synthetic}});
    } else {
      std::cout << r.written << " of " << r.clips << " clips written to " << out_ << " ("
                << r.cached << " from the cache, " << r.computed << " computed, " << r.failures.size()
                << " failed) in " << std::fixed << std::setprecision(1) << r.seconds << " s"
                << (corpus.synthetic ? "  [SYNTHETIC demo data]" : "") << "\n";
      std::cout << "  per emotion:";
      for (const auto& [label, n] : r.perLabel) std::cout << "  " << label << " " << n;
      std::cout << "\n";
      if (r.unlabelled) std::cout << "  " << r.unlabelled << " clip(s) without a common label left out\n";
      if (r.cacheWriteFailures)
        std::cout << "warning: could not write " << r.cacheWriteFailures << " cache entries (first: "
                  << r.cacheWriteError << ")\n";
      for (const auto& f : r.failures) std::cout << "  failed: " << f.reason << "\n";
      if (r.cancelled) std::cout << "cancelled: the images written so far are kept\n";
    }
    return r.cancelled ? 130 : 0;
  }

 private:
  CorpusOptions corpora_;
  FrontEndOptions frontEnd_;
  std::string out_, format_ = "png", labels_ = "native", colormap_ = "viridis", cacheDir_;
  double rangeDb_ = 80.0;
  bool noCache_ = false, json_ = false;
};

std::unique_ptr<Command> makeExportSpectrogramsCommand() {
  return std::make_unique<ExportSpectrogramsCommand>();
}

}  // namespace ser::cli
