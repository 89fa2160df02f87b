#include "ui/main_window/main_window.h"

#include "core/about/about.h"

#include <algorithm>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMetaMethod>
#include <QMimeData>
#include <QPointer>
#include <QMessageBox>
#include <QSettings>
#include <QUrl>
#include <QStatusBar>
#include <QTabWidget>

#include "ui/dataset/corpus_loader.h"
#include "ui/dataset/dataset_browser.h"
#include "ui/dataset/dataset_wizard.h"
#include "ui/training/compute_info.h"


namespace ser {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), tabs_(new QTabWidget(this)), browser_(new DatasetBrowser(this)),
      datasetLabel_(new QLabel(this)) {
  setWindowTitle(tr("SER Workbench"));
  tabs_->setDocumentMode(true);
  setCentralWidget(tabs_);
  setPanel(Panel::Dataset, browser_, tr("Dataset"));
  createMenus();
  setAcceptDrops(true);
  statusBar()->addPermanentWidget(datasetLabel_);
  datasetLabel_->setText(tr("No dataset"));
  connect(browser_, &DatasetBrowser::statusMessage, this, &MainWindow::showStatus);

  resize(1280, 860);
  restoreGeometry(QSettings().value(QStringLiteral("mainWindow/geometry")).toByteArray());
  showStatus(tr("Ready"));
}

MainWindow::~MainWindow() = default;

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) {
      event->acceptProposedAction();
      return;
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) paths << url.toLocalFile();
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  emit filesDropped(paths);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* newDataset = file->addAction(tr("&New dataset..."), this, &MainWindow::newDataset);
  newDataset->setShortcut(QKeySequence::New);
  QAction* openRun = file->addAction(tr("&Open run folder..."), this, &MainWindow::openRunFolder);
  openRun->setShortcut(QKeySequence::Open);
  recentRuns_ = file->addMenu(tr("Recent &runs"));
  exportAction_ = file->addAction(tr("&Export report..."), this, &MainWindow::exportReportRequested);
  exportAction_->setShortcut(Qt::CTRL | Qt::Key_E);
  exportAction_->setEnabled(false);
  file->addAction(tr("&Predict files..."), this, &MainWindow::predictFilesRequested)
      ->setShortcut(Qt::CTRL | Qt::Key_P);
  file->addAction(tr("Make &demo corpus..."), this, &MainWindow::makeDemoCorpus);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About SER Workbench"), this, &MainWindow::about)->setMenuRole(QAction::AboutRole);
}

void MainWindow::setPanel(Panel slot, QWidget* widget, const QString& title) {
  const auto i = std::size_t(slot);
  if (slots_[i]) {
    tabs_->removeTab(tabs_->indexOf(slots_[i]));
    if (slots_[i] != widget) slots_[i]->deleteLater();
  }
  slots_[i] = widget;
  if (!widget) return;
  int index = 0;  // after every filled slot that comes before this one
  for (std::size_t k = 0; k < i; ++k)
    if (slots_[k]) ++index;
  tabs_->insertTab(index, widget, title);
}

QWidget* MainWindow::panel(Panel slot) const { return slots_[std::size_t(slot)]; }

void MainWindow::showPanel(Panel slot) {
  if (QWidget* w = panel(slot)) tabs_->setCurrentWidget(w);
}

void MainWindow::setCurrentPanel(QWidget* widget) {
  if (widget && tabs_->indexOf(widget) >= 0) tabs_->setCurrentWidget(widget);
}

void MainWindow::setExportEnabled(bool enabled) { exportAction_->setEnabled(enabled); }

int MainWindow::addPanel(QWidget* widget, const QString& title) { return tabs_->addTab(widget, title); }

QDockWidget* MainWindow::addDockPanel(QWidget* widget, const QString& title, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(title);
  dock->setWidget(widget);
  addDockWidget(area, dock);
  return dock;
}

