#pragma once
// The "New dataset" wizard: corpora -> background scan with counts, warnings and skipped files ->
// label set and split protocol. It edits the dataset part of a core ser::Experiment (corpora,
// labels, labelPolicy, split, trainCorpora, testCorpora), starting from Experiment's defaults;
// its result is that experiment plus the scanned corpus (common labels following the chosen
// calm policy).
#include <memory>
#include <QWizard>

#include "core/corpus/corpus_spec.h"
#include "core/experiment/experiment.h"

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

  // The experiment being edited; complete after the wizard was accepted. Fields the wizard does
  // not show (model, training, front end, seed) keep Experiment's defaults.
  const Experiment& experiment() const { return experiment_; }
  std::shared_ptr<const Corpus> corpus() const { return corpus_; }

  CorpusSourcesPage* sourcesPage() const { return sources_; }
  ScanPage* scanPage() const { return scan_; }
  LabelSplitPage* labelSplitPage() const { return labels_; }

  void initializePage(int id) override;
  void accept() override;

 private:
  Experiment experiment_;
  CorpusSourcesPage* sources_;
  ScanPage* scan_;
  LabelSplitPage* labels_;
  std::shared_ptr<const Corpus> corpus_;
};

// Re-derives the common label of RAVDESS-style "calm" clips under `policy` (the only label the
// policy changes), so a corpus scanned once can follow the wizard's policy choice.
void applyCalmPolicy(Corpus& corpus, CommonLabelPolicy policy);

}  // namespace ser
