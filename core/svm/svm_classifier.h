#pragma once
// The "Hybrid SVM" baseline: an RBF C-SVC (libsvm) on utterance-level features, with probability
// estimates. Features are standardised with the training split's mean and standard deviation;
// C and gamma are chosen by grid search on the validation split by UAR; the final model is
// trained on the training split with the chosen values.
//
// Threading: fit() runs on the caller's thread and may use `threads` workers for the grid;
// a fitted classifier's const members are safe to call from several threads.
// Reproducibility: libsvm draws its probability-calibration folds from rand(); fit() seeds it
// with srand(seed) just before the final training, so a fit is repeatable when nothing else in
// the process calls rand() concurrently.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/features/feature_matrix.h"

struct svm_model;
struct svm_node;

namespace ser {

struct SvmOptions {
  std::vector<double> cGrid = {0.1, 1.0, 10.0, 100.0};  // candidate C values, each > 0
  // Candidate gamma values, each > 0. Empty: {0.1, 1, 10} / feature count (libsvm's default
  // gamma is 1 / feature count).
  std::vector<double> gammaGrid;
  bool balanceClasses = true;   // weight C per class by n / (classes * n_class), for UAR
  double tolerance = 1e-3;      // libsvm stopping tolerance (eps), (0, 1]
  double cacheMb = 100.0;       // kernel cache per training, MB, [1, 65536]
  unsigned threads = 0;         // workers for the grid search; 0 = the machine's hardware threads
  std::uint64_t seed = 1;       // seeds libsvm's probability-calibration folds
  void validate() const;
};

// One grid point's validation score.
struct SvmGridPoint {
  double c = 0.0;
  double gamma = 0.0;
  double validationUar = 0.0;
  double validationWa = 0.0;
};

struct SvmFitReport {
  bool cancelled = false;            // the classifier is left untrained
  double c = 0.0;                    // chosen values
  double gamma = 0.0;
  double validationUar = 0.0;        // of the chosen point; 0 when there was no search
  std::vector<SvmGridPoint> grid;    // every point tried, in grid order (C-major)
  int supportVectors = 0;            // of the final model
};

class SvmClassifier {
 public:
  SvmClassifier();
  ~SvmClassifier();
  SvmClassifier(SvmClassifier&&) noexcept;
  SvmClassifier& operator=(SvmClassifier&&) noexcept;
  SvmClassifier(const SvmClassifier&) = delete;
  SvmClassifier& operator=(const SvmClassifier&) = delete;

  // Fits on `trainX` (rows = clips, cols = features) with labels in [0, numClasses). The
  // validation set picks C and gamma; it may be empty only when the grid has a single point.
  // Reports one progress unit per grid point plus one for the final fit; cancellation is
  // polled between units (a cancelled fit returns with report.cancelled and changes nothing).
  // Throws ParameterError for invalid options, ser::Error for unusable data (sizes, labels,
  // non-finite values, fewer than two classes in training).
  SvmFitReport fit(const FeatureMatrix& trainX, const std::vector<int>& trainY,
                   const FeatureMatrix& validationX, const std::vector<int>& validationY,
                   int numClasses, const SvmOptions& options = {},
                   ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

  bool trained() const { return model_ != nullptr; }
  int numClasses() const { return numClasses_; }
  int featureCount() const { return int(mean_.size()); }
  double c() const { return c_; }
  double gamma() const { return gamma_; }

  // Class probabilities (numClasses values summing to 1; 0 for classes absent from training)
  // for one clip's raw, unstandardised features. Throws ser::Error when untrained or when the
  // feature count differs from training.
  std::vector<float> predictProbabilities(const std::vector<float>& features) const;
  // The SVM's decision: libsvm's one-vs-one vote, the rule C and gamma were chosen by. It can
  // differ from the argmax of predictProbabilities, whose Platt calibration is fitted apart.
  int predict(const std::vector<float>& features) const;
  // Probabilities for every row of `x`.
  std::vector<std::vector<float>> predictProbabilities(const FeatureMatrix& x) const;

  // One file (JSON: standardiser, chosen C/gamma, the libsvm model text and its checksum),
  // written atomically. load() throws ser::Error naming the file for anything unreadable,
  // truncated or corrupt. A loaded classifier predicts exactly as the saved one did.
  void save(const std::filesystem::path& path) const;
  static SvmClassifier load(const std::filesystem::path& path);

 private:
  struct ModelDeleter {
    void operator()(svm_model* model) const;
  };
  using ModelPtr = std::unique_ptr<svm_model, ModelDeleter>;

  std::vector<double> standardise(const float* row) const;
  // The standardised libsvm input of one clip; throws when untrained or the size differs.
  std::vector<svm_node> nodesFor(const std::vector<float>& features) const;
  // Replaces model_ by its text form loaded back (so the model owns its support vectors and a
  // saved copy predicts bit-identically).
  void adoptModelText(const std::string& text, const std::string& source);

  ModelPtr model_;
  std::string modelText_;      // libsvm's text form of model_
  std::vector<double> mean_;   // per feature, from the training split
  std::vector<double> scale_;  // per feature: 1 / standard deviation (1 for constant features)
  std::vector<int> classOfLabel_;  // libsvm class slot -> class index
  int numClasses_ = 0;
  double c_ = 0.0;
  double gamma_ = 0.0;
};

}  // namespace ser
