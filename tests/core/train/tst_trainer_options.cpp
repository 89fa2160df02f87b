// TrainerOptions: defaults validate, each bad value names its parameter, JSON round trip.
#include <QtTest>

#include "core/base/error.h"
#include "core/train/trainer_options.h"

using namespace ser;

class TestTrainerOptions : public QObject {
  Q_OBJECT

 private slots:
  void defaultsAreValid() {
    TrainerOptions o;
    o.validate();
    QVERIFY(o.model == ModelKind::CompactCnn);
    QVERIFY(o.normalisation == Normalisation::PerSpeaker);
  }

  void invalid_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("parameter");
    QTest::newRow("learning_rate 0") << R"({"learning_rate": 0})" << "learning_rate";
    QTest::newRow("learning_rate 100") << R"({"learning_rate": 100})" << "learning_rate";
    QTest::newRow("epochs 0") << R"({"epochs": 0})" << "epochs";
    QTest::newRow("batch_size 0") << R"({"batch_size": 0})" << "batch_size";
    QTest::newRow("momentum 1") << R"({"momentum": 1.0})" << "momentum";
    QTest::newRow("patience -1") << R"({"patience": -1})" << "patience";
    QTest::newRow("mixup_alpha -1") << R"({"mixup_alpha": -1})" << "mixup_alpha";
    QTest::newRow("time mask count") << R"({"spec_augment": {"time_masks": 11}})" << "spec_augment.time_masks";
    QTest::newRow("unknown optimizer") << R"({"optimizer": "rmsprop"})" << "optimizer";
    QTest::newRow("unknown scheduler") << R"({"scheduler": "step"})" << "scheduler";
    QTest::newRow("unknown normalisation") << R"({"normalisation": "global"})" << "normalisation";
    QTest::newRow("unknown device") << R"({"device": "tpu"})" << "device";
    QTest::newRow("unknown model") << R"({"model": "vgg"})" << "model";
    QTest::newRow("unknown key") << R"({"learning_rat": 0.1})" << "learning_rat";
    QTest::newRow("wrong type") << R"({"epochs": "many"})" << "epochs";
    QTest::newRow("pretrained on cnn") << R"({"pretrained_weights": "w.pt"})" << "pretrained_weights";
    QTest::newRow("unknown precision") << R"({"precision": "fp8"})" << "precision";
    QTest::newRow("fp16 on the cpu") << R"({"device": "cpu", "precision": "fp16"})" << "precision";
    QTest::newRow("bf16 on the cpu") << R"({"device": "cpu", "precision": "bf16"})" << "precision";
    QTest::newRow("channels_last on the cpu") << R"({"device": "cpu", "channels_last": true})" << "channels_last";
    QTest::newRow("unknown data_placement") << R"({"data_placement": "disk"})" << "data_placement";
    QTest::newRow("unknown pooling") << R"({"pooling": "max"})" << "pooling";
    QTest::newRow("pooling on the encoder head") << R"({"model": "encoder", "encoder": "e.pt", "pooling": "stats"})" << "pooling";
    QTest::newRow("deltas on the encoder head") << R"({"model": "encoder", "encoder": "e.pt", "deltas": true})" << "deltas";
    QTest::newRow("deltas with pretrained weights") << R"({"model": "resnet18", "pretrained_weights": "w.pt", "deltas": true})" << "deltas";
    QTest::newRow("deltas not a bool") << R"({"deltas": "yes"})" << "deltas";
    QTest::newRow("label_smoothing 0.6") << R"({"label_smoothing": 0.6})" << "label_smoothing";
    QTest::newRow("label_smoothing -0.1") << R"({"label_smoothing": -0.1})" << "label_smoothing";
    QTest::newRow("warm-up as long as training") << R"({"epochs": 5, "warmup_epochs": 5})" << "warmup_epochs";
    QTest::newRow("warm-up 1.5") << R"({"warmup_epochs": 1.5})" << "warmup_epochs";
  }
  void invalid() {
    QFETCH(QString, json);
    QFETCH(QString, parameter);
    try {
      trainerOptionsFromJson(nlohmann::json::parse(json.toStdString()));
      QFAIL("no exception");
    } catch (const ParameterError& e) {
      QCOMPARE(QString::fromStdString(e.parameter()), parameter);
    }
  }

  void jsonRoundTrip() {
    TrainerOptions o;
    o.model = ModelKind::ResNet18;
    o.optimizer = OptimizerKind::Sgd;
    o.scheduler = SchedulerKind::Plateau;
    o.normalisation = Normalisation::PerSpeaker;
    o.device = DeviceChoice::Cpu;
    o.learning_rate = 0.05;
    o.spec_augment.freq_mask_width = 3;
    o.mixup_alpha = 0.4;
    o.seed = 7;
    o.class_weights = false;
    o.data_placement = DataPlacement::Device;
    o.pooling = Pooling::Attentive;
    o.deltas = true;
    o.label_smoothing = 0.1;
    o.warmup_epochs = 2;
    const nlohmann::json j = toJson(o);
    QCOMPARE(QString::fromStdString(j.at("pooling").get<std::string>()), QString("attentive"));
    QCOMPARE(j.at("warmup_epochs").get<int>(), 2);
    QCOMPARE(QString::fromStdString(j.at("data_placement").get<std::string>()), QString("device"));
    QCOMPARE(QString::fromStdString(j.at("optimizer").get<std::string>()), QString("sgd"));
    QCOMPARE(QString::fromStdString(j.at("normalisation").get<std::string>()), QString("per_speaker"));
    const TrainerOptions back = trainerOptionsFromJson(j);
    QCOMPARE(toJson(back).dump(), j.dump());
  }

  void missingKeysKeepDefaults() {
    const TrainerOptions o = trainerOptionsFromJson(nlohmann::json::parse(R"({"epochs": 3})"));
    QCOMPARE(o.epochs, 3);
    QCOMPARE(o.batch_size, TrainerOptions().batch_size);
    QVERIFY(o.precision == Precision::Auto);
    QVERIFY(o.data_placement == DataPlacement::Auto);
    QVERIFY(!o.channels_last);
    QVERIFY(o.pooling == Pooling::Average);
    QVERIFY(!o.deltas);
    QCOMPARE(o.label_smoothing, 0.0);
    QCOMPARE(o.warmup_epochs, 0);
  }

  void cudaOptionsRoundTrip() {
    TrainerOptions o;
    o.device = DeviceChoice::Cuda;
    o.precision = Precision::Fp16;
    o.channels_last = true;
    const nlohmann::json j = toJson(o);
    QCOMPARE(QString::fromStdString(j.at("precision").get<std::string>()), QString("fp16"));
    QCOMPARE(j.at("channels_last").get<bool>(), true);
    const TrainerOptions back = trainerOptionsFromJson(j);
    QVERIFY(back.precision == Precision::Fp16);
    QVERIFY(back.channels_last);
    QCOMPARE(toJson(back).dump(), j.dump());
  }
};

QTEST_GUILESS_MAIN(TestTrainerOptions)
#include "tst_trainer_options.moc"
