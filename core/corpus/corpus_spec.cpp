#include "core/corpus/corpus_spec.h"

#include <nlohmann/json.hpp>

#include "core/base/enum_names.h"
#include "core/base/error.h"
#include "core/base/json_text.h"

namespace ser {

namespace {
constexpr std::pair<CorpusReader, const char*> kReaders[] = {{CorpusReader::Ravdess, "ravdess"},
                                                             {CorpusReader::CremaD, "crema-d"},
                                                             {CorpusReader::Manifest, "manifest"},
                                                             {CorpusReader::CremaD, "cremad"}};
}  // namespace

std::string toString(CorpusReader reader) { return enumName(reader, kReaders); }
CorpusReader corpusReaderFromString(const std::string& s) { return enumFromName("reader", s, kReaders); }

nlohmann::json toJson(const CorpusSpec& spec) {
  nlohmann::json j;
  j["reader"] = toString(spec.reader);
  j["path"] = spec.path;
  if (!spec.name.empty()) j["name"] = spec.name;
  if (spec.reader == CorpusReader::Ravdess) j["include_song"] = spec.includeSong;
  if (spec.reader == CorpusReader::CremaD && !spec.demographics.empty())
    j["demographics"] = spec.demographics;
  if (spec.reader == CorpusReader::Manifest && !spec.labelMap.empty()) j["label_map"] = spec.labelMap;
  return j;
}

CorpusSpec corpusSpecFromJson(const nlohmann::json& j) {
  if (!j.is_object()) throw Error("corpus entry must be a JSON object, got: " + dumpJson(j));
  static const char* kKeys[] = {"reader", "path", "name", "include_song", "demographics", "label_map"};
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known)
      throw Error("corpus entry: unknown key '" + key +
                  "' (allowed: reader, path, name, include_song, demographics, label_map)");
  }
  CorpusSpec spec;
  try {
    if (!j.contains("reader") || !j.contains("path"))
      throw Error("corpus entry needs 'reader' and 'path': " + dumpJson(j));
    spec.reader = corpusReaderFromString(j.at("reader").get<std::string>());
    spec.path = j.at("path").get<std::string>();
    spec.name = j.value("name", std::string());
    spec.includeSong = j.value("include_song", false);
    spec.demographics = j.value("demographics", std::string());
    if (j.contains("label_map"))
      spec.labelMap = j.at("label_map").get<std::map<std::string, std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("corpus entry has a value of the wrong type: ") + e.what());
  }
  return spec;
}

Corpus loadCorpora(const std::vector<CorpusSpec>& specs, CommonLabelPolicy policy,
                   ProgressReporter* progress, const CancelFlag* cancel) {
  if (specs.empty()) throw Error("no corpus given (use --ravdess, --crema-d or --manifest)");
  Corpus all;
  for (const CorpusSpec& spec : specs) {
    if (isCancelled(cancel)) break;
    Corpus one;
    switch (spec.reader) {
      case CorpusReader::Ravdess: {
        RavdessOptions o;
        o.includeSong = spec.includeSong;
        o.policy = policy;
        o.name = spec.name;
        one = scanRavdess(spec.path, o, progress, cancel);
        break;
      }
      case CorpusReader::CremaD: {
        CremaDOptions o;
        o.demographics = spec.demographics;
        o.name = spec.name;
        one = scanCremaD(spec.path, o, progress, cancel);
        break;
      }
      case CorpusReader::Manifest: {
        ManifestOptions o;
        o.labelMap = spec.labelMap;
        o.name = spec.name;
        one = scanManifest(spec.path, o, progress, cancel);
        break;
      }
    }
    all.append(one);
  }
  return all;
}

}  // namespace ser
