#include "app/cli/train_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/cli/command.h"
#include "app/cli/corpus_options.h"
#include "app/cli/front_end_options.h"
#include "app/cli/parallel_folds.h"
#include "app/cli/run_summary.h"
#include "app/cli/terminal_progress.h"
#include "app/cli/training_printer.h"
#include "core/base/error.h"
#include "core/base/text.h"
#include "core/pipeline/cross_validation.h"
#include "core/pipeline/experiment_runner.h"
#include "core/train/distributed.h"

namespace ser::cli {

namespace {
std::vector<std::string> splitList(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::stringstream ss(item);
    std::string part;
    while (std::getline(ss, part, ','))
      if (!part.empty()) out.push_back(part);
  }
  return out;
}
}  // namespace

class TrainCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    sub_ = &sub;
    sub.add_option("--experiment", experimentFile_,
                   "experiment JSON file (flags given beside it override its values)")
        ->type_name("FILE");
    sub.add_option("--out", out_, "run folder to write")->required()->type_name("DIR");
    corpora_.addTo(sub);
    frontEnd_.addTo(sub);
    sub.add_option("--labels", labels_, "label set: native | common6");
    sub.add_option("--split", split_, "split protocol: speakers | random | kfold");
    sub.add_option("--test-speakers", testSpeakers_,
                   "held-out test speakers, ids as `serwb scan --json` lists them (comma-separated)")
        ->delimiter(',');
    sub.add_option("--val-speakers", valSpeakers_, "validation speakers (comma-separated)")
        ->delimiter(',');
    sub.add_option("--test-fraction", testFraction_, "automatic choice: share of test speakers (or clips)");
    sub.add_option("--val-fraction", valFraction_, "automatic choice: share of validation speakers (or clips)");
    sub.add_option("--folds", folds_, "kfold: number of speaker folds (dealt sex-balanced, seeded)");
    sub.add_option("--folds-file", foldsFile_,
                   "kfold: the folds from a CSV with columns speaker,fold (fold 1-based; ids as "
                   "`serwb scan --json` lists them)")
        ->type_name("CSV");
    sub.add_option("--folds-preset", foldsPreset_,
                   "kfold: published folds: " + joinStrings(foldsPresetNames(), " | ") +
                       " (EmoBox RAVDESS speech folds; the actors present)");
    sub.add_option("--fold", fold_,
                   "kfold: run only fold N (1-based, as OUT/fold-N) into --out; default: every "
                   "fold into OUT/fold-1 ... and OUT/summary.json");
    sub.add_option("--model", model_, "model: cnn | resnet18 | svm | encoder");
    sub.add_option("--pretrained", pretrained_, "resnet18: initial weights file (see README)");
    sub.add_option("--encoder", encoder_,
                   "a frozen pretrained speech encoder (TorchScript from tools/export_encoder.py, "
                   "see README); implies --model encoder")
        ->type_name("FILE");
    sub.add_option("--epochs", epochs_, "maximum epochs");
    sub.add_option("--batch-size", batchSize_, "batch size");
    sub.add_option("--lr", lr_, "initial learning rate");
    sub.add_option("--optimizer", optimizer_, "adam | adamw | sgd");
    sub.add_option("--patience", patience_, "early stopping: epochs without validation-UAR gain (0 = off)");
    sub.add_option("--device", device_, "auto | cpu | cuda");
    sub.add_option("--precision", precision_,
                   "auto | fp32 | fp16 | bf16 (fp16/bf16 need CUDA; auto: bf16 on Ampere or newer, fp32 on the CPU)");
    sub.add_flag("--channels-last", channelsLast_, "CUDA: channels-last (NHWC) activations");
    sub.add_option("--data-placement", dataPlacement_,
                   "auto | host | device: where batches are assembled (auto: on the GPU when the features fit)");
    sub.add_option("--seed", seed_, "seed for split, initialisation, shuffling, augmentation");
    sub.add_option("--cache", cache_, "feature cache folder (default: ~/.cache/serwb/features)");
    sub.add_flag("--resume", resume_,
                 "continue the run in --out from its last checkpoint (its experiment.json unless "
                 "--experiment or corpora are given; only epochs, patience, threads, device and "
                 "eval batch size may change)");
    sub.add_flag("--overwrite", overwrite_,
                 "replace a run already in --out (as a whole, once the new run is done)");
    sub.add_flag("--json", json_, "print one JSON object (the metrics) instead of text");
    sub.add_flag("--quiet", quiet_, "no progress output on stderr");
    sub.add_option("--parallel", parallel_,
                   "kfold, every fold: run N folds at a time, each as its own process (logs in OUT/jobs/)");
    sub.add_flag("--print-commands", printCommands_,
                 "kfold, every fold: print one command line per unfinished fold instead of running them");
    sub.add_flag("--slurm", slurm_,
                 "kfold, every fold: print a Slurm job-array script (sbatch) for the unfinished folds");
    sub.add_flag("--check-replicas", checkReplicas_,
                 "data-parallel job: compare the ranks' models after every epoch (also SERWB_DDP_CHECK=1)");
    sub.add_option("--ddp-timeout", ddpTimeout_,
                   "data-parallel job: seconds to wait for the other ranks in any collective "
                   "(default 600; also SERWB_DDP_TIMEOUT)");
  }

  bool given(const char* flag) const { return sub_->count(flag) > 0; }

  Experiment experiment() const {
    Experiment e;
    std::string file = experimentFile_;
    // Resuming without an experiment: the run's own, with the flags given applied over it.
    const std::string own = (std::filesystem::path(out_) / "experiment.json").string();
    if (resume_ && file.empty() && !corpora_.any() && std::filesystem::exists(own)) file = own;
    if (!file.empty()) e = loadExperimentFile(file);
    if (corpora_.any()) e.corpora = corpora_.specs();
    if (given("--label-policy")) e.labelPolicy = corpora_.policy();
    if (given("--labels")) e.labels = labelSetKindFromString(labels_);
    if (given("--split")) e.split.protocol = splitProtocolFromString(split_);
    if (given("--test-speakers")) e.split.testSpeakers = splitList(testSpeakers_);
    if (given("--val-speakers")) e.split.validationSpeakers = splitList(valSpeakers_);
    if (given("--test-fraction")) e.split.testFraction = testFraction_;
    if (given("--val-fraction")) e.split.validationFraction = valFraction_;
    if (given("--folds")) e.split.folds = folds_;
    if (given("--folds-file")) e.split.foldsFile = std::filesystem::absolute(foldsFile_).string();
    if (given("--folds-preset")) e.split.foldsPreset = foldsPreset_;
    if ((given("--folds-file") || given("--folds-preset")) && !given("--split"))
      e.split.protocol = SplitProtocol::KFold;
    if (given("--fold")) {
      if (fold_ < 1) throw ParameterError("--fold", std::to_string(fold_), "[1, folds] (1-based)");
      e.split.fold = fold_ - 1;
    }
    if (given("--model")) e.model = experimentModelFromString(model_);
    if (given("--pretrained")) e.training.pretrained_weights = pretrained_;
    if (given("--encoder")) {
      e.training.encoder = std::filesystem::absolute(encoder_).string();
      if (!given("--model")) e.model = ExperimentModel::Encoder;
    }
    if (given("--epochs")) e.training.epochs = epochs_;
    if (given("--batch-size")) e.training.batch_size = batchSize_;
    if (given("--lr")) e.training.learning_rate = lr_;
    if (given("--optimizer")) e.training.optimizer = optimizerKindFromString(optimizer_);
    if (given("--patience")) e.training.patience = patience_;
    if (given("--device")) e.training.device = deviceChoiceFromString(device_);
    if (given("--precision")) e.training.precision = precisionFromString(precision_);
    if (given("--channels-last")) e.training.channels_last = channelsLast_;
    if (given("--data-placement")) e.training.data_placement = dataPlacementFromString(dataPlacement_);
    if (given("--seed")) e.seed = seed_;
    if (given("--cache")) e.cache = cache_;
    if (given("--threads")) e.training.threads = int(frontEnd_.threads);
    const bool frontEndGiven = given("--sample-rate") || given("--seconds") || given("--n-mels") ||
                               given("--window-ms") || given("--hop-ms") || given("--f-min") ||
                               given("--f-max") || given("--mel-scale");
    if (frontEndGiven || file.empty()) e.frontEnd = frontEnd_.resolved();
    if (e.corpora.empty())
      throw Error("no corpus given: use --ravdess/--crema-d/--manifest or --experiment FILE");
    if (e.name.empty()) e.name = out_;
    return e;
  }

  int run(const CancelFlag& cancel) override {
    Experiment e = experiment();
    const bool foldJobs = given("--parallel") || printCommands_ || slurm_;
    if (foldJobs && !e.split.everyFold())
      throw Error("--parallel, --print-commands and --slurm run the folds of a k-fold experiment "
                  "(--split kfold without --fold)");
    if (given("--parallel") && parallel_ < 1)
      throw ParameterError("--parallel", std::to_string(parallel_), "[1, number of folds]");
    const DistributedEnv env = distributedEnvFromEnvironment();
    if (env.distributed()) return runRank(e, env, cancel);
    if (foldJobs) return runFoldProcesses(e, cancel);
    return runHere(e, cancel, nullptr);
  }

  // One rank of a data-parallel job (launched by torchrun or srun).
  int runRank(Experiment& e, const DistributedEnv& env, const CancelFlag& cancel) {
    if (given("--parallel") || printCommands_ || slurm_ || e.split.everyFold())
      throw Error("a data-parallel job (" + env.launcher + ", WORLD_SIZE " + std::to_string(env.worldSize) +
                  ") trains one run: give one fold with --fold, or run the folds as separate processes with "
                  "--parallel outside the job");
    DistributedOptions options;
    const char* check = std::getenv("SERWB_DDP_CHECK");
    options.checkReplicas = checkReplicas_ || (check && std::string(check) == "1");
    double timeout = ddpTimeout_;
    if (!given("--ddp-timeout"))
      if (const char* t = std::getenv("SERWB_DDP_TIMEOUT"); t && *t) {
        char* end = nullptr;
        timeout = std::strtod(t, &end);
        if (end == t || *end != '\0')
          throw Error(std::string("environment variable SERWB_DDP_TIMEOUT='") + t + "' is not a number of seconds");
      }
    if (!(timeout >= 1.0 && timeout <= 86400.0))
      throw ParameterError("--ddp-timeout", std::to_string(timeout), "[1, 86400] seconds");
    options.timeout = std::chrono::milliseconds(std::int64_t(timeout * 1000.0));
    // The ranks on this machine share its cores unless --threads says otherwise.
    if (e.training.threads == 0) {
      const int local = env.localWorldSize > 0 ? env.localWorldSize : 1;
      e.training.threads = std::max(1, int(std::thread::hardware_concurrency()) / local);
    }
    const std::unique_ptr<Distributed> dist = Distributed::connect(env, options);
    if (dist->primary()) return runHere(e, cancel, dist.get());
    // Other ranks train in step with rank 0 and write nothing of the run: a scratch folder of
    // their own takes what the runner writes before training, and goes when they are done.
    struct Scratch {
      std::filesystem::path dir;
      ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
      }
    } scratch{std::filesystem::temp_directory_path() /
              ("serwb-rank-" + std::to_string(env.rank) + "-" + std::to_string(::getpid()))};
    RunOptions ro;
    ro.outDir = scratch.dir.string();
    ro.cancel = &cancel;
    ro.distributed = dist.get();
    const RunOutcome r = runExperiment(e, ro);
    return r.cancelled ? 130 : 0;
  }

  // What every run of this command is given: its output folder and how to treat one already there.
  RunOptions runOptions(TerminalProgress& bar, const CancelFlag& cancel) const {
    RunOptions ro;
    ro.outDir = out_;
    ro.resume = resume_;
    ro.overwrite = overwrite_;
    ro.progress = &bar;
    ro.cancel = &cancel;
    return ro;
  }

  // The folds of a k-fold experiment as separate processes, or their command lines.
  int runFoldProcesses(Experiment& e, const CancelFlag& cancel) {
    const bool live = !json_ && !quiet_ && TerminalProgress::stdoutIsTerminal();
    TerminalProgress bar("scan", live);
    const RunOptions ro = runOptions(bar, cancel);
    std::vector<FoldJob> jobs = planCrossValidationJobs(e, ro);
    bar.finish();
    const int parallel = given("--parallel") ? std::min<int>(parallel_, int(jobs.size())) : 1;
    // Folds running side by side share the cores unless --threads says otherwise.
    const int threads = e.training.threads > 0
                            ? e.training.threads
                            : std::max(1, int(std::thread::hardware_concurrency()) / std::max(1, parallel));
    for (FoldJob& job : jobs) job.experiment.training.threads = threads;
    const std::vector<std::vector<std::string>> commands = writeFoldJobs(jobs, out_);
    if (slurm_) {
      std::cout << slurmArrayScript(jobs, out_, given("--parallel") ? parallel_ : 0, threads);
      return 0;
    }
    if (printCommands_) {
      for (std::size_t i = 0; i < jobs.size(); ++i)
        if (!jobs[i].finished) std::cout << shellCommand(commands[i]) << "\n";
      return 0;
    }
    const std::vector<FoldFailure> failures = runFoldJobs(jobs, commands, out_, parallel, quiet_ || json_, cancel);
    if (isCancelled(&cancel)) {
      std::cout << "cancelled; finished folds are kept in " << out_
                << " (run the same command again to continue: finished folds are not rerun)\n";
      return 130;
    }
    if (!failures.empty()) {
      std::string list;
      for (const FoldFailure& f : failures) list += "\n  fold " + std::to_string(f.fold) + ": " + f.reason;
      throw Error(std::to_string(failures.size()) + " of " + std::to_string(jobs.size()) +
                  " folds failed (the others are kept; run the same command again to retry):" + list);
    }
    // Every fold is finished: the cross-validation only aggregates them.
    return runHere(e, cancel, nullptr);
  }

  int runHere(const Experiment& e, const CancelFlag& cancel, Distributed* distributed) {
    const bool live = !json_ && !quiet_ && TerminalProgress::stdoutIsTerminal();
    TrainingPrinter printer(quiet_, live);
    TerminalProgress bar("features", live);
    RunOptions ro = runOptions(bar, cancel);
    ro.observer = &printer;
    ro.listener = &printer;
    ro.distributed = distributed;
    if (e.split.everyFold()) return runFolds(e, ro, bar);
    const RunOutcome r = runExperiment(e, ro);
    bar.finish();
    if (json_) {
      nlohmann::json j = runSummaryJson(r);
      j["resumable"] = r.resumable;
      printJson(j);
    } else if (r.cancelled && r.resumable) {
      std::cout << "cancelled; run folder " << r.dir << " keeps the best checkpoint "
                << "(continue with --resume)\n";
    } else if (r.cancelled) {
      std::cout << "cancelled; nothing to resume in " << r.dir << " (run again to start over)\n";
    } else {
      std::cout << runSummaryText(r);
    }
    return r.cancelled ? 130 : 0;
  }

  int runFolds(const Experiment& e, const RunOptions& ro, TerminalProgress& bar) const {
    const CrossValidationOutcome r = runCrossValidation(e, ro);
    bar.finish();
    if (json_) {
      nlohmann::json j = r.summary ? toJson(*r.summary) : nlohmann::json::object();
      j["run_dir"] = r.dir;
      j["cancelled"] = r.cancelled;
      j["folds_run"] = r.foldsRun;
      j["folds_reused"] = r.foldsReused;
      printJson(j);
    } else if (r.cancelled) {
      std::cout << "cancelled; finished folds are kept in " << r.dir
                << " (run the same command again to continue: finished folds are not rerun)\n";
    } else {
      printCrossValidation(*r.summary, r);
    }
    return r.cancelled ? 130 : 0;
  }

  static void printCrossValidation(const CrossValidationSummary& s, const CrossValidationOutcome& r) {
    std::printf("%-5s %-5s %6s %6s %8s  %s\n", "fold", "n", "WA", "UAR", "macro-F1", "test speakers");
    for (const FoldSummary& f : s.folds)
      std::printf("%-5d %-5zu %5.1f%% %5.1f%% %7.1f%%  %s\n", f.fold, f.n, 100 * f.wa, 100 * f.uar,
                  100 * f.macroF1, joinStrings(f.testSpeakers).c_str());
    std::printf("mean +- sd over %zu folds: WA %.1f +- %.1f%%  UAR %.1f +- %.1f%%  macro-F1 %.1f +- %.1f%%\n",
                s.folds.size(), 100 * s.waMean, 100 * s.waSd, 100 * s.uarMean, 100 * s.uarSd,
                100 * s.macroF1Mean, 100 * s.macroF1Sd);
    auto ci = [](const std::optional<Interval>& i) {
      char buf[48] = "";
      if (i) std::snprintf(buf, sizeof buf, " [%.1f, %.1f]", 100 * i->lo, 100 * i->hi);
      return std::string(buf);
    };
    std::printf("pooled (n = %zu, %zu speakers): WA %.1f%%%s  UAR %.1f%%%s\n", s.pooled.n,
                s.pooled.speakers, 100 * s.pooled.wa, ci(s.pooled.waCi95).c_str(), 100 * s.pooled.uar,
                ci(s.pooled.uarCi95).c_str());
    for (const auto& [sex, g] : s.perSex)
      std::printf("  %-6s WA %.1f%%%s  UAR %.1f%%  (n = %zu, %zu speakers)\n", toString(sex).c_str(),
                  100 * g.wa, ci(g.waCi95).c_str(), 100 * g.uar, g.n, g.speakers);
    if (s.femaleMinusMaleWa)
      std::printf("  female - male WA %+.1f points%s\n", 100 * *s.femaleMinusMaleWa,
                  ci(s.femaleMinusMaleWaCi95).c_str());
    std::printf("(intervals: 95%% bootstrap over speakers)\n");
    for (const std::string& note : s.notes) std::printf("note: %s\n", note.c_str());
    if (s.synthetic) std::printf("(SYNTHETIC demo data)\n");
    std::printf("folds: %s (%d run, %d already finished)\nsummary: %s/summary.json\n",
                s.foldsSource.c_str(), r.foldsRun, r.foldsReused, r.dir.c_str());
  }

 private:
  CLI::App* sub_ = nullptr;
  std::string experimentFile_, out_, labels_, split_, model_, pretrained_, encoder_, optimizer_, device_, cache_,
      precision_, dataPlacement_;
  std::string foldsFile_, foldsPreset_;
  std::vector<std::string> testSpeakers_, valSpeakers_;
  double testFraction_ = 0.2, valFraction_ = 0.1, lr_ = 1e-3;
  int folds_ = 5, fold_ = 1, epochs_ = 30, batchSize_ = 32, patience_ = 8, parallel_ = 1;
  double ddpTimeout_ = 600.0;
  std::uint32_t seed_ = 42;
  bool resume_ = false, overwrite_ = false, json_ = false, quiet_ = false, channelsLast_ = false;
  bool printCommands_ = false, slurm_ = false, checkReplicas_ = false;
  CorpusOptions corpora_;
  FrontEndOptions frontEnd_;
};

