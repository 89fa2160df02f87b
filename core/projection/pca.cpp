#include "core/projection/pca.h"

#include <algorithm>
#include <cmath>

#include "core/base/error.h"

namespace ser {

namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Normalises `v` in place; returns its norm before (0 leaves it as is).
double normalise(std::vector<double>& v) {
  const double n = std::sqrt(dot(v, v));
  if (n > 0.0)
    for (double& x : v) x /= n;
  return n;
}

}  // namespace

PcaResult pca2d(const std::vector<std::vector<float>>& points) {
  PcaResult r;
  const std::size_t n = points.size();
  if (n == 0) return r;
  const std::size_t d = points.front().size();
  if (d == 0) throw Error("PCA: the points have no dimensions");
  std::vector<double> mean(d, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (points[i].size() != d)
      throw Error("PCA: point " + std::to_string(i) + " has " + std::to_string(points[i].size()) +
                  " dimensions, expected " + std::to_string(d));
    for (std::size_t k = 0; k < d; ++k) {
      if (!std::isfinite(points[i][k]))
        throw Error("PCA: point " + std::to_string(i) + " has a value that is not a number");
      mean[k] += points[i][k];
    }
  }
  for (double& m : mean) m /= double(n);
  std::vector<double> c(n * d);  // centred data, row-major
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < d; ++k) c[i * d + k] = points[i][k] - mean[k];
  for (double v : c) r.totalVariance += v * v;
  const double denom = n > 1 ? double(n - 1) : 1.0;
  r.totalVariance /= denom;

  // w = C^T C v / (n - 1): the covariance applied to v without forming it.
  std::vector<double> proj(n);
  auto covTimes = [&](const std::vector<double>& v) {
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0.0;
      for (std::size_t k = 0; k < d; ++k) s += c[i * d + k] * v[k];
      proj[i] = s;
    }
    std::vector<double> w(d, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < d; ++k) w[k] += c[i * d + k] * proj[i];
    for (double& x : w) x /= denom;
    return w;
  };

  const int axes = d >= 2 ? 2 : 1;
  std::vector<double> v[2];
  for (int a = 0; a < axes; ++a) {
    v[a].assign(d, 0.0);
    // A fixed, generic start: no symmetry with the coordinate axes.
    for (std::size_t k = 0; k < d; ++k) v[a][k] = std::sin(1.0 + double(k) * (1.7 + a) + a);
    normalise(v[a]);
  }
  for (int iter = 0; iter < 500; ++iter) {
    std::vector<double> prev[2] = {v[0], v[1]};
    for (int a = 0; a < axes; ++a) v[a] = covTimes(v[a]);
    normalise(v[0]);
    if (axes == 2) {  // Gram-Schmidt keeps the second vector orthogonal to the first
      const double p = dot(v[1], v[0]);
      for (std::size_t k = 0; k < d; ++k) v[1][k] -= p * v[0][k];
      if (normalise(v[1]) == 0.0) break;  // rank 1: no second direction
    }
    double change = 1.0 - std::abs(dot(prev[0], v[0]));
    if (axes == 2) change = std::max(change, 1.0 - std::abs(dot(prev[1], v[1])));
    if (change < 1e-13) break;
  }
  for (int a = 0; a < axes; ++a) {
    const auto big = std::max_element(v[a].begin(), v[a].end(),
                                      [](double p, double q) { return std::abs(p) < std::abs(q); });
    if (*big < 0)
      for (double& x : v[a]) x = -x;
    r.variance[a] = dot(v[a], covTimes(v[a]));
    r.axes[a] = v[a];
  }
  if (axes == 1) r.axes[1].assign(d, 0.0);
  r.points.x.resize(n);
  r.points.y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double px = 0.0, py = 0.0;
    for (std::size_t k = 0; k < d; ++k) {
      px += c[i * d + k] * r.axes[0][k];
      py += c[i * d + k] * r.axes[1][k];
    }
    r.points.x[i] = px;
    r.points.y[i] = py;
  }
  return r;
}

}  // namespace ser
