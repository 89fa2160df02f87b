#pragma once
// Classification metrics over class indices. Labels are indices into the caller's label list,
// in [0, numClasses). Conventions follow scikit-learn, so numbers can be checked against it:
// an undefined ratio (0/0) counts as 0 ("zero_division=0").
#include <cstddef>
#include <vector>

namespace ser {

// Weighted accuracy (WA): the fraction of clips predicted correctly, i.e. plain accuracy
// (each class weighted by its support). Throws ser::Error on empty input or a size mismatch.
double weightedAccuracy(const std::vector<int>& truth, const std::vector<int>& pred);

// Unweighted average recall (UAR): the mean of per-class recall over the classes PRESENT in
// `truth` (support > 0); classes that occur only in `pred`, or nowhere, are left out. This is
// scikit-learn's balanced_accuracy_score. Throws ser::Error on empty input, a size mismatch or
// an index outside [0, numClasses).
double unweightedAverageRecall(const std::vector<int>& truth, const std::vector<int>& pred,
                               int numClasses);

// counts[t][p]: clips of true class t predicted as p (rows = true, cols = predicted).
using ConfusionMatrix = std::vector<std::vector<std::size_t>>;
ConfusionMatrix confusionMatrix(const std::vector<int>& truth, const std::vector<int>& pred,
                                int numClasses);

struct ClassStats {
  double precision = 0.0;   // tp / predicted as this class; 0 when never predicted
  double recall = 0.0;      // tp / support; 0 when support is 0
  double f1 = 0.0;          // harmonic mean of precision and recall; 0 when both are 0
  std::size_t support = 0;  // clips of this class in the truth
  std::size_t predicted = 0;  // clips predicted as this class
};

// One entry per class, in index order.
std::vector<ClassStats> classStats(const ConfusionMatrix& confusion);

// Macro F1: the mean F1 over classes that occur in the truth OR the predictions (scikit-learn's
// default label set); a class present in the truth but never predicted contributes F1 = 0.
double macroF1(const std::vector<ClassStats>& stats);

// WA and UAR straight from a confusion matrix (used by the bootstrap, which resamples counts).
double weightedAccuracy(const ConfusionMatrix& confusion);
double unweightedAverageRecall(const ConfusionMatrix& confusion);

}  // namespace ser
