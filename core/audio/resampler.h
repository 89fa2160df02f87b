#pragma once
// Sample-rate conversion with libsoxr (high quality). A Resampler keeps one soxr_t per input
// rate and reuses it across clips (soxr_clear between clips; about 7x cheaper than soxr_oneshot
// per file). Not thread-safe: use one Resampler per worker thread.
#include <cstddef>
#include <map>
#include <memory>
#include <vector>

namespace ser {

class Resampler {
 public:
  explicit Resampler(int outputRate);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  int outputRate() const { return outputRate_; }
  // Returns `input` (mono, at inputRate) converted to outputRate: llround(size * ratio) samples,
  // the filter's delay removed. Same rate: a copy.
  std::vector<float> process(const std::vector<float>& input, int inputRate);
  // The same for n samples at `input`, written to `out` (resized; its capacity is reused, so a
  // worker converting clip after clip does not allocate).
  void process(const float* input, std::size_t n, int inputRate, std::vector<float>& out);

 private:
  struct Engine;
  int outputRate_;
  std::map<int, std::unique_ptr<Engine>> engines_;  // by input rate
};

}  // namespace ser
