#pragma once
// The corpus file-name parsers on their own, so tests and fuzz targets can feed them any name
// without a folder on disk. Internal to core/corpus (the readers in corpus_reader.h use them).
#include <filesystem>
#include <string>

#include "core/corpus/clip.h"
#include "core/corpus/corpus_reader.h"

namespace ser::corpus_detail {

// "Actor_NN" -> "NN"; empty when the folder name is off that pattern.
std::string ravdessActorOfFolder(const std::string& folderName);

// Parses a RAVDESS file name (MM-VV-EE-II-SS-RR-AA.<ext>) found in folder Actor_<folderActor>
// into `clip` (emotion, common label, sex, fields). Returns the skip reason, or empty when the
// clip is usable; `clip` is then filled, else left partly filled and to be discarded.
std::string parseRavdessName(const std::filesystem::path& file, const std::string& folderActor,
                             const RavdessOptions& options, Clip& clip);

// Parses a CREMA-D file name (AAAA_SSS_EMO_LVL.<ext>) into `clip` (emotion, common label,
// fields) and `actor` (AAAA). Returns the skip reason, or empty when the clip is usable.
std::string parseCremaDName(const std::filesystem::path& file, Clip& clip, std::string& actor);

}  // namespace ser::corpus_detail
