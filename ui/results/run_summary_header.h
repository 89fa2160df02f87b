#pragma once
// The headline of a run: WA and UAR with 95% intervals, macro F1, n, model, protocol; a red banner
// when the split is not speaker-independent (speaker leakage makes accuracy optimistic) and an
// orange one when the data are synthetic.
#include <QWidget>

class QLabel;

namespace ser {

struct RunFolder;

class RunSummaryHeader : public QWidget {
  Q_OBJECT
 public:
  explicit RunSummaryHeader(QWidget* parent = nullptr);

  void setRun(const RunFolder& run);
  void clear();

  // The texts shown, for tests and the report.
  QString summaryText() const;
  QString leakageWarning() const;  // empty when the split is speaker-independent
  bool leakageWarningVisible() const;

 private:
  QLabel* title_;
  QLabel* summary_;
  QLabel* leakage_;
  QLabel* synthetic_;
};

// "Protocol: random (NOT speaker-independent)" style one-liners shared with the report.
QString leakageWarningText(const RunFolder& run);  // empty when speaker-independent
QString protocolText(const RunFolder& run);

}  // namespace ser
