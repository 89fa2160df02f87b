// serwb embed: the clip map (penultimate-layer embeddings projected to 2-D) as CSV.
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/corpus_options.h"
#include "app/cli/terminal_progress.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/pipeline/clip_map.h"

namespace ser::cli {

class EmbedCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    sub.add_option("--checkpoint", options_.checkpoint, "best.ckpt / last.ckpt of a network run")
        ->required()->type_name("FILE");
    corpora_.addTo(sub);
    sub.add_option("--speakers", options_.speakers, "only these speakers (comma-separated ids)")
        ->delimiter(',');
    sub.add_option("--out", out_,
                   "CSV: clip, speaker, sex, corpus, true, predicted, correct, x, y, p_<label>...")
        ->required()->type_name("FILE");
    sub.add_option("--method", method_, "pca (default, fast) | tsne (exact t-SNE)");
    sub.add_option("--perplexity", options_.tsne.perplexity, "t-SNE perplexity [2, 100] (default 30)");
    sub.add_option("--iterations", options_.tsne.iterations, "t-SNE iterations [250, 10000] (default 1000)");
    sub.add_option("--seed", options_.tsne.seed, "t-SNE seed (default 42)");
    sub.add_flag("--with-embedding", withEmbedding_, "add the raw embedding as columns e0, e1, ...");
    sub.add_option("--cache", options_.cache, "feature cache folder");
    sub.add_option("--device", device_, "auto | cpu | cuda");
    sub.add_flag("--json", json_, "print a summary as one JSON object");
    sub.add_flag("--quiet", quiet_, "no progress output on stderr");
  }

  int run(const CancelFlag& cancel) override {
    options_.corpora = corpora_.specs();
    if (options_.corpora.empty()) throw Error("no corpus given: use --ravdess/--crema-d/--manifest");
    options_.method = projectionMethodFromString(method_);
    options_.tsne.validate();
    if (!device_.empty()) options_.device = deviceChoiceFromString(device_);
    TerminalProgress bar("embed", !json_ && !quiet_ && TerminalProgress::stdoutIsTerminal());
    options_.progress = &bar;
    options_.cancel = &cancel;
    const ClipMap map = embedCorpora(options_);
    bar.finish();
    writeFileAtomic(out_, clipMapCsv(map, withEmbedding_));
    const std::size_t dims = map.points.empty() ? 0 : map.points.front().embedding.size();
    if (json_) {
      printJson({{"clips", map.points.size()},
                 {"dimensions", dims},
                 {"method", toString(map.method)},
                 {"labels", map.labels},
                 {"left_out_labels", map.leftOutLabels},
                 {"failures", map.failures},
                 {"synthetic", map.synthetic},
                 {"out", out_}});
    } else {
      std::cout << map.points.size() << " clips embedded (" << dims << " dimensions) and projected with "
                << toString(map.method) << "; " << map.leftOutLabels
                << " left out (label not in the model's set)\n";
      for (const auto& f : map.failures) std::cout << "left out: " << f << "\n";
      if (map.synthetic) std::cout << "(SYNTHETIC demo data)\n";
      std::cout << "written: " << out_ << "\n";
    }
    return 0;
  }

 private:
  EmbedOptions options_;
  CorpusOptions corpora_;
  std::string out_, method_ = "pca", device_;
  bool withEmbedding_ = false, json_ = false, quiet_ = false;
};

std::unique_ptr<Command> makeEmbedCommand() { return std::make_unique<EmbedCommand>(); }

}  // namespace ser::cli
