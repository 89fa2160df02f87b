#include "ui/explore/clip_map_panel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <map>

#include "core/runs/run_record.h"
#include "ui/common/background_job.h"
#include "ui/dataset/clip_preview.h"
#include "ui/explore/clip_map_view.h"
#include "ui/results/clip_selection.h"

namespace ser {

namespace {
constexpr int kIndexRole = Qt::UserRole + 1;
enum Column { FileColumn, SpeakerColumn, SexColumn, CorpusColumn, TrueColumn, PredictedColumn, ColumnCount };
}  // namespace

ClipMapPanel::ClipMapPanel(QWidget* parent)
    : QWidget(parent), colourBy_(new QComboBox), method_(new QComboBox), status_(new QLabel),
      progress_(new QProgressBar), cancel_(new QPushButton(tr("Cancel"))), view_(new ClipMapView),
      table_(new QTableWidget), preview_(new ClipPreview) {
  colourBy_->addItem(tr("True emotion"), int(ColourBy::TrueEmotion));
  colourBy_->addItem(tr("Predicted emotion"), int(ColourBy::Predicted));
  colourBy_->addItem(tr("Correct / wrong"), int(ColourBy::Correct));
  colourBy_->addItem(tr("Speaker"), int(ColourBy::Speaker));
  colourBy_->addItem(tr("Sex"), int(ColourBy::Sex));
  colourBy_->addItem(tr("Corpus"), int(ColourBy::Corpus));
  method_->addItem(tr("PCA"), int(ProjectionMethod::Pca));
  method_->addItem(tr("t-SNE"), int(ProjectionMethod::Tsne));
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_->setWordWrap(true);
  progress_->setMaximumWidth(200);
  progress_->hide();
  cancel_->hide();

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Colour by:")));
  bar->addWidget(colourBy_);
  bar->addSpacing(12);
  bar->addWidget(new QLabel(tr("Projection:")));
  bar->addWidget(method_);
  bar->addSpacing(12);
  bar->addWidget(status_, 1);
  bar->addWidget(progress_);
  bar->addWidget(cancel_);

  table_->setColumnCount(ColumnCount);
  table_->setHorizontalHeaderLabels({tr("File"), tr("Speaker"), tr("Sex"), tr("Corpus"), tr("True"), tr("Predicted")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);

  auto* side = new QSplitter(Qt::Vertical);
  side->addWidget(table_);
  side->addWidget(preview_);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(view_);
  split->addWidget(side);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* hint = new QLabel(tr("Hover a dot to name its clip; click to play it; drag a rectangle to select "
                             "clips (shared with the confusion matrix and the Misclassified tab); click "
                             "empty space to clear."));
  hint->setStyleSheet(QStringLiteral("color: gray"));
  hint->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(split, 1);
  layout->addWidget(hint);

  // The colouring is remembered between sessions.
  const int saved = colourBy_->findData(QSettings().value(QStringLiteral("clipMap/colourBy"), 0).toInt());
  colourBy_->setCurrentIndex(std::max(saved, 0));
  connect(colourBy_, &QComboBox::currentIndexChanged, this, [this] {
    QSettings().setValue(QStringLiteral("clipMap/colourBy"), colourBy_->currentData().toInt());
    recolour();
  });
  connect(method_, &QComboBox::currentIndexChanged, this, [this] {
    mapIsCurrent_ = false;
    if (isVisible()) compute();
  });
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (job_) job_->cancel();
  });
  connect(view_, &ClipMapView::pointClicked, this, &ClipMapPanel::playPoint);
  connect(view_, &ClipMapView::rectangleSelected, this, [this](const std::vector<int>& indices) {
    if (!selection_) return;
    if (indices.empty()) {
      selection_->clear();
      return;
    }
    QStringList paths;
    for (int i : indices) paths << QString::fromStdString(map_.points[std::size_t(i)].path);
    selection_->selectPaths(paths, ClipSelection::Origin::Map);
  });
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    const auto rows = table_->selectionModel()->selectedRows(FileColumn);
    if (!rows.isEmpty()) playPoint(rows.first().data(kIndexRole).toInt());
  });
  connect(preview_, &ClipPreview::statusMessage, this, &ClipMapPanel::statusMessage);
  connect(preview_, &ClipPreview::clipLoaded, this, [this](const QString& path) {
    if (path != autoplay_) return;
    autoplay_.clear();
    if (!preview_->isPlaying()) preview_->togglePlayback();
  });
  clear();
}

