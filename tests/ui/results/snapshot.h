#pragma once
// Optional screenshots for looking at the panels: when SERWB_SNAPSHOT_DIR is set, tests save
// what they render there as PNG. Without it nothing is written.
#include <QDir>
#include <QImage>
#include <QWidget>

namespace ser::testing {

inline void snapshot(QWidget* widget, const QString& name) {
  const QString dir = qEnvironmentVariable("SERWB_SNAPSHOT_DIR");
  if (dir.isEmpty()) return;
  QDir().mkpath(dir);
  widget->grab().save(dir + "/" + name + ".png");
}

}  // namespace ser::testing
