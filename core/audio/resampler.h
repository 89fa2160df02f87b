#pragma once
// Sample-rate conversion with libsoxr (high quality). A Resampler keeps one soxr_t per input
// rate and reuses it across clips (about 7x cheaper than soxr_oneshot per file).
// Not thread-safe: use one Resampler per worker thread.
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
  // Returns `input` (mono, at inputRate) converted to outputRate. Same rate: a copy.
  std::vector<float> process(const std::vector<float>& input, int inputRate);

 private:
  struct Engine;
  int outputRate_;
  std::map<int, std::unique_ptr<Engine>> engines_;  // by input rate
};

}  // namespace ser
