#pragma once
// Guesses which reader fits a path from its layout. Qt-free.
#include <optional>
#include <string>

#include "core/corpus/corpus_spec.h"

namespace ser {

// A .csv file -> Manifest; a folder with Actor_XX subfolders -> Ravdess; a folder with an
// AudioWAV subfolder -> CremaD (also when the path is the AudioWAV folder itself: see
// corpusRootFor). nullopt when nothing matches or the path does not exist.
std::optional<CorpusReader> detectCorpusReader(const std::string& path);

// The folder to hand the reader: the parent when `path` is a CREMA-D AudioWAV folder, else `path`.
std::string corpusRootFor(const std::string& path, CorpusReader reader);

}  // namespace ser
