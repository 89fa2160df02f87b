#pragma once
// Principal component analysis of a point cloud, for the clip map's fast default projection.
#include <cstddef>
#include <vector>

namespace ser {

// Points in the plane, one (x, y) per input point, in input order.
struct Projection2d {
  std::vector<double> x, y;
  std::size_t size() const { return x.size(); }
};

struct PcaResult {
  Projection2d points;                 // coordinates on the first two principal axes
  std::vector<double> axes[2];         // unit principal directions (input dimension each)
  double variance[2] = {0.0, 0.0};     // variance (n - 1 denominator) along each axis
  double totalVariance = 0.0;          // sum of the variances of every input dimension
};

// Projects `points` (n rows of equal dimension d >= 1) on their first two principal axes, found
// by orthogonal (subspace) iteration on the centred data from a fixed start: deterministic. Each
// axis's sign is chosen so that its largest-magnitude component is positive. With d == 1 the
// second axis is zero. Throws ser::Error on ragged rows or non-finite values; n == 0 gives an
// empty result.
PcaResult pca2d(const std::vector<std::vector<float>>& points);

}  // namespace ser
