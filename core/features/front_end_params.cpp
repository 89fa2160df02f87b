#include "core/features/front_end_params.h"

#include <charconv>
#include <string>

#include "core/base/error.h"

namespace ser {

namespace {

// Shortest text that reads back to the same double; locale independent.
std::string num(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

const char* name(WindowType w) { return w == WindowType::Hann ? "hann" : "hamming"; }
const char* name(MelScale s) { return s == MelScale::Htk ? "htk" : "slaney"; }
const char* name(MelNorm n) { return n == MelNorm::None ? "none" : "slaney"; }

}  // namespace

void FrontEndParams::validate() const {
  audio.validate();
  logMel.validate();
  if (logMel.stft.sampleRate != audio.sampleRate) {
    throw ParameterError(
        "sample_rate", std::to_string(logMel.stft.sampleRate),
        "{" + std::to_string(audio.sampleRate) +
            "}: the STFT sample rate must equal the audio front end's sample rate");
  }
  checkRangeInt("n_mfcc", nMfcc, 1, logMel.mel.nMels);
}

std::string FrontEndParams::fingerprint() const {
  // Bump the version when the feature computation changes in a way that alters cached values.
  // v2: clips are cropped before resampling (kept samples equal to within float rounding).
  std::string s = "serwb-features-v2";
  auto add = [&s](const char* key, const std::string& value) {
    s += ';';
    s += key;
    s += '=';
    s += value;
  };
  add("audio.sample_rate", std::to_string(audio.sampleRate));
  add("audio.fixed_seconds", num(audio.fixedSeconds));
  add("stft.sample_rate", std::to_string(logMel.stft.sampleRate));
  add("stft.window_ms", num(logMel.stft.windowMs));
  add("stft.hop_ms", num(logMel.stft.hopMs));
  add("stft.n_fft", std::to_string(logMel.stft.nFft));
  add("stft.window", name(logMel.stft.window));
  add("stft.center", logMel.stft.center ? "1" : "0");
  add("mel.n_mels", std::to_string(logMel.mel.nMels));
  add("mel.f_min", num(logMel.mel.fMin));
  add("mel.f_max", num(logMel.mel.fMax));
  add("mel.scale", name(logMel.mel.scale));
  add("mel.norm", name(logMel.mel.norm));
  add("log_offset", num(logMel.logOffset));
  add("n_mfcc", std::to_string(nMfcc));
  return s;
}

}  // namespace ser
