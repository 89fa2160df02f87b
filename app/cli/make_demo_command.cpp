#include <iostream>

#include "app/cli/command.h"
#include "app/cli/terminal_progress.h"
#include "core/demo/demo_corpus.h"

namespace ser::cli {

class MakeDemoCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    sub.add_option("OUT", out_, "output folder (gets demo-acted/ and demo-crowd/)")->required();
    sub.add_option("--seed", options_.seed, "random seed")->capture_default_str();
    sub.add_option("--acted-actors", options_.actedActors, "actors in the RAVDESS-layout corpus")
        ->capture_default_str();
    sub.add_option("--crowd-actors", options_.crowdActors, "actors in the CREMA-D-layout corpus")
        ->capture_default_str();
    sub.add_flag("--json", json_, "print one JSON object instead of text");
  }

  int run(const CancelFlag& cancel) override {
    options_.validate();
    TerminalProgress bar("make-demo", !json_ && TerminalProgress::stdoutIsTerminal());
    const DemoCorpusSummary s = makeDemoCorpus(out_, options_, &bar, &cancel);
    bar.finish();
    if (s.cancelled) {
      std::cout << "cancelled\n";
      return 130;
    }
    if (json_) {
      printJson({{"acted_dir", s.actedDir},
                 {"crowd_dir", s.crowdDir},
                 {"acted_clips", s.actedClips},
                 {"crowd_clips", s.crowdClips},
                 {"seed", options_.seed},
                 {"synthetic", true},
                 {"seconds", s.seconds}});
    } else {
      std::cout << "Wrote SYNTHETIC demo corpora (seed " << options_.seed << ") in " << s.seconds
                << " s:\n  " << s.actedDir << "  (RAVDESS layout, " << s.actedClips << " clips)\n  "
                << s.crowdDir << "  (CREMA-D layout, " << s.crowdClips << " clips)\n";
    }
    return 0;
  }

 private:
  std::string out_;
  DemoCorpusOptions options_;
  bool json_ = false;
};

std::unique_ptr<Command> makeMakeDemoCommand() { return std::make_unique<MakeDemoCommand>(); }

}  // namespace ser::cli
