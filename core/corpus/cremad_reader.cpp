// CREMA-D: DIR/AudioWAV/AAAA_SSS_EMO_LVL.<ext>
//   AAAA actor id (four digits), SSS sentence (three letters, e.g. IEO), EMO emotion (ANG DIS FEA
//   HAP NEU SAD), LVL level (LO MD HI XX).
// Clip::fields: code (EMO), sentence (SSS), level ("low"/"medium"/"high"/"unspecified").
// Sex comes from VideoDemographics.csv (columns ActorID and Sex; quoted fields and any line
// ending accepted), given in options or found at DIR. Without it every clip's sex is unknown and
// Corpus::warnings says so; an actor absent from it, listed with two sexes or with a sex value
// other than male/female gets sex unknown and one warning.
// Non-audio and hidden files are ignored quietly; audio files off the pattern are skipped.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/corpus/corpus_reader.h"
#include "core/corpus/name_parsers.h"
#include "core/corpus/scan_common.h"

namespace fs = std::filesystem;

namespace ser {

namespace {

const char* kDemographicsFile = "VideoDemographics.csv";

// ActorID -> sex. Throws ser::Error naming the file when it lacks the ActorID or Sex column.
// An actor listed with two different sexes, or with a sex value that is neither male nor
// female, gets sex unknown and a warning naming the file, the actor and the values.
std::map<std::string, Sex> readDemographics(const std::string& path,
                                            std::vector<std::string>& warnings) {
  const CsvTable table = readCsvFile(path, CsvShape::Ragged);
  const int idCol = table.columnIgnoringCase("ActorID");
  const int sexCol = table.columnIgnoringCase("Sex");
  if (idCol < 0 || sexCol < 0)
    throw Error("'" + path + "': demographics file needs columns ActorID and Sex");
  std::map<std::string, Sex> sexOf;
  std::map<std::string, std::string> valueOf;  // the first Sex value given for each actor
  std::set<std::string> conflicting;
  for (const CsvRecord& row : table.rows) {
    const std::string id = trimmed(CsvTable::value(row, idCol));
    if (id.empty()) continue;
    const std::string value = trimmed(CsvTable::value(row, sexCol));
    const Sex sex = sexFromString(value);
    const auto [it, first] = sexOf.emplace(id, sex);
    if (first) {
      valueOf[id] = value;
      if (sex == Sex::Unknown)
        warnings.push_back("'" + path + "' line " + std::to_string(row.line) + ": actor " + id +
                           " has sex '" + value + "', neither male nor female: sex unknown");
    } else if (it->second != sex && !conflicting.count(id)) {
      conflicting.insert(id);
      warnings.push_back("'" + path + "' line " + std::to_string(row.line) + ": actor " + id +
                         " is listed with two sexes ('" + valueOf[id] + "' and '" + value +
                         "'): sex unknown");
    }
  }
  for (const std::string& id : conflicting) sexOf[id] = Sex::Unknown;
  return sexOf;
}

bool allDigits(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool allLetters(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

// Parses the name into `clip` (emotion, fields) and `actor`; returns the skip reason or empty.
std::string parseName(const fs::path& file, Clip& clip, std::string& actor) {
  static const std::map<std::string, std::string> kEmotion = {
      {"ANG", "angry"}, {"DIS", "disgust"}, {"FEA", "fearful"},
      {"HAP", "happy"}, {"NEU", "neutral"}, {"SAD", "sad"}};
  static const std::map<std::string, std::string> kLevel = {
      {"LO", "low"}, {"MD", "medium"}, {"HI", "high"}, {"XX", "unspecified"}};
  const std::string stem = file.stem().string();
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t us = stem.find('_', start);
    parts.push_back(stem.substr(start, us == std::string::npos ? std::string::npos : us - start));
    if (us == std::string::npos) break;
    start = us + 1;
  }
  if (parts.size() != 4 || parts[0].size() != 4 || !allDigits(parts[0]) ||
      parts[1].size() != 3 || !allLetters(parts[1]) || parts[2].size() != 3 ||
      parts[3].size() != 2)
    return "file name '" + file.filename().string() +
           "' is not of the form AAAA_SSS_EMO_LVL (e.g. 1001_DFA_ANG_XX)";
  const auto emo = kEmotion.find(parts[2]);
  if (emo == kEmotion.end()) return "unknown emotion code " + parts[2];
  const auto level = kLevel.find(parts[3]);
  if (level == kLevel.end()) return "unknown level code " + parts[3];
  actor = parts[0];
  clip.emotion = emo->second;
  clip.common = emo->second;  // the CREMA-D set is the common set
  clip.fields["code"] = parts[2];
  clip.fields["sentence"] = parts[1];
  clip.fields["level"] = level->second;
  return {};
}

}  // namespace

Corpus scanCremaD(const std::string& dir, const CremaDOptions& options,
                  ProgressReporter* progress, const CancelFlag* cancel) {
  const fs::path root = corpus_detail::checkFolder(dir, "CREMA-D");
  std::error_code ec;
  const fs::path audioDir = root / "AudioWAV";
  if (!fs::is_directory(audioDir, ec))
    throw Error("CREMA-D folder '" + dir + "' has no AudioWAV folder");
  Corpus corpus;
  const std::string markerName = corpus_detail::readDemoMarker(root, corpus);
  const std::string name =
      !options.name.empty() ? options.name : (!markerName.empty() ? markerName : "crema-d");

  std::string demoPath = options.demographics;
  if (!demoPath.empty() && !fs::is_regular_file(demoPath, ec))
    throw Error("demographics file '" + demoPath + "' does not exist");
  if (demoPath.empty() && fs::is_regular_file(root / kDemographicsFile, ec))
    demoPath = (root / kDemographicsFile).string();
  std::map<std::string, Sex> sexOf;
  if (demoPath.empty())
    corpus.warnings.push_back("no " + std::string(kDemographicsFile) + " at '" + root.string() +
                              "': sex unknown for every speaker");
  else
    sexOf = readDemographics(demoPath, corpus.warnings);

  const std::vector<fs::path> files =
      corpus_detail::listFolder(audioDir, false, true, "CREMA-D audio", corpus).audioFiles;

  std::vector<corpus_detail::PendingClip> pending;
  pending.reserve(files.size());
  std::set<std::string> missingActors;
  for (const fs::path& f : files) {
    Clip clip;
    std::string actor;
    const std::string reason = parseName(f, clip, actor);
    if (!reason.empty()) {
      corpus.skipped.push_back({f.string(), reason});
      continue;
    }
    clip.path = f.string();
    clip.corpus = name;
    clip.speaker = name + ":" + actor;
    if (!demoPath.empty()) {
      const auto it = sexOf.find(actor);
      if (it != sexOf.end())
        clip.sex = it->second;
      else
        missingActors.insert(actor);
    }
    pending.push_back({std::move(clip), {}});
  }
  for (const std::string& actor : missingActors)
    corpus.warnings.push_back("actor " + actor + " is not in '" + demoPath + "': sex unknown");

  corpus_detail::checkHeaders(pending, corpus, progress, cancel);
  corpus_detail::finishScan(corpus, "CREMA-D", dir);
  return corpus;
}

namespace corpus_detail {

std::string parseCremaDName(const fs::path& file, Clip& clip, std::string& actor) {
  return parseName(file, clip, actor);
}

}  // namespace corpus_detail

}  // namespace ser
