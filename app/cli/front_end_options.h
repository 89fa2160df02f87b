#pragma once
// Front-end options (audio and log-mel) shared by preprocess, train and reproduce.
#include <CLI/CLI.hpp>

#include "core/features/front_end_params.h"

namespace ser::cli {

struct FrontEndOptions {
  FrontEndParams params;
  std::string melScale = "htk";
  unsigned threads = 0;
  void addTo(CLI::App& app);
  FrontEndParams resolved() const;  // validated; throws ParameterError
};

}  // namespace ser::cli