std::unique_ptr<Command> makeTrainCommand() { return std::make_unique<TrainCommand>(); }

Experiment trainExperimentFromArgs(const std::vector<std::string>& args) {
  CLI::App app;
  CLI::App* sub = app.add_subcommand("train");
  TrainCommand command;
  command.setup(*sub);
  std::vector<std::string> reversed = args;
  reversed.insert(reversed.begin(), "train");
  std::reverse(reversed.begin(), reversed.end());  // CLI11 parses a reversed vector
  app.parse(reversed);
  return command.experiment();
}

class EvaluateCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    sub.add_option("--checkpoint", options_.checkpoint, "best.ckpt / last.ckpt, or model.svm")
        ->required()->type_name("FILE");
    corpora_.addTo(sub);
    sub.add_option("--speakers", speakers_, "only these speakers (comma-separated ids)")->delimiter(',');
    sub.add_option("--out", options_.outDir, "folder for metrics.json and predictions.csv")
        ->required()->type_name("DIR");
    sub.add_option("--cache", options_.cache, "feature cache folder");
    sub.add_flag("--overwrite", options_.overwrite,
                 "replace a run or evaluation already in --out (as a whole, once done)");
    sub.add_option("--device", device_, "auto | cpu | cuda: where the network runs (any checkpoint runs on either)");
    sub.add_flag("--json", json_, "print the metrics as one JSON object");
    sub.add_flag("--quiet", quiet_, "no progress output on stderr");
  }
  int run(const CancelFlag& cancel) override {
    options_.corpora = corpora_.specs();
    if (options_.corpora.empty()) throw Error("no corpus given: use --ravdess/--crema-d/--manifest");
    options_.speakers = speakers_;
    if (!device_.empty()) options_.device = deviceChoiceFromString(device_);
    const bool live = !json_ && !quiet_ && TerminalProgress::stdoutIsTerminal();
    TrainingPrinter printer(quiet_, live);
    TerminalProgress bar("features", live);
    options_.progress = &bar;
    options_.listener = &printer;
    options_.cancel = &cancel;
    const RunOutcome r = evaluateCheckpoint(options_);
    bar.finish();
    if (r.cancelled) {
      std::cout << "cancelled\n";
      return 130;
    }
    if (json_) {
      nlohmann::json j = runSummaryJson(r);
      j.erase("cancelled");
      printJson(j);
    } else {
      std::cout << runSummaryText(r);
    }
    return 0;
  }

 private:
  EvaluateOptions options_;
  CorpusOptions corpora_;
  std::vector<std::string> speakers_;
  std::string device_;
  bool json_ = false, quiet_ = false;
};

