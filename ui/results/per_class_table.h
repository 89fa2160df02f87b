#pragma once
// Per-class metrics in the run's label order: precision, recall, F1, support, and recall by sex.
#include <QTableWidget>

namespace ser {

struct RunRecord;

class PerClassTable : public QTableWidget {
  Q_OBJECT
 public:
  explicit PerClassTable(QWidget* parent = nullptr);
  void setRun(const RunRecord& run);
};

}  // namespace ser