ClipMapPanel::~ClipMapPanel() {
  if (job_) job_->cancel();
}

void ClipMapPanel::setRun(const RunRecord& run) {
  if (job_) job_->cancel();
  run_ = std::make_unique<RunRecord>(run);
  map_ = ClipMap{};
  mapIsCurrent_ = false;
  view_->clear();
  preview_->clear();
  fillTable();
  status_->setText(tr("The map of the %1 test clips is computed when this tab is shown.")
                       .arg(run.predictions.size()));
  if (isVisible()) compute();
}

void ClipMapPanel::clear() {
  if (job_) job_->cancel();
  run_.reset();
  map_ = ClipMap{};
  mapIsCurrent_ = false;
  view_->clear();
  preview_->clear();
  fillTable();
  status_->setText(tr("Open a network run (File > Open run folder) to map its test clips."));
}

void ClipMapPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  compute();
}

void ClipMapPanel::setColourBy(ColourBy by) { colourBy_->setCurrentIndex(colourBy_->findData(int(by))); }

void ClipMapPanel::setMethod(ProjectionMethod method) {
  method_->setCurrentIndex(method_->findData(int(method)));
}

void ClipMapPanel::compute() {
  if (!run_ || mapIsCurrent_ || job_) return;
  EmbedOptions options;
  try {
    options.checkpoint = runCheckpoint(*run_);
  } catch (const std::exception& e) {
    status_->setText(tr("No clip map: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  options.method = ProjectionMethod(method_->currentData().toInt());
  auto result = std::make_shared<ClipMap>();
  const RunRecord run = *run_;
  auto* job = new BackgroundJob([result, run, options](ProgressReporter& p, const CancelFlag& c) mutable {
    options.progress = &p;
    options.cancel = &c;
    *result = clipMapForRun(run, options);
  }, this);
  job->setAutoDelete(true);
  job_ = job;
  progress_->setRange(0, 0);
  progress_->show();
  cancel_->show();
  status_->setText(tr("Computing the clip map (%1)...").arg(method_->currentText()));
  connect(job, &BackgroundJob::progressed, this, [this](qulonglong done, qulonglong total, const QString& item) {
    progress_->setRange(0, int(std::min<qulonglong>(total, 1000000)));
    progress_->setValue(int(std::min(done, total)));
    progress_->setFormat(item.startsWith(QLatin1String("t-SNE")) ? tr("t-SNE %p%") : tr("%p%"));
  });
  connect(job, &BackgroundJob::succeeded, this, [this, result] {
    setMap(*result);
    mapIsCurrent_ = true;
  });
  connect(job, &BackgroundJob::failed, this, [this](const QString& message) {
    status_->setText(tr("No clip map: %1").arg(message));
    emit statusMessage(message);
  });
  connect(job, &BackgroundJob::cancelled, this, [this] { status_->setText(tr("Clip map cancelled.")); });
  connect(job, &BackgroundJob::finished, this, [this] {
    progress_->hide();
    cancel_->hide();
  });
  job->start();
}

void ClipMapPanel::setMap(const ClipMap& map) {
  map_ = map;
  std::vector<QPointF> xy;
  QStringList tips;
  auto label = [&](int i) {
    return i >= 0 && std::size_t(i) < map_.labels.size() ? QString::fromStdString(map_.labels[std::size_t(i)])
                                                         : QStringLiteral("?");
  };
  for (const MapPoint& p : map_.points) {
    xy.emplace_back(p.x, p.y);
    tips << tr("<b>%1</b><br>%2 \u00b7 %3 \u00b7 %4<br>true %5, predicted %6")
                .arg(QFileInfo(QString::fromStdString(p.path)).fileName().toHtmlEscaped(),
                     QString::fromStdString(p.speaker), QString::fromStdString(toString(p.sex)),
                     QString::fromStdString(p.corpus), label(p.truth), label(p.predicted));
  }
  view_->setPoints(xy, {}, {}, tips);
  recolour();
  followSelection();
  QString text = tr("%1 clips \u00b7 %2 of the network's %3-wide penultimate layer%4")
                     .arg(map_.points.size())
                     .arg(map_.method == ProjectionMethod::Tsne ? tr("t-SNE") : tr("PCA"))
                     .arg(map_.points.empty() ? 0 : map_.points.front().embedding.size())
                     .arg(map_.fromCache ? tr(" \u00b7 from the run folder's cache") : QString());
  if (!map_.failures.empty()) text += tr(" \u00b7 %1 clip(s) left out (unreadable audio)").arg(map_.failures.size());
  if (map_.synthetic) text += tr(" \u00b7 SYNTHETIC demo data");
  status_->setText(text);
  emit mapReady();
}

void ClipMapPanel::recolour() {
  const auto by = ColourBy(colourBy_->currentData().toInt());
  std::vector<int> cats;
  QStringList names;
  std::map<std::string, int> index;
  auto category = [&](const std::string& key) {
    const auto [it, added] = index.emplace(key, int(index.size()));
    if (added) names << QString::fromStdString(key);
    return it->second;
  };
  if (by == ColourBy::TrueEmotion || by == ColourBy::Predicted)
    for (const auto& l : map_.labels) names << QString::fromStdString(l);
  if (by == ColourBy::Correct) names << tr("correct") << tr("wrong");
  for (const MapPoint& p : map_.points) {
    switch (by) {
      case ColourBy::TrueEmotion: cats.push_back(p.truth); break;
      case ColourBy::Predicted: cats.push_back(p.predicted); break;
      case ColourBy::Correct: cats.push_back(p.correct() ? 0 : 1); break;
      case ColourBy::Speaker: cats.push_back(category(p.speaker)); break;
      case ColourBy::Sex: cats.push_back(category(toString(p.sex))); break;
      case ColourBy::Corpus: cats.push_back(category(p.corpus)); break;
    }
  }
  view_->setCategories(cats, names);
}

void ClipMapPanel::setSelection(ClipSelection* selection) {
  if (selection_) disconnect(selection_, nullptr, this, nullptr);
  selection_ = selection;
  if (selection_) connect(selection_, &ClipSelection::changed, this, &ClipMapPanel::followSelection);
  followSelection();
}

void ClipMapPanel::followSelection() {
  std::vector<bool> flags(map_.points.size(), false);
  if (selection_ && !selection_->isEmpty())
    for (std::size_t i = 0; i < map_.points.size(); ++i)
      flags[i] = selection_->contains(QString::fromStdString(map_.points[i].path));
  view_->setHighlighted(flags);
  fillTable();
}

void ClipMapPanel::fillTable() {
  const bool filtered = selection_ && !selection_->isEmpty();
  const QSignalBlocker block(table_);
  table_->setSortingEnabled(false);
  table_->clearContents();
  table_->setRowCount(0);
  auto label = [&](int i) {
    return i >= 0 && std::size_t(i) < map_.labels.size() ? QString::fromStdString(map_.labels[std::size_t(i)])
                                                         : QString();
  };
  for (std::size_t i = 0; i < map_.points.size(); ++i) {
    const MapPoint& p = map_.points[i];
    const QString path = QString::fromStdString(p.path);
    if (filtered && !selection_->contains(path)) continue;
    const int r = table_->rowCount();
    table_->insertRow(r);
    auto* file = new QTableWidgetItem(QFileInfo(path).fileName());
    file->setToolTip(path);
    file->setData(kIndexRole, int(i));
    table_->setItem(r, FileColumn, file);
    table_->setItem(r, SpeakerColumn, new QTableWidgetItem(QString::fromStdString(p.speaker)));
    table_->setItem(r, SexColumn, new QTableWidgetItem(QString::fromStdString(toString(p.sex))));
    table_->setItem(r, CorpusColumn, new QTableWidgetItem(QString::fromStdString(p.corpus)));
    table_->setItem(r, TrueColumn, new QTableWidgetItem(label(p.truth)));
    auto* predicted = new QTableWidgetItem(label(p.predicted));
    if (p.truth >= 0 && !p.correct()) predicted->setForeground(QColor(0xc0, 0x30, 0x30));
    table_->setItem(r, PredictedColumn, predicted);
  }
  table_->setSortingEnabled(true);
}

void ClipMapPanel::playPoint(int index) {
  if (index < 0 || std::size_t(index) >= map_.points.size()) return;
  const MapPoint& p = map_.points[std::size_t(index)];
  Clip clip;
  clip.path = p.path;
  clip.corpus = p.corpus;
  clip.speaker = p.speaker;
  clip.sex = p.sex;
  auto label = [&](int i) {
    return i >= 0 && std::size_t(i) < map_.labels.size() ? map_.labels[std::size_t(i)] : std::string("?");
  };
  clip.emotion = label(p.truth) + ", predicted " + label(p.predicted);
  clip.common = label(p.truth);
  autoplay_ = QString::fromStdString(p.path);
  preview_->showClip(clip);
}

}  // namespace ser
