#pragma once
// The study, reproduced: the four experiments of the original RAVDESS / CREMA-D work and the
// per-sex bias analysis, under the speaker-independent protocol and, for comparison with the
// study, the random split; then the master table (table.md, table.json) beside the run folders.
//
//   1  Hybrid SVM   RAVDESS -> RAVDESS
//   2  network      RAVDESS -> RAVDESS
//   3  network      RAVDESS -> CREMA-D              (experiment 2's model, evaluated)
//   4  network      RAVDESS + CREMA-D -> CREMA-D    (the "generalist")
//
// All rows use the common 6-class label set so they can be compared. CREMA-D rows test on the
// same held-out CREMA-D speakers. With only RAVDESS, rows 3 and 4 are listed as skipped.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/experiment/experiment.h"
#include "core/pipeline/experiment_runner.h"
#include "core/runs/study_table.h"

namespace ser {

struct StudyOptions {
  std::string ravdess;           // RAVDESS-layout folder (required)
  std::string cremaD;            // CREMA-D-layout folder (optional)
  std::string outDir;            // study folder: run folders + table.md + table.json
  // Replace a study (or run) already in outDir, as a whole (see core/pipeline/output_folder.h);
  // without it such a folder is refused. Its "demo-corpora" is kept.
  bool overwrite = false;
  ExperimentModel network = ExperimentModel::ResNet18;  // or Cnn
  TrainerOptions training;       // epochs, batch size, ... for the network rows
  FrontEndParams frontEnd;
  std::uint32_t seed = 42;
  std::string cache;             // feature cache; empty = the default
  bool randomSplitToo = true;    // also run the random (speaker-leaking) protocol
  CommonLabelPolicy labelPolicy = CommonLabelPolicy::Drop;
};

struct StudyOutcome {
  StudyTable table;              // the master table as written to table.json / table.md
  bool cancelled = false;
};

StudyOutcome reproduceStudy(const StudyOptions& options, RunListener* listener = nullptr,
                            TrainingObserver* observer = nullptr,
                            ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

// The held-out speakers the study tests on for one corpus (`scanned` holds its clips): core's one
// held-out policy (defaultHeldOut) under the study's common label set and seed, so the same
// speakers as the GUI wizard's proposal and `serwb train`'s automatic choice.
SplitSpec studyHeldOut(const StudyOptions& options, const CorpusSpec& corpus, const Corpus& scanned);

}  // namespace ser
