#include "core/svm/svm_classifier.h"

#include <libsvm/svm.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/base/parallel.h"
#include "core/metrics/metrics.h"

namespace ser {

namespace {

constexpr const char* kFormat = "serwb-svm";
constexpr int kVersion = 1;

void silentPrint(const char*) {}

// libsvm prints training chatter to stdout unless given a print function (process-wide).
void silenceLibsvm() {
  static std::once_flag once;
  std::call_once(once, [] { svm_set_print_string_function(&silentPrint); });
}

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// A scratch file for libsvm's file-based model I/O, removed when it goes out of scope.
class ScratchFile {
 public:
  ScratchFile() {
    static std::atomic<unsigned long> counter{0};
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = ".";
    path_ = dir / ("serwb-svm-" + std::to_string(::getpid()) + "-" +
                   std::to_string(counter.fetch_add(1)) + ".model");
  }
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string modelToText(const svm_model* model) {
  ScratchFile scratch;
  if (svm_save_model(scratch.path().c_str(), model) != 0)
    throw Error("SVM: cannot write scratch model file '" + scratch.path().string() + "'");
  return readFile(scratch.path());
}

svm_model* modelFromText(const std::string& text) {
  ScratchFile scratch;
  {
    std::ofstream out(scratch.path(), std::ios::binary);
    out << text;
    if (!out.flush())
      throw Error("SVM: cannot write scratch model file '" + scratch.path().string() + "'");
  }
  return svm_load_model(scratch.path().c_str());
}

double inverseStd(double sd) { return sd > 0.0 ? 1.0 / sd : 1.0; }

// Standardised rows in libsvm's node format (dense, 1-based indices, -1 terminator).
struct NodeTable {
  std::vector<svm_node> nodes;
  std::vector<svm_node*> rows;
};

NodeTable buildNodes(const FeatureMatrix& x, const std::vector<double>& mean,
                     const std::vector<double>& scale) {
  NodeTable t;
  const std::size_t d = std::size_t(x.cols);
  t.nodes.resize(std::size_t(x.rows) * (d + 1));
  t.rows.resize(std::size_t(x.rows));
  for (std::size_t r = 0; r < std::size_t(x.rows); ++r) {
    svm_node* row = &t.nodes[r * (d + 1)];
    for (std::size_t c = 0; c < d; ++c)
      row[c] = svm_node{int(c) + 1, (double(x.data[r * d + c]) - mean[c]) * scale[c]};
    row[d] = svm_node{-1, 0.0};
    t.rows[r] = row;
  }
  return t;
}

void checkData(const char* name, const FeatureMatrix& x, const std::vector<int>& y, int numClasses,
               int cols) {
  if (x.rows < 0 || x.data.size() != std::size_t(x.rows) * std::size_t(std::max(x.cols, 0)))
    throw Error(std::string("SVM: the ") + name + " feature matrix is inconsistent");
  if (std::size_t(x.rows) != y.size())
    throw Error(std::string("SVM: ") + std::to_string(x.rows) + " " + name + " feature rows but " +
                std::to_string(y.size()) + " labels");
  if (x.rows > 0 && x.cols != cols)
    throw Error(std::string("SVM: ") + name + " features have " + std::to_string(x.cols) +
                " columns, training has " + std::to_string(cols));
  for (std::size_t i = 0; i < y.size(); ++i)
    if (y[i] < 0 || y[i] >= numClasses)
      throw Error(std::string("SVM: ") + name + " label " + std::to_string(y[i]) + " of row " +
                  std::to_string(i) + " is outside [0, " + std::to_string(numClasses - 1) + "]");
  for (std::size_t i = 0; i < x.data.size(); ++i)
    if (!std::isfinite(x.data[i]))
      throw Error(std::string("SVM: non-finite ") + name + " feature at row " +
                  std::to_string(i / std::size_t(x.cols)) + ", column " +
                  std::to_string(i % std::size_t(x.cols)));
}

struct Params {
  svm_parameter param{};
  std::vector<int> weightLabel;
  std::vector<double> weight;

