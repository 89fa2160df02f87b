#pragma once
// Runs one piece of engine work on a worker thread and reports back in the GUI thread.
// The work gets a ProgressReporter (re-emitted as progressed()) and a CancelFlag (set by cancel()
// or the progress dialog's Cancel button). Exceptions thrown by the work are caught on the worker
// thread and arrive as failed(message); they never reach the event loop.
//
//   auto result = std::make_shared<ser::Corpus>();
//   auto* job = new BackgroundJob([=](ProgressReporter& p, const CancelFlag& c) {
//     *result = ser::loadCorpora(specs, policy, &p, &c); }, this);
//   job->showProgressDialog(this, tr("Scanning corpora..."));
//   connect(job, &BackgroundJob::succeeded, this, [=] { use(*result); });
//   job->start();
#include <functional>
#include <QObject>
#include <QPointer>
#include <QString>

#include "core/base/progress.h"

class QProgressDialog;
class QThread;
class QWidget;

namespace ser {

class ProgressAdapter;

class BackgroundJob : public QObject {
  Q_OBJECT
 public:
  // Runs on the worker thread. Must poll `cancel` between units of work; may throw.
  using Work = std::function<void(ProgressReporter& progress, const CancelFlag& cancel)>;

  explicit BackgroundJob(Work work, QObject* parent = nullptr);
  // Requests cancellation and waits for the worker: destroying a job never leaves a thread behind.
  ~BackgroundJob() override;

  // Shows a window-modal progress dialog over `parent` if the job is still running after
  // `minimumMs`; its Cancel button cancels the job. Call before start().
  void showProgressDialog(QWidget* parent, const QString& label, int minimumMs = 500);
  // Deletes the job (deleteLater) once finished() has been emitted.
  void setAutoDelete(bool on) { autoDelete_ = on; }

  void start();   // once only
  void cancel();  // thread-safe; the work stops at its next poll
  bool isRunning() const { return running_; }
  bool isCancelRequested() const { return cancel_.cancelled(); }

 signals:
  void progressed(qulonglong done, qulonglong total, const QString& item);
  // Exactly one of these three, then finished().
  void succeeded();
  void failed(const QString& message);
  void cancelled();
  void finished();

 private:
  void onWorkerFinished();
  void onProgress(qulonglong done, qulonglong total, const QString& item);

  Work work_;
  CancelFlag cancel_;
  ProgressAdapter* adapter_ = nullptr;
  QThread* thread_ = nullptr;
  QPointer<QProgressDialog> dialog_;
  QString dialogLabel_;
  bool running_ = false;
  bool autoDelete_ = false;
  // Written by the worker before it finishes, read in the GUI thread after QThread::finished.
  bool workFailed_ = false;
  QString errorMessage_;
};

}  // namespace ser
