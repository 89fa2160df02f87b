#pragma once
// The run history: every run and study folder the user trained or opened in the GUI, kept in a
// small SQLite database (Qt SQL) in the user's data folder, with the figures the Runs panel lists
// so that the list shows without reading every folder again. A folder that has since been moved
// or deleted stays listed, marked missing, until the user removes it.
#include <optional>
#include <QDateTime>
#include <QString>
#include <QVector>

#include "core/metrics/bootstrap.h"

namespace ser {

struct RunRecord;
struct StudyTable;

// One remembered folder.
struct RunHistoryEntry {
  enum class Kind { Run, Study };
  QString path;         // absolute folder path (the key)
  Kind kind = Kind::Run;
  QString name;         // folder name
  QDateTime openedAt;   // last trained or opened (UTC)
  QString corpora;      // runs: "ravdess", "ravdess+crema-d" or "ravdess → crema-d" (train → test);
                        // studies: the corpora; " (synthetic)" after them for the demo corpus
  QString protocol;     // "speakers", "random", "kfold", "evaluation"; "study" for studies
  QString model;        // "cnn", "svm", ...; empty for studies
  int n = 0;            // test clips (runs); rows (studies)
  std::optional<double> wa, uar;               // fractions; absent for studies
  std::optional<Interval> waCi95, uarCi95;     // absent when the run has none
  bool missing = false;  // set by entries(): the folder no longer holds a run or study
};

class RunHistory {
 public:
  // Opens (creating if needed) the database `file`; empty: defaultFile(). Check ok() / error().
  explicit RunHistory(const QString& file = QString());
  ~RunHistory();
  RunHistory(const RunHistory&) = delete;
  RunHistory& operator=(const RunHistory&) = delete;

  // QStandardPaths::AppDataLocation/run-history.sqlite.
  static QString defaultFile();

  bool ok() const { return error_.isEmpty(); }
  QString error() const { return error_; }  // why the database could not be opened or written
  QString file() const { return file_; }

  // Adds or refreshes a folder (its figures and its time). False, with error(), on failure.
  bool remember(const RunRecord& run);
  bool remember(const StudyTable& study);
  bool remember(const RunHistoryEntry& entry);
  bool remove(const QString& path);
  // Every entry, most recently opened first; `missing` checked against the file system.
  QVector<RunHistoryEntry> entries() const;
  // The `count` most recent entries that still exist.
  QVector<RunHistoryEntry> recent(int count) const;

  static RunHistoryEntry entryFor(const RunRecord& run);
  static RunHistoryEntry entryFor(const StudyTable& study);

 private:
  bool exec(const QString& sql) const;

  QString file_;
  QString connection_;
  mutable QString error_;
};

}  // namespace ser