  Params(double c, double gamma, const SvmOptions& o, const std::vector<int>& y, int numClasses,
         bool probability) {
    param.svm_type = C_SVC;
    param.kernel_type = RBF;
    param.degree = 3;
    param.gamma = gamma;
    param.coef0 = 0.0;
    param.cache_size = o.cacheMb;
    param.eps = o.tolerance;
    param.C = c;
    param.nu = 0.5;
    param.p = 0.1;
    param.shrinking = 1;
    param.probability = probability ? 1 : 0;
    if (o.balanceClasses) {
      std::vector<std::size_t> count(std::size_t(numClasses), 0);
      for (int label : y) ++count[std::size_t(label)];
      std::size_t present = 0;
      for (std::size_t n : count) present += n > 0 ? 1 : 0;
      for (int k = 0; k < numClasses; ++k)
        if (count[std::size_t(k)] > 0) {
          weightLabel.push_back(k);
          weight.push_back(double(y.size()) / (double(present) * double(count[std::size_t(k)])));
        }
    }
    param.nr_weight = int(weightLabel.size());
    param.weight_label = weightLabel.empty() ? nullptr : weightLabel.data();
    param.weight = weight.empty() ? nullptr : weight.data();
  }
};

struct Problem {
  svm_problem problem{};
  std::vector<double> y;
  Problem(const std::vector<int>& labels, NodeTable& nodes) : y(labels.begin(), labels.end()) {
    problem.l = int(labels.size());
    problem.y = y.data();
    problem.x = nodes.rows.data();
  }
};

svm_model* train(const Problem& p, const Params& params) {
  if (const char* err = svm_check_parameter(&p.problem, &params.param))
    throw Error(std::string("SVM: libsvm rejected the parameters: ") + err);
  svm_model* model = svm_train(&p.problem, &params.param);
  if (!model) throw Error("SVM: libsvm training failed");
  return model;
}

}  // namespace

void SvmOptions::validate() const {
  if (cGrid.empty()) throw ParameterError("cGrid", "{}", "a non-empty list of values > 0");
  for (double c : cGrid) checkPositive("cGrid", c);
  for (double g : gammaGrid) checkPositive("gammaGrid", g);
  if (!(tolerance > 0.0 && tolerance <= 1.0))
    throw ParameterError("tolerance", fmt(tolerance), "(0, 1]");
  checkRange("cacheMb", cacheMb, 1.0, 65536.0);
}

void SvmClassifier::ModelDeleter::operator()(svm_model* model) const {
  svm_free_and_destroy_model(&model);
}

SvmClassifier::SvmClassifier() { silenceLibsvm(); }
SvmClassifier::~SvmClassifier() = default;
SvmClassifier::SvmClassifier(SvmClassifier&&) noexcept = default;
SvmClassifier& SvmClassifier::operator=(SvmClassifier&&) noexcept = default;

SvmFitReport SvmClassifier::fit(const FeatureMatrix& trainX, const std::vector<int>& trainY,
                                const FeatureMatrix& validationX, const std::vector<int>& validationY,
                                int numClasses, const SvmOptions& options,
                                ProgressReporter* progress, const CancelFlag* cancel) {
  options.validate();
  checkRangeInt("numClasses", numClasses, 2, 100000);
  if (trainX.rows <= 0 || trainX.cols <= 0) throw Error("SVM: the training set is empty");
  checkData("training", trainX, trainY, numClasses, trainX.cols);
  checkData("validation", validationX, validationY, numClasses, trainX.cols);
  if (std::set<int>(trainY.begin(), trainY.end()).size() < 2)
    throw Error("SVM: the training set holds fewer than two classes");

  const std::size_t d = std::size_t(trainX.cols);
  const std::size_t n = std::size_t(trainX.rows);
  std::vector<double> mean(d, 0.0), sd(d, 0.0), scale(d, 1.0);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < d; ++c) mean[c] += trainX.data[r * d + c];
  for (double& m : mean) m /= double(n);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < d; ++c) {
      const double v = trainX.data[r * d + c] - mean[c];
      sd[c] += v * v;
    }
  for (std::size_t c = 0; c < d; ++c) {
    sd[c] = std::sqrt(sd[c] / double(n));
    scale[c] = inverseStd(sd[c]);
  }

  NodeTable trainNodes = buildNodes(trainX, mean, scale);
  NodeTable valNodes = buildNodes(validationX, mean, scale);
  const Problem problem(trainY, trainNodes);

  std::vector<double> gammas = options.gammaGrid;
  if (gammas.empty())
    for (double m : {0.1, 1.0, 10.0}) gammas.push_back(m / double(d));
  SvmFitReport report;
  for (double c : options.cGrid)
    for (double g : gammas) report.grid.push_back(SvmGridPoint{c, g, 0.0, 0.0});
  const bool search = report.grid.size() > 1;
  if (search && validationX.rows == 0)
    throw Error("SVM: choosing C and gamma needs validation clips (or a single-point grid)");

