#include "core/features/mel_filterbank.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/base/error.h"

namespace ser {

namespace {

std::string num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Slaney (Auditory Toolbox) scale: linear below 1 kHz, logarithmic above.
constexpr double kSlaneyFSp = 200.0 / 3.0;
constexpr double kSlaneyMinLogHz = 1000.0;
constexpr double kSlaneyMinLogMel = kSlaneyMinLogHz / kSlaneyFSp;  // 15
const double kSlaneyLogStep = std::log(6.4) / 27.0;

}  // namespace

void MelParams::validate(int sampleRate) const {
  checkRangeInt("n_mels", nMels, 1, 512);
  if (!(fMin >= 0.0 && fMin < fMax))
    throw ParameterError("f_min", num(fMin), "[0, " + num(fMax) + ")");
  if (!(fMax > fMin && fMax <= sampleRate / 2.0))
    throw ParameterError("f_max", num(fMax), "(" + num(fMin) + ", " + num(sampleRate / 2.0) + "]");
}

double hzToMel(double hz, MelScale scale) {
  if (scale == MelScale::Htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
  if (hz < kSlaneyMinLogHz) return hz / kSlaneyFSp;
  return kSlaneyMinLogMel + std::log(hz / kSlaneyMinLogHz) / kSlaneyLogStep;
}

double melToHz(double mel, MelScale scale) {
  if (scale == MelScale::Htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
  if (mel < kSlaneyMinLogMel) return mel * kSlaneyFSp;
  return kSlaneyMinLogHz * std::exp(kSlaneyLogStep * (mel - kSlaneyMinLogMel));
}

FeatureMatrix melFilterbank(const MelParams& params, int sampleRate, int nFft) {
  params.validate(sampleRate);
  if (nFft < 2) throw ParameterError("n_fft", std::to_string(nFft), "[2, inf)");
  const int bins = nFft / 2 + 1;
  const int nMels = params.nMels;

  // Bin frequencies: linspace(0, sampleRate // 2, bins), as torchaudio (integer Nyquist).
  std::vector<double> binHz(static_cast<std::size_t>(bins));
  const double nyquist = static_cast<double>(sampleRate / 2);
  for (int k = 0; k < bins; ++k)
    binHz[static_cast<std::size_t>(k)] = bins > 1 ? nyquist * k / (bins - 1) : 0.0;

  // nMels + 2 band edges equally spaced on the mel scale.
  const double mMin = hzToMel(params.fMin, params.scale);
  const double mMax = hzToMel(params.fMax, params.scale);
  std::vector<double> edgeHz(static_cast<std::size_t>(nMels + 2));
  for (int i = 0; i < nMels + 2; ++i) {
    edgeHz[static_cast<std::size_t>(i)] =
        melToHz(mMin + (mMax - mMin) * i / (nMels + 1), params.scale);
  }

  FeatureMatrix fb(nMels, bins);
  for (int m = 0; m < nMels; ++m) {
    const double lo = edgeHz[static_cast<std::size_t>(m)];
    const double mid = edgeHz[static_cast<std::size_t>(m + 1)];
    const double hi = edgeHz[static_cast<std::size_t>(m + 2)];
    const double scale = params.norm == MelNorm::Slaney ? 2.0 / (hi - lo) : 1.0;
    for (int k = 0; k < bins; ++k) {
      const double f = binHz[static_cast<std::size_t>(k)];
      const double down = (f - lo) / (mid - lo);
      const double up = (hi - f) / (hi - mid);
      const double w = std::max(0.0, std::min(down, up));
      fb.at(m, k) = static_cast<float>(w * scale);
    }
  }
  return fb;
}

}  // namespace ser
