#pragma once
// Loads the torch/torchaudio reference vectors written by tools/make_feature_reference.py.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/features/log_mel.h"

namespace ser::test {

inline nlohmann::json loadReference(const std::string& fileName) {
  const std::string path = std::string(SERWB_TEST_DATA) + "/" + fileName;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing reference file " + path);
  return nlohmann::json::parse(in);
}

// Reference case files, named case_<signal>_<params>.json.
inline const std::vector<std::string>& referenceCases() {
  static const std::vector<std::string> cases{"sines_default", "chirp_alt", "noise_default"};
  return cases;
}

// The data rows of a test run once per reference case: one QString column "caseName".
inline void addReferenceCaseRows() {
  QTest::addColumn<QString>("caseName");
  for (const std::string& c : referenceCases())
    QTest::newRow(c.c_str()) << QString::fromStdString(c);
}

// The reference case of the running data row (see addReferenceCaseRows).
inline nlohmann::json currentReferenceCase() {
  QFETCH(QString, caseName);
  return loadReference("case_" + caseName.toStdString() + ".json");
}

// The float signal (int16 PCM / 32768, exactly as the generator fed it to torch).
inline std::vector<float> referenceSignal(const std::string& name) {
  static const nlohmann::json file = loadReference("signals.json");
  const double scale = file.at("scale").get<double>();
  std::vector<float> out;
  for (const auto& v : file.at("signals").at(name))
    out.push_back(static_cast<float>(v.get<double>() / scale));
  return out;
}

inline FeatureMatrix referenceMatrix(const nlohmann::json& j) {
  FeatureMatrix m(j.at("rows").get<int>(), j.at("cols").get<int>());
  const auto& data = j.at("data");
  if (data.size() != m.data.size()) throw std::runtime_error("reference matrix size mismatch");
  for (std::size_t i = 0; i < m.data.size(); ++i) m.data[i] = data[i].get<float>();
  return m;
}

inline LogMelParams referenceLogMelParams(const nlohmann::json& p) {
  LogMelParams lm;
  lm.stft.sampleRate = p.at("sample_rate").get<int>();
  lm.stft.windowMs = p.at("window_ms").get<double>();
  lm.stft.hopMs = p.at("hop_ms").get<double>();
  lm.stft.nFft = p.at("n_fft").get<int>();
  lm.stft.window =
      p.at("window").get<std::string>() == "hann" ? WindowType::Hann : WindowType::Hamming;
  lm.stft.center = true;
  lm.mel.nMels = p.at("n_mels").get<int>();
  lm.mel.fMin = p.at("f_min").get<double>();
  lm.mel.fMax = p.at("f_max").get<double>();
  lm.mel.scale = p.at("mel_scale").get<std::string>() == "htk" ? MelScale::Htk : MelScale::Slaney;
  lm.mel.norm = p.at("mel_norm").get<std::string>() == "none" ? MelNorm::None : MelNorm::Slaney;
  lm.logOffset = p.at("log_offset").get<double>();
  return lm;
}

inline float maxAbs(const FeatureMatrix& m) {
  float best = 0.0f;
  for (float v : m.data) best = std::max(best, std::abs(v));
  return best;
}

// Largest |a - b| over all elements; -1 if the shapes differ.
inline double maxAbsDiff(const FeatureMatrix& a, const FeatureMatrix& b) {
  if (a.rows != b.rows || a.cols != b.cols) return -1.0;
  double worst = 0.0;
  for (std::size_t i = 0; i < a.data.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(a.data[i]) - b.data[i]));
  return worst;
}

inline bool allFinite(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
}

}  // namespace ser::test
