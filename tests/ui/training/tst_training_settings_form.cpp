// The Training tab's model form: the "pretrained encoder" choice with its file field writes
// model encoder and training.encoder into the experiment, reads them back, and enables the file
// field only for that model.
#include <QComboBox>
#include <QLineEdit>
#include <QtTest>

#include "core/experiment/experiment.h"
#include "ui/training/training_settings_form.h"

class TestTrainingSettingsForm : public QObject {
  Q_OBJECT

 private slots:
  void encoderChoiceWritesTheFile() {
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
    QCOMPARE(e.model, ser::ExperimentModel::Encoder);
    QCOMPARE(e.training.encoder, std::string("/models/hubert_base.pt"));
    QCOMPARE(ser::networkKind(e.model), ser::ModelKind::EncoderHead);

    // Read back into a fresh form.
    ser::TrainingSettingsForm other;
    other.setFrom(e);
    QCOMPARE(other.modelName(), QStringLiteral("encoder"));
    QCOMPARE(other.encoderEdit()->text(), QStringLiteral("/models/hubert_base.pt"));

    // Another model drops the file: the experiment stays valid for that model.
    model->setCurrentIndex(model->findData(QStringLiteral("cnn")));
    form.applyTo(e);
    QCOMPARE(e.model, ser::ExperimentModel::Cnn);
    QVERIFY(e.training.encoder.empty());
  }
};

QTEST_MAIN(TestTrainingSettingsForm)
#include "tst_training_settings_form.moc"
