// The trainer's batch sources and the tensor-op augmentations of the device-resident path, on the
// CPU: without augmentation the host source, the host source with a prefetch thread and the
// resident source give the same batches; the batch SpecAugment, gain and noise follow their
// contracts.

#include <cmath>
#include <numeric>
#include <set>

#include "core/train/batch_augmentation.h"
#include "core/train/batch_source.h"
#include "core/train/feature_normaliser.h"
#include "synthetic_data.h"

// Qt after libtorch: Qt's `slots` macro breaks torch headers parsed after it.
#include <QtTest>

using namespace ser;

class TestBatchSource : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { torch::set_num_threads(1); }

  void sourcesAgreeWithoutAugmentation() {
    const TrainingSet train = makeSyntheticSet(7, 3, 11);  // 21 clips
    const TrainingSet val = makeSyntheticSet(2, 3, 12);
    TrainerOptions o;
    o.batch_size = 4;
    o.spec_augment = SpecAugmentOptions{0, 0, 0, 0};
    const FeatureNormaliser normaliser(Normalisation::PerSpeaker, train.features);
    const std::vector<BandStats> plan = normaliser.plan(train.features, train.speakers);
    std::vector<FeatureMatrix> valNorm = val.features;
    const auto valPlan = normaliser.plan(valNorm, val.speakers);
    for (std::size_t i = 0; i < valNorm.size(); ++i) FeatureNormaliser::apply(valNorm[i], valPlan[i]);

    auto host = makeHostBatchSource(train, plan, valNorm, o, torch::kCPU, false);
    auto prefetched = makeHostBatchSource(train, plan, valNorm, o, torch::kCPU, true);
    auto resident = makeResidentBatchSource(train, plan, valNorm, o, torch::kCPU);
    QVERIFY(!host->resident());
    QVERIFY(resident->resident());

    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 shuffle(3);
    std::shuffle(order.begin(), order.end(), shuffle);
    const std::size_t usable = 19;  // the last two clips of the order sit this epoch out
    for (int epoch = 0; epoch < 2; ++epoch) {
      std::mt19937 r1(1), r2(1), r3(1);
      host->startEpoch(order, usable, r1);
      prefetched->startEpoch(order, usable, r2);
      resident->startEpoch(order, usable, r3);
      std::size_t seen = 0;
      for (int b = 0; b < 5; ++b) {
        const TrainBatch a = host->next(b, r1);
        const TrainBatch p = prefetched->next(b, r2);
        const TrainBatch d = resident->next(b, r3);
        const std::size_t expected = b < 4 ? 4 : 3;
        QCOMPARE(a.size, expected);
        QCOMPARE(p.size, expected);
        QCOMPARE(d.size, expected);
        QVERIFY(torch::equal(a.x, p.x));
        QVERIFY(torch::allclose(a.x, d.x, 1e-6, 1e-6));
        QVERIFY(torch::equal(a.y, p.y));
        QVERIFY(torch::equal(a.y, d.y));
        // Batch row k is clip order[seen + k], normalised.
        for (std::size_t k = 0; k < a.size; ++k) {
          const std::size_t clip = order[seen + k];
          FeatureMatrix m = train.features[clip];
          FeatureNormaliser::apply(m, plan[clip]);
          const torch::Tensor want = torch::from_blob(m.data.data(), {16, 32}, torch::kFloat32);
          QVERIFY(torch::allclose(d.x[std::int64_t(k)][0], want, 1e-6, 1e-6));
          QCOMPARE(d.y[std::int64_t(k)].item<std::int64_t>(), std::int64_t(train.labels[clip]));
        }
        seen += a.size;
      }
      QCOMPARE(seen, usable);
    }
    QVERIFY(torch::equal(host->validation(1, 5), resident->validation(1, 5)));
    QCOMPARE(resident->validation(0, 6).size(0), std::int64_t(6));
    std::mt19937 r(4);
    const torch::Tensor perm = resident->permutation(9, r);
    QVERIFY(torch::equal(std::get<0>(perm.sort()), torch::arange(9, torch::kInt64)));
  }

  void specAugmentMasksWholeBandsAndFrames() {
    torch::manual_seed(3);
    torch::Tensor x = torch::randn({64, 1, 16, 32});
    const torch::Tensor original = x.clone();
    const torch::Tensor means = original.mean({1, 2, 3});
    const SpecAugmentOptions o{2, 5, 2, 3};
    const torch::Tensor mask = applySpecAugmentBatch(x, o);
    QCOMPARE(mask.sizes().vec(), x.sizes().vec());
    QVERIFY(mask.any().item<bool>());
    for (std::int64_t i = 0; i < x.size(0); ++i) {
      const torch::Tensor m = mask[i][0];
      // Every masked cell lies in a fully masked band or a fully masked frame.
      const torch::Tensor fullRows = m.all(1);   // [16]
      const torch::Tensor fullCols = m.all(0);   // [32]
      const torch::Tensor covered = fullRows.unsqueeze(1).logical_or(fullCols.unsqueeze(0));
      QVERIFY(torch::equal(m, covered));
      QVERIFY(fullRows.sum().item<std::int64_t>() <= 2 * 3);
      // (a fully masked row also makes every column "touched", so count columns only when no row is)
      if (!fullRows.any().item<bool>()) QVERIFY(fullCols.sum().item<std::int64_t>() <= 2 * 5);
      // Masked cells hold the clip's mean before masking; the rest is untouched.
      const torch::Tensor xi = x[i][0];
      QVERIFY(torch::allclose(xi.masked_select(m), means[i].expand({m.sum().item<std::int64_t>()})));
      QVERIFY(torch::equal(xi.masked_select(m.logical_not()), original[i][0].masked_select(m.logical_not())));
    }
  }

  void specAugmentWidthsCoverTheirRange() {
    // One frequency mask of width U{0..3}: over many clips each width turns up about a quarter of the time.
    torch::manual_seed(4);
    torch::Tensor x = torch::randn({4000, 1, 16, 8});
    const torch::Tensor mask = applySpecAugmentBatch(x, SpecAugmentOptions{0, 0, 1, 3});
    const torch::Tensor widths = mask.select(3, 0).squeeze(1).sum(1);  // masked bands per clip
    for (int w = 0; w <= 3; ++w) {
      const double share = widths.eq(w).sum().item<double>() / 4000.0;
      QVERIFY2(std::abs(share - 0.25) < 0.04, (std::to_string(w) + ": " + std::to_string(share)).c_str());
    }
    // Starts cover the whole band range: band 0 and band 15 are both masked sometimes.
    QVERIFY(mask.select(2, 0).any().item<bool>());
    QVERIFY(mask.select(2, 15).any().item<bool>());
  }

  void noMasksNoChange() {
    torch::Tensor x = torch::randn({4, 1, 8, 8});
    const torch::Tensor original = x.clone();
    applySpecAugmentBatch(x, SpecAugmentOptions{0, 20, 0, 8});
    QVERIFY(torch::equal(x, original));
    applyGainBatch(x, torch::ones({4, 8}), 0.0);
    addGaussianNoiseBatch(x, 0.0);
    QVERIFY(torch::equal(x, original));
  }

  void gainIsOneOffsetPerClipScaledByBand() {
    torch::manual_seed(5);
    torch::Tensor x = torch::zeros({200, 1, 4, 6});
    torch::Tensor invStd = torch::ones({200, 4});
    invStd.select(1, 2).fill_(2.0f);  // band 2 was divided by stddev 0.5
    applyGainBatch(x, invStd, 10.0);
    const double limit = 10.0 * std::log(10.0) / 10.0;
    const torch::Tensor band0 = x.select(2, 0).squeeze(1);  // [200, 6]
    QVERIFY(torch::allclose(band0, band0.select(1, 0).unsqueeze(1).expand_as(band0)));  // constant per clip
    QVERIFY(torch::allclose(x.select(2, 2).squeeze(1), 2.0 * band0));
    QVERIFY(band0.abs().max().item<double>() <= limit + 1e-6);
    QVERIFY(band0.min().item<double>() < -0.8 * limit);  // the whole range is used
    QVERIFY(band0.max().item<double>() > 0.8 * limit);
  }

  void noiseHasTheAskedSpread() {
    torch::manual_seed(6);
    torch::Tensor x = torch::zeros({50, 1, 16, 32});
    addGaussianNoiseBatch(x, 0.5);
    QVERIFY(std::abs(x.std().item<double>() - 0.5) < 0.02);
    QVERIFY(std::abs(x.mean().item<double>()) < 0.02);
  }

  void fitsOnDeviceLeavesRoom() {
    const std::int64_t gib = std::int64_t(1) << 30;
    QVERIFY(fitsOnDevice(110 << 20, 80 * gib));  // RAVDESS-sized features on an 80 GB card
    QVERIFY(!fitsOnDevice(3 * gib, 4 * gib));     // more than half of what is free
    QVERIFY(!fitsOnDevice(gib, 2 * gib + gib / 2));  // would leave under 2 GiB
    QVERIFY(!fitsOnDevice(1, -1));                 // free memory unknown
    TrainingSet set = makeSyntheticSet(2, 3, 1);   // 6 clips of 16 x 32
    QCOMPARE(residentBytes(set, 4), std::int64_t((6 + 4) * 16 * 32 * 4 + 6 * 16 * 4 + 6 * 8));
  }
};

QTEST_GUILESS_MAIN(TestBatchSource)
#include "tst_batch_source.moc"
