#pragma once
// A realistic run folder and study folder, written as the `serwb` CLI writes them, for the
// core/runs, ui/results and ui/report tests. 24 test clips, 4 speakers (2 male, 2 female), classes
// neutral/happy/sad/angry; confusion (rows true, cols predicted):
//   neutral 5 0 1 0 | happy 1 3 0 2 | sad 1 0 5 0 | angry 0 1 0 5   -> WA 0.75, UAR 0.75.
// The 6 errors: neutral->sad (Actor_02), happy->angry (Actor_01, Actor_03), happy->neutral
// (Actor_04), sad->neutral (Actor_03), angry->happy (Actor_03).
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

#include "core/metrics/predictions_csv.h"
#include "core/runs/run_record.h"

namespace ser::testing {

struct RunFixtureOptions {
  bool speakerIndependent = false;  // false: test speakers also trained the model (leakage)
  bool legacy = false;              // true: metrics.json as serwb wrote it before the run record
                                    // (format version 1, hand-written below); false: written by
                                    // ser::writeRunRecord from the predictions (version 2)
  bool withCurves = true;           // false: an SVM-like run without curves.csv
  bool synthetic = true;            // config marks the demo corpus synthetic
};

inline bool writeText(const QString& path, const QByteArray& text) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  return f.write(text) == text.size();
}

inline QByteArray fixtureConfigJson(const RunFixtureOptions& o) {
  return QByteArray(R"({
  "name": "acted-cnn",
  "synthetic": )") + (o.synthetic ? "true" : "false") + R"(,
  "corpora": [{"name": "demo-acted", "format": "ravdess", "path": "/data/demo-acted", "synthetic": )" +
         (o.synthetic ? "true" : "false") + R"(}],
  "labels": "common",
  "split": {"protocol": )" + (o.speakerIndependent ? "\"speaker-independent\"" : "\"random\"") + R"(,
            "validation_fraction": 0.15, "test_fraction": 0.2},
  "front_end": {"kind": "log-mel", "sample_rate": 16000, "n_mels": 64, "win_ms": 25, "hop_ms": 10},
  "model": {"kind": "cnn", "channels": [16, 32, 64], "dropout": 0.3},
  "training": {"epochs": 8, "batch_size": 32, "learning_rate": 0.001, "optimizer": "adam"},
  "seed": 1234
})";
}

inline QByteArray fixtureMetricsJson(const RunFixtureOptions& o) {
  const QByteArray split = o.speakerIndependent
      ? R"({"protocol": "speaker-independent", "speaker_independent": true, "warnings": [],
           "train_speakers": ["Actor_05", "Actor_06", "Actor_07", "Actor_08"],
           "validation_speakers": ["Actor_09"],
           "test_speakers": ["Actor_01", "Actor_02", "Actor_03", "Actor_04"]})"
      : R"({"protocol": "random", "speaker_independent": false,
           "warnings": ["4 test speakers also appear in training: speaker leakage, accuracy is optimistic"],
           "train_speakers": ["Actor_01", "Actor_02", "Actor_03", "Actor_04"],
           "validation_speakers": ["Actor_01", "Actor_02"],
           "test_speakers": ["Actor_01", "Actor_02", "Actor_03", "Actor_04"]})";
  return QByteArray(R"({
  "labels": ["neutral", "happy", "sad", "angry"],
  "n": 24,
  "wa": 0.75, "uar": 0.75, "macro_f1": 0.7429,
  "wa_ci95": [0.5833, 0.9167], "uar_ci95": [0.5729, 0.9115],
  "confusion": [[5, 0, 1, 0], [1, 3, 0, 2], [1, 0, 5, 0], [0, 1, 0, 5]],
  "per_class": {
    "neutral": {"precision": 0.7143, "recall": 0.8333, "f1": 0.7692, "support": 6},
    "happy":   {"precision": 0.75,   "recall": 0.5,    "f1": 0.6,    "support": 6},
    "sad":     {"precision": 0.8333, "recall": 0.8333, "f1": 0.8333, "support": 6},
    "angry":   {"precision": 0.7143, "recall": 0.8333, "f1": 0.7692, "support": 6}
  },
  "per_sex": {
    "male":   {"n": 12, "wa": 0.6667, "uar": 0.6667, "wa_ci95": [0.4167, 0.9167], "uar_ci95": [0.4028, 0.9028]},
    "female": {"n": 12, "wa": 0.8333, "uar": 0.8333, "wa_ci95": [0.5833, 1.0], "uar_ci95": [0.5903, 1.0]}
  },
  "sex_gap": {"female_minus_male_wa": 0.1667, "ci95": [-0.1667, 0.5]},
  "per_class_by_sex": {
    "neutral": {"male": 1.0, "female": 0.6667},
    "happy":   {"male": 0.3333, "female": 0.6667},
    "sad":     {"male": 0.6667, "female": 1.0},
    "angry":   {"male": 0.6667, "female": 1.0}
  },
  "per_speaker": {
    "Actor_01": {"n": 6, "wa": 0.8333}, "Actor_02": {"n": 6, "wa": 0.8333},
    "Actor_03": {"n": 6, "wa": 0.5},    "Actor_04": {"n": 6, "wa": 0.8333}
  },
  "per_corpus": {"demo-acted": {"n": 24, "wa": 0.75, "uar": 0.75}},
  "split": )") + split + R"(,
  "seed": 1234,
  "device": "cpu",
  "train_seconds": 41.7,
  "train_samples_per_second": 212.4,
  "model": "cnn"
})";
}

