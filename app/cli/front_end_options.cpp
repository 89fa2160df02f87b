#include "app/cli/front_end_options.h"

#include "core/base/error.h"

namespace ser::cli {

void FrontEndOptions::addTo(CLI::App& app) {
  app.add_option("--sample-rate", params.audio.sampleRate, "target sample rate in Hz")
      ->capture_default_str();
  app.add_option("--seconds", params.audio.fixedSeconds,
                 "fixed clip length in seconds (centre-crop / zero-pad); 0 = keep each length")
      ->capture_default_str();
  app.add_option("--n-mels", params.logMel.mel.nMels, "mel bands")->capture_default_str();
  app.add_option("--window-ms", params.logMel.stft.windowMs, "STFT window in ms")->capture_default_str();
  app.add_option("--hop-ms", params.logMel.stft.hopMs, "STFT hop in ms")->capture_default_str();
  app.add_option("--f-min", params.logMel.mel.fMin, "lowest mel frequency in Hz")->capture_default_str();
  app.add_option("--f-max", params.logMel.mel.fMax, "highest mel frequency in Hz")->capture_default_str();
  app.add_option("--mel-scale", melScale, "mel scale: htk | slaney")->capture_default_str();
  app.add_option("--threads", threads, "worker threads (0 = all cores)")->capture_default_str();
}

FrontEndParams FrontEndOptions::resolved() const {
  FrontEndParams p = params;
  p.logMel.stft.sampleRate = p.audio.sampleRate;
  if (melScale == "htk") {
    p.logMel.mel.scale = MelScale::Htk;
  } else if (melScale == "slaney") {
    p.logMel.mel.scale = MelScale::Slaney;
    p.logMel.mel.norm = MelNorm::Slaney;
  } else {
    throw ParameterError("mel_scale", "'" + melScale + "'", "{htk, slaney}");
  }
  p.validate();
  return p;
}

}  // namespace ser::cli
