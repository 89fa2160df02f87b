#pragma once
// A dense row-major float matrix, the currency of the feature code.
#include <cstddef>
#include <vector>

namespace ser {

struct FeatureMatrix {
  int rows = 0;             // e.g. mel bands
  int cols = 0;             // e.g. frames
  std::vector<float> data;  // rows * cols values, row-major

  FeatureMatrix() = default;
  FeatureMatrix(int r, int c, float fill = 0.0f) : rows(r), cols(c), data(std::size_t(r) * c, fill) {}
  float& at(int r, int c) { return data[std::size_t(r) * cols + c]; }
  float at(int r, int c) const { return data[std::size_t(r) * cols + c]; }
  bool empty() const { return data.empty(); }
};

}  // namespace ser
