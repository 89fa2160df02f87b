// RAVDESS: DIR/Actor_XX/MM-VV-EE-II-SS-RR-AA.<ext>
//   MM modality (03 audio-only; 01 full-AV and 02 video-only are skipped), VV vocal channel
//   (01 speech, 02 song), EE emotion (01..08), II intensity (01 normal, 02 strong), SS statement
//   (01, 02), RR repetition (01, 02), AA actor (odd male, even female; must match the folder).
// Clip::fields: code (EE), intensity ("normal"/"strong"), statement ("01"/"02"), repetition
// ("01"/"02"), vocal_channel ("speech"/"song").
// Non-audio and hidden files are ignored quietly; audio files off the pattern, outside an
// Actor_XX folder or with unknown codes are skipped with the reason. Song files are skipped
// with a reason unless includeSong.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/base/error.h"
#include "core/corpus/corpus_reader.h"
#include "core/corpus/name_parsers.h"
#include "core/corpus/scan_common.h"

namespace fs = std::filesystem;

namespace ser {

namespace {

bool isTwoDigits(const std::string& s, std::size_t at) {
  return std::isdigit(static_cast<unsigned char>(s[at])) &&
         std::isdigit(static_cast<unsigned char>(s[at + 1]));
}

// "Actor_NN" -> "NN"; empty when the name is off that pattern.
std::string actorOfFolder(const std::string& name) {
  if (name.size() != 8 || name.compare(0, 6, "Actor_") != 0 || !isTwoDigits(name, 6)) return {};
  return name.substr(6);
}

// Splits "MM-VV-EE-II-SS-RR-AA" into seven codes; false when off the pattern.
bool splitCodes(const std::string& stem, std::vector<std::string>& codes) {
  if (stem.size() != 20) return false;
  codes.clear();
  for (std::size_t k = 0; k < 7; ++k) {
    const std::size_t at = k * 3;
    if (!isTwoDigits(stem, at)) return false;
    if (k < 6 && stem[at + 2] != '-') return false;
    codes.push_back(stem.substr(at, 2));
  }
  return true;
}

// Parses the name into `clip`; returns the skip reason, or empty when the clip is usable.
std::string parseName(const fs::path& file, const std::string& folderActor,
                      const RavdessOptions& options, Clip& clip) {
  std::vector<std::string> c;
  const std::string stem = file.stem().string();
  if (!splitCodes(stem, c))
    return "file name '" + file.filename().string() +
           "' is not of the form MM-VV-EE-II-SS-RR-AA (seven two-digit codes)";
  const std::string& modality = c[0];
  const std::string& channel = c[1];
  const std::string& emotion = c[2];
  const std::string& intensity = c[3];
  const std::string& statement = c[4];
  const std::string& repetition = c[5];
  const std::string& actor = c[6];

  if (modality == "01" || modality == "02")
    return "not audio-only (modality " + modality +
           (modality == "01" ? ", full AV)" : ", video-only)");
  if (modality != "03") return "unknown modality code " + modality;
  if (channel != "01" && channel != "02") return "unknown vocal channel code " + channel;
  const int e = std::stoi(emotion);
  if (e < 1 || e > 8) return "unknown emotion code " + emotion;
  if (intensity != "01" && intensity != "02") return "unknown intensity code " + intensity;
  if (statement != "01" && statement != "02") return "unknown statement code " + statement;
  if (repetition != "01" && repetition != "02") return "unknown repetition code " + repetition;
  if (actor == "00") return "unknown actor code 00";
  if (actor != folderActor)
    return "actor " + actor + " in the file name does not match folder Actor_" + folderActor;
  if (channel == "02" && !options.includeSong)
    return "song (vocal channel 02) not included; speech only by default";

  clip.emotion = ravdessLabels()[static_cast<std::size_t>(e - 1)];
  clip.common = toCommonLabel(clip.emotion, options.policy).value_or(std::string());
  clip.sex = (std::stoi(actor) % 2 == 1) ? Sex::Male : Sex::Female;
  clip.fields["code"] = emotion;
  clip.fields["intensity"] = intensity == "01" ? "normal" : "strong";
  clip.fields["statement"] = statement;
  clip.fields["repetition"] = repetition;
  clip.fields["vocal_channel"] = channel == "01" ? "speech" : "song";
  return {};
}

}  // namespace

Corpus scanRavdess(const std::string& dir, const RavdessOptions& options,
                   ProgressReporter* progress, const CancelFlag* cancel) {
  const fs::path root = corpus_detail::checkFolder(dir, "RAVDESS");
  Corpus corpus;
  const std::string markerName = corpus_detail::readDemoMarker(root, corpus);
  const std::string name =
      !options.name.empty() ? options.name : (!markerName.empty() ? markerName : "ravdess");

  // Audio files one level down (DIR/Actor_XX/file) and stray ones at the root. One bad entry
  // (a link loop, an unreadable folder) is skipped with its reason; the rest is scanned.
  const corpus_detail::FolderListing top =
      corpus_detail::listFolder(root, true, true, "RAVDESS", corpus);
  std::vector<fs::path> files;
  for (const fs::path& folder : top.folders) {
    const corpus_detail::FolderListing sub =
        corpus_detail::listFolder(folder, false, false, "RAVDESS", corpus);
    files.insert(files.end(), sub.audioFiles.begin(), sub.audioFiles.end());
  }
  const std::vector<fs::path>& stray = top.audioFiles;
  std::sort(files.begin(), files.end());
  for (const fs::path& f : stray)
    corpus.skipped.push_back({f.string(), "not inside an Actor_XX folder"});

  std::vector<corpus_detail::PendingClip> pending;
  pending.reserve(files.size());
  for (const fs::path& f : files) {
    const std::string folder = f.parent_path().filename().string();
    const std::string folderActor = actorOfFolder(folder);
    if (folderActor.empty()) {
      corpus.skipped.push_back({f.string(), "folder '" + folder + "' is not named Actor_XX"});
      continue;
    }
    Clip clip;
    clip.path = f.string();
    clip.corpus = name;
    clip.speaker = name + ":" + folderActor;
    const std::string reason = parseName(f, folderActor, options, clip);
    if (!reason.empty()) {
      corpus.skipped.push_back({f.string(), reason});
      continue;
    }
    pending.push_back({std::move(clip), {}});
  }

  corpus_detail::checkHeaders(pending, corpus, progress, cancel);
  corpus_detail::finishScan(corpus, "RAVDESS", dir);
  return corpus;
}

namespace corpus_detail {

std::string ravdessActorOfFolder(const std::string& folderName) { return actorOfFolder(folderName); }

std::string parseRavdessName(const fs::path& file, const std::string& folderActor,
                             const RavdessOptions& options, Clip& clip) {
  return parseName(file, folderActor, options, clip);
}

}  // namespace corpus_detail

}  // namespace ser
