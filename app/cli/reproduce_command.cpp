#include <filesystem>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/terminal_progress.h"
#include "app/cli/training_printer.h"
#include "core/base/error.h"
#include "core/corpus/corpus_reader.h"
#include "core/demo/demo_corpus.h"
#include "core/pipeline/output_folder.h"
#include "core/pipeline/study.h"

namespace ser::cli {

class ReproduceCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    sub_ = &sub;
    sub.add_option("--ravdess", options_.ravdess, "RAVDESS-layout corpus folder")->type_name("DIR");
    sub.add_option("--crema-d", options_.cremaD, "CREMA-D-layout corpus folder (optional)")
        ->type_name("DIR");
    sub.add_flag("--demo", demo_,
                 "use the synthetic demo corpora (written to OUT/demo-corpora when absent); "
                 "epochs 12 and patience 5 unless given");
    sub.add_option("--out", options_.outDir, "study folder")->required()->type_name("DIR");
    sub.add_option("--model", model_,
                   "network for experiments 2-4: resnet18 (the study's) | cnn (about 5x faster)")
        ->capture_default_str();
    sub.add_option("--epochs", options_.training.epochs, "maximum epochs per network")
        ->capture_default_str();
    sub.add_option("--batch-size", options_.training.batch_size, "batch size")->capture_default_str();
    sub.add_option("--lr", options_.training.learning_rate, "initial learning rate")
        ->capture_default_str();
    sub.add_option("--patience", options_.training.patience, "early-stopping patience (0 = off)")
        ->capture_default_str();
    sub.add_option("--seed", options_.seed, "seed")->capture_default_str();
    sub.add_option("--cache", options_.cache, "feature cache folder (default: ~/.cache/serwb/features)");
    sub.add_flag("--speakers-only", speakersOnly_,
                 "skip the random-split comparison (speaker-independent protocol only)");
    sub.add_flag("--overwrite", options_.overwrite,
                 "replace a study already in --out (as a whole, once done; demo-corpora is kept)");
    sub.add_flag("--json", json_, "print table.json on stdout");
    sub.add_flag("--quiet", quiet_, "no progress output on stderr");
  }

  int run(const CancelFlag& cancel) override {
    options_.network = experimentModelFromString(model_);
    if (options_.network == ExperimentModel::Svm)
      throw Error("--model: the network rows need resnet18 or cnn (the SVM is row 1)");
    options_.randomSplitToo = !speakersOnly_;
    const bool live = !json_ && !quiet_ && TerminalProgress::stdoutIsTerminal();
    if (demo_) {
      if (!options_.ravdess.empty() || !options_.cremaD.empty())
        throw Error("--demo replaces --ravdess/--crema-d: give one or the other");
      if (!options_.overwrite) {
        // Refuse a folder holding a study before writing demo corpora into it.
        OutputFolderPolicy policy;
        policy.inputs = {"demo-corpora"};
        const OutputFolder probe(options_.outDir, policy, "study");
      }
      const std::filesystem::path corpora = std::filesystem::path(options_.outDir) / "demo-corpora";
      const bool present =
          std::filesystem::exists(corpora / "demo-acted" / kDemoMarkerFile) &&
          std::filesystem::exists(corpora / "demo-crowd" / kDemoMarkerFile);
      if (!present) {
        TerminalProgress bar("make-demo", live);
        DemoCorpusOptions d;
        d.seed = options_.seed;
        if (makeDemoCorpus(corpora.string(), d, &bar, &cancel).cancelled)
          throw Cancelled("cancelled while writing the demo corpora");
      }
      options_.ravdess = (corpora / "demo-acted").string();
      options_.cremaD = (corpora / "demo-crowd").string();
      // The demo corpora are small: defaults that finish in minutes on a laptop CPU (ResNet18:
      // about 3 minutes for all eight rows on 2 cores).
      if (!sub_->count("--epochs")) options_.training.epochs = 12;
      if (!sub_->count("--patience")) options_.training.patience = 5;
    }
    if (options_.ravdess.empty()) throw Error("give --ravdess DIR (and --crema-d DIR), or --demo");

    TrainingPrinter printer(quiet_, live);
    TerminalProgress bar("features", live);
    const StudyOutcome s = reproduceStudy(options_, &printer, &printer, &bar, &cancel);
    bar.finish();
    if (json_) {
      printJson(toJson(s.table));
    } else {
      std::cout << studyTableMarkdown(s.table) << "\nwritten: "
                << (std::filesystem::path(options_.outDir) / "table.md").string() << ", table.json\n";
    }
    return s.cancelled ? 130 : 0;
  }

 private:
  CLI::App* sub_ = nullptr;
  StudyOptions options_;
  std::string model_ = "resnet18";
  bool demo_ = false, speakersOnly_ = false, json_ = false, quiet_ = false;
};

std::unique_ptr<Command> makeReproduceCommand() { return std::make_unique<ReproduceCommand>(); }

}  // namespace ser::cli
