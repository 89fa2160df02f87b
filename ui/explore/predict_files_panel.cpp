#include "ui/explore/predict_files_panel.h"

#include <QDirIterator>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QCheckBox>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <memory>

#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/runs/run_record.h"
#include "ui/common/background_job.h"
#include "ui/dataset/clip_preview.h"

namespace ser {

namespace {

constexpr int kValueRole = Qt::UserRole + 1;  // a probability in [0, 1] (bar cells)
constexpr int kRowRole = Qt::UserRole + 2;    // index into rows_ (file cells)

// Draws a probability as a horizontal bar behind its value.
class ProbabilityBarDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    const QVariant v = index.data(kValueRole);
    if (!v.isValid()) {
      QStyledItemDelegate::paint(p, option, index);
      return;
    }
    const double value = std::clamp(v.toDouble(), 0.0, 1.0);
    if (option.state & QStyle::State_Selected) p->fillRect(option.rect, option.palette.highlight().color().lighter(170));
    const QRect r = option.rect.adjusted(3, 4, -3, -4);
    p->fillRect(QRect(r.left(), r.top(), int(r.width() * value + 0.5), r.height()),
                index.data(Qt::UserRole + 3).toBool() ? QColor(0x4e, 0x79, 0xa7) : QColor(0xa9, 0xc4, 0xe0));
    p->setPen(QColor(0x20, 0x20, 0x20));
    p->drawText(r.adjusted(3, 0, -3, 0), Qt::AlignRight | Qt::AlignVCenter, QString::number(value, 'f', 2));
  }
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(std::max(s.width(), 80));
    return s;
  }
};

}  // namespace

QStringList PredictFilesPanel::audioPatterns() {
  return {QStringLiteral("*.wav"), QStringLiteral("*.flac"), QStringLiteral("*.ogg"), QStringLiteral("*.opus"),
          QStringLiteral("*.mp3"), QStringLiteral("*.aif"), QStringLiteral("*.aiff"), QStringLiteral("*.au"),
          QStringLiteral("*.WAV"), QStringLiteral("*.FLAC")};
}

PredictFilesPanel::PredictFilesPanel(QWidget* parent)
    : QWidget(parent), model_(new QLabel), count_(new QLabel), export_(new QPushButton(tr("Export CSV..."))),
      oneSpeaker_(new QCheckBox(tr("Files are one speaker"))),
      table_(new QTableWidget), preview_(new ClipPreview) {
  model_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  model_->setWordWrap(true);
  auto* chooseModel = new QPushButton(tr("Model..."));
  auto* add = new QPushButton(tr("Add files..."));
  auto* clear = new QPushButton(tr("Clear"));
  export_->setEnabled(false);
  auto* bar = new QHBoxLayout;
  bar->addWidget(model_, 1);
  oneSpeaker_->setToolTip(
      tr("Normalise the files added together, as the evaluation normalises each speaker's clips. Off: each "
         "file is a clip of an unknown speaker, normalised by the training set's statistics."));
  bar->addWidget(oneSpeaker_);
  bar->addWidget(chooseModel);
  bar->addWidget(add);
  bar->addWidget(clear);
  bar->addWidget(export_);

  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->setItemDelegate(new ProbabilityBarDelegate(table_));
  table_->horizontalHeader()->setStretchLastSection(true);

  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(table_);
  split->addWidget(preview_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* hint = new QLabel(tr("Drop audio files or folders onto the window, or use Add files... "
                             "Selecting a row plays the file."));
  hint->setStyleSheet(QStringLiteral("color: gray"));
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(count_);
  layout->addWidget(split, 1);
  layout->addWidget(hint);

  connect(chooseModel, &QPushButton::clicked, this, &PredictFilesPanel::chooseCheckpoint);
  connect(add, &QPushButton::clicked, this, &PredictFilesPanel::chooseFiles);
  connect(clear, &QPushButton::clicked, this, &PredictFilesPanel::clearRows);
  connect(export_, &QPushButton::clicked, this, &PredictFilesPanel::exportWithDialog);
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    const auto rows = table_->selectionModel()->selectedRows(0);
    if (rows.isEmpty()) return;
    const int i = rows.first().data(kRowRole).toInt();
    if (i < 0 || std::size_t(i) >= rows_.size()) return;
    const ClipPrediction& p = rows_[std::size_t(i)];
    Clip clip;
    clip.path = p.path;
    clip.emotion = p.error.empty() ? "predicted " + p.label : "unreadable";
    preview_->showClip(clip);
  });
  connect(preview_, &ClipPreview::statusMessage, this, &PredictFilesPanel::statusMessage);
  setCheckpoint({});
}

