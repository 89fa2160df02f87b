#pragma once
// The corpus data model: a corpus is a list of clips plus what the scan skipped and why.
#include <map>
#include <string>
#include <vector>

namespace ser {

enum class Sex { Male, Female, Unknown };
std::string toString(Sex sex);          // "male", "female", "unknown"
Sex sexFromString(const std::string&);  // accepts m/f/male/female/man/woman (any case); else Unknown

struct Clip {
  std::string path;        // absolute path of the audio file
  std::string corpus;      // corpus name, e.g. "ravdess", "crema-d", "demo-acted"
  std::string speaker;     // corpus-qualified speaker id, "<corpus>:<native id>", e.g. "ravdess:01"
  Sex sex = Sex::Unknown;  // speaker sex
  std::string emotion;     // corpus-native emotion label, lower-case word ("calm", "angry")
  std::string common;      // label in the common 6-class set; empty when the policy drops it
  std::map<std::string, std::string> fields;  // corpus fields: intensity, statement, level, ...
  int sampleRate = 0;      // from the file header (Hz)
  int channels = 0;        // from the file header
  long long frames = 0;    // from the file header (samples per channel)
  double seconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }
};

// A file the scan passed over, with the reason in words ("unknown emotion code 09").
struct SkippedFile {
  std::string path;
  std::string reason;
};

struct Corpus {
  std::vector<Clip> clips;
  std::vector<SkippedFile> skipped;
  std::vector<std::string> warnings;  // corpus-level notes, e.g. "no VideoDemographics.csv: sex unknown"
  bool synthetic = false;             // true for corpora written by `serwb make-demo`
  bool cancelled = false;             // the scan was cancelled: clips hold only what was checked

  // Appends another corpus (used when several are loaded at once); synthetic and cancelled
  // become true when either side is.
  void append(const Corpus& other);
};

}  // namespace ser
