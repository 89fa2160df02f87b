#pragma once
// Adapts the engine's ProgressReporter to Qt: every progress() call from a worker thread is
// re-emitted as a signal, which Qt delivers queued to receivers living in the GUI thread.
#include <QObject>
#include <QString>

#include "core/base/progress.h"

namespace ser {

class ProgressAdapter : public QObject, public ProgressReporter {
  Q_OBJECT
 public:
  explicit ProgressAdapter(QObject* parent = nullptr) : QObject(parent) {}

  // Thread-safe for the engine's serialised calls; never blocks on the GUI.
  void progress(std::size_t done, std::size_t total, const std::string& item) override;

 signals:
  // `total` == 0 means "unknown amount of work".
  void progressed(qulonglong done, qulonglong total, const QString& item);
};

}  // namespace ser
