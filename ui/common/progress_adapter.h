#pragma once
// Adapts the engine's ProgressReporter to Qt, coalescing: a worker may report thousands of units a
// second (preprocessing reports every clip), but the GUI thread gets at most one progressed()
// signal per kMinIntervalMs, always carrying the latest report, and the last report is never lost
// (flush() delivers it at once). Without this, each report repainted a progress bar synchronously
// and a burst of them stalled the event loop (benchmarks/bench_gui_latency found 146 in one gap).
#include <mutex>
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include "core/base/progress.h"

namespace ser {

class ProgressAdapter : public QObject, public ProgressReporter {
  Q_OBJECT
 public:
  static constexpr int kMinIntervalMs = 50;

  // Lives in (and delivers to) the thread that creates it: the GUI thread.
  explicit ProgressAdapter(QObject* parent = nullptr);

  // Any thread; never blocks on the GUI (one short mutex, no waiting for delivery).
  void progress(std::size_t done, std::size_t total, const std::string& item) override;

  // GUI thread: emits the latest report now if it has not been delivered yet.
  void flush();

 signals:
  // `total` == 0 means "unknown amount of work".
  void progressed(qulonglong done, qulonglong total, const QString& item);

 private:
  void deliver();  // GUI thread

  struct Report {
    std::size_t done = 0, total = 0;
    std::string item;
  };
  std::mutex mutex_;
  Report latest_;
  bool pending_ = false;  // a report is waiting for deliver(); guarded by mutex_
  QElapsedTimer sinceEmit_;
};

}  // namespace ser
