#include "ui/dataset/corpus_sources_page.h"

#include <algorithm>
#include <functional>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/dataset/corpus_detect.h"

namespace ser {
namespace {

constexpr const char* kRecentKey = "dataset/recentSources";
constexpr int kMaxRecent = 10;

QString readerTitle(CorpusReader reader) {
  switch (reader) {
    case CorpusReader::Ravdess: return QStringLiteral("RAVDESS layout");
    case CorpusReader::CremaD: return QStringLiteral("CREMA-D layout");
    case CorpusReader::Manifest: return QStringLiteral("Manifest CSV");
  }
  return {};
}

}  // namespace

CorpusSourcesPage::CorpusSourcesPage(QWidget* parent)
    : QWizardPage(parent), table_(new QTableWidget(0, 2, this)), message_(new QLabel(this)),
      recentMenu_(new QMenu(this)) {
  setTitle(tr("Corpora"));
  setSubTitle(tr("Choose one or more corpus folders or manifest files. The type is detected from "
                 "the layout: Actor_XX folders are RAVDESS, an AudioWAV folder is CREMA-D, a .csv "
                 "file is a manifest (path, emotion, speaker[, sex])."));

  table_->setHorizontalHeaderLabels({tr("Type"), tr("Path")});
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setColumnWidth(0, 170);
  table_->verticalHeader()->setVisible(false);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);

  auto* addFolder = new QPushButton(tr("Add folder..."), this);
  auto* addCsv = new QPushButton(tr("Add manifest CSV..."), this);
  auto* remove = new QPushButton(tr("Remove"), this);
  auto* recent = new QToolButton(this);
  recent->setText(tr("Recent"));
  recent->setPopupMode(QToolButton::InstantPopup);
  recent->setMenu(recentMenu_);
  recent->setToolButtonStyle(Qt::ToolButtonTextOnly);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(addFolder);
  buttons->addWidget(addCsv);
  buttons->addWidget(remove);
  buttons->addStretch(1);
  buttons->addWidget(recent);

  message_->setWordWrap(true);
  message_->setStyleSheet(QStringLiteral("color: #a03000;"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(table_, 1);
  layout->addLayout(buttons);
  layout->addWidget(message_);

  connect(addFolder, &QPushButton::clicked, this, &CorpusSourcesPage::addFolderDialog);
  connect(addCsv, &QPushButton::clicked, this, &CorpusSourcesPage::addManifestDialog);
  connect(remove, &QPushButton::clicked, this, &CorpusSourcesPage::removeSelected);
  connect(recentMenu_, &QMenu::aboutToShow, this, &CorpusSourcesPage::fillRecentMenu);
}

bool CorpusSourcesPage::addPath(const QString& path) {
  const std::string p = QDir::cleanPath(path).toStdString();
  const auto reader = detectCorpusReader(p);
  if (!reader) {
    message_->setText(tr("Not a recognised corpus layout: %1 (expected Actor_XX folders, an "
                         "AudioWAV folder or a .csv manifest).").arg(path));
    return false;
  }
  addSource(*reader, QString::fromStdString(corpusRootFor(p, *reader)));
  return true;
}

void CorpusSourcesPage::addSource(CorpusReader reader, const QString& path) {
  const QString clean = QDir::cleanPath(path);
  for (int r = 0; r < table_->rowCount(); ++r)
    if (table_->item(r, 1)->text() == clean) return;  // already listed
  const int row = table_->rowCount();
  table_->insertRow(row);
  auto* type = new QComboBox(table_);
  for (CorpusReader r : {CorpusReader::Ravdess, CorpusReader::CremaD, CorpusReader::Manifest})
    type->addItem(readerTitle(r), int(r));
  type->setCurrentIndex(type->findData(int(reader)));
  table_->setCellWidget(row, 0, type);
  auto* item = new QTableWidgetItem(clean);
  item->setToolTip(clean);
  table_->setItem(row, 1, item);
  message_->clear();
  emit completeChanged();
}

void CorpusSourcesPage::removeSelected() {
  const auto rows = table_->selectionModel()->selectedRows();
  QList<int> indices;
  for (const auto& i : rows) indices << i.row();
  std::sort(indices.begin(), indices.end(), std::greater<int>());
  for (int r : indices) table_->removeRow(r);
  emit completeChanged();
}

int CorpusSourcesPage::sourceCount() const { return table_->rowCount(); }

std::vector<CorpusSpec> CorpusSourcesPage::specs() const {
  std::vector<CorpusSpec> out;
  for (int r = 0; r < table_->rowCount(); ++r) {
    CorpusSpec spec;
    const auto* type = qobject_cast<QComboBox*>(table_->cellWidget(r, 0));
    spec.reader = CorpusReader(type->currentData().toInt());
    spec.path = table_->item(r, 1)->text().toStdString();
    out.push_back(spec);
  }
  return out;
}

bool CorpusSourcesPage::isComplete() const { return table_->rowCount() > 0; }

bool CorpusSourcesPage::validatePage() {
  QStringList missing;
  for (const auto& spec : specs())
    if (!QFileInfo::exists(QString::fromStdString(spec.path))) missing << QString::fromStdString(spec.path);
  if (!missing.isEmpty()) {
    message_->setText(tr("Not found: %1").arg(missing.join(QStringLiteral(", "))));
    return false;
  }
  QStringList recent = recentSources();
  for (const auto& spec : specs()) {
    const QString entry = QString::fromStdString(toString(spec.reader)) + QLatin1Char('\t') +
                          QString::fromStdString(spec.path);
    recent.removeAll(entry);
    recent.prepend(entry);
  }
  while (recent.size() > kMaxRecent) recent.removeLast();
  QSettings().setValue(QString::fromLatin1(kRecentKey), recent);
  return true;
}

QStringList CorpusSourcesPage::recentSources() {
  return QSettings().value(QString::fromLatin1(kRecentKey)).toStringList();
}

void CorpusSourcesPage::addFolderDialog() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Corpus folder"));
  if (!dir.isEmpty()) addPath(dir);
}

void CorpusSourcesPage::addManifestDialog() {
  const QString csv = QFileDialog::getOpenFileName(this, tr("Manifest CSV"), QString(),
                                                   tr("CSV files (*.csv);;All files (*)"));
  if (!csv.isEmpty()) addPath(csv);
}

void CorpusSourcesPage::fillRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = recentSources();
  if (recent.isEmpty()) recentMenu_->addAction(tr("(none yet)"))->setEnabled(false);
  for (const QString& entry : recent) {
    const QStringList parts = entry.split(QLatin1Char('\t'));
    if (parts.size() != 2) continue;
    CorpusReader reader;
    try {
      reader = corpusReaderFromString(parts[0].toStdString());
    } catch (const std::exception&) {
      continue;
    }
    const QString path = parts[1];
    recentMenu_->addAction(readerTitle(reader) + QStringLiteral(" \u2014 ") + path, this,
                           [this, reader, path] { addSource(reader, path); });
  }
}

}  // namespace ser