void MainWindow::setDataset(const Experiment& dataset, std::shared_ptr<const Corpus> corpus) {
  dataset_ = dataset;
  corpus_ = std::move(corpus);
  browser_->setCorpus(corpus_);
  if (corpus_) {
    datasetLabel_->setText(tr("Dataset: %1 clips%2")
                               .arg(QLocale().toString(qulonglong(corpus_->clips.size())))
                               .arg(corpus_->synthetic ? tr(" \u00b7 SYNTHETIC demo data") : QString()));
  } else {
    datasetLabel_->setText(tr("No dataset"));
  }
  emit datasetChanged();
}

void MainWindow::openCorpora(const std::vector<CorpusSpec>& specs) { loadCorpora(specs, tabs_->currentWidget()); }

void MainWindow::loadCorpora(const std::vector<CorpusSpec>& specs, QPointer<QWidget> tabAtStart) {
  if (specs.empty()) return;
  loadCorporaInBackground(this, specs, CommonLabelPolicy::Drop, [this, specs, tabAtStart](std::shared_ptr<const Corpus> corpus) {
    Experiment dataset;
    dataset.corpora = specs;
    try {
      dataset.split = defaultHeldOut(dataset, corpus->clips);
    } catch (const std::exception& e) {
      showStatus(tr("No default split: %1").arg(QString::fromStdString(e.what())));
    }
    setDataset(dataset, std::move(corpus));
    // Show the clips, unless the user (or --show, --run) chose another tab while they loaded.
    if (tabs_->currentWidget() == tabAtStart) showPanel(Panel::Dataset);
    showStatus(tr("Loaded %1 clips").arg(QLocale().toString(qulonglong(corpus_->clips.size()))));
  });
}

void MainWindow::openDemoCorpus(const QString& dir) {
  if (demoCorpusExists(dir)) {
    openCorpora(demoCorpusSpecs(dir));
    return;
  }
  makeDemoCorpusInBackground(this, dir, [this, dir, tabAtStart = QPointer<QWidget>(tabs_->currentWidget())] {
    showStatus(tr("Demo corpus written to %1").arg(dir));
    loadCorpora(demoCorpusSpecs(dir), tabAtStart);
  });
}

void MainWindow::newDataset() {
  DatasetWizard wizard(this);
  if (wizard.exec() != QDialog::Accepted) return;
  const Experiment& dataset = wizard.experiment();
  setDataset(dataset, wizard.corpus());
  showPanel(Panel::Dataset);
  showStatus(tr("Dataset ready: %1 corpora, labels %2, split %3")
                 .arg(dataset.corpora.size())
                 .arg(QString::fromStdString(toString(dataset.labels)),
                      dataset.testCorpora.empty() ? QString::fromStdString(toString(dataset.split.protocol))
                                                  : tr("cross-corpus")));
}

void MainWindow::openRunFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open run folder"));
  if (dir.isEmpty()) return;
  if (!isSignalConnected(QMetaMethod::fromSignal(&MainWindow::runFolderRequested))) {
    showStatus(tr("No results panel is installed to show run folders."));
    return;
  }
  emit runFolderRequested(dir);
}

void MainWindow::makeDemoCorpus() {
  const QString dir = QFileDialog::getExistingDirectory(
      this, tr("Folder for the synthetic demo corpus (demo-acted and demo-crowd are created inside)"));
  if (!dir.isEmpty()) openDemoCorpus(dir);
}

void MainWindow::about() {
  QMessageBox::about(
      this, tr("About SER Workbench"),
      tr("<h3>SER Workbench %1</h3>"
         "<p>A research workbench for speech emotion recognition: corpora, features, training "
         "and evaluation.</p>"
         "<p>Compute device: %2<br>libtorch %3<br>Qt %4</p>")
          .arg(QString::fromStdString(projectVersion()), computeDeviceSummary(), libtorchVersion(),
               QString::fromLatin1(qVersion())));
}

void MainWindow::showStatus(const QString& message) { statusBar()->showMessage(message, 8000); }

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings().setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
  event->accept();
}

}  // namespace ser
