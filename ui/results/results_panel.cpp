#include "ui/results/results_panel.h"

#include <QCheckBox>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "core/runs/run_record.h"
#include "ui/common/view_export.h"
#include "ui/results/bias_chart_view.h"
#include "ui/results/clip_selection.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/per_class_table.h"
#include "ui/results/run_summary_header.h"
#include "ui/results/speaker_accuracy_chart.h"
#include "ui/results/training_curves_view.h"

namespace ser {

ResultsPanel::ResultsPanel(QWidget* parent)
    : QWidget(parent), header_(new RunSummaryHeader), tabs_(new QTabWidget),
      confusion_(new ConfusionMatrixView), normalize_(new QCheckBox(tr("Row-normalised (recall per true class)"))),
      perClass_(new PerClassTable), bias_(new BiasChartView), speakers_(new SpeakerAccuracyChart),
      curves_(new TrainingCurvesView) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(header_);
  layout->addWidget(tabs_, 1);

  auto* matrixBox = new QWidget;
  auto* matrixLayout = new QVBoxLayout(matrixBox);
  matrixLayout->setContentsMargins(0, 0, 0, 0);
  auto* hint = new QLabel(tr("Click a cell to list the clips it counts."));
  hint->setStyleSheet(QStringLiteral("color: gray"));
  matrixLayout->addWidget(normalize_);
  matrixLayout->addWidget(confusion_, 1);
  matrixLayout->addWidget(hint);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(matrixBox);
  split->addWidget(perClass_);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  split->setSizes({460, 440});
  tabs_->addTab(split, tr("Confusion matrix"));
  tabs_->addTab(bias_, tr("Bias by sex"));
  tabs_->addTab(speakers_, tr("Per speaker"));
  tabs_->addTab(curves_, tr("Training curves"));

  connect(normalize_, &QCheckBox::toggled, confusion_, &ConfusionMatrixView::setNormalized);
  connect(confusion_, &ConfusionMatrixView::cellClicked, this, &ResultsPanel::cellClicked);
  // Right-click > Export... on every figure (PNG or SVG at a chosen size and DPI).
  installExportAction(confusion_, QStringLiteral("confusion-matrix"));
  installExportAction(bias_, QStringLiteral("bias-by-sex"));
  installExportAction(speakers_, QStringLiteral("accuracy-per-speaker"));
  installExportAction(curves_->lossChart(), QStringLiteral("loss-curves"));
  installExportAction(curves_->accuracyChart(), QStringLiteral("accuracy-curves"));
}

void ResultsPanel::setRun(const RunRecord& run) {
  header_->setRun(run);
  QStringList labels;
  for (const auto& l : run.labels()) labels << QString::fromStdString(l);
  std::vector<std::vector<double>> counts;
  for (const auto& row : run.metrics.confusion) counts.emplace_back(row.begin(), row.end());
  confusion_->setMatrix(labels, counts);
  perClass_->setRun(run);
  bias_->setRun(run);
  speakers_->setRun(run);
  curves_->setRun(run);
  if (selection_ && !selection_->isEmpty()) confusion_->setSelectionCounts(selection_->cellCounts());
}

void ResultsPanel::setSelection(ClipSelection* selection) {
  if (selection_) disconnect(selection_, nullptr, this, nullptr);
  selection_ = selection;
  auto follow = [this] {
    confusion_->setSelectionCounts(selection_ && !selection_->isEmpty() ? selection_->cellCounts()
                                                                        : std::vector<std::vector<int>>{});
  };
  if (selection_) connect(selection_, &ClipSelection::changed, this, follow);
  follow();
}

void ResultsPanel::clear() {
  header_->clear();
  confusion_->clear();
  perClass_->setRowCount(0);
}

}  // namespace ser