inline QByteArray fixturePredictionsCsv() {
  return R"(path,corpus,speaker,sex,true,predicted,p_neutral,p_happy,p_sad,p_angry
/data/demo-acted/Actor_01/03-01-01-01-01-01-01.wav,demo-acted,Actor_01,male,neutral,neutral,0.81,0.05,0.10,0.04
/data/demo-acted/Actor_01/03-01-03-01-01-01-01.wav,demo-acted,Actor_01,male,happy,angry,0.06,0.31,0.03,0.60
/data/demo-acted/Actor_01/03-01-04-01-01-01-01.wav,demo-acted,Actor_01,male,sad,sad,0.22,0.02,0.74,0.02
/data/demo-acted/Actor_01/03-01-05-01-01-01-01.wav,demo-acted,Actor_01,male,angry,angry,0.03,0.12,0.01,0.84
/data/demo-acted/Actor_01/03-01-01-01-02-01-01.wav,demo-acted,Actor_01,male,neutral,neutral,0.66,0.08,0.20,0.06
/data/demo-acted/Actor_01/03-01-03-02-01-01-01.wav,demo-acted,Actor_01,male,happy,happy,0.10,0.58,0.04,0.28
/data/demo-acted/Actor_02/03-01-01-01-01-01-02.wav,demo-acted,Actor_02,female,neutral,sad,0.41,0.03,0.52,0.04
/data/demo-acted/Actor_02/03-01-03-01-01-01-02.wav,demo-acted,Actor_02,female,happy,happy,0.07,0.71,0.02,0.20
/data/demo-acted/Actor_02/03-01-04-01-01-01-02.wav,demo-acted,Actor_02,female,sad,sad,0.15,0.01,0.83,0.01
/data/demo-acted/Actor_02/03-01-05-01-01-01-02.wav,demo-acted,Actor_02,female,angry,angry,0.02,0.09,0.01,0.88
/data/demo-acted/Actor_02/03-01-04-02-01-01-02.wav,demo-acted,Actor_02,female,sad,sad,0.19,0.02,0.77,0.02
/data/demo-acted/Actor_02/03-01-05-02-01-01-02.wav,demo-acted,Actor_02,female,angry,angry,0.01,0.14,0.01,0.84
"/data/demo-acted/Actor_03/take 2, loud/03-01-03-01-01-01-03.wav",demo-acted,Actor_03,male,happy,angry,0.04,0.38,0.02,0.56
/data/demo-acted/Actor_03/03-01-04-01-01-01-03.wav,demo-acted,Actor_03,male,sad,neutral,0.49,0.03,0.45,0.03
/data/demo-acted/Actor_03/03-01-05-01-01-01-03.wav,demo-acted,Actor_03,male,angry,happy,0.05,0.47,0.02,0.46
/data/demo-acted/Actor_03/03-01-01-01-01-01-03.wav,demo-acted,Actor_03,male,neutral,neutral,0.72,0.06,0.18,0.04
/data/demo-acted/Actor_03/03-01-05-02-01-01-03.wav,demo-acted,Actor_03,male,angry,angry,0.02,0.21,0.01,0.76
/data/demo-acted/Actor_03/03-01-04-02-01-01-03.wav,demo-acted,Actor_03,male,sad,sad,0.30,0.02,0.66,0.02
/data/demo-acted/Actor_04/03-01-03-01-01-01-04.wav,demo-acted,Actor_04,female,happy,neutral,0.44,0.36,0.12,0.08
/data/demo-acted/Actor_04/03-01-01-01-01-01-04.wav,demo-acted,Actor_04,female,neutral,neutral,0.78,0.07,0.12,0.03
/data/demo-acted/Actor_04/03-01-04-01-01-01-04.wav,demo-acted,Actor_04,female,sad,sad,0.12,0.02,0.85,0.01
/data/demo-acted/Actor_04/03-01-05-01-01-01-04.wav,demo-acted,Actor_04,female,angry,angry,0.03,0.10,0.02,0.85
/data/demo-acted/Actor_04/03-01-03-02-01-01-04.wav,demo-acted,Actor_04,female,happy,happy,0.09,0.62,0.05,0.24
/data/demo-acted/Actor_04/03-01-01-01-02-01-04.wav,demo-acted,Actor_04,female,neutral,neutral,0.70,0.09,0.17,0.04
)";
}