PredictFilesPanel::~PredictFilesPanel() {
  if (job_) job_->cancel();
}

void PredictFilesPanel::setCheckpoint(const QString& path) {
  checkpoint_ = path;
  QString text = path.isEmpty() ? tr("<b>No model.</b> Open a run folder, train one, or choose a checkpoint with Model...")
                                : tr("<b>Model:</b> %1").arg(QFileInfo(path).absoluteFilePath().toHtmlEscaped());
  if (!path.isEmpty() && trainedOnSyntheticData(path.toStdString()))
    text += tr(" \u00b7 <b>trained on SYNTHETIC demo data</b>: its predictions say nothing about real speech");
  model_->setText(text);
}

void PredictFilesPanel::chooseCheckpoint() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Choose a model"), QFileInfo(checkpoint_).path(),
                                                    tr("Models (*.ckpt *.svm);;All files (*)"));
  if (!file.isEmpty()) setCheckpoint(file);
}

void PredictFilesPanel::chooseFiles() {
  const QStringList files = QFileDialog::getOpenFileNames(
      this, tr("Predict files"), QString(), tr("Audio (%1);;All files (*)").arg(audioPatterns().join(' ')));
  if (!files.isEmpty()) addFiles(files);
}

void PredictFilesPanel::addFiles(const QStringList& pathsOrFolders) {
  QStringList files;
  for (const QString& p : pathsOrFolders) {
    if (QFileInfo(p).isDir()) {
      QStringList found;
      QDirIterator it(p, audioPatterns(), QDir::Files, QDirIterator::Subdirectories);
      while (it.hasNext()) found << it.next();
      found.sort();
      files << found;
    } else {
      files << p;
    }
  }
  if (files.isEmpty()) {
    emit statusMessage(tr("No audio files found in what was dropped."));
    return;
  }
  if (checkpoint_.isEmpty()) {
    emit statusMessage(tr("Choose a model first (Model...)."));
    return;
  }
  pending_ << files;
  startNext();
}

void PredictFilesPanel::startNext() {
  if (job_ || pending_.isEmpty()) return;
  const QStringList files = pending_;
  pending_.clear();
  std::vector<std::string> paths;
  for (const QString& f : files) paths.push_back(f.toStdString());
  struct Result {
    std::vector<ClipPrediction> rows;
    std::vector<std::string> labels;
  };
  auto result = std::make_shared<Result>();
  const std::string checkpoint = checkpoint_.toStdString();
  PredictOptions options;
  options.oneSpeaker = oneSpeaker_->isChecked();
  auto* job = new BackgroundJob([result, paths, checkpoint, options](ProgressReporter&, const CancelFlag&) {
    result->rows = ser::predictFiles(checkpoint, paths, &result->labels, options);
  }, this);
  job->setAutoDelete(true);
  job_ = job;
  count_->setText(tr("Predicting %n file(s)...", nullptr, int(files.size())));
  connect(job, &BackgroundJob::succeeded, this, [this, result] { appendRows(result->rows, result->labels); });
  connect(job, &BackgroundJob::failed, this, [this](const QString& message) {
    count_->setText(tr("The model could not be used: %1").arg(message));
    emit statusMessage(message);
  });
  connect(job, &BackgroundJob::finished, this, [this] {
    job_.clear();
    startNext();
  });
  job->start();
}

