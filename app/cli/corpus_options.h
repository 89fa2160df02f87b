#pragma once
// The corpus options shared by every subcommand that reads corpora:
//   --ravdess DIR, --crema-d DIR, --manifest CSV (each repeatable), --demographics CSV,
//   --include-song, --label-policy drop|calm-to-neutral, --label-map native=common,...
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "core/corpus/corpus_spec.h"

namespace ser::cli {

struct CorpusOptions {
  std::vector<std::string> ravdess;
  std::vector<std::string> cremaD;
  std::vector<std::string> manifests;
  std::string demographics;
  bool includeSong = false;
  std::string labelPolicy = "drop";
  std::vector<std::string> labelMap;  // "native=common" pairs for manifests

  void addTo(CLI::App& app);
  bool any() const { return !ravdess.empty() || !cremaD.empty() || !manifests.empty(); }
  std::vector<CorpusSpec> specs() const;  // throws ser::Error on a malformed --label-map
  CommonLabelPolicy policy() const;       // throws ParameterError
};

}  // namespace ser::cli