inline QByteArray fixtureCurvesCsv() {
  return R"(epoch,train_loss,train_acc,val_loss,val_acc,val_uar,lr,seconds
1,1.372,0.312,1.341,0.354,0.339,0.001,5.4
2,1.205,0.447,1.188,0.458,0.441,0.001,5.1
3,1.049,0.552,1.071,0.521,0.507,0.001,5.2
4,0.918,0.627,0.985,0.583,0.571,0.001,5.0
5,0.812,0.689,0.931,0.625,0.612,0.0005,5.3
6,0.731,0.733,0.902,0.646,0.633,0.0005,5.1
7,0.672,0.768,0.897,0.667,0.655,0.00025,5.2
8,0.640,0.781,0.901,0.667,0.652,0.00025,5.4
)";
}

// The run record of the fixture (format version 2): metrics computed by core from the fixture's
// predictions, provenance as the options say.
inline ser::RunRecord fixtureRecord(const QString& dir, const RunFixtureOptions& o) {
  ser::RunRecord r;
  const ser::PredictionTable table = ser::readPredictionsCsv((dir + "/predictions.csv").toStdString());
  r.predictions = table.predictions;
  r.metrics = ser::computeReport(table.predictions, table.labels);
  r.model = "cnn";
  r.experimentName = "acted-cnn";
  r.seed = 1234;
  r.synthetic = o.synthetic;
  r.training.device = "cpu";
  r.training.trainSeconds = 41.7;
  r.training.samplesPerSecond = 212.4;
  ser::SplitProvenance& s = r.split;
  s.protocol = o.speakerIndependent ? "speakers" : "random";
  s.testSpeakers = {"Actor_01", "Actor_02", "Actor_03", "Actor_04"};
  s.trainCorpora = s.testCorpora = {"demo-acted"};
  if (o.speakerIndependent) {
    s.trainSpeakers = {"Actor_05", "Actor_06", "Actor_07", "Actor_08"};
    s.validationSpeakers = {"Actor_09"};
  } else {
    s.trainSpeakers = s.testSpeakers;
    s.validationSpeakers = {"Actor_01", "Actor_02"};
    s.testSpeakersSeen = s.testSpeakers;
    s.warnings = {"a random split puts the same speakers in training and test"};
  }
  s.testClips = 24;
  if (o.withCurves) {
    const double rows[8][7] = {{1.372, 0.312, 1.341, 0.354, 0.339, 0.001, 5.4},
                               {1.205, 0.447, 1.188, 0.458, 0.441, 0.001, 5.1},
                               {1.049, 0.552, 1.071, 0.521, 0.507, 0.001, 5.2},
                               {0.918, 0.627, 0.985, 0.583, 0.571, 0.001, 5.0},
                               {0.812, 0.689, 0.931, 0.625, 0.612, 0.0005, 5.3},
                               {0.731, 0.733, 0.902, 0.646, 0.633, 0.0005, 5.1},
                               {0.672, 0.768, 0.897, 0.667, 0.655, 0.00025, 5.2},
                               {0.640, 0.781, 0.901, 0.667, 0.652, 0.00025, 5.4}};
    for (int e = 0; e < 8; ++e)
      r.curves.push_back({e + 1, rows[e][0], rows[e][1], rows[e][2], rows[e][3], rows[e][4],
                          rows[e][5], rows[e][6], 0.0});
  }
  return r;
}