  const std::size_t total = (search ? report.grid.size() : 0) + 1;
  std::mutex progressMutex;
  std::size_t done = 0;
  auto step = [&](const std::string& item) {
    if (!progress) return;
    std::lock_guard<std::mutex> lock(progressMutex);
    progress->progress(++done, total, item);
  };

  std::size_t best = 0;
  if (search) {
    parallelFor(
        report.grid.size(), options.threads,
        [&](std::size_t i, unsigned) {
          SvmGridPoint& point = report.grid[i];
          const Params params(point.c, point.gamma, options, trainY, numClasses, false);
          ModelPtr model(train(problem, params));
          std::vector<int> predicted(validationY.size());
          for (std::size_t r = 0; r < validationY.size(); ++r)
            predicted[r] = int(std::lround(svm_predict(model.get(), valNodes.rows[r])));
          point.validationUar = unweightedAverageRecall(validationY, predicted, numClasses);
          point.validationWa = weightedAccuracy(validationY, predicted);
          step("C=" + fmt(point.c) + " gamma=" + fmt(point.gamma) +
               " UAR=" + fmt(point.validationUar));
        },
        [&] { return isCancelled(cancel); });
    if (isCancelled(cancel)) {
      report.cancelled = true;
      return report;
    }
    for (std::size_t i = 1; i < report.grid.size(); ++i)
      if (report.grid[i].validationUar > report.grid[best].validationUar) best = i;
    report.validationUar = report.grid[best].validationUar;
  }
  if (isCancelled(cancel)) {
    report.cancelled = true;
    return report;
  }
  report.c = report.grid[best].c;
  report.gamma = report.grid[best].gamma;

  const Params finalParams(report.c, report.gamma, options, trainY, numClasses, true);
  std::srand(static_cast<unsigned>(options.seed ^ (options.seed >> 32)));
  std::string text;
  {
    ModelPtr model(train(problem, finalParams));
    report.supportVectors = svm_get_nr_sv(model.get());
    text = modelToText(model.get());
  }

  SvmClassifier fitted;
  fitted.mean_ = std::move(mean);
  fitted.scale_ = std::move(scale);
  fitted.numClasses_ = numClasses;
  fitted.c_ = report.c;
  fitted.gamma_ = report.gamma;
  fitted.adoptModelText(text, "the trained model");
  *this = std::move(fitted);
  step("final model C=" + fmt(report.c) + " gamma=" + fmt(report.gamma));
  return report;
}

void SvmClassifier::adoptModelText(const std::string& text, const std::string& source) {
  ModelPtr model(modelFromText(text));
  if (!model) throw Error("SVM: libsvm cannot read the model in " + source);
  if (svm_get_svm_type(model.get()) != C_SVC || model->param.kernel_type != RBF)
    throw Error("SVM: " + source + " is not an RBF C-SVC model");
  if (!svm_check_probability_model(model.get()))
    throw Error("SVM: " + source + " has no probability estimates");
  const int k = svm_get_nr_class(model.get());
  std::vector<int> labels(std::size_t(std::max(k, 0)));
  svm_get_labels(model.get(), labels.data());
  if (k < 2) throw Error("SVM: " + source + " has fewer than two classes");
  for (int label : labels)
    if (label < 0 || label >= numClasses_)
      throw Error("SVM: " + source + " has class " + std::to_string(label) + " outside [0, " +
                  std::to_string(numClasses_ - 1) + "]");
  for (int i = 0; i < model->l; ++i)
    for (const svm_node* p = model->SV[i]; p->index != -1; ++p)
      if (p->index < 1 || p->index > int(mean_.size()))
        throw Error("SVM: " + source + " uses feature " + std::to_string(p->index) + " of " +
                    std::to_string(mean_.size()));
  model_ = std::move(model);
  modelText_ = text;
  classOfLabel_ = std::move(labels);
}

std::vector<double> SvmClassifier::standardise(const float* row) const {
  std::vector<double> out(mean_.size());
  for (std::size_t c = 0; c < mean_.size(); ++c) out[c] = (double(row[c]) - mean_[c]) * scale_[c];
  return out;
}

