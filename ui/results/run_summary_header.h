#pragma once
// The headline of a run: WA and UAR with 95% intervals, macro F1, n, model, protocol; a red banner
// exactly when a test speaker was seen in training (from the run's provenance: speaker leakage
// makes accuracy optimistic), a grey note when the provenance is unknown (older run folders), and
// an orange banner when the data are synthetic.
#include <QWidget>

class QLabel;

namespace ser {

struct RunRecord;

class RunSummaryHeader : public QWidget {
  Q_OBJECT
 public:
  explicit RunSummaryHeader(QWidget* parent = nullptr);

  void setRun(const RunRecord& run);
  void clear();

  // The texts shown, for tests and the report.
  QString summaryText() const;
  QString leakageWarning() const;  // empty when the split is speaker-independent
  bool leakageWarningVisible() const;
  QString provenanceNote() const;  // empty unless the provenance is unknown

 private:
  QLabel* title_;
  QLabel* summary_;
  QLabel* leakage_;
  QLabel* provenance_;
  QLabel* synthetic_;
};

// One-liners shared with the report. leakageWarningText is empty unless a test speaker was seen
// in training; provenanceNoteText is empty unless the record does not say what trained the model.
QString leakageWarningText(const RunRecord& run);
QString provenanceNoteText(const RunRecord& run);
QString protocolText(const RunRecord& run);  // "speakers (speaker-independent)", "evaluation, cross-corpus (...)"

}  // namespace ser
