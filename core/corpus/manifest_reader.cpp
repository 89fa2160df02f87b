// Manifest CSV: a header naming the columns path, emotion and speaker (required) and sex
// (optional), any order and case; every other column goes to Clip::fields under its header name.
// path is relative to the CSV's folder or absolute. Emotion is lower-cased; its common label
// comes from ManifestOptions::labelMap (keys matched case-insensitively), else the emotion itself
// when it is a common label, else none. Speaker ids are "<name>:<speaker>".
// A row with a missing required value, a missing or unreadable file, or more fields than the
// header is skipped with "row N: reason", N being the line on which the row starts (the header
// is row 1). Blank lines are ignored. A missing required column throws ser::Error. A file listed
// on two rows is kept on both and named in a warning (with both speakers when they differ).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "core/base/csv.h"
#include "core/base/error.h"
#include "core/corpus/corpus_reader.h"
#include "core/corpus/scan_common.h"

namespace fs = std::filesystem;

namespace ser {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The label map with lower-cased keys; throws ParameterError ("labelMap") for a target that is
// neither a common label nor empty (empty = no common label).
std::map<std::string, std::string> normalisedLabelMap(const ManifestOptions& options) {
  std::map<std::string, std::string> out;
  const auto& common = commonLabels();
  for (const auto& [from, to] : options.labelMap) {
    const std::string target = lower(trimmed(to));
    if (!target.empty() && std::find(common.begin(), common.end(), target) == common.end())
      throw ParameterError("labelMap", "'" + from + "' -> '" + to + "'",
                           "{neutral, happy, sad, angry, fearful, disgust} or empty");
    out[lower(trimmed(from))] = target;
  }
  return out;
}

}  // namespace

Corpus scanManifest(const std::string& csvPath, const ManifestOptions& options,
                    ProgressReporter* progress, const CancelFlag* cancel) {
  std::error_code ec;
  if (csvPath.empty()) throw Error("manifest: no path given");
  const fs::path csv = fs::absolute(fs::path(csvPath), ec).lexically_normal();
  if (!fs::exists(csv, ec)) throw Error("manifest '" + csvPath + "' does not exist");
  if (!fs::is_regular_file(csv, ec)) throw Error("manifest '" + csvPath + "' is not a file");
  const std::map<std::string, std::string> labelMap = normalisedLabelMap(options);
  const fs::path root = csv.parent_path();

  Corpus corpus;
  const std::string markerName = corpus_detail::readDemoMarker(root, corpus);
  const std::string name = !options.name.empty()  ? options.name
                           : !markerName.empty() ? markerName
                                                 : csv.stem().string();

  const CsvTable table = readCsvFile(csv, CsvShape::Ragged);
  const int pathCol = table.columnIgnoringCase("path");
  const int emotionCol = table.columnIgnoringCase("emotion");
  const int speakerCol = table.columnIgnoringCase("speaker");
  const int sexCol = table.columnIgnoringCase("sex");
  std::string missing;
  for (const auto& [col, label] : {std::pair{pathCol, "path"}, std::pair{emotionCol, "emotion"},
                                   std::pair{speakerCol, "speaker"}})
    if (col < 0) missing += std::string(missing.empty() ? "" : ", ") + label;
  if (!missing.empty())
    throw Error("manifest '" + csvPath + "' lacks required column(s): " + missing +
                " (needs path, emotion, speaker; optional sex)");
  std::vector<std::string> header;  // trimmed column names
  for (const std::string& h : table.header) header.push_back(trimmed(h));
  for (std::size_t i = 0; i < header.size(); ++i)
    for (std::size_t j = i + 1; j < header.size(); ++j)
      if (lower(header[i]) == lower(header[j]))
        throw Error("manifest '" + csvPath + "': column '" + header[i] + "' appears twice");

  std::vector<corpus_detail::PendingClip> pending;
  pending.reserve(table.rows.size());
  std::map<std::string, std::pair<std::size_t, std::string>> firstRowOf;  // path -> row, speaker
  for (const CsvRecord& row : table.rows) {
    const std::string prefix = "row " + std::to_string(row.line) + ": ";
    const std::string pathValue = CsvTable::value(row, pathCol);
    fs::path file;
    if (!pathValue.empty()) {
      file = fs::path(pathValue);
      if (file.is_relative()) file = root / file;
      file = file.lexically_normal();
    }
    const std::string shownPath = file.empty() ? csv.string() : file.string();
    auto skip = [&](const std::string& reason) {
      corpus.skipped.push_back({shownPath, prefix + reason});
    };
    if (row.fields.size() > table.header.size()) {
      skip(std::to_string(row.fields.size()) + " fields but the header has " +
           std::to_string(table.header.size()));
      continue;
    }
    const std::string emotion = lower(CsvTable::value(row, emotionCol));
    const std::string speaker = CsvTable::value(row, speakerCol);
    if (pathValue.empty()) { skip("empty path"); continue; }
    if (emotion.empty()) { skip("empty emotion"); continue; }
    if (speaker.empty()) { skip("empty speaker"); continue; }
    const fs::file_status st = fs::status(file, ec);
    if (st.type() != fs::file_type::regular) {
      skip("file '" + file.string() + "' " +
           (st.type() == fs::file_type::directory ? std::string("is a folder")
            : st.type() == fs::file_type::fifo   ? std::string("is a FIFO (named pipe)")
            : fs::exists(st)                     ? std::string("is not a regular file")
            : ec && ec != std::errc::no_such_file_or_directory
                ? "cannot be examined (" + ec.message() + ")"
                : std::string("does not exist")));
      continue;
    }
    // The same audio file on two rows: a clip counted twice, perhaps as two speakers' clip.
    const auto [seen, firstTime] = firstRowOf.try_emplace(file.string(), row.line, speaker);
    if (!firstTime)
      corpus.warnings.push_back(
          "'" + file.string() + "' is listed twice in '" + csvPath + "' (rows " +
          std::to_string(seen->second.first) + " and " + std::to_string(row.line) + ")" +
          (seen->second.second == speaker
               ? std::string(" under the same speaker '" + speaker + "'")
               : " under two speakers, '" + seen->second.second + "' and '" + speaker +
                     "': a speaker-independent split refuses it if they land in different splits"));

    Clip clip;
    clip.path = file.string();
    clip.corpus = name;
    clip.speaker = name + ":" + speaker;
    clip.sex = sexCol >= 0 ? sexFromString(CsvTable::value(row, sexCol)) : Sex::Unknown;
    clip.emotion = emotion;
    const auto mapped = labelMap.find(emotion);
    if (mapped != labelMap.end())
      clip.common = mapped->second;
    else
      clip.common = toCommonLabel(emotion, CommonLabelPolicy::Drop).value_or(std::string());
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      const int col = static_cast<int>(c);
      if (col == pathCol || col == emotionCol || col == speakerCol || col == sexCol) continue;
      clip.fields[header[c]] = CsvTable::value(row, col);
    }
    pending.push_back({std::move(clip), prefix});
  }

  corpus_detail::checkHeaders(pending, corpus, progress, cancel);
  corpus_detail::finishScan(corpus, "manifest", csvPath, false);
  return corpus;
}

}  // namespace ser
