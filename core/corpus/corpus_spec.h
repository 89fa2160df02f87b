#pragma once
// A corpus to load, as named on the command line, in a wizard or in an experiment file, and the
// loader that scans several at once.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/progress.h"
#include "core/corpus/corpus_reader.h"

namespace ser {

enum class CorpusReader { Ravdess, CremaD, Manifest };
std::string toString(CorpusReader reader);                  // "ravdess", "crema-d", "manifest"
CorpusReader corpusReaderFromString(const std::string& s);  // throws ParameterError ("reader")

struct CorpusSpec {
  CorpusReader reader = CorpusReader::Ravdess;
  std::string path;          // corpus root folder (RAVDESS, CREMA-D) or the manifest CSV
  std::string name;          // corpus name; empty = the reader's default
  bool includeSong = false;  // RAVDESS: also vocal channel 02
  std::string demographics;  // CREMA-D: VideoDemographics.csv; empty = at the corpus root
  std::map<std::string, std::string> labelMap;  // manifest: native -> common label
};

// JSON form used in experiment files: {"reader": "ravdess", "path": "...", ...}. Unknown keys and
// bad values throw ser::Error naming them.
nlohmann::json toJson(const CorpusSpec& spec);
CorpusSpec corpusSpecFromJson(const nlohmann::json& j);

// Scans every spec and appends the results. `policy` decides the common labels of RAVDESS calm
// and surprised. Throws ser::Error (naming the corpus) when one cannot be loaded at all.
Corpus loadCorpora(const std::vector<CorpusSpec>& specs, CommonLabelPolicy policy,
                   ProgressReporter* progress = nullptr, const CancelFlag* cancel = nullptr);

}  // namespace ser
