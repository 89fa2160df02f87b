#pragma once
// Short-time Fourier transform with FFTW3 (single precision). The plan is made once in the
// constructor; compute() is const and thread-safe (FFTW's new-array execute on per-call buffers),
// so one Stft can serve a whole worker pool.
#include <memory>
#include <vector>

#include "core/features/feature_matrix.h"

namespace ser {

enum class WindowType { Hann, Hamming };

struct StftParams {
  int sampleRate = 16000;    // Hz, [1000, 192000]
  double windowMs = 25.0;    // window length in ms, [1, 500]
  double hopMs = 10.0;       // hop in ms, [0.5, 500], <= windowMs
  int nFft = 0;              // FFT size; 0 = next power of two >= window length; else >= window length, <= 65536
  WindowType window = WindowType::Hann;  // periodic (as torch.hann_window)
  bool center = true;        // reflect-pad by nFft/2 each side, as torch.stft(center=True)
  void validate() const;     // throws ParameterError
  int windowLength() const;  // samples
  int hopLength() const;     // samples
  int fftSize() const;       // resolved nFft
  int bins() const { return fftSize() / 2 + 1; }
};

class Stft {
 public:
  explicit Stft(const StftParams& params);  // validates; builds the window and the FFTW plan
  ~Stft();
  Stft(const Stft&) = delete;
  Stft& operator=(const Stft&) = delete;

  const StftParams& params() const { return params_; }
  int frameCount(std::size_t samples) const;
  // Power spectrum |X|^2: rows = frequency bins (nFft/2+1), cols = frames.
  // Throws ser::Error for input too short to frame (reflect padding needs > nFft/2 samples).
  FeatureMatrix power(const float* samples, std::size_t n) const;
  FeatureMatrix power(const std::vector<float>& s) const { return power(s.data(), s.size()); }
  // The same into `out`, reusing its storage (a worker's matrix from clip to clip: no allocation
  // and no page faults once it has held one clip of this length).
  void power(const float* samples, std::size_t n, FeatureMatrix& out) const;

 private:
  struct Plan;
  StftParams params_;
  std::vector<float> window_;  // windowLength values, zero-padded to fftSize, centred
  std::unique_ptr<Plan> plan_;
};

}  // namespace ser
