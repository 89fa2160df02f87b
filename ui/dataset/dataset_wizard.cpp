#include "ui/dataset/dataset_wizard.h"

#include <QApplication>
#include <QIcon>

#include "ui/dataset/corpus_sources_page.h"
#include "ui/dataset/label_split_page.h"
#include "ui/dataset/scan_page.h"

namespace ser {

DatasetWizard::DatasetWizard(QWidget* parent) : QWizard(parent) {
  setWindowTitle(tr("New dataset"));
  setWizardStyle(QWizard::ModernStyle);
  setOption(QWizard::NoBackButtonOnStartPage, true);
  setMinimumSize(860, 640);
  if (!QApplication::windowIcon().isNull())
    setPixmap(QWizard::LogoPixmap, QApplication::windowIcon().pixmap(48, 48));
  sources_ = new CorpusSourcesPage(this);
  scan_ = new ScanPage([this] { return sources_->specs(); }, this);
  labels_ = new LabelSplitPage([this] { return scan_->corpus(); }, this);
  setPage(SourcesPageId, sources_);
  setPage(ScanPageId, scan_);
  setPage(LabelSplitPageId, labels_);
}

bool DatasetWizard::addPath(const QString& path) { return sources_->addPath(path); }

void DatasetWizard::addSource(CorpusReader reader, const QString& path) {
  sources_->addSource(reader, path);
}

void DatasetWizard::accept() {
  DatasetSelection s;
  s.corpora = sources_->specs();
  s.labels = labels_->labelSet();
  s.policy = labels_->policy();
  s.split = labels_->split();
  selection_ = s;
  if (const auto scanned = scan_->corpus()) {
    auto corpus = std::make_shared<Corpus>(*scanned);
    applyCalmPolicy(*corpus, s.policy);
    corpus_ = corpus;
  }
  QWizard::accept();
}

}  // namespace ser
