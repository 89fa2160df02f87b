// The Training tab's model form: it remembers its hyper-parameters between sessions (QSettings) and
// keeps its defaults when nothing, or something unreadable, is remembered; the "pretrained encoder"
// choice with its file field writes model encoder and training.encoder into the experiment, reads
// them back, and enables the file field only for that model.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QLineEdit>
#include <QtTest>

#include "core/experiment/experiment.h"
#include "ui/training/training_settings_form.h"

using namespace ser;

class TestTrainingSettingsForm : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  void init() { QSettings().clear(); }
  void remembersBetweenSessions();
  void nothingRememberedKeepsTheDefaults();
  void unreadableMemoryKeepsTheDefaults();
  void encoderChoiceWritesTheFile();
  void scratchModelOptions();
};

void TestTrainingSettingsForm::remembersBetweenSessions() {
  {
    TrainingSettingsForm form;
    form.modelCombo()->setCurrentIndex(form.modelCombo()->findData(QStringLiteral("resnet18")));
    form.epochsSpin()->setValue(37);
    form.batchSizeSpin()->setValue(12);
    form.learningRateSpin()->setValue(0.0025);
    form.seedSpin()->setValue(4242);
    form.clipSecondsSpin()->setValue(2.5);
    form.saveSettings();
  }
  TrainingSettingsForm next;  // a new session
  QVERIFY(next.restoreSettings());
  QCOMPARE(next.modelName(), QString("resnet18"));
  QCOMPARE(next.epochsSpin()->value(), 37);
  QCOMPARE(next.batchSizeSpin()->value(), 12);
  QCOMPARE(next.learningRateSpin()->value(), 0.0025);
  QCOMPARE(next.seedSpin()->value(), 4242);
  QCOMPARE(next.clipSecondsSpin()->value(), 2.5);
  Experiment e;
  next.applyTo(e);
  QCOMPARE(e.training.epochs, 37);
}

void TestTrainingSettingsForm::nothingRememberedKeepsTheDefaults() {
  TrainingSettingsForm form;
  const int epochs = form.epochsSpin()->value();
  QVERIFY(!form.restoreSettings());
  QCOMPARE(form.epochsSpin()->value(), epochs);
}

void TestTrainingSettingsForm::unreadableMemoryKeepsTheDefaults() {
  TrainingSettingsForm form;
  const int epochs = form.epochsSpin()->value();
  const QString model = form.modelName();
  for (const char* bad :
       {"{ not json", R"({"model": "cnn", "seed": 1, "clip_seconds": 3.0, "training": {"epochs": "many"}})",
        R"({"model": "transformer", "seed": 1, "clip_seconds": 3.0, "training": {}})",
        R"({"model": "cnn", "seed": 1, "clip_seconds": -2.0, "training": {}})",
        R"({"model": "cnn", "seed": 1, "clip_seconds": 3.0, "training": {"epochs": 0}})",
        R"({"model": "resnet18", "training": {"epochs": 5}})"}) {
    QSettings().setValue(QStringLiteral("training/form"), QString::fromLatin1(bad));
    QVERIFY2(!form.restoreSettings(), bad);
    QCOMPARE(form.epochsSpin()->value(), epochs);
    QCOMPARE(form.modelName(), model);
  }
}

void TestTrainingSettingsForm::encoderChoiceWritesTheFile() {
  ser::TrainingSettingsForm form;
  QComboBox* model = form.modelCombo();
  const int index = model->findData(QStringLiteral("encoder"));
  QVERIFY(index >= 0);
  model->setCurrentIndex(model->findData(QStringLiteral("cnn")));
  QVERIFY(!form.encoderEdit()->isEnabled());
  model->setCurrentIndex(index);
  QVERIFY(form.encoderEdit()->isEnabled());
  QCOMPARE(form.modelName(), QStringLiteral("encoder"));
  form.encoderEdit()->setText(QStringLiteral("  /models/hubert_base.pt "));

  ser::Experiment e;
  form.applyTo(e);
  QVERIFY(e.model == ser::ExperimentModel::Encoder);
  QCOMPARE(e.training.encoder, std::string("/models/hubert_base.pt"));
  QVERIFY(ser::networkKind(e.model) == ser::ModelKind::EncoderHead);

  // Read back into a fresh form.
  ser::TrainingSettingsForm other;
  other.setFrom(e);
  QCOMPARE(other.modelName(), QStringLiteral("encoder"));
  QCOMPARE(other.encoderEdit()->text(), QStringLiteral("/models/hubert_base.pt"));

  // Another model drops the file: the experiment stays valid for that model.
  model->setCurrentIndex(model->findData(QStringLiteral("cnn")));
  form.applyTo(e);
  QVERIFY(e.model == ser::ExperimentModel::Cnn);
  QVERIFY(e.training.encoder.empty());
}

// Pooling, delta channels, label smoothing and warm-up reach the experiment and come back; they
// are remembered; pooling and deltas apply to cnn and resnet18 only, so the encoder model keeps a
// valid experiment with them set.
void TestTrainingSettingsForm::scratchModelOptions() {
  {
    TrainingSettingsForm form;
    form.modelCombo()->setCurrentIndex(form.modelCombo()->findData(QStringLiteral("cnn")));
    QVERIFY(form.poolingCombo()->isEnabled() && form.deltasCheck()->isEnabled());
    form.poolingCombo()->setCurrentIndex(form.poolingCombo()->findData(QStringLiteral("attentive")));
    form.deltasCheck()->setChecked(true);
    form.labelSmoothingSpin()->setValue(0.1);
    form.warmupSpin()->setValue(2);
    Experiment e;
    form.applyTo(e);
    QVERIFY(e.training.pooling == Pooling::Attentive);
    QVERIFY(e.training.deltas);
    QCOMPARE(e.training.label_smoothing, 0.1);
    QCOMPARE(e.training.warmup_epochs, 2);
    TrainerOptions cnn = e.training;
    cnn.model = networkKind(e.model);
    cnn.validate();
    form.saveSettings();

    form.modelCombo()->setCurrentIndex(form.modelCombo()->findData(QStringLiteral("encoder")));
    QVERIFY(!form.poolingCombo()->isEnabled() && !form.deltasCheck()->isEnabled());
    form.encoderEdit()->setText(QStringLiteral("/models/wavlm.pt"));
    form.applyTo(e);
    QVERIFY(e.training.pooling == Pooling::Average);
    QVERIFY(!e.training.deltas);
    TrainerOptions t = e.training;
    t.model = networkKind(e.model);
    t.validate();  // would refuse pooling or deltas with the encoder
  }
  TrainingSettingsForm next;
  QVERIFY(next.restoreSettings());
  QCOMPARE(next.poolingCombo()->currentData().toString(), QStringLiteral("attentive"));
  QVERIFY(next.deltasCheck()->isChecked());
  QCOMPARE(next.labelSmoothingSpin()->value(), 0.1);
  QCOMPARE(next.warmupSpin()->value(), 2);
}

QTEST_MAIN(TestTrainingSettingsForm)
#include "tst_training_settings_form.moc"
