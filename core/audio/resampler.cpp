#include "core/audio/resampler.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>

#include "core/base/error.h"

namespace ser {

struct Resampler::Engine {
  soxr_t soxr = nullptr;
  double ratio = 1.0;
  ~Engine() {
    if (soxr) soxr_delete(soxr);
  }
};

Resampler::Resampler(int outputRate) : outputRate_(outputRate) {
  checkRangeInt("sampleRate", outputRate, 1000, 384000);
}

Resampler::~Resampler() = default;

std::vector<float> Resampler::process(const std::vector<float>& input, int inputRate) {
  std::vector<float> out;
  process(input.data(), input.size(), inputRate, out);
  return out;
}

void Resampler::process(const float* input, std::size_t n, int inputRate, std::vector<float>& out) {
  if (inputRate <= 0) throw ParameterError("inputRate", std::to_string(inputRate), "(0, inf)");
  if (inputRate == outputRate_ || n == 0) {
    out.assign(input, input + n);
    return;
  }

  auto& engine = engines_[inputRate];
  if (!engine) {
    engine = std::make_unique<Engine>();
    soxr_error_t err = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    engine->soxr = soxr_create(inputRate, outputRate_, 1, &err, &io, &q, nullptr);
    if (err || !engine->soxr) {
      engines_.erase(inputRate);
      throw Error(std::string("cannot create resampler: ") + (err ? err : "unknown error"));
    }
    engine->ratio = double(outputRate_) / inputRate;
  } else {
    soxr_clear(engine->soxr);
  }

  const std::size_t expected = static_cast<std::size_t>(std::llround(double(n) * engine->ratio));
  out.resize(expected + 64);
  std::size_t done = 0;
  std::size_t idone = 0;
  soxr_error_t err = soxr_process(engine->soxr, input, n, &idone, out.data(), out.size(), &done);
  std::size_t total = done;
  // Flush the filter tail.
  while (!err) {
    std::size_t flushed = 0;
    if (total >= out.size()) out.resize(out.size() + 1024);
    err = soxr_process(engine->soxr, nullptr, 0, nullptr, out.data() + total, out.size() - total,
                       &flushed);
    if (flushed == 0) break;
    total += flushed;
  }
  if (err) throw Error(std::string("resampling failed: ") + err);
  out.resize(std::min(total, expected));
  if (out.size() < expected) out.resize(expected, 0.0f);
}

}  // namespace ser
