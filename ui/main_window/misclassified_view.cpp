#include "ui/main_window/misclassified_view.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "core/corpus/clip.h"
#include "ui/dataset/clip_preview.h"
#include "ui/results/misclassified_panel.h"

namespace ser {

MisclassifiedView::MisclassifiedView(QWidget* parent)
    : QWidget(parent), list_(new MisclassifiedPanel(this)), preview_(new ClipPreview(this)) {
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(list_);
  split->addWidget(preview_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);
  connect(list_, &MisclassifiedPanel::clipSelected, this, &MisclassifiedView::showClip);
  connect(preview_, &ClipPreview::clipLoaded, this, [this](const QString& path) {
    if (path != autoplay_) return;
    autoplay_.clear();
    if (!preview_->isPlaying()) preview_->togglePlayback();
  });
}

void MisclassifiedView::setRun(const RunFolder& run) {
  rows_.clear();
  for (const PredictionRow& row : run.predictions)
    if (!row.correct()) rows_[row.path] = row;
  preview_->clear();
  list_->setRun(run);
}

void MisclassifiedView::clear() {
  rows_.clear();
  preview_->clear();
  list_->clear();
}

void MisclassifiedView::showClip(const QString& path) {
  Clip clip;
  clip.path = path.toStdString();
  const auto it = rows_.find(clip.path);
  if (it != rows_.end()) {
    const PredictionRow& row = it->second;
    clip.corpus = row.corpus;
    clip.speaker = row.speaker;
    clip.sex = sexFromString(row.sex);
    clip.emotion = row.trueLabel + ", predicted " + row.predicted;
    clip.common = row.trueLabel;
  }
  autoplay_ = path;
  preview_->showClip(clip);
}

}  // namespace ser
