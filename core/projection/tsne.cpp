#include "core/projection/tsne.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "core/base/error.h"

namespace ser {

namespace {

constexpr double kMinP = 1e-12;

// Standard normal samples from a seeded engine, by Box-Muller: unlike std::normal_distribution
// the sequence is the same with every standard library.
class Gaussian {
 public:
  explicit Gaussian(std::uint64_t seed) : engine_(seed) {}
  double operator()() {
    if (spare_) {
      spare_ = false;
      return next_;
    }
    constexpr double twoPi = 6.283185307179586;
    double u1 = 0.0;
    while (u1 <= 0.0) u1 = double(engine_() >> 11) * 0x1.0p-53;
    const double u2 = double(engine_() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    next_ = r * std::sin(twoPi * u2);
    spare_ = true;
    return r * std::cos(twoPi * u2);
  }

 private:
  std::mt19937_64 engine_;
  bool spare_ = false;
  double next_ = 0.0;
};

// Entropy (natural log) of row i's distribution for precision beta; fills row with p_{j|i}.
double rowDistribution(const double* d2, std::size_t n, std::size_t i, double beta, double* row) {
  double minD = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < n; ++j)
    if (j != i) minD = std::min(minD, d2[j]);
  double sum = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    row[j] = j == i ? 0.0 : std::exp(-beta * (d2[j] - minD));  // shifted: no underflow to 0/0
    sum += row[j];
  }
  double h = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    row[j] /= sum;
    if (row[j] > 0.0) h -= row[j] * std::log(row[j]);
  }
  return h;
}

}  // namespace

void TsneOptions::validate() const {
  if (!(perplexity >= 2.0 && perplexity <= 100.0))
    throw ParameterError("perplexity", std::to_string(perplexity), "[2, 100]");
  if (iterations < 250 || iterations > 10000)
    throw ParameterError("iterations", std::to_string(iterations), "[250, 10000]");
  if (!std::isfinite(learningRate))
    throw ParameterError("learning_rate", std::to_string(learningRate), "a number (<= 0: automatic)");
  if (!(earlyExaggeration >= 1.0 && earlyExaggeration <= 100.0))
    throw ParameterError("early_exaggeration", std::to_string(earlyExaggeration), "[1, 100]");
  if (exaggerationIterations < 0 || exaggerationIterations > iterations)
    throw ParameterError("exaggeration_iterations", std::to_string(exaggerationIterations),
                         "[0, iterations]");
  if (!(initialMomentum >= 0.0 && initialMomentum < 1.0))
    throw ParameterError("initial_momentum", std::to_string(initialMomentum), "[0, 1)");
  if (!(finalMomentum >= 0.0 && finalMomentum < 1.0))
    throw ParameterError("final_momentum", std::to_string(finalMomentum), "[0, 1)");
}

std::vector<double> squaredDistances(const std::vector<std::vector<float>>& points) {
  const std::size_t n = points.size();
  const std::size_t d = n ? points.front().size() : 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (points[i].size() != d)
      throw Error("t-SNE: point " + std::to_string(i) + " has " + std::to_string(points[i].size()) +
                  " dimensions, expected " + std::to_string(d));
    for (float v : points[i])
      if (!std::isfinite(v))
        throw Error("t-SNE: point " + std::to_string(i) + " has a value that is not a number");
  }
  std::vector<double> d2(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      double s = 0.0;
      for (std::size_t k = 0; k < d; ++k) {
        const double t = double(points[i][k]) - double(points[j][k]);
        s += t * t;
      }
      d2[i * n + j] = d2[j * n + i] = s;
    }
  return d2;
}

std::vector<double> conditionalAffinities(const std::vector<double>& d2, std::size_t n,
                                          double perplexity, double tolerance,
                                          std::vector<double>* betas) {
  std::vector<double> p(n * n, 0.0);
  if (betas) betas->assign(n, 1.0);
  if (n < 2) return p;
  const double target = std::log(perplexity);
  for (std::size_t i = 0; i < n; ++i) {
    const double* di = &d2[i * n];
    double* row = &p[i * n];
    // Binary search on beta (geometric while unbounded): entropy falls as beta grows.
    double beta = 1.0, lo = 0.0, hi = std::numeric_limits<double>::infinity();
    double h = rowDistribution(di, n, i, beta, row);
    for (int step = 0; step < 200 && std::abs(h - target) > tolerance; ++step) {
      if (h > target) {  // too flat: sharpen
        lo = beta;
        beta = std::isinf(hi) ? beta * 2.0 : (beta + hi) / 2.0;
      } else {
        hi = beta;
        beta = (beta + lo) / 2.0;
      }
      h = rowDistribution(di, n, i, beta, row);
    }
    if (betas) (*betas)[i] = beta;
  }
  return p;
}