// Writes a complete run folder into `dir` (created if needed). Returns false on an I/O error.
inline bool writeRunFixture(const QString& dir, const RunFixtureOptions& o = {}) {
  if (!QDir().mkpath(dir)) return false;
  bool ok = writeText(dir + "/config.json", fixtureConfigJson(o)) &&
            writeText(dir + "/predictions.csv", fixturePredictionsCsv()) &&
            writeText(dir + "/train.log", "epoch 1/8 loss 1.372\n");
  if (!ok) return false;
  if (o.legacy) {
    ok = writeText(dir + "/metrics.json", fixtureMetricsJson(o));
    if (o.withCurves) ok = ok && writeText(dir + "/curves.csv", fixtureCurvesCsv());
    return ok;
  }
  ser::writeRunRecord(dir.toStdString(), fixtureRecord(dir, o));
  return true;
}

// Writes a study folder into `dir`: table.json, table.md and two run folders beside them
// ("acted-cnn" speaker-independent, "acted-to-crowd-svm" without curves).
inline bool writeStudyFixture(const QString& dir) {
  if (!QDir().mkpath(dir)) return false;
  const QByteArray table = R"({
  "rows": [
    {"experiment": "acted within-corpus", "model": "cnn", "train": "demo-acted", "test": "demo-acted",
     "protocol": "speaker-independent", "wa": 0.75, "uar": 0.75, "run_dir": "acted-cnn"},
    {"experiment": "acted -> crowd", "model": "svm", "train": "demo-acted", "test": "demo-crowd",
     "protocol": "cross-corpus", "wa": 0.412, "uar": 0.386, "run_dir": "acted-to-crowd-svm"},
    {"experiment": "crowd -> acted", "model": "svm", "train": "demo-crowd", "test": "demo-acted",
     "protocol": "cross-corpus", "wa": 0.455, "uar": 0.431, "run_dir": ""}
  ],
  "skipped": ["crowd within-corpus cnn: training diverged, NaN loss at epoch 3"],
  "synthetic": true
})";
  RunFixtureOptions si;
  si.speakerIndependent = true;
  RunFixtureOptions svm;
  svm.speakerIndependent = true;
  svm.withCurves = false;
  return writeText(dir + "/table.json", table) &&
         writeText(dir + "/table.md", "| experiment | wa | uar |\n|---|---|---|\n") &&
         writeRunFixture(dir + "/acted-cnn", si) && writeRunFixture(dir + "/acted-to-crowd-svm", svm);
}

}  // namespace ser::testing
