// DynamicLossScaler: unscaling, the inf/nan check, skipped steps and the scale's growth and back-off,
// on the CPU with gradients set by hand (the fp16 path itself needs CUDA).

#include <cmath>
#include <limits>

#include "core/base/error.h"
#include "core/train/loss_scaler.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QtTest>

using namespace ser;

namespace {
// A parameter with a gradient of `value` in every cell.
torch::Tensor parameterWithGradient(float value) {
  torch::Tensor p = torch::ones({3, 2}).set_requires_grad(true);
  p.mutable_grad() = torch::full({3, 2}, value);
  return p;
}
}  // namespace

class TestLossScaler : public QObject {
  Q_OBJECT

 private slots:
  void scalesTheLoss() {
    DynamicLossScaler scaler;
    QCOMPARE(scaler.scale(), 65536.0);
    QCOMPARE(scaler.scaleLoss(torch::tensor(0.5f)).item<float>(), 32768.0f);
  }

  void unscalesFiniteGradients() {
    LossScalerOptions o;
    o.init_scale = 1024.0;
    DynamicLossScaler scaler(o);
    torch::Tensor a = parameterWithGradient(3.0f * 1024.0f);
    torch::Tensor b = parameterWithGradient(-0.25f * 1024.0f);
    torch::Tensor noGrad = torch::ones({2}).set_requires_grad(true);  // no gradient: left alone
    QVERIFY(scaler.unscale({a, b, noGrad}));
    QVERIFY(torch::allclose(a.grad(), torch::full({3, 2}, 3.0f)));
    QVERIFY(torch::allclose(b.grad(), torch::full({3, 2}, -0.25f)));
    QVERIFY(!noGrad.grad().defined());
  }

  void skipsStepOnNonFiniteGradients_data() {
    QTest::addColumn<float>("bad");
    QTest::newRow("inf") << std::numeric_limits<float>::infinity();
    QTest::newRow("-inf") << -std::numeric_limits<float>::infinity();
    QTest::newRow("nan") << std::numeric_limits<float>::quiet_NaN();
  }
  void skipsStepOnNonFiniteGradients() {
    QFETCH(float, bad);
    DynamicLossScaler scaler;
    torch::Tensor good = parameterWithGradient(1.0f);
    torch::Tensor p = parameterWithGradient(1.0f);
    {
      torch::NoGradGuard noGrad;
      p.mutable_grad()[1][0] = bad;
    }
    torch::optim::SGD sgd({good, p}, torch::optim::SGDOptions(0.1));
    const torch::Tensor before = good.detach().clone();
    QVERIFY(!scaler.step(sgd, {good, p}));
    QVERIFY(torch::equal(good.detach(), before));  // the optimiser did not step
    QCOMPARE(scaler.scale(), 32768.0);
    QCOMPARE(scaler.skippedSteps(), 1);
  }

  void growsAfterFiniteSteps() {
    LossScalerOptions o;
    o.init_scale = 8.0;
    o.growth_interval = 3;
    DynamicLossScaler scaler(o);
    scaler.update(true);
    scaler.update(true);
    QCOMPARE(scaler.scale(), 8.0);
    scaler.update(true);
    QCOMPARE(scaler.scale(), 16.0);
    scaler.update(true);
    scaler.update(false);  // a bad step resets the count of good ones
    QCOMPARE(scaler.scale(), 8.0);
    scaler.update(true);
    scaler.update(true);
    QCOMPARE(scaler.scale(), 8.0);
    scaler.update(true);
    QCOMPARE(scaler.scale(), 16.0);
  }

  void scaledStepEqualsPlainStep() {
    // The same SGD step from a scaled loss through the scaler and from the plain loss.
    torch::manual_seed(7);
    const torch::Tensor x = torch::randn({16, 4});
    const torch::Tensor y = torch::randn({16, 1});
    const torch::Tensor w0 = torch::randn({4, 1});
    int skipped = 0;
    auto run = [&](bool scaled) -> torch::Tensor {
      torch::Tensor w = w0.clone().set_requires_grad(true);
      torch::optim::SGD sgd({w}, torch::optim::SGDOptions(0.05));
      DynamicLossScaler scaler;
      for (int i = 0; i < 3; ++i) {
        sgd.zero_grad();
        const torch::Tensor loss = (x.matmul(w) - y).pow(2).mean();
        if (scaled) {
          scaler.scaleLoss(loss).backward();
          if (!scaler.step(sgd, {w})) ++skipped;
        } else {
          loss.backward();
          sgd.step();
        }
      }
      return w.detach();
    };
    const torch::Tensor plain = run(false);
    const torch::Tensor scaled = run(true);
    QCOMPARE(skipped, 0);
    QVERIFY2(torch::allclose(plain, scaled, 1e-5, 1e-6),
             std::to_string((plain - scaled).abs().max().item<float>()).c_str());
    QVERIFY(!torch::equal(plain, w0));
  }

  void invalidOptions_data() {
    QTest::addColumn<QString>("field");
    QTest::newRow("init_scale") << "init_scale";
    QTest::newRow("growth_factor") << "growth_factor";
    QTest::newRow("backoff_factor") << "backoff_factor";
    QTest::newRow("growth_interval") << "growth_interval";
  }
  void invalidOptions() {
    QFETCH(QString, field);
    LossScalerOptions o;
    if (field == "init_scale") o.init_scale = 0.0;
    if (field == "growth_factor") o.growth_factor = 1.0;
    if (field == "backoff_factor") o.backoff_factor = 1.0;
    if (field == "growth_interval") o.growth_interval = 0;
    try {
      DynamicLossScaler scaler(o);
      QFAIL("no exception");
    } catch (const ParameterError& e) {
      QVERIFY2(QString::fromStdString(e.what()).contains(field), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestLossScaler)
#include "tst_loss_scaler.moc"