std::vector<double> jointAffinities(const std::vector<double>& conditional, std::size_t n) {
  std::vector<double> p(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j)
        p[i * n + j] =
            std::max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * double(n)), kMinP);
  return p;
}

double tsneObjective(const std::vector<double>& p, const std::vector<double>& y, std::size_t n,
                     std::vector<double>* gradient) {
  std::vector<double> num(n * n, 0.0);  // Student-t kernel 1 / (1 + |yi - yj|^2)
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
      const double q = 1.0 / (1.0 + dx * dx + dy * dy);
      num[i * n + j] = num[j * n + i] = q;
      sum += 2.0 * q;
    }
  double kl = 0.0;
  if (gradient) gradient->assign(2 * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double pij = p[i * n + j];
      const double qij = std::max(num[i * n + j] / sum, kMinP);
      if (pij > 0.0) kl += pij * std::log(pij / qij);
      if (gradient) {
        const double m = 4.0 * (pij - num[i * n + j] / sum) * num[i * n + j];
        (*gradient)[2 * i] += m * (y[2 * i] - y[2 * j]);
        (*gradient)[2 * i + 1] += m * (y[2 * i + 1] - y[2 * j + 1]);
      }
    }
  return kl;
}

TsneResult tsne2d(const std::vector<std::vector<float>>& points, const TsneOptions& options,
                  ProgressReporter* progress, const CancelFlag* cancel) {
  options.validate();
  TsneResult r;
  const std::size_t n = points.size();
  r.points.x.assign(n, 0.0);
  r.points.y.assign(n, 0.0);
  r.perplexity = options.perplexity;
  if (n < 2) return r;
  // A perplexity near n leaves nothing to calibrate against: at most (n - 1) / 3 neighbours.
  r.perplexity = std::max(1.0, std::min(options.perplexity, double(n - 1) / 3.0));
  const std::vector<double> d2 = squaredDistances(points);
  std::vector<double> p = jointAffinities(conditionalAffinities(d2, n, r.perplexity), n);

  Gaussian gauss(options.seed);
  std::vector<double> y(2 * n), velocity(2 * n, 0.0), gains(2 * n, 1.0), grad;
  for (double& v : y) v = 1e-2 * gauss();
  const double eta = options.learningRate > 0.0
                         ? options.learningRate
                         : std::max(double(n) / options.earlyExaggeration / 4.0, 50.0);
  for (double& v : p) v *= options.earlyExaggeration;
  bool exaggerated = options.earlyExaggeration != 1.0;
  for (int iter = 0; iter < options.iterations; ++iter) {
    if (isCancelled(cancel)) throw Cancelled("cancelled during t-SNE");
    if (iter == options.exaggerationIterations && exaggerated) {
      for (double& v : p) v /= options.earlyExaggeration;
      exaggerated = false;
    }
    const double momentum =
        iter < options.exaggerationIterations ? options.initialMomentum : options.finalMomentum;
    tsneObjective(p, y, n, &grad);
    for (std::size_t k = 0; k < 2 * n; ++k) {
      // Delta-bar-delta: grow the gain while the gradient keeps pointing against the motion.
      gains[k] = (grad[k] > 0.0) != (velocity[k] > 0.0) ? gains[k] + 0.2 : gains[k] * 0.8;
      gains[k] = std::max(gains[k], 0.01);
      velocity[k] = momentum * velocity[k] - eta * gains[k] * grad[k];
      y[k] += velocity[k];
    }
    double mx = 0.0, my = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      mx += y[2 * i];
      my += y[2 * i + 1];
    }
    mx /= double(n);
    my /= double(n);
    for (std::size_t i = 0; i < n; ++i) {
      y[2 * i] -= mx;
      y[2 * i + 1] -= my;
    }
    if (progress && ((iter + 1) % 50 == 0 || iter + 1 == options.iterations))
      progress->progress(std::size_t(iter + 1), std::size_t(options.iterations), "t-SNE");
  }
  if (exaggerated)
    for (double& v : p) v /= options.earlyExaggeration;
  r.klDivergence = tsneObjective(p, y, n, nullptr);
  for (std::size_t i = 0; i < n; ++i) {
    r.points.x[i] = y[2 * i];
    r.points.y[i] = y[2 * i + 1];
  }
  return r;
}

}  // namespace ser
