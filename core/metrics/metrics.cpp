#include "core/metrics/metrics.h"

#include <string>

#include "core/base/error.h"

namespace ser {

namespace {

void checkInputs(const std::vector<int>& truth, const std::vector<int>& pred) {
  if (truth.empty()) throw Error("metrics: no predictions to evaluate");
  if (truth.size() != pred.size())
    throw Error("metrics: " + std::to_string(truth.size()) + " true labels but " +
                std::to_string(pred.size()) + " predictions");
}

void checkIndex(const char* what, int value, int numClasses) {
  if (value < 0 || value >= numClasses)
    throw Error(std::string("metrics: ") + what + " class index " + std::to_string(value) +
                " is outside [0, " + std::to_string(numClasses - 1) + "]");
}

}  // namespace

double weightedAccuracy(const std::vector<int>& truth, const std::vector<int>& pred) {
  checkInputs(truth, pred);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) correct += truth[i] == pred[i] ? 1 : 0;
  return double(correct) / double(truth.size());
}

double unweightedAverageRecall(const std::vector<int>& truth, const std::vector<int>& pred,
                               int numClasses) {
  return unweightedAverageRecall(confusionMatrix(truth, pred, numClasses));
}

ConfusionMatrix confusionMatrix(const std::vector<int>& truth, const std::vector<int>& pred,
                                int numClasses) {
  checkInputs(truth, pred);
  if (numClasses < 1) throw ParameterError("numClasses", std::to_string(numClasses), "[1, inf)");
  ConfusionMatrix m(std::size_t(numClasses), std::vector<std::size_t>(std::size_t(numClasses), 0));
  for (std::size_t i = 0; i < truth.size(); ++i) {
    checkIndex("true", truth[i], numClasses);
    checkIndex("predicted", pred[i], numClasses);
    ++m[std::size_t(truth[i])][std::size_t(pred[i])];
  }
  return m;
}

std::vector<ClassStats> classStats(const ConfusionMatrix& confusion) {
  const std::size_t k = confusion.size();
  std::vector<ClassStats> stats(k);
  for (std::size_t t = 0; t < k; ++t)
    for (std::size_t p = 0; p < k; ++p) {
      stats[t].support += confusion[t][p];
      stats[p].predicted += confusion[t][p];
    }
  for (std::size_t c = 0; c < k; ++c) {
    ClassStats& s = stats[c];
    const double tp = double(confusion[c][c]);
    s.precision = s.predicted > 0 ? tp / double(s.predicted) : 0.0;
    s.recall = s.support > 0 ? tp / double(s.support) : 0.0;
    s.f1 = s.precision + s.recall > 0.0 ? 2.0 * s.precision * s.recall / (s.precision + s.recall)
                                        : 0.0;
  }
  return stats;
}

double macroF1(const std::vector<ClassStats>& stats) {
  double sum = 0.0;
  std::size_t counted = 0;
  for (const ClassStats& s : stats) {
    if (s.support == 0 && s.predicted == 0) continue;
    sum += s.f1;
    ++counted;
  }
  return counted > 0 ? sum / double(counted) : 0.0;
}

double weightedAccuracy(const ConfusionMatrix& confusion) {
  std::size_t correct = 0, total = 0;
  for (std::size_t t = 0; t < confusion.size(); ++t)
    for (std::size_t p = 0; p < confusion[t].size(); ++p) {
      total += confusion[t][p];
      if (t == p) correct += confusion[t][p];
    }
  if (total == 0) throw Error("metrics: no predictions to evaluate");
  return double(correct) / double(total);
}

double unweightedAverageRecall(const ConfusionMatrix& confusion) {
  double sum = 0.0;
  std::size_t present = 0;
  for (std::size_t t = 0; t < confusion.size(); ++t) {
    std::size_t support = 0;
    for (std::size_t count : confusion[t]) support += count;
    if (support == 0) continue;
    sum += double(confusion[t][t]) / double(support);
    ++present;
  }
  if (present == 0) throw Error("metrics: no predictions to evaluate");
  return sum / double(present);
}

}  // namespace ser
