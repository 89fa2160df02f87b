#include "app/cli/corpus_options.h"

#include "core/base/error.h"

namespace ser::cli {

void CorpusOptions::addTo(CLI::App& app) {
  app.add_option("--ravdess", ravdess, "RAVDESS-layout corpus folder (Actor_XX/...); repeatable")
      ->type_name("DIR");
  app.add_option("--crema-d", cremaD, "CREMA-D-layout corpus folder (AudioWAV/...); repeatable")
      ->type_name("DIR");
  app.add_option("--manifest", manifests,
                 "manifest CSV (columns path, emotion, speaker[, sex]); repeatable")
      ->type_name("CSV");
  app.add_option("--demographics", demographics,
                 "CREMA-D VideoDemographics.csv (default: the one at the corpus root)")
      ->type_name("CSV");
  app.add_flag("--include-song", includeSong, "RAVDESS: include song clips (vocal channel 02)");
  app.add_option("--label-policy", labelPolicy,
                 "RAVDESS calm/surprised in the common 6-class set: drop | calm-to-neutral")
      ->capture_default_str();
  app.add_option("--label-map", labelMap,
                 "manifest label mapping native=common, e.g. anger=angry (repeatable or comma list)")
      ->delimiter(',')
      ->type_name("NATIVE=COMMON");
}

CommonLabelPolicy CorpusOptions::policy() const { return commonLabelPolicyFromString(labelPolicy); }

std::vector<CorpusSpec> CorpusOptions::specs() const {
  std::map<std::string, std::string> mapping;
  for (const std::string& pair : labelMap) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size())
      throw Error("--label-map: '" + pair + "' is not of the form native=common");
    mapping[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  std::vector<CorpusSpec> out;
  // Appends a spec for `path` read by `reader`; the caller sets that reader's own option.
  auto add = [&out](CorpusReader reader, const std::string& path) -> CorpusSpec& {
    CorpusSpec& s = out.emplace_back();
    s.reader = reader;
    s.path = path;
    return s;
  };
  for (const auto& dir : ravdess) add(CorpusReader::Ravdess, dir).includeSong = includeSong;
  for (const auto& dir : cremaD) add(CorpusReader::CremaD, dir).demographics = demographics;
  for (const auto& csv : manifests) add(CorpusReader::Manifest, csv).labelMap = mapping;
  return out;
}

}  // namespace ser::cli