std::unique_ptr<Command> makeEvaluateCommand() { return std::make_unique<EvaluateCommand>(); }

class PredictCommand : public Command {
 public:
  void setup(CLI::App& sub) override {
    sub.add_option("--checkpoint", checkpoint_, "best.ckpt / last.ckpt, or model.svm")
        ->required()->type_name("FILE");
    sub.add_option("AUDIO", files_, "audio files (any format libsndfile reads)")->required();
    sub.add_flag("--one-speaker", predictOptions_.oneSpeaker,
                 "the files are clips of one speaker: normalise them together, as evaluate does per speaker "
                 "(default: each file is a clip of an unknown speaker, normalised by the training set's statistics)");
    sub.add_flag("--json", json_, "print one JSON object");
  }
  int run(const CancelFlag&) override {
    std::vector<std::string> labels;
    const auto predictions = predictFiles(checkpoint_, files_, &labels, predictOptions_);
    bool anyFailed = false;
    if (json_) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : predictions) {
        nlohmann::json j = {{"path", p.path}};
        if (!p.error.empty()) {
          j["error"] = p.error;
          anyFailed = true;
        } else {
          j["label"] = p.label;
          nlohmann::json probs;
          for (std::size_t k = 0; k < labels.size(); ++k) probs[labels[k]] = p.probabilities[k];
          j["probabilities"] = probs;
        }
        out.push_back(j);
      }
      printJson({{"labels", labels}, {"predictions", out}});
    } else {
      for (const auto& p : predictions) {
        if (!p.error.empty()) {
          std::cout << p.path << ": error: " << p.error << "\n";
          anyFailed = true;
          continue;
        }
        std::cout << p.path << ": " << p.label << "  (";
        for (std::size_t k = 0; k < labels.size(); ++k)
          std::printf("%s%s %.2f", k ? ", " : "", labels[k].c_str(), p.probabilities[k]);
        std::cout << ")\n";
      }
    }
    return anyFailed ? 1 : 0;
  }

 private:
  std::string checkpoint_;
  std::vector<std::string> files_;
  PredictOptions predictOptions_;
  bool json_ = false;
};

std::unique_ptr<Command> makePredictCommand() { return std::make_unique<PredictCommand>(); }

}  // namespace ser::cli
