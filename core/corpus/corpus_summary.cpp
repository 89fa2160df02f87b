#include "core/corpus/corpus_summary.h"

#include <nlohmann/json.hpp>
#include <set>

namespace ser {

CorpusSummary summarise(const Corpus& corpus) {
  CorpusSummary s;
  s.clips = corpus.clips.size();
  s.bySex = {{"male", 0}, {"female", 0}, {"unknown", 0}};
  for (const Clip& c : corpus.clips) {
    const std::string sex = toString(c.sex);
    ++s.bySex[sex];
    ++s.byEmotion[c.emotion];
    ++s.byCommon[c.common.empty() ? "(none)" : c.common];
    ++s.byCorpus[c.corpus];
    ++s.byCorpusEmotionSex[c.corpus][c.emotion][sex];
    s.audioSeconds += c.seconds();
  }
  s.speakerIds = speakerIds(corpus.clips);
  return s;
}

std::vector<std::string> speakerIds(const std::vector<Clip>& clips) {
  std::set<std::string> speakers;
  for (const Clip& c : clips) speakers.insert(c.speaker);
  return {speakers.begin(), speakers.end()};
}

nlohmann::json summaryJson(const Corpus& corpus) {
  const CorpusSummary s = summarise(corpus);
  nlohmann::json j;
  j["clips"] = s.clips;
  j["speakers"] = s.speakerIds.size();
  j["speaker_ids"] = s.speakerIds;
  j["by_sex"] = s.bySex;
  j["by_emotion"] = s.byEmotion;
  j["by_common"] = s.byCommon;
  j["by_corpus"] = s.byCorpus;
  j["audio_seconds"] = s.audioSeconds;
  j["synthetic"] = corpus.synthetic;
  j["warnings"] = corpus.warnings;
  nlohmann::json skipped = nlohmann::json::array();
  for (const SkippedFile& f : corpus.skipped) skipped.push_back({{"path", f.path}, {"reason", f.reason}});
  j["skipped"] = skipped;
  return j;
}

}  // namespace ser
