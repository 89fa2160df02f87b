#include "ui/common/background_job.h"

#include <exception>
#include <QFontMetrics>
#include <QProgressDialog>
#include <QThread>

#include "core/base/error.h"
#include "ui/common/progress_adapter.h"

namespace ser {

BackgroundJob::BackgroundJob(Work work, QObject* parent)
    : QObject(parent), work_(std::move(work)), adapter_(new ProgressAdapter(this)) {
  // The adapter lives in the GUI thread, so its signals emitted from the worker arrive queued.
  connect(adapter_, &ProgressAdapter::progressed, this, &BackgroundJob::onProgress);
}

BackgroundJob::~BackgroundJob() {
  if (thread_) {
    cancel_.cancel();
    thread_->wait();
    delete thread_;
  }
  if (dialog_) dialog_->deleteLater();
}

void BackgroundJob::showProgressDialog(QWidget* parent, const QString& label, int minimumMs) {
  dialogLabel_ = label;
  auto* dialog = new QProgressDialog(label, tr("Cancel"), 0, 0, parent);
  dialog->setWindowTitle(label);
  dialog->setWindowModality(Qt::WindowModal);
  dialog->setAutoClose(false);
  dialog->setAutoReset(false);
  dialog->setMinimumWidth(420);
  dialog->setMinimumDuration(minimumMs);
  dialog->setValue(0);  // starts the minimum-duration timer
  connect(dialog, &QProgressDialog::canceled, this, &BackgroundJob::cancel);
  dialog_ = dialog;
}

void BackgroundJob::start() {
  if (thread_) return;
  running_ = true;
  thread_ = QThread::create([this] {
    try {
      work_(*adapter_, cancel_);
    } catch (const std::exception& e) {
      workFailed_ = true;
      errorMessage_ = QString::fromStdString(e.what());
    } catch (...) {
      workFailed_ = true;
      errorMessage_ = tr("unknown error");
    }
  });
  connect(thread_, &QThread::finished, this, &BackgroundJob::onWorkerFinished, Qt::QueuedConnection);
  thread_->start();
}

void BackgroundJob::cancel() {
  cancel_.cancel();
  if (dialog_) dialog_->setLabelText(tr("Cancelling..."));
}

void BackgroundJob::onProgress(qulonglong done, qulonglong total, const QString& item) {
  emit progressed(done, total, item);
  if (!dialog_ || cancel_.cancelled()) return;
  const int max = int(qMin<qulonglong>(total, 1u << 30));
  if (dialog_->maximum() != max) dialog_->setMaximum(max);
  if (max > 0) dialog_->setValue(int(qMin<qulonglong>(done, qulonglong(max))));
  if (!item.isEmpty()) {
    const QFontMetrics fm(dialog_->font());
    dialog_->setLabelText(dialogLabel_ + QLatin1Char('\n') +
                          fm.elidedText(item, Qt::ElideMiddle, 400));
  }
}

void BackgroundJob::onWorkerFinished() {
  running_ = false;
  adapter_->flush();  // the last report arrives before the outcome
  if (dialog_) {
    dialog_->hide();
    dialog_->deleteLater();  // deleteLater: setValue() of a modal dialog may be on the stack
  }
  if (cancel_.cancelled())
    emit cancelled();
  else if (workFailed_)
    emit failed(errorMessage_);
  else
    emit succeeded();
  emit finished();
  if (autoDelete_) deleteLater();
}

}  // namespace ser