std::vector<svm_node> SvmClassifier::nodesFor(const std::vector<float>& features) const {
  if (!model_) throw Error("SVM: the classifier is not trained");
  if (features.size() != mean_.size())
    throw Error("SVM: " + std::to_string(features.size()) + " features given, the model expects " +
                std::to_string(mean_.size()));
  const std::vector<double> z = standardise(features.data());
  std::vector<svm_node> nodes(z.size() + 1);
  for (std::size_t c = 0; c < z.size(); ++c) nodes[c] = svm_node{int(c) + 1, z[c]};
  nodes[z.size()] = svm_node{-1, 0.0};
  return nodes;
}

std::vector<float> SvmClassifier::predictProbabilities(const std::vector<float>& features) const {
  const std::vector<svm_node> nodes = nodesFor(features);
  std::vector<double> slot(classOfLabel_.size());
  svm_predict_probability(model_.get(), nodes.data(), slot.data());
  std::vector<float> probs(std::size_t(numClasses_), 0.0f);
  for (std::size_t j = 0; j < slot.size(); ++j)
    probs[std::size_t(classOfLabel_[j])] = float(slot[j]);
  return probs;
}

int SvmClassifier::predict(const std::vector<float>& features) const {
  const std::vector<svm_node> nodes = nodesFor(features);
  return int(std::lround(svm_predict(model_.get(), nodes.data())));
}

std::vector<std::vector<float>> SvmClassifier::predictProbabilities(const FeatureMatrix& x) const {
  if (x.rows > 0 && x.cols != featureCount())
    throw Error("SVM: " + std::to_string(x.cols) + " features given, the model expects " +
                std::to_string(featureCount()));
  std::vector<std::vector<float>> out;
  out.reserve(std::size_t(std::max(x.rows, 0)));
  for (int r = 0; r < x.rows; ++r) {
    const auto begin = x.data.begin() + std::ptrdiff_t(std::size_t(r) * std::size_t(x.cols));
    out.push_back(predictProbabilities(std::vector<float>(begin, begin + x.cols)));
  }
  return out;
}

void SvmClassifier::save(const std::filesystem::path& path) const {
  if (!model_) throw Error("SVM: cannot save '" + path.string() + "': the classifier is not trained");
  nlohmann::json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["num_classes"] = numClasses_;
  j["feature_count"] = mean_.size();
  j["c"] = c_;
  j["gamma"] = gamma_;
  j["mean"] = mean_;
  j["scale"] = scale_;
  j["libsvm_model"] = modelText_;
  j["libsvm_model_fnv1a"] = Fnv1a64().addBytes(modelText_).hex();
  writeFileAtomic(path, j.dump(1) + "\n");
}

SvmClassifier SvmClassifier::load(const std::filesystem::path& path) {
  const std::string name = "'" + path.string() + "'";
  const std::string text = readFile(path);
  SvmClassifier svm;
  std::string modelText;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (!j.is_object() || j.value("format", std::string()) != kFormat)
      throw Error("SVM: " + name + " is not an SVM model file");
    if (j.at("version").get<int>() != kVersion)
      throw Error("SVM: " + name + " has unsupported version " + j.at("version").dump());
    svm.numClasses_ = j.at("num_classes").get<int>();
    const std::size_t d = j.at("feature_count").get<std::size_t>();
    svm.c_ = j.at("c").get<double>();
    svm.gamma_ = j.at("gamma").get<double>();
    svm.mean_ = j.at("mean").get<std::vector<double>>();
    svm.scale_ = j.at("scale").get<std::vector<double>>();
    modelText = j.at("libsvm_model").get<std::string>();
    const std::string hash = j.at("libsvm_model_fnv1a").get<std::string>();
    if (svm.numClasses_ < 2 || d == 0 || svm.mean_.size() != d || svm.scale_.size() != d)
      throw Error("SVM: " + name + " has inconsistent sizes (classes, features, standardiser)");
    for (std::size_t c = 0; c < d; ++c)
      if (!std::isfinite(svm.mean_[c]) || !std::isfinite(svm.scale_[c]) || svm.scale_[c] <= 0.0)
        throw Error("SVM: " + name + " has an invalid standardiser value for feature " +
                    std::to_string(c));
    if (Fnv1a64().addBytes(modelText).hex() != hash)
      throw Error("SVM: " + name + " is corrupt (the libsvm model does not match its checksum)");
  } catch (const nlohmann::json::exception& e) {
    throw Error("SVM: " + name + " is not a readable SVM model file (" + e.what() + ")");
  }
  svm.adoptModelText(modelText, name);
  return svm;
}

}  // namespace ser
