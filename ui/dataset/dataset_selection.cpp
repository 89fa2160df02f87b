#include "ui/dataset/dataset_selection.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/base/error.h"

namespace ser {

std::string toString(LabelSetChoice choice) {
  return choice == LabelSetChoice::Common ? "common" : "native";
}

std::string toString(SplitChoiceProtocol protocol) {
  switch (protocol) {
    case SplitChoiceProtocol::SpeakerIndependent: return "speaker-independent";
    case SplitChoiceProtocol::KFold: return "k-fold";
    case SplitChoiceProtocol::Random: return "random";
    case SplitChoiceProtocol::CrossCorpus: return "cross-corpus";
  }
  return "speaker-independent";
}

namespace {

std::string firstCommon(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::set<std::string> sa(a.begin(), a.end());
  for (const auto& x : b)
    if (sa.count(x)) return x;
  return {};
}

}  // namespace

void SplitChoice::validate() const {
  switch (protocol) {
    case SplitChoiceProtocol::SpeakerIndependent: {
      if (testSpeakers.empty())
        throw ParameterError("testSpeakers", "(none)", "at least one held-out test speaker");
      const std::string both = firstCommon(testSpeakers, validationSpeakers);
      if (!both.empty())
        throw ParameterError("validationSpeakers", both, "speakers not already held out for test");
      break;
    }
    case SplitChoiceProtocol::KFold:
      checkRangeInt("folds", folds, 2, 20);
      break;
    case SplitChoiceProtocol::Random:
      checkRange("testFraction", testFraction, 0.05, 0.5);
      checkRange("validationFraction", validationFraction, 0.0, 0.4);
      break;
    case SplitChoiceProtocol::CrossCorpus: {
      if (trainCorpora.empty())
        throw ParameterError("trainCorpora", "(none)", "at least one corpus to train on");
      if (testCorpora.empty())
        throw ParameterError("testCorpora", "(none)", "at least one corpus to test on");
      const std::string both = firstCommon(trainCorpora, testCorpora);
      if (!both.empty())
        throw ParameterError("testCorpora", both, "corpora not also used for training");
      break;
    }
  }
}

void DatasetSelection::validate() const {
  if (corpora.empty()) throw ParameterError("corpora", "(none)", "at least one corpus");
  split.validate();
}

void proposeHeldOutSpeakers(const std::vector<std::string>& sortedSpeakerIds,
                            std::vector<std::string>& test, std::vector<std::string>& validation) {
  test.clear();
  validation.clear();
  // Group by corpus prefix ("ravdess:01" -> "ravdess"), keeping the given order.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> byCorpus;
  for (const auto& id : sortedSpeakerIds) {
    const auto colon = id.find(':');
    const std::string corpus = colon == std::string::npos ? std::string() : id.substr(0, colon);
    if (!byCorpus.count(corpus)) order.push_back(corpus);
    byCorpus[corpus].push_back(id);
  }
  for (const auto& corpus : order) {
    const auto& ids = byCorpus[corpus];
    const int n = int(ids.size());
    if (n < 2) continue;
    int nTest = std::max(1, int(std::lround(n * 0.2)));
    int nVal = n >= 3 ? std::max(1, int(std::lround(n * 0.1))) : 0;
    if (nTest + nVal >= n) nVal = std::max(0, n - nTest - 1);
    for (int i = n - nTest; i < n; ++i) test.push_back(ids[i]);
    for (int i = n - nTest - nVal; i < n - nTest; ++i) validation.push_back(ids[i]);
  }
}

void applyCalmPolicy(Corpus& corpus, CommonLabelPolicy policy) {
  const std::string calm = toCommonLabel("calm", policy).value_or(std::string());
  for (auto& clip : corpus.clips)
    if (clip.emotion == "calm") clip.common = calm;
}

}  // namespace ser
