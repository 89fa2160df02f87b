#include "core/train/feature_normaliser.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/error.h"

namespace ser {

BandStats computeBandStats(const std::vector<const FeatureMatrix*>& clips) {
  BandStats stats;
  if (clips.empty() || clips.front()->rows == 0) return stats;
  const int rows = clips.front()->rows;
  std::vector<double> sum(rows, 0.0), sumSq(rows, 0.0);
  std::vector<double> count(rows, 0.0);
  for (const FeatureMatrix* clip : clips) {
    if (clip->rows != rows) throw Error("normalisation: clips have different mel band counts");
    for (int r = 0; r < rows; ++r) {
      const float* row = clip->data.data() + std::size_t(r) * clip->cols;
      for (int c = 0; c < clip->cols; ++c) {
        sum[r] += row[c];
        sumSq[r] += double(row[c]) * row[c];
      }
      count[r] += clip->cols;
    }
  }
  stats.mean.resize(rows);
  stats.stddev.resize(rows);
  for (int r = 0; r < rows; ++r) {
    const double n = std::max(count[r], 1.0);
    const double mean = sum[r] / n;
    const double var = std::max(sumSq[r] / n - mean * mean, 0.0);
    stats.mean[r] = float(mean);
    stats.stddev[r] = float(std::max(std::sqrt(var), 1e-3));
  }
  return stats;
}

FeatureNormaliser::FeatureNormaliser(Normalisation mode, const std::vector<FeatureMatrix>& training)
    : mode_(mode) {
  std::vector<const FeatureMatrix*> all;
  all.reserve(training.size());
  for (const auto& clip : training) all.push_back(&clip);
  fallback_ = computeBandStats(all);
}

std::vector<BandStats> FeatureNormaliser::plan(const std::vector<FeatureMatrix>& features,
                                               const std::vector<std::string>& speakers) const {
  std::vector<BandStats> result(features.size());
  if (mode_ == Normalisation::PerUtterance) {
    for (std::size_t i = 0; i < features.size(); ++i) result[i] = computeBandStats({&features[i]});
  } else if (mode_ == Normalisation::PerSpeaker) {
    std::map<std::string, std::vector<std::size_t>> bySpeaker;
    for (std::size_t i = 0; i < features.size(); ++i) {
      const bool known = i < speakers.size() && !speakers[i].empty();
      if (known) bySpeaker[speakers[i]].push_back(i);
      else result[i] = fallback_;
    }
    for (const auto& [speaker, indices] : bySpeaker) {
      std::vector<const FeatureMatrix*> clips;
      for (std::size_t i : indices) clips.push_back(&features[i]);
      const BandStats stats = computeBandStats(clips);
      for (std::size_t i : indices) result[i] = stats;
    }
  }
  return result;
}

void FeatureNormaliser::apply(FeatureMatrix& clip, const BandStats& stats) {
  if (stats.empty()) return;
  if (int(stats.mean.size()) != clip.rows)
    throw Error("normalisation: clip has " + std::to_string(clip.rows) + " mel bands, statistics have " +
                std::to_string(stats.mean.size()));
  for (int r = 0; r < clip.rows; ++r) {
    float* row = clip.data.data() + std::size_t(r) * clip.cols;
    const float mean = stats.mean[r];
    const float scale = 1.0f / stats.stddev[r];
    for (int c = 0; c < clip.cols; ++c) row[c] = (row[c] - mean) * scale;
  }
}

nlohmann::json FeatureNormaliser::toJson() const {
  return {{"mode", toString(mode_)}, {"mean", fallback_.mean}, {"stddev", fallback_.stddev}};
}

FeatureNormaliser FeatureNormaliser::fromJson(const nlohmann::json& json) {
  FeatureNormaliser n;
  try {
    n.mode_ = normalisationFromString(json.at("mode").get<std::string>());
    n.fallback_.mean = json.at("mean").get<std::vector<float>>();
    n.fallback_.stddev = json.at("stddev").get<std::vector<float>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("normalisation statistics are malformed: ") + e.what());
  }
  if (n.fallback_.mean.size() != n.fallback_.stddev.size())
    throw Error("normalisation statistics are malformed: mean and stddev differ in length");
  return n;
}

}  // namespace ser
