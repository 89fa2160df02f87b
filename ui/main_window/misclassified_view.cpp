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

void MisclassifiedView::setRun(const RunRecord& run) {
  rows_.clear();
  labels_ = run.labels();
  for (const Prediction& row : run.predictions)
    if (row.truth != row.predicted) rows_[row.path] = row;
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
    const Prediction& row = it->second;
    const std::string& trueLabel = labels_[std::size_t(row.truth)];
    clip.corpus = row.corpus;
    clip.speaker = row.speaker;
    clip.sex = row.sex;
    clip.emotion = trueLabel + ", predicted " + labels_[std::size_t(row.predicted)];
    clip.common = trueLabel;
  }
  autoplay_ = path;
  preview_->showClip(clip);
}

}  // namespace ser
