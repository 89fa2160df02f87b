#pragma once
// Counts over a corpus, as `serwb scan --json` prints them and the wizard shows them.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/corpus/clip.h"

namespace ser {

struct CorpusSummary {
  std::size_t clips = 0;
  std::vector<std::string> speakerIds;               // sorted
  std::map<std::string, std::size_t> bySex;          // male, female, unknown (all three present)
  std::map<std::string, std::size_t> byEmotion;      // native labels
  std::map<std::string, std::size_t> byCommon;       // common labels ("(none)" = dropped)
  std::map<std::string, std::size_t> byCorpus;
  // corpus -> emotion -> sex -> count, for the wizard's table
  std::map<std::string, std::map<std::string, std::map<std::string, std::size_t>>> byCorpusEmotionSex;
  double audioSeconds = 0.0;
};

CorpusSummary summarise(const Corpus& corpus);

// The distinct speaker ids of `clips`, sorted (what CorpusSummary::speakerIds holds).
std::vector<std::string> speakerIds(const std::vector<Clip>& clips);

// {clips, speakers, speaker_ids, by_sex, by_emotion, by_common, by_corpus, audio_seconds,
//  synthetic, warnings, skipped: [{path, reason}]}
nlohmann::json summaryJson(const Corpus& corpus);

}  // namespace ser
