#pragma once
// The model and hyper-parameter form of the Training panel: model (cnn, resnet18, svm, encoder
// with its file picker), device,
// epochs, batch size, learning rate, optimizer, scheduler, early-stopping patience, warm-up,
// pooling, delta channels, label smoothing, SpecAugment, mixup, seed and the front end's clip length. Field ranges are TrainerOptions'. Defaults follow
// the device: on a CPU the compact CNN, with CUDA the ResNet-18.
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace ser {

struct Experiment;

class TrainingSettingsForm : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingSettingsForm(QWidget* parent = nullptr);

  // Writes the form into `e` (model, training, seed, front-end clip length); other fields stay.
  void applyTo(Experiment& e) const;
  // Shows `e`'s values (e.g. a run folder's experiment.json being resumed).
  void setFrom(const Experiment& e);
  // Restores the defaults for the device (cudaAvailable(): resnet18 and batch 64, else cnn and 32).
  void resetToDefaults();

  QString modelName() const;  // "cnn", "resnet18", "svm", "encoder"

  // Remembers the form between sessions: QSettings "training/form", the model, seed, clip length
  // and the experiment file's "training" object (core's toJson / trainerOptionsFromJson).
  void saveSettings() const;
  // Shows the remembered values; false (the form unchanged) when none are saved or they cannot
  // be read.
  bool restoreSettings();

  QComboBox* modelCombo() const { return model_; }
  QLineEdit* encoderEdit() const { return encoder_; }  // the encoder file (model encoder)
  QComboBox* deviceCombo() const { return device_; }
  QSpinBox* epochsSpin() const { return epochs_; }
  QSpinBox* batchSizeSpin() const { return batch_; }
  QDoubleSpinBox* learningRateSpin() const { return lr_; }
  QDoubleSpinBox* clipSecondsSpin() const { return seconds_; }
  QSpinBox* seedSpin() const { return seed_; }
  QComboBox* poolingCombo() const { return pooling_; }  // data: "avg", "stats", "attentive"
  QCheckBox* deltasCheck() const { return deltas_; }
  QDoubleSpinBox* labelSmoothingSpin() const { return labelSmoothing_; }
  QSpinBox* warmupSpin() const { return warmup_; }

 signals:
  void modelChanged(const QString& model);

 private:
  void updateEnabled();

  QComboBox* model_;
  QLineEdit* encoder_;
  QWidget* encoderRow_ = nullptr;  // encoder_ and its Browse button; enabled with model encoder
  QComboBox* device_;
  QSpinBox* epochs_;
  QSpinBox* batch_;
  QDoubleSpinBox* lr_;
  QComboBox* optimizer_;
  QComboBox* scheduler_;
  QSpinBox* patience_;
  QSpinBox* warmup_;
  QComboBox* pooling_;
  QCheckBox* deltas_;
  QDoubleSpinBox* labelSmoothing_;
  QCheckBox* specAugment_;
  QDoubleSpinBox* mixup_;
  QSpinBox* seed_;
  QDoubleSpinBox* seconds_;
};

}  // namespace ser