void PredictFilesPanel::clearRows() {
  rows_.clear();
  table_->setRowCount(0);
  preview_->clear();
  export_->setEnabled(false);
  count_->clear();
}

void PredictFilesPanel::rebuildHeader() {
  QStringList header = {tr("File"), tr("Predicted")};
  for (const auto& l : labels_) header << QString::fromStdString(l);
  header << tr("Note");
  table_->setColumnCount(int(header.size()));
  table_->setHorizontalHeaderLabels(header);
}

void PredictFilesPanel::appendRows(const std::vector<ClipPrediction>& rows, const std::vector<std::string>& labels) {
  if (labels != labels_) {
    clearRows();
    labels_ = labels;
    rebuildHeader();
  }
  const int noteColumn = 2 + int(labels_.size());
  for (const ClipPrediction& p : rows) {
    const int index = int(rows_.size());
    rows_.push_back(p);
    const int r = table_->rowCount();
    table_->insertRow(r);
    const QString path = QString::fromStdString(p.path);
    auto* file = new QTableWidgetItem(QFileInfo(path).fileName());
    file->setToolTip(path);
    file->setData(kRowRole, index);
    table_->setItem(r, 0, file);
    if (!p.error.empty()) {
      auto* note = new QTableWidgetItem(QString::fromStdString(p.error));
      note->setForeground(QColor(0xc0, 0x30, 0x30));
      note->setToolTip(QString::fromStdString(p.error));
      table_->setItem(r, noteColumn, note);
      table_->setItem(r, 1, new QTableWidgetItem(tr("unreadable")));
      continue;
    }
    auto* predicted = new QTableWidgetItem(QString::fromStdString(p.label));
    QFont bold = predicted->font();
    bold.setBold(true);
    predicted->setFont(bold);
    table_->setItem(r, 1, predicted);
    for (std::size_t k = 0; k < labels_.size() && k < p.probabilities.size(); ++k) {
      auto* bar = new QTableWidgetItem;
      bar->setData(kValueRole, double(p.probabilities[k]));
      bar->setData(Qt::UserRole + 3, labels_[k] == p.label);
      table_->setItem(r, 2 + int(k), bar);
    }
  }
  table_->resizeColumnsToContents();
  export_->setEnabled(!rows_.empty());
  int unreadable = 0;
  for (const auto& p : rows_) unreadable += !p.error.empty();
  count_->setText(tr("%1 file(s): %2 predicted, %3 unreadable")
                      .arg(rows_.size())
                      .arg(int(rows_.size()) - unreadable)
                      .arg(unreadable));
  emit predictionsAdded(int(rows.size()));
}

bool PredictFilesPanel::exportCsv(const QString& path, QString* error) const {
  std::vector<std::string> header = {"path", "predicted"};
  for (const auto& l : labels_) header.push_back("p_" + l);
  header.push_back("error");
  std::string text = csvLine(header);
  for (const ClipPrediction& p : rows_) {
    std::vector<std::string> row = {p.path, p.label};
    for (std::size_t k = 0; k < labels_.size(); ++k)
      row.push_back(k < p.probabilities.size() ? QString::number(p.probabilities[k], 'g', 6).toStdString() : "");
    row.push_back(p.error);
    text += csvLine(row);
  }
  try {
    writeFileAtomic(path.toStdString(), text);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  return true;
}

void PredictFilesPanel::exportWithDialog() {
  const QString file = QFileDialog::getSaveFileName(this, tr("Export predictions"), QStringLiteral("predictions.csv"),
                                                    tr("CSV (*.csv)"));
  if (file.isEmpty()) return;
  QString error;
  emit statusMessage(exportCsv(file, &error) ? tr("Exported %1").arg(file) : error);
}

}  // namespace ser
