// MultiTensorAdam / MultiTensorAdamW (the trainer's optimisers on CUDA) against libtorch's Adam and
// AdamW: the same parameters after many steps, with and without weight decay, with a parameter
// that has no gradient at first (the per-parameter fallback), and through save()/load() into
// libtorch's optimiser (checkpoints written on a GPU resume on a CPU). Runs on the CPU, where the
// foreach operations take their per-tensor path: the arithmetic checked is the same.

#include <sstream>
#include <vector>

#include "core/train/multi_tensor_adam.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QtTest>

using namespace ser;

namespace {

std::vector<torch::Tensor> makeParameters() {
  torch::manual_seed(3);
  return {torch::randn({8, 5}).set_requires_grad(true), torch::randn({5}).set_requires_grad(true),
          torch::randn({3, 1, 4, 4}).set_requires_grad(true)};
}

std::vector<torch::Tensor> copies(const std::vector<torch::Tensor>& ps) {
  std::vector<torch::Tensor> out;
  for (const auto& p : ps) out.push_back(p.detach().clone().set_requires_grad(true));
  return out;
}

// A gradient for step `s` that differs per step and per parameter; `skipLast` leaves the last
// parameter without one (its Adam state then runs one step behind the others).
void setGradients(std::vector<torch::Tensor>& ps, int s, bool skipLast) {
  torch::manual_seed(100 + s);
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (skipLast && i + 1 == ps.size()) {
      ps[i].mutable_grad() = torch::Tensor();
      continue;
    }
    ps[i].mutable_grad() = torch::randn(ps[i].sizes()) * (0.1 * double(i + 1));
  }
}

double largestDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
  return worst;
}

// Runs `steps` steps of `reference` and `candidate` on identical parameters and gradients.
template <typename Reference, typename Candidate, typename Options>
double compare(const Options& options, int steps, bool firstStepSkipsLast) {
  std::vector<torch::Tensor> a = makeParameters(), b = copies(a);
  Reference reference(a, options);
  Candidate candidate(b, options);
  for (int s = 0; s < steps; ++s) {
    const bool skip = firstStepSkipsLast && s == 0;
    setGradients(a, s, skip);
    setGradients(b, s, skip);
    reference.step();
    candidate.step();
  }
  return largestDifference(a, b);
}

}  // namespace

class TestMultiTensorAdam : public QObject {
  Q_OBJECT

 private slots:
  void adamMatchesLibtorch_data() {
    QTest::addColumn<double>("weightDecay");
    QTest::newRow("no weight decay") << 0.0;
    QTest::newRow("L2 weight decay") << 0.01;
  }
  void adamMatchesLibtorch() {
    QFETCH(double, weightDecay);
    const auto o = torch::optim::AdamOptions(1e-2).weight_decay(weightDecay);
    const double diff = compare<torch::optim::Adam, MultiTensorAdam>(o, 25, false);
    QVERIFY2(diff <= 1e-6, qPrintable(QString::number(diff)));
    // The parameters did move: a comparison of two optimisers that do nothing would pass too.
    std::vector<torch::Tensor> p = makeParameters(), start = copies(p);
    MultiTensorAdam adam(p, o);
    setGradients(p, 0, false);
    adam.step();
    QVERIFY(largestDifference(p, start) > 1e-3);
  }

  void adamWMatchesLibtorch_data() {
    QTest::addColumn<double>("weightDecay");
    QTest::newRow("no weight decay") << 0.0;
    QTest::newRow("decoupled weight decay") << 0.05;
  }
  void adamWMatchesLibtorch() {
    QFETCH(double, weightDecay);
    const auto o = torch::optim::AdamWOptions(1e-2).weight_decay(weightDecay);
    const double diff = compare<torch::optim::AdamW, MultiTensorAdamW>(o, 25, false);
    QVERIFY2(diff <= 1e-6, qPrintable(QString::number(diff)));
  }

  // A parameter without a gradient in the first step has a step count one behind: those steps
  // take libtorch's per-parameter path, and the result is still libtorch's.
  void unevenStepCountsFallBack() {
    const auto o = torch::optim::AdamOptions(1e-2).weight_decay(0.01);
    const double diff = compare<torch::optim::Adam, MultiTensorAdam>(o, 10, true);
    QVERIFY2(diff <= 1e-6, qPrintable(QString::number(diff)));
  }

  void amsgradFallsBack() {
    const auto o = torch::optim::AdamOptions(1e-2).amsgrad(true);
    const double diff = compare<torch::optim::Adam, MultiTensorAdam>(o, 10, false);
    QVERIFY2(diff <= 1e-6, qPrintable(QString::number(diff)));
  }

  // State saved by the multi-tensor optimiser loads into libtorch's, which continues exactly as a
  // libtorch optimiser that ran all along.
  void stateMovesToLibtorchAdam() {
    const auto o = torch::optim::AdamOptions(1e-2).weight_decay(0.01);
    std::vector<torch::Tensor> a = makeParameters(), b = copies(a);
    torch::optim::Adam reference(a, o);
    MultiTensorAdam candidate(b, o);
    for (int s = 0; s < 5; ++s) {
      setGradients(a, s, false);
      setGradients(b, s, false);
      reference.step();
      candidate.step();
    }
    std::stringstream saved;
    {
      torch::serialize::OutputArchive archive;
      candidate.save(archive);
      archive.save_to(saved);
    }
    torch::optim::Adam resumed(b, o);
    {
      torch::serialize::InputArchive archive;
      archive.load_from(saved);
      resumed.load(archive);
    }
    for (int s = 5; s < 12; ++s) {
      setGradients(a, s, false);
      setGradients(b, s, false);
      reference.step();
      resumed.step();
    }
    const double diff = largestDifference(a, b);
    QVERIFY2(diff <= 1e-6, qPrintable(QString::number(diff)));
  }
};

QTEST_GUILESS_MAIN(TestMultiTensorAdam)
#include "tst_multi_tensor_adam.moc"
