#pragma once
// The "New dataset" wizard: corpora -> background scan with counts, warnings and skipped files ->
// label set and split protocol. Its result is a Qt-free DatasetSelection plus the scanned corpus
// (common labels following the chosen calm policy).
#include <memory>
#include <QWizard>

#include "ui/dataset/dataset_selection.h"

namespace ser {

class CorpusSourcesPage;
class LabelSplitPage;
class ScanPage;

class DatasetWizard : public QWizard {
  Q_OBJECT
 public:
  enum PageId { SourcesPageId, ScanPageId, LabelSplitPageId };

  explicit DatasetWizard(QWidget* parent = nullptr);

  // Pre-fills page 1 (e.g. from the command line). addPath detects the reader; false if unknown.
  bool addPath(const QString& path);
  void addSource(CorpusReader reader, const QString& path);

  // Valid after the wizard was accepted.
  const DatasetSelection& selection() const { return selection_; }
  std::shared_ptr<const Corpus> corpus() const { return corpus_; }

  CorpusSourcesPage* sourcesPage() const { return sources_; }
  ScanPage* scanPage() const { return scan_; }
  LabelSplitPage* labelSplitPage() const { return labels_; }

  void accept() override;

 private:
  CorpusSourcesPage* sources_;
  ScanPage* scan_;
  LabelSplitPage* labels_;
  DatasetSelection selection_;
  std::shared_ptr<const Corpus> corpus_;
};

}  // namespace ser
