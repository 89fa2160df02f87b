#pragma once
// Exact t-SNE (van der Maaten and Hinton 2008) for the clip map: O(n^2) per iteration, meant for
// up to a few thousand points. Perplexity calibration by binary search on each point's Gaussian
// precision, symmetrised affinities, early exaggeration, momentum with per-coordinate gains
// (delta-bar-delta, as in the reference implementation). Single-threaded and seeded: the same
// input, options and seed give the same coordinates, bit for bit, on one build.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/base/progress.h"
#include "core/projection/pca.h"

namespace ser {

struct TsneOptions {
  double perplexity = 30.0;          // effective neighbours, [2, 100]; lowered to (n - 1) / 3 for small n
  int iterations = 1000;             // gradient steps, [250, 10000]
  double learningRate = 0.0;         // step size; <= 0: automatic, max(n / exaggeration / 4, 50)
  double earlyExaggeration = 12.0;   // P multiplier during the first exaggerationIterations, [1, 100]
  int exaggerationIterations = 250;  // steps with exaggeration and momentum initialMomentum
  double initialMomentum = 0.5;
  double finalMomentum = 0.8;
  std::uint64_t seed = 42;           // initial layout: N(0, 1e-4) per coordinate
  void validate() const;             // throws ParameterError naming the field
};

struct TsneResult {
  Projection2d points;
  double perplexity = 0.0;  // the perplexity used (after lowering for small n)
  double klDivergence = 0.0;  // KL(P || Q) of the final layout (without exaggeration)
};

// Squared Euclidean distances between every pair of rows, n x n row-major.
std::vector<double> squaredDistances(const std::vector<std::vector<float>>& points);

// Conditional affinities p_{j|i} (n x n row-major, zero diagonal) whose rows each have entropy
// log(perplexity) (natural log) within `tolerance`, from squared distances; betas receives each
// row's Gaussian precision 1 / (2 sigma_i^2) when non-null.
std::vector<double> conditionalAffinities(const std::vector<double>& d2, std::size_t n,
                                          double perplexity, double tolerance = 1e-5,
                                          std::vector<double>* betas = nullptr);

// Joint affinities P = (p_{j|i} + p_{i|j}) / 2n, floored at 1e-12.
std::vector<double> jointAffinities(const std::vector<double>& conditional, std::size_t n);

// KL(P || Q) of a layout y (n x 2 row-major) and its exact gradient (n x 2) for affinities `p`
// (already multiplied by any exaggeration). Exposed so that tests can check the gradient
// against finite differences.
double tsneObjective(const std::vector<double>& p, const std::vector<double>& y, std::size_t n,
                     std::vector<double>* gradient);

// Runs t-SNE on `points` (n rows of equal dimension). n < 2 gives every point at the origin.
// Reports progress every 50 iterations and polls `cancel` every iteration (throws
// ser::Cancelled). Throws ser::Error on ragged rows, non-finite values or bad options.
TsneResult tsne2d(const std::vector<std::vector<float>>& points, const TsneOptions& options = {},
                  ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

}  // namespace ser
