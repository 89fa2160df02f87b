#include "ui/dataset/dataset_wizard.h"

#include <QApplication>
#include <QIcon>

#include "core/corpus/label_set.h"
#include "ui/dataset/corpus_sources_page.h"
#include "ui/dataset/label_split_page.h"
#include "ui/dataset/scan_page.h"

namespace ser {

void applyCalmPolicy(Corpus& corpus, CommonLabelPolicy policy) {
  const std::string calm = toCommonLabel("calm", policy).value_or(std::string());
  for (auto& clip : corpus.clips)
    if (clip.emotion == "calm") clip.common = calm;
}

DatasetWizard::DatasetWizard(QWidget* parent) : QWizard(parent) {
  setWindowTitle(tr("New dataset"));
  setWizardStyle(QWizard::ModernStyle);
  setOption(QWizard::NoBackButtonOnStartPage, true);
  setMinimumSize(860, 640);
  if (!QApplication::windowIcon().isNull())
    setPixmap(QWizard::LogoPixmap, QApplication::windowIcon().pixmap(48, 48));
  sources_ = new CorpusSourcesPage(this);
  scan_ = new ScanPage([this] { return sources_->specs(); }, this);
  labels_ = new LabelSplitPage([this] { return scan_->corpus(); }, &experiment_, this);
  setPage(SourcesPageId, sources_);
  setPage(ScanPageId, scan_);
  setPage(LabelSplitPageId, labels_);
}

bool DatasetWizard::addPath(const QString& path) { return sources_->addPath(path); }

void DatasetWizard::addSource(CorpusReader reader, const QString& path) {
  sources_->addSource(reader, path);
}

void DatasetWizard::initializePage(int id) {
  if (id == LabelSplitPageId) experiment_.corpora = sources_->specs();
  QWizard::initializePage(id);
}

void DatasetWizard::accept() {
  experiment_.corpora = sources_->specs();
  labels_->applyTo(experiment_);
  if (const auto scanned = scan_->corpus()) {
    auto corpus = std::make_shared<Corpus>(*scanned);
    applyCalmPolicy(*corpus, experiment_.labelPolicy);
    corpus_ = corpus;
  }
  QWizard::accept();
}

}  // namespace ser
