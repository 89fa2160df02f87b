#include "ui/common/progress_adapter.h"

#include <QTimer>

namespace ser {

ProgressAdapter::ProgressAdapter(QObject* parent) : QObject(parent) {}

void ProgressAdapter::progress(std::size_t done, std::size_t total, const std::string& item) {
  bool post = false;
  {
    std::lock_guard lock(mutex_);
    latest_ = Report{done, total, item};
    post = !pending_;
    pending_ = true;
  }
  // One queued delivery at a time; later reports only overwrite latest_.
  if (post) QMetaObject::invokeMethod(this, &ProgressAdapter::deliver, Qt::QueuedConnection);
}

void ProgressAdapter::deliver() {
  if (sinceEmit_.isValid()) {
    const qint64 wait = kMinIntervalMs - sinceEmit_.elapsed();
    if (wait > 0) {  // too soon after the last signal: come back when it is time
      QTimer::singleShot(int(wait), this, &ProgressAdapter::deliver);
      return;
    }
  }
  flush();
}

void ProgressAdapter::flush() {
  Report report;
  {
    std::lock_guard lock(mutex_);
    if (!pending_) return;
    report = std::move(latest_);
    pending_ = false;
  }
  sinceEmit_.start();
  emit progressed(qulonglong(report.done), qulonglong(report.total), QString::fromStdString(report.item));
}

}  // namespace ser
