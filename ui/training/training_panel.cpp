#include "ui/training/training_panel.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QTime>
#include <QVBoxLayout>

#include "core/base/error.h"
#include "core/base/text.h"
#include "core/experiment/experiment.h"
#include "core/pipeline/cross_validation.h"
#include "core/pipeline/experiment_runner.h"
#include "core/pipeline/output_folder.h"
#include "core/runs/run_record.h"
#include "ui/common/background_job.h"
#include "ui/training/compute_info.h"
#include "ui/training/live_curves_view.h"
#include "ui/training/training_settings_form.h"
#include "ui/training/training_signal_adapter.h"

namespace ser {
namespace {

QString duration(double seconds) {
  if (seconds < 9.95) return QObject::tr("%1 s").arg(seconds, 0, 'f', 1);  // fast epochs: 0.2 s, not 0 s
  const qint64 s = qint64(seconds + 0.5);
  if (s < 60) return QObject::tr("%1 s").arg(s);
  if (s < 3600) return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

// The training worker and the threads it starts (libtorch's pool, feature extraction) run at a
// lower CPU priority, so that on a machine with few cores the GUI thread still gets one at once.
// Linux applies nice per thread and new threads inherit it.
void lowerWorkerPriority() {
#ifdef __linux__
  const int self = int(::syscall(SYS_gettid));
  ::setpriority(PRIO_PROCESS, id_t(self), std::min(19, ::getpriority(PRIO_PROCESS, id_t(self)) + 5));
#endif
}

QString percent(double x) { return QStringLiteral("%1%").arg(100.0 * x, 0, 'f', 1); }

QLabel* valueLabel(const QString& text, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent),
      settings_(new TrainingSettingsForm(this)),
      datasetLabel_(new QLabel(this)),
      output_(new QLineEdit(this)),
      browse_(new QPushButton(tr("Browse..."), this)),
      start_(new QPushButton(tr("Start"), this)),
      stop_(new QPushButton(tr("Stop"), this)),
      resume_(new QPushButton(tr("Resume"), this)),
      state_(new QLabel(this)),
      stage_(valueLabel(QStringLiteral("\u2014"), this)),
      epoch_(valueLabel(QStringLiteral("\u2014"), this)),
      eta_(valueLabel(QStringLiteral("\u2014"), this)),
      device_(valueLabel(computeDeviceSummary(), this)),
      best_(valueLabel(QStringLiteral("\u2014"), this)),
      progress_(new QProgressBar(this)),
      curves_(new LiveCurvesView(this)),
      log_(new QPlainTextEdit(this)) {
  datasetLabel_->setWordWrap(true);
  datasetLabel_->setTextFormat(Qt::RichText);
  start_->setDefault(true);
  start_->setToolTip(tr("Train a new model into the run folder"));
  stop_->setToolTip(tr("Stop after the current batch; the run folder keeps the best checkpoint"));
  resume_->setToolTip(tr("Continue the run in the run folder from its last checkpoint"));
  output_->setToolTip(tr("Run folder: experiment, checkpoints, metrics, predictions, curves, log"));
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(5000);
  log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  log_->setPlaceholderText(tr("The run's log appears here."));
  progress_->setTextVisible(true);
  progress_->setRange(0, 1);
  progress_->setValue(0);
  QFont bold = state_->font();
  bold.setBold(true);
  state_->setFont(bold);

  // Left: what to train.
  auto* datasetBox = new QGroupBox(tr("Dataset"), this);
  (new QVBoxLayout(datasetBox))->addWidget(datasetLabel_);
  auto* modelBox = new QGroupBox(tr("Model and training"), this);
  (new QVBoxLayout(modelBox))->addWidget(settings_);
  auto* outputBox = new QGroupBox(tr("Run folder"), this);
  auto* outputRow = new QHBoxLayout(outputBox);
  outputRow->addWidget(output_, 1);
  outputRow->addWidget(browse_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(start_);
  buttons->addWidget(stop_);
  buttons->addWidget(resume_);
  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->addWidget(datasetBox);
  leftLayout->addWidget(modelBox);
  leftLayout->addWidget(outputBox);
  leftLayout->addLayout(buttons);
  leftLayout->addStretch(1);
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(left);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setMinimumWidth(340);
  scroll->setMaximumWidth(420);

  // Right: how it goes.
  auto* status = new QFormLayout;
  status->addRow(tr("Stage"), stage_);
  status->addRow(tr("Epoch"), epoch_);
  status->addRow(tr("Remaining"), eta_);
  status->addRow(tr("Device"), device_);
  status->addRow(tr("Best"), best_);
  auto* top = new QWidget(this);
  auto* topLayout = new QVBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addWidget(state_);
  topLayout->addLayout(status);
  topLayout->addWidget(progress_);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(curves_);
  split->addWidget(log_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  auto* right = new QWidget(this);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->addWidget(top);
  rightLayout->addWidget(split, 1);

  auto* layout = new QHBoxLayout(this);
  layout->addWidget(scroll);
  layout->addWidget(right, 1);

  connect(start_, &QPushButton::clicked, this, &TrainingPanel::start);
  connect(stop_, &QPushButton::clicked, this, &TrainingPanel::stop);
  connect(resume_, &QPushButton::clicked, this, &TrainingPanel::resume);
  connect(browse_, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Run folder"), outputDir());
    if (!dir.isEmpty()) setOutputDir(dir);
  });
  connect(output_, &QLineEdit::textEdited, this, [this] {
    outputChosen_ = true;
    updateResumeButton();
  });
  connect(settings_, &TrainingSettingsForm::modelChanged, this, [this](const QString& model) {
    if (!outputChosen_ && !isRunning()) output_->setText(defaultRunDir(model));
    updateResumeButton();
  });

  output_->setText(defaultRunDir(settings_->modelName()));
  state_->setText(tr("Idle"));
  updateDatasetLabel();
  setRunning(false);
}

TrainingPanel::~TrainingPanel() {
  if (job_) {
    job_->cancel();
    delete job_.data();  // waits for the worker, which holds pointers to the adapter it owns
  }
}

QString TrainingPanel::defaultRunDir(const QString& model) {
  return QDir(QDir::homePath()).filePath(
      QStringLiteral("serwb-runs/%1-%2")
          .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), model));
}

void TrainingPanel::setOutputDir(const QString& dir) {
  output_->setText(dir);
  outputChosen_ = true;
  updateResumeButton();
}

QString TrainingPanel::outputDir() const { return output_->text().trimmed(); }

bool TrainingPanel::isRunning() const { return job_ && job_->isRunning(); }

void TrainingPanel::setDataset(const Experiment& dataset, std::shared_ptr<const Corpus> corpus) {
  corpus_ = std::move(corpus);
  datasetError_.clear();
  dataset_ = dataset;
  if (dataset.corpora.empty()) {
    dataset_.reset();
    datasetError_ = tr("the dataset names no corpus");
  }
  updateDatasetLabel();
  setRunning(isRunning());
}

Experiment TrainingPanel::experiment() const {
  if (!dataset_) throw Error("no dataset: choose one with File > New dataset...");
  Experiment e = *dataset_;
  settings_->applyTo(e);
  e.validate();
  return e;
}

RunOutcome TrainingPanel::runTraining(const Experiment& experiment, const RunOptions& options) {
  if (experiment.split.protocol != SplitProtocol::KFold) return runExperiment(experiment, options);
  // k-fold: every fold is trained and tested (as the wizard's k-fold page says), each in its own
  // run folder under the output folder, with summary.json beside them (the same code as
  // `serwb train --split kfold`). Results then show the last fold; the log has the summary.
  Experiment all = experiment;
  all.split.fold = -1;
  const CrossValidationOutcome cv = runCrossValidation(all, options);
  RunOutcome out;
  out.cancelled = cv.cancelled;
  out.dir = cv.foldDirs.empty() ? cv.dir : cv.foldDirs.back();
  if (cv.summary && options.listener) {
    const CrossValidationSummary& s = *cv.summary;
    char line[256];
    std::snprintf(line, sizeof line,
                  "cross-validation over %zu folds: WA %.1f +- %.1f%%, UAR %.1f +- %.1f%%, "
                  "macro-F1 %.3f +- %.3f (mean +- sd); pooled WA %.1f%%, UAR %.1f%%; summary: %s",
                  s.folds.size(), 100 * s.waMean, 100 * s.waSd, 100 * s.uarMean, 100 * s.uarSd,
                  s.macroF1Mean, s.macroF1Sd, 100 * s.pooled.wa, 100 * s.pooled.uar,
                  (std::filesystem::path(cv.dir) / "summary.json").string().c_str());
    options.listener->onLog(line);
  }
  if (!cv.cancelled && !cv.foldDirs.empty()) out.record = loadRunRecord(cv.foldDirs.back());
  return out;
}

void TrainingPanel::updateDatasetLabel() {
  if (!datasetError_.isEmpty()) {
    datasetLabel_->setText(tr("<b>This dataset cannot be trained on:</b> %1").arg(datasetError_.toHtmlEscaped()));
    return;
  }
  if (!dataset_) {
    datasetLabel_->setText(tr("No dataset yet: choose one with <i>File &gt; New dataset...</i> or "
                              "<i>File &gt; Make demo corpus...</i>"));
    return;
  }
  QStringList corpora;
  for (const CorpusSpec& c : dataset_->corpora)
    corpora << (c.name.empty() ? QFileInfo(QString::fromStdString(c.path)).fileName()
                               : QString::fromStdString(c.name))
                   .toHtmlEscaped();
  const SplitSpec& split = dataset_->split;
  QString splitText = QString::fromStdString(toString(split.protocol));
  if (!dataset_->testCorpora.empty())
    splitText = tr("cross-corpus (speakers), test on %1")
                    .arg(QString::fromStdString(joinStrings(dataset_->testCorpora)).toHtmlEscaped());
  else if (split.protocol == SplitProtocol::Speakers && !split.testSpeakers.empty())
    splitText += tr(", %1 test / %2 validation speakers")
                     .arg(split.testSpeakers.size())
                     .arg(split.validationSpeakers.size());
  else if (split.protocol == SplitProtocol::KFold)
    splitText += tr(", k = %1").arg(split.folds);
  QString text = tr("%1<br>labels %2 \u00b7 split %3")
                     .arg(corpora.join(QStringLiteral(", ")),
                          QString::fromStdString(toString(dataset_->labels)), splitText);
  if (corpus_) {
    text += tr("<br>%1 clips").arg(QLocale().toString(qulonglong(corpus_->clips.size())));
    if (corpus_->synthetic) text += tr(" \u00b7 <b>SYNTHETIC demo data</b>");
  }
  datasetLabel_->setText(text);
}

void TrainingPanel::start() {
  if (isRunning()) return;
  if (!dataset_) {
    showError(datasetError_.isEmpty() ? tr("Choose a dataset first (File > New dataset...).") : datasetError_);
    return;
  }
  Experiment experiment;
  try {
    experiment = this->experiment();
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return;
  }
  if (outputDir().isEmpty() || (!outputChosen_ && QFileInfo::exists(outputDir())))
    output_->setText(defaultRunDir(settings_->modelName()));
  const QString dir = outputDir();
  if (holdsResult(dir.toStdString()) &&
      QMessageBox::question(this, tr("Run folder in use"),
                            tr("%1 already holds a run. Train a new model into it, replacing that run?")
                                .arg(QDir::toNativeSeparators(dir))) != QMessageBox::Yes)
    return;
  experiment.name = QFileInfo(dir).fileName().toStdString();
  settings_->saveSettings();  // the next session starts from these hyper-parameters
  curves_->clear();
  log_->clear();
  launch(experiment, dir, false);
}

void TrainingPanel::resume() {
  if (isRunning()) return;
  const QString dir = outputDir();
  Experiment experiment;
  try {
    experiment = loadExperimentFile(QDir(dir).filePath(QStringLiteral("experiment.json")).toStdString());
  } catch (const std::exception& e) {
    showError(tr("Cannot resume: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  settings_->setFrom(experiment);
  launch(experiment, dir, true);
}

void TrainingPanel::stop() {
  if (!isRunning()) return;
  job_->cancel();
  state_->setText(tr("Stopping after the current batch..."));
  stop_->setEnabled(false);
}

void TrainingPanel::launch(const Experiment& experiment, const QString& dir, bool resume) {
  auto exp = std::make_shared<const Experiment>(experiment);
  auto outcome = std::make_shared<RunOutcome>();
  outcome_ = outcome;
  runDir_ = dir;
  epochs_ = experiment.model == ExperimentModel::Svm ? 0 : experiment.training.epochs;
  const std::string outDir = QDir::cleanPath(dir).toStdString();

  // The adapter becomes the job's child: the job's destructor waits for the worker before the
  // adapter goes. Its signals are emitted on the worker thread and queued to this panel.
  auto* adapter = new TrainingSignalAdapter;
  auto* job = new BackgroundJob(
      [exp, outcome, adapter, outDir, resume](ProgressReporter& p, const CancelFlag& c) {
        lowerWorkerPriority();
        RunOptions o;
        o.outDir = outDir;
        o.resume = resume;
        o.overwrite = !resume;  // start() asked before replacing a run (replaced as a whole)
        o.progress = &p;
        o.observer = adapter;
        o.listener = adapter;
        o.cancel = &c;
        *outcome = runTraining(*exp, o);
      },
      this);
  adapter->setParent(job);
  job->setAutoDelete(true);
  connect(adapter, &TrainingSignalAdapter::stageStarted, this, &TrainingPanel::onStage, Qt::QueuedConnection);
  connect(adapter, &TrainingSignalAdapter::batchDone, this, &TrainingPanel::onBatch, Qt::QueuedConnection);
  connect(adapter, &TrainingSignalAdapter::epochDone, this, &TrainingPanel::onEpoch, Qt::QueuedConnection);
  connect(adapter, &TrainingSignalAdapter::logLine, this, &TrainingPanel::onLogLine, Qt::QueuedConnection);
  connect(job, &BackgroundJob::progressed, this, &TrainingPanel::onProgress);
  connect(job, &BackgroundJob::succeeded, this, [this] { onJobEnded(false, QString()); });
  connect(job, &BackgroundJob::cancelled, this, [this] { onJobEnded(true, QString()); });
  connect(job, &BackgroundJob::failed, this, [this](const QString& message) { onJobEnded(false, message); });
  job_ = job;

  // A resumed run continues after the epochs it finished before Stop: they are in its curves.csv
  // (written as epochs finish), so progress, epoch count and curves pick up where it stopped.
  epochsDone_ = 0;
  if (resume) {
    std::vector<EpochStats> done;
    try {
      done = readCurvesCsv(QDir(dir).filePath(QStringLiteral("curves.csv")).toStdString());
    } catch (const std::exception& e) {
      appendLog(tr("Earlier epochs not shown: %1").arg(QString::fromStdString(e.what())));
    }
    curves_->clear();
    for (const EpochStats& s : done) curves_->addEpoch(s);
    if (!done.empty()) epochsDone_ = done.back().epoch;
  }
  progress_->setRange(0, std::max(epochs_, 1));
  progress_->setValue(std::min(epochsDone_, std::max(epochs_, 1)));
  progress_->setFormat(epochs_ > 0 ? tr("epoch %v of %m") : QStringLiteral("%p%"));
  stage_->setText(tr("starting"));
  epoch_->setText(epochs_ > 0 ? tr("%1 of %2").arg(epochsDone_).arg(epochs_) : QStringLiteral("\u2014"));
  eta_->setText(QStringLiteral("\u2014"));
  best_->setText(QStringLiteral("\u2014"));
  bestEpoch_ = 0;
  bestUar_ = 0.0;
  const QString device = QString::fromStdString(toString(experiment.training.device));
  device_->setText(experiment.model == ExperimentModel::Svm ? tr("CPU (libsvm)")
                   : device == QLatin1String("auto") ? computeDeviceSummary()
                                                     : device.toUpper());
  curves_->setNote(experiment.model == ExperimentModel::Svm ? tr("the SVM trains without epochs")
                                                            : QString());
  state_->setText(resume ? tr("Resuming %1").arg(QDir::toNativeSeparators(dir))
                         : tr("Training into %1").arg(QDir::toNativeSeparators(dir)));
  appendLog(resume ? tr("Resuming the run in %1").arg(dir) : tr("New run in %1").arg(dir));
  clock_.start();
  job->start();
  setRunning(true);
  emit runStarted(dir);
  emit statusMessage(state_->text());
}

void TrainingPanel::setRunning(bool running) {
  start_->setEnabled(!running && dataset_.has_value());
  stop_->setEnabled(running);
  settings_->setEnabled(!running);
  output_->setEnabled(!running);
  browse_->setEnabled(!running);
  updateResumeButton();
}

void TrainingPanel::updateResumeButton() {
  const QDir dir(outputDir());
  resume_->setEnabled(!isRunning() && !outputDir().isEmpty() &&
                      QFileInfo::exists(dir.filePath(QStringLiteral("last.ckpt"))) &&
                      QFileInfo::exists(dir.filePath(QStringLiteral("experiment.json"))) &&
                      !QFileInfo::exists(dir.filePath(QStringLiteral("metrics.json"))));  // not finished
}

void TrainingPanel::appendLog(const QString& line) {
  log_->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
}

void TrainingPanel::showError(const QString& message) {
  appendLog(tr("Error: %1").arg(message));
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Training"), message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal but not blocking: the event loop keeps running
  emit statusMessage(message);
}

void TrainingPanel::onStage(const QString& stage) {
  stage_->setText(stage);
  if (stage == QLatin1String("train") && epochs_ > 0) {
    progress_->setRange(0, epochs_);
    progress_->setValue(std::min(epochsDone_, epochs_));  // a resumed run: the epochs done before
    progress_->setFormat(tr("epoch %v of %m"));
  } else {
    progress_->setRange(0, 0);  // busy until the stage reports progress
    progress_->setFormat(QStringLiteral("%p%"));
  }
}

void TrainingPanel::onBatch(int epoch, int batch, int batches, double loss) {
  curves_->addBatch(epoch, batch, batches, loss);
  epoch_->setText(tr("%1 of %2 \u00b7 batch %3 of %4 \u00b7 loss %5")
                      .arg(epoch)
                      .arg(epochs_)
                      .arg(batch)
                      .arg(batches)
                      .arg(loss, 0, 'f', 3));
}

void TrainingPanel::onEpoch(const EpochStats& s) {
  curves_->addEpoch(s);
  epochsDone_ = s.epoch;
  if (progress_->maximum() >= s.epoch) progress_->setValue(s.epoch);
  eta_->setText(s.epoch >= epochs_ ? tr("evaluating") : tr("about %1 (%2 per epoch)").arg(duration(s.eta_seconds), duration(s.seconds)));
  if (bestEpoch_ == 0 || s.val_uar > bestUar_) {  // the trainer keeps this epoch's checkpoint as best.ckpt
    bestEpoch_ = s.epoch;
    bestUar_ = s.val_uar;
    best_->setText(tr("epoch %1: validation UAR %2, WA %3").arg(s.epoch).arg(percent(s.val_uar), percent(s.val_acc)));
  }
}

void TrainingPanel::onLogLine(const QString& line) {
  appendLog(line);
  // "Training cnn (N parameters) on cpu (2 threads): ..." names the device actually used.
  static const QRegularExpression device(QStringLiteral("^Training \\S+ \\(\\d+ parameters\\) on (.+?): \\d+ training"));
  const QRegularExpressionMatch m = device.match(line);
  if (m.hasMatch()) device_->setText(m.captured(1));
}

void TrainingPanel::onProgress(qulonglong done, qulonglong total, const QString& item) {
  Q_UNUSED(item);
  if (stage_->text() == QLatin1String("train")) return;
  const int max = int(qMin<qulonglong>(total, 1u << 30));
  if (progress_->maximum() != max) progress_->setRange(0, max);
  progress_->setValue(int(qMin<qulonglong>(done, qulonglong(max))));
}

void TrainingPanel::onJobEnded(bool cancelled, const QString& error) {
  const QString dir = runDir_;
  const std::shared_ptr<RunOutcome> outcome = outcome_;
  const bool evaluated = outcome && outcome->record.has_value();
  job_ = nullptr;  // auto-deleted
  setRunning(false);
  progress_->setRange(0, 1);
  progress_->setValue(evaluated ? 1 : 0);
  progress_->setFormat(QStringLiteral("%p%"));
  const QString elapsed = duration(clock_.elapsed() / 1000.0);
  if (!error.isEmpty()) {
    stage_->setText(tr("failed"));
    state_->setText(tr("Failed after %1").arg(elapsed));
    showError(error);
    emit runFailed(dir, error);
  } else if (evaluated) {
    stage_->setText(tr("done"));
    eta_->setText(QStringLiteral("\u2014"));
    state_->setText(tr("Finished in %1: %2").arg(elapsed, QDir::toNativeSeparators(dir)));
    appendLog(tr("Finished: test WA %1, UAR %2")
                  .arg(percent(outcome->record->metrics.overall.wa), percent(outcome->record->metrics.overall.uar)));
    if (!outputChosen_) output_->setText(defaultRunDir(settings_->modelName()));
    emit runFinished(dir);
  } else {
    Q_UNUSED(cancelled);
    stage_->setText(tr("stopped"));
    eta_->setText(QStringLiteral("\u2014"));
    state_->setText(tr("Stopped after %1; the run folder keeps its best checkpoint (Resume continues)").arg(elapsed));
    output_->setText(dir);  // so that Resume continues this run
    appendLog(tr("Stopped. Resume continues from the last checkpoint."));
    emit runStopped(dir);
  }
  updateResumeButton();
  emit statusMessage(state_->text());
}

}  // namespace ser
