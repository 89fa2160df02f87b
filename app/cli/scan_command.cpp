#include <iomanip>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/corpus_options.h"
#include "app/cli/terminal_progress.h"
#include "core/corpus/corpus_summary.h"

namespace ser::cli {

class ScanCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    corpora_.addTo(sub);
    sub.add_flag("--json", json_, "print one JSON object instead of text");
  }

  int run(const CancelFlag& cancel) override {
    TerminalProgress bar("scan", !json_ && TerminalProgress::stdoutIsTerminal());
    const Corpus corpus = loadCorpora(corpora_.specs(), corpora_.policy(), &bar, &cancel);
    bar.finish();
    if (cancel.cancelled()) {
      std::cout << "cancelled\n";
      return 130;
    }
    if (json_) {
      printJson(summaryJson(corpus));
      return 0;
    }
    const CorpusSummary s = summarise(corpus);
    std::cout << s.clips << " clips, " << s.speakerIds.size() << " speakers, " << std::fixed
              << std::setprecision(1) << s.audioSeconds / 60.0 << " min of audio"
              << (corpus.synthetic ? "  [SYNTHETIC demo data]" : "") << "\n";
    std::cout << "  by corpus:";
    for (const auto& [k, v] : s.byCorpus) std::cout << "  " << k << " " << v;
    std::cout << "\n  by sex:";
    for (const auto& [k, v] : s.bySex) std::cout << "  " << k << " " << v;
    std::cout << "\n  by emotion:";
    for (const auto& [k, v] : s.byEmotion) std::cout << "  " << k << " " << v;
    std::cout << "\n";
    for (const auto& w : corpus.warnings) std::cout << "warning: " << w << "\n";
    if (!corpus.skipped.empty()) {
      std::cout << corpus.skipped.size() << " file(s) skipped:\n";
      for (const auto& f : corpus.skipped) std::cout << "  " << f.path << ": " << f.reason << "\n";
    }
    return 0;
  }

 private:
  CorpusOptions corpora_;
  bool json_ = false;
};

std::unique_ptr<Command> makeScanCommand() { return std::make_unique<ScanCommand>(); }

}  // namespace ser::cli
