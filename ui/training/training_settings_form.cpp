#include "ui/training/training_settings_form.h"

#include <QSettings>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "core/base/json_text.h"
#include "core/experiment/experiment.h"
#include "ui/training/compute_info.h"

namespace ser {
namespace {

QComboBox* combo(QWidget* parent, const QStringList& items) {
  auto* c = new QComboBox(parent);
  c->addItems(items);
  return c;
}

}  // namespace

TrainingSettingsForm::TrainingSettingsForm(QWidget* parent)
    : QWidget(parent),
      model_(new QComboBox(this)),
      encoder_(new QLineEdit(this)),
      device_(combo(this, {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")})),
      epochs_(new QSpinBox(this)),
      batch_(new QSpinBox(this)),
      lr_(new QDoubleSpinBox(this)),
      optimizer_(combo(this, {QStringLiteral("adam"), QStringLiteral("adamw"), QStringLiteral("sgd")})),
      scheduler_(combo(this, {QStringLiteral("cosine"), QStringLiteral("plateau"), QStringLiteral("none")})),
      patience_(new QSpinBox(this)),
      warmup_(new QSpinBox(this)),
      pooling_(new QComboBox(this)),
      deltas_(new QCheckBox(tr("delta and delta-delta channels"), this)),
      labelSmoothing_(new QDoubleSpinBox(this)),
      specAugment_(new QCheckBox(tr("time and frequency masks"), this)),
      mixup_(new QDoubleSpinBox(this)),
      seed_(new QSpinBox(this)),
      seconds_(new QDoubleSpinBox(this)) {
  model_->addItem(tr("Compact CNN (cnn)"), QStringLiteral("cnn"));
  model_->addItem(tr("ResNet-18 (resnet18)"), QStringLiteral("resnet18"));
  model_->addItem(tr("Hybrid SVM (svm)"), QStringLiteral("svm"));
  model_->addItem(tr("Pretrained encoder (encoder)"), QStringLiteral("encoder"));
  model_->setToolTip(tr("cnn trains in minutes on a CPU; resnet18 wants a GPU; svm uses utterance "
                        "statistics (MFCC, prosody) and needs no epochs; encoder trains a small head "
                        "on a frozen pretrained speech encoder file"));
  encoder_->setPlaceholderText(tr("TorchScript .pt file"));
  encoder_->setToolTip(tr("a pretrained speech encoder (wav2vec 2.0, HuBERT, WavLM, ...) exported "
                          "with tools/export_encoder.py; see the README"));
  auto* browse = new QPushButton(tr("Browse..."), this);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Pretrained speech encoder"),
                                                      encoder_->text(), tr("TorchScript (*.pt *.pth);;All files (*)"));
    if (!file.isEmpty()) encoder_->setText(file);
  });
  encoderRow_ = new QWidget(this);
  auto* encoderLayout = new QHBoxLayout(encoderRow_);
  encoderLayout->setContentsMargins(0, 0, 0, 0);
  encoderLayout->addWidget(encoder_, 1);
  encoderLayout->addWidget(browse);
  device_->setToolTip(tr("auto: CUDA when available, else every CPU core"));
  epochs_->setRange(1, 10000);
  batch_->setRange(1, 4096);
  lr_->setDecimals(5);
  lr_->setRange(0.00001, 10.0);
  lr_->setSingleStep(0.0001);
  patience_->setRange(0, 10000);
  patience_->setSpecialValueText(tr("off"));
  patience_->setToolTip(tr("early stopping: epochs without a validation-UAR gain (0 = off)"));
  warmup_->setRange(0, 9999);
  warmup_->setSpecialValueText(tr("off"));
  warmup_->setToolTip(tr("epochs of linear learning-rate warm-up before the scheduler starts"));
  pooling_->addItem(tr("average"), QStringLiteral("avg"));
  pooling_->addItem(tr("statistics (mean, sd over time)"), QStringLiteral("stats"));
  pooling_->addItem(tr("attentive statistics"), QStringLiteral("attentive"));
  pooling_->setToolTip(tr("cnn and resnet18: how the last feature map becomes one vector per clip"));
  deltas_->setToolTip(tr("cnn and resnet18: the network also reads the time derivatives of the log-mel"));
  labelSmoothing_->setRange(0.0, 0.5);
  labelSmoothing_->setSingleStep(0.05);
  labelSmoothing_->setSpecialValueText(tr("off"));
  labelSmoothing_->setToolTip(tr("training targets (1 - s) one-hot + s / classes; 0 = off"));
  mixup_->setRange(0.0, 10.0);
  mixup_->setSingleStep(0.1);
  mixup_->setSpecialValueText(tr("off"));
  mixup_->setToolTip(tr("mixup Beta(alpha, alpha); 0 = off"));
  seed_->setRange(0, 2147483647);
  seed_->setToolTip(tr("split, initialisation, shuffling and augmentation"));
  seconds_->setRange(0.5, 10.0);
  seconds_->setSingleStep(0.5);
  seconds_->setSuffix(tr(" s"));
  seconds_->setToolTip(tr("every clip is cut or padded to this length before the log-mel front end"));

  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Model"), model_);
  form->addRow(tr("Encoder file"), encoderRow_);
  form->addRow(tr("Device"), device_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Batch size"), batch_);
  form->addRow(tr("Learning rate"), lr_);
  form->addRow(tr("Optimizer"), optimizer_);
  form->addRow(tr("Scheduler"), scheduler_);
  form->addRow(tr("Patience"), patience_);
  form->addRow(tr("Warm-up epochs"), warmup_);
  form->addRow(tr("Pooling"), pooling_);
  form->addRow(tr("Input"), deltas_);
  form->addRow(tr("Label smoothing"), labelSmoothing_);
  form->addRow(tr("SpecAugment"), specAugment_);
  form->addRow(tr("Mixup alpha"), mixup_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Clip length"), seconds_);

  connect(model_, &QComboBox::currentIndexChanged, this, [this] {
    updateEnabled();
    emit modelChanged(modelName());
  });
  resetToDefaults();
}

QString TrainingSettingsForm::modelName() const { return model_->currentData().toString(); }

void TrainingSettingsForm::resetToDefaults() {
  Experiment e;
  const bool cuda = cudaAvailable();
  e.model = cuda ? ExperimentModel::ResNet18 : ExperimentModel::Cnn;
  e.training.batch_size = cuda ? 64 : 32;
  setFrom(e);
}

void TrainingSettingsForm::setFrom(const Experiment& e) {
  model_->setCurrentIndex(model_->findData(QString::fromStdString(toString(e.model))));
  const TrainerOptions& t = e.training;
  encoder_->setText(QString::fromStdString(t.encoder));
  device_->setCurrentText(QString::fromStdString(toString(t.device)));
  epochs_->setValue(t.epochs);
  batch_->setValue(t.batch_size);
  lr_->setValue(t.learning_rate);
  optimizer_->setCurrentText(QString::fromStdString(toString(t.optimizer)));
  scheduler_->setCurrentText(QString::fromStdString(toString(t.scheduler)));
  patience_->setValue(t.patience);
  warmup_->setValue(t.warmup_epochs);
  pooling_->setCurrentIndex(pooling_->findData(QString::fromStdString(toString(t.pooling))));
  deltas_->setChecked(t.deltas);
  labelSmoothing_->setValue(t.label_smoothing);
  specAugment_->setChecked(t.spec_augment.time_masks > 0 || t.spec_augment.freq_masks > 0);
  mixup_->setValue(t.mixup_alpha);
  seed_->setValue(int(e.seed));
  seconds_->setValue(e.frontEnd.audio.fixedSeconds);
  updateEnabled();
}

void TrainingSettingsForm::applyTo(Experiment& e) const {
  e.model = experimentModelFromString(modelName().toStdString());
  TrainerOptions& t = e.training;
  t.encoder = e.model == ExperimentModel::Encoder ? encoder_->text().trimmed().toStdString() : std::string();
  t.device = deviceChoiceFromString(device_->currentText().toStdString());
  t.epochs = epochs_->value();
  t.batch_size = batch_->value();
  t.learning_rate = lr_->value();
  t.optimizer = optimizerKindFromString(optimizer_->currentText().toStdString());
  t.scheduler = schedulerKindFromString(scheduler_->currentText().toStdString());
  t.patience = patience_->value();
  t.warmup_epochs = std::min(warmup_->value(), t.epochs - 1);
  const bool convolutional = e.model == ExperimentModel::Cnn || e.model == ExperimentModel::ResNet18;
  t.pooling = convolutional ? poolingFromString(pooling_->currentData().toString().toStdString()) : Pooling::Average;
  t.deltas = convolutional && deltas_->isChecked();
  t.label_smoothing = labelSmoothing_->value();
  const SpecAugmentOptions defaults;
  t.spec_augment.time_masks = specAugment_->isChecked() ? std::max(1, defaults.time_masks) : 0;
  t.spec_augment.freq_masks = specAugment_->isChecked() ? std::max(1, defaults.freq_masks) : 0;
  t.mixup_alpha = mixup_->value();
  e.seed = std::uint32_t(seed_->value());
  e.frontEnd.audio.fixedSeconds = seconds_->value();
}

// What the form shows, remembered between sessions: the model, the seed, the clip length and the
// training options (an experiment's corpora and split belong to the dataset, not to this form).
void TrainingSettingsForm::saveSettings() const {
  Experiment e;
  applyTo(e);
  const nlohmann::json j = {{"model", toString(e.model)},
                            {"seed", e.seed},
                            {"clip_seconds", e.frontEnd.audio.fixedSeconds},
                            {"training", toJson(e.training)}};
  QSettings().setValue(QStringLiteral("training/form"), QString::fromStdString(dumpJson(j)));
}

bool TrainingSettingsForm::restoreSettings() {
  const QString text = QSettings().value(QStringLiteral("training/form")).toString();
  if (text.isEmpty()) return false;
  try {
    const nlohmann::json j = parseJson(text.toStdString());
    Experiment e;
    applyTo(e);  // anything not remembered keeps the form's value
    e.model = experimentModelFromString(j.at("model").get<std::string>());
    e.seed = j.at("seed").get<std::uint64_t>();
    e.frontEnd.audio.fixedSeconds = j.at("clip_seconds").get<double>();
    e.frontEnd.validate();
    e.training = trainerOptionsFromJson(j.at("training"));
    e.training.validate();
    setFrom(e);
  } catch (const std::exception& e) {
    // Written by another version, or damaged: keep the defaults.
    qWarning("serwb-gui: remembered training settings ignored: %s", e.what());
    return false;
  }
  return true;
}

void TrainingSettingsForm::updateEnabled() {
  const bool network = modelName() != QLatin1String("svm");
  for (QWidget* w : std::initializer_list<QWidget*>{device_, epochs_, batch_, lr_, optimizer_, scheduler_,
                                                    patience_, warmup_, labelSmoothing_, specAugment_, mixup_})
    w->setEnabled(network);
  const bool convolutional = modelName() == QLatin1String("cnn") || modelName() == QLatin1String("resnet18");
  pooling_->setEnabled(convolutional);
  deltas_->setEnabled(convolutional);
  encoderRow_->setEnabled(modelName() == QLatin1String("encoder"));
}

}  // namespace ser
