#include "ui/main_window/workbench.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QEvent>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>

#include "core/runs/run_record.h"
#include "core/runs/study_table.h"
#include "ui/main_window/main_window.h"
#include "ui/dataset/clip_preview.h"
#include "core/pipeline/clip_map.h"
#include "ui/explore/clip_map_panel.h"
#include "ui/explore/live_mic_panel.h"
#include "ui/explore/predict_files_panel.h"
#include "ui/main_window/misclassified_view.h"
#include "ui/results/clip_selection.h"
#include "ui/report/report_exporter.h"
#include "ui/results/misclassified_panel.h"
#include "ui/results/results_panel.h"
#include "ui/results/study_table_panel.h"
#include "ui/runs/compare_view.h"
#include "ui/runs/run_history.h"
#include "ui/runs/runs_panel.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_form.h"

namespace ser {

Workbench::Workbench(MainWindow* window)
    : QObject(window),
      window_(window),
      training_(new TrainingPanel),
      results_(new ResultsPanel),
      misclassified_(new MisclassifiedView),
      runs_(new RunsPanel),
      selection_(new ClipSelection(this)),
      clipMap_(new ClipMapPanel),
      predict_(new PredictFilesPanel),
      mic_(new LiveMicPanel) {
  window->setPanel(MainWindow::Panel::Training, training_, tr("Training"));
  window->setPanel(MainWindow::Panel::Results, results_, tr("Results"));
  window->setPanel(MainWindow::Panel::Misclassified, misclassified_, tr("Misclassified"));
  window->addPanel(runs_, tr("Runs"));
  window->addPanel(predict_, tr("Predict"));
  window->addPanel(mic_, tr("Microphone"));
  results_->tabs()->addTab(clipMap_, tr("Clip map"));
  training_->settings()->restoreSettings();  // the hyper-parameters of the last session's Start
  window->installEventFilter(this);           // asks before quitting during training
  connect(runs_, &RunsPanel::openRequested, this, &Workbench::openFolder);
  connect(runs_, &RunsPanel::compareRequested, this, &Workbench::compareFolders);
  connect(runs_, &RunsPanel::statusMessage, window, &MainWindow::showStatus);
  if (QMenu* recent = window->recentRunsMenu())
    connect(recent, &QMenu::aboutToShow, this, &Workbench::fillRecentRuns);
  window->setExportEnabled(false);
  results_->setSelection(selection_);
  misclassified_->list()->setSelection(selection_);
  clipMap_->setSelection(selection_);

  connect(window, &MainWindow::datasetChanged, this, [this] {
    training_->setDataset(window_->dataset(), window_->corpus());
  });
  connect(window, &MainWindow::runFolderRequested, this, &Workbench::openFolder);
  connect(window, &MainWindow::exportReportRequested, this, &Workbench::exportReport);
  connect(training_, &TrainingPanel::statusMessage, window, &MainWindow::showStatus);
  connect(training_, &TrainingPanel::runFinished, this, [this](const QString& dir) {
    if (openFolder(dir)) window_->showPanel(MainWindow::Panel::Results);
  });
  connect(results_, &ResultsPanel::cellClicked, this,
          [this](const QString& trueLabel, const QString& predicted) {
            selection_->selectCell(trueLabel, predicted);
            window_->showPanel(MainWindow::Panel::Misclassified);
          });
  connect(misclassified_->preview(), &ClipPreview::statusMessage, window, &MainWindow::showStatus);
  connect(clipMap_, &ClipMapPanel::statusMessage, window, &MainWindow::showStatus);
  connect(predict_, &PredictFilesPanel::statusMessage, window, &MainWindow::showStatus);
  connect(window, &MainWindow::filesDropped, this, &Workbench::predictPaths);
  connect(window, &MainWindow::predictFilesRequested, this, [this] {
    window_->setCurrentPanel(predict_);
    predict_->chooseFiles();
  });
}

Workbench::~Workbench() = default;

void Workbench::predictPaths(const QStringList& paths) {
  window_->setCurrentPanel(predict_);
  predict_->addFiles(paths);
}

bool Workbench::showTab(const QString& name) {
  if (name == QLatin1String("dataset")) {
    window_->showPanel(MainWindow::Panel::Dataset);
  } else if (name == QLatin1String("training")) {
    window_->showPanel(MainWindow::Panel::Training);
  } else if (name == QLatin1String("results")) {
    window_->showPanel(MainWindow::Panel::Results);
  } else if (name == QLatin1String("clip-map")) {
    window_->showPanel(MainWindow::Panel::Results);
    results_->tabs()->setCurrentWidget(clipMap_);
  } else if (name == QLatin1String("misclassified")) {
    window_->showPanel(MainWindow::Panel::Misclassified);
  } else if (name == QLatin1String("predict")) {
    window_->setCurrentPanel(predict_);
  } else if (name == QLatin1String("microphone")) {
    window_->setCurrentPanel(mic_);
  } else if (name == QLatin1String("runs")) {
    window_->setCurrentPanel(runs_);
  } else {
    return false;
  }
  return true;
}

bool Workbench::openFolder(const QString& dir) {
  const std::string path = QFileInfo(dir).absoluteFilePath().toStdString();
  try {
    if (isStudyFolder(path)) {
      showStudy(std::make_unique<StudyTable>(loadStudy(path)));
      runs_->remember(*studyTable_);
    } else if (isRunFolder(path)) {
      showRun(std::make_unique<RunRecord>(loadRunRecord(path)));
      runs_->remember(*run_);
      window_->showPanel(MainWindow::Panel::Results);
    } else {
      reportError(tr("%1 is neither a run folder (metrics.json) nor a study folder (table.json).")
                      .arg(QDir::toNativeSeparators(dir)));
      return false;
    }
  } catch (const std::exception& e) {
    reportError(QString::fromStdString(e.what()));
    return false;
  }
  window_->showStatus(tr("Opened %1").arg(QDir::toNativeSeparators(dir)));
  return true;
}

void Workbench::showRun(std::unique_ptr<RunRecord> run) {
  selection_->setRun(*run);
  results_->setRun(*run);
  misclassified_->setRun(*run);
  clipMap_->setRun(*run);
  try {
    const QString checkpoint = QString::fromStdString(runCheckpoint(*run));
    predict_->setCheckpoint(checkpoint);
    mic_->setCheckpoint(checkpoint);
  } catch (const std::exception&) {
    // An SVM run: predictFiles takes model.svm too.
    const QString svm = QString::fromStdString((run->path / "model.svm").string());
    if (QFileInfo::exists(svm)) predict_->setCheckpoint(svm);
  }
  run_ = std::move(run);
  studyIsCurrent_ = false;
  window_->setExportEnabled(true);
}

void Workbench::showStudy(std::unique_ptr<StudyTable> study) {
  if (!study_) {
    study_ = new StudyTablePanel;
    window_->addPanel(study_, tr("Study"));
    connect(study_, &StudyTablePanel::runActivated, this, &Workbench::openFolder);
  }
  study_->setStudy(*study);
  studyTable_ = std::move(study);
  studyIsCurrent_ = true;
  window_->setExportEnabled(true);
  window_->setCurrentPanel(study_);
}

void Workbench::exportReport() {
  const StudyTable* study = studyIsCurrent_ ? studyTable_.get() : nullptr;
  if (!study && !run_) return;
  const QString written = exportWithDialog(window_, run_.get(), study);
  if (!written.isEmpty()) window_->showStatus(tr("Exported %1").arg(QDir::toNativeSeparators(written)));
}

bool Workbench::compareFolders(const QStringList& dirs) {
  std::vector<RunRecord> runs;
  QStringList failed;
  for (const QString& dir : dirs) {
    try {
      runs.push_back(loadRunRecord(QFileInfo(dir).absoluteFilePath().toStdString()));
      runs_->remember(runs.back());  // a compared run was opened: it joins the history
    } catch (const std::exception& e) {
      failed << QString::fromStdString(e.what());
    }
  }
  if (!failed.isEmpty())
    reportError(tr("Left out of the comparison:\n%1").arg(failed.join(QLatin1Char('\n'))));
  if (runs.size() < 2) {
    window_->showStatus(tr("A comparison needs two or more runs that can be read."));
    return false;
  }
  if (!compare_) {
    compare_ = new CompareView;
    window_->addPanel(compare_, tr("Compare"));
  }
  compare_->setRuns(runs);
  window_->setCurrentPanel(compare_);
  window_->showStatus(tr("Comparing %n run(s)", nullptr, int(runs.size())));
  return true;
}

bool Workbench::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_ && event->type() == QEvent::Close && training_->isRunning()) {
    QMessageBox box(QMessageBox::Question, tr("Quit while training?"),
                    tr("A run is training into %1.\n\nQuitting stops it after the current batch; the best "
                       "checkpoint so far is kept and Training > Resume continues it later.")
                        .arg(QDir::toNativeSeparators(training_->currentRunDir())),
                    QMessageBox::NoButton, window_);
    QPushButton* quit = box.addButton(tr("Stop and quit"), QMessageBox::DestructiveRole);
    QPushButton* keep = box.addButton(tr("Keep training"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.exec();
    if (box.clickedButton() != quit) {
      event->ignore();
      return true;  // the window stays open
    }
    training_->stop();  // the panel's destructor waits for the worker to finish its batch
  }
  return QObject::eventFilter(watched, event);
}

void Workbench::fillRecentRuns() {
  QMenu* menu = window_->recentRunsMenu();
  menu->clear();
  const auto recent = runs_->history()->recent(10);
  for (const RunHistoryEntry& e : recent) {
    const QString text = e.kind == RunHistoryEntry::Kind::Study ? tr("%1 (study)").arg(e.name) : e.name;
    QAction* action = menu->addAction(text);
    action->setToolTip(QDir::toNativeSeparators(e.path));
    action->setStatusTip(QDir::toNativeSeparators(e.path));
    const QString path = e.path;
    connect(action, &QAction::triggered, this, [this, path] { openFolder(path); });
  }
  if (recent.isEmpty()) menu->addAction(tr("(no runs yet)"))->setEnabled(false);
  menu->addSeparator();
  menu->addAction(tr("Show all runs..."), this, [this] { window_->setCurrentPanel(runs_); });
}

void Workbench::reportError(const QString& message) {
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Open run folder"), message, QMessageBox::Ok, window_);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
  window_->showStatus(message);
}

}  // namespace ser
