#include "core/experiment/split.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/base/csv.h"
#include "core/base/enum_names.h"
#include "core/base/error.h"
#include "core/base/text.h"

namespace ser {

namespace {

using Rng = std::mt19937_64;

// Fisher-Yates with a modulo draw: unlike std::shuffle, the same on every standard library.
template <typename T>
void shuffle(std::vector<T>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[std::size_t(rng() % i)]);
}

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// The speakers that have at least one usable clip, with their sex.
struct SpeakerPool {
  std::vector<std::string> all;                 // every speaker id in the clips, sorted
  std::vector<std::string> eligible;            // those with a labelled clip, sorted
  std::map<std::string, Sex> sex;
  std::map<std::string, std::string> corpus;    // speaker id -> Clip::corpus
};

SpeakerPool speakerPool(const std::vector<Clip>& clips, const std::vector<int>& labelOf) {
  std::set<std::string> all, eligible;
  SpeakerPool pool;
  for (std::size_t i = 0; i < clips.size(); ++i) {
    const Clip& c = clips[i];
    all.insert(c.speaker);
    if (labelOf[i] >= 0) eligible.insert(c.speaker);
    Sex& s = pool.sex.emplace(c.speaker, Sex::Unknown).first->second;
    if (s == Sex::Unknown) s = c.sex;
    pool.corpus.emplace(c.speaker, c.corpus);
  }
  pool.all.assign(all.begin(), all.end());
  pool.eligible.assign(eligible.begin(), eligible.end());
  return pool;
}

// The number of speakers a count / fraction asks for out of `available`. A fraction never takes
// the last speaker (training needs one); an explicit count is checked by checkCount instead.
int wantedCount(int count, double fraction, std::size_t available) {
  if (count > 0) return count;
  if (fraction <= 0.0 || available < 2) return 0;
  return std::min(int(available) - 1, std::max(1, int(std::lround(fraction * double(available)))));
}

// Picks `count` speakers from `candidates` (sorted). With balanceSex the picks are shared among
// male, female and unknown speakers in proportion to their numbers (largest remainder; ties
// broken by the seeded generator), so a 12/12 corpus gives 2 + 2 out of 4.
std::vector<std::string> chooseSpeakers(const std::vector<std::string>& candidates, int count,
                                        bool balanceSex, const std::map<std::string, Sex>& sexOf,
                                        Rng& rng) {
  std::vector<std::vector<std::string>> groups(balanceSex ? 3 : 1);
  for (const std::string& s : candidates) {
    std::size_t g = 0;
    if (balanceSex) {
      const Sex sex = sexOf.at(s);
      g = sex == Sex::Male ? 0 : sex == Sex::Female ? 1 : 2;
    }
    groups[g].push_back(s);
  }
  for (auto& g : groups) shuffle(g, rng);

  const double total = double(candidates.size());
  std::vector<std::size_t> quota(groups.size());
  std::vector<std::pair<double, std::size_t>> remainders;  // (fraction part, group)
  std::size_t assigned = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const double exact = double(count) * double(groups[g].size()) / total;
    quota[g] = std::size_t(std::floor(exact));
    assigned += quota[g];
    remainders.push_back({exact - std::floor(exact), g});
  }
  // Random tie-breaking order first, then a stable sort by remainder.
  shuffle(remainders, rng);
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [frac, g] : remainders) {
    if (assigned >= std::size_t(count)) break;
    if (quota[g] < groups[g].size()) {
      ++quota[g];
      ++assigned;
    }
  }
  std::vector<std::string> chosen;
  for (std::size_t g = 0; g < groups.size(); ++g)
    chosen.insert(chosen.end(), groups[g].begin(), groups[g].begin() + std::ptrdiff_t(quota[g]));
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

void checkKnown(const std::vector<std::string>& ids, const SpeakerPool& pool, const char* list) {
  std::vector<std::string> unknown;
  for (const std::string& id : ids)
    if (!std::binary_search(pool.all.begin(), pool.all.end(), id)) unknown.push_back(id);
  if (!unknown.empty())
    throw Error(std::string("split: unknown ") + list + " speaker id" +
                (unknown.size() > 1 ? "s " : " ") + joinStrings(unknown) +
                " (ids look like \"ravdess:11\")");
}

std::vector<std::string> sortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<std::string> speakersOf(const std::vector<Clip>& clips,
                                    const std::vector<std::size_t>& indices) {
  std::set<std::string> s;
  for (std::size_t i : indices) s.insert(clips[i].speaker);
  return {s.begin(), s.end()};
}

void checkCount(const char* name, int count, std::size_t available) {
  if (count < 0 || std::size_t(count) > available)
    throw ParameterError(name, std::to_string(count),
                         "[0, " + std::to_string(available) +
                             "] (speakers available; one must be left for training)");
}

// Assigns each labelled clip by its speaker's role.
void assignBySpeaker(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                     const std::set<std::string>& test, const std::set<std::string>& validation,
                     Split& split) {
  for (std::size_t i = 0; i < clips.size(); ++i) {
    if (labelOf[i] < 0) continue;
    if (test.count(clips[i].speaker))
      split.test.push_back(i);
    else if (validation.count(clips[i].speaker))
      split.validation.push_back(i);
    else
      split.train.push_back(i);
  }
}

// RAVDESS's customary held-out actors (test 21-24, validation 19-20) apply to a corpus named
// "ravdess" whose labelled speakers include all 24 actors, when the spec asks for the default
// automatic choice (no lists, no counts, the default shares).
std::string ravdessActor(int actor) {
  char id[16];
  std::snprintf(id, sizeof id, "ravdess:%02d", actor);
  return id;
}

bool ravdessPresetApplies(const std::string& corpus, const std::vector<std::string>& speakers,
                          const SplitSpec& spec) {
  const SplitSpec defaults;
  if (corpus != "ravdess" || !spec.testSpeakers.empty() || !spec.validationSpeakers.empty() ||
      spec.testSpeakerCount != 0 || spec.validationSpeakerCount != 0 ||
      spec.testFraction != defaults.testFraction ||
      spec.validationFraction != defaults.validationFraction)
    return false;
  for (int actor = 1; actor <= 24; ++actor)
    if (!std::binary_search(speakers.begin(), speakers.end(), ravdessActor(actor))) return false;
  return true;
}

struct HeldOut {
  std::vector<std::string> test, validation;  // sorted
};

// The held-out policy (see resolveHeldOutSpeakers in split.h): listed speakers keep their role;
// the automatic choice is made per corpus with a generator seeded afresh for each.
HeldOut chooseHeldOut(const SplitSpec& spec, const SpeakerPool& pool, Split& split) {
  const std::vector<std::string> explicitTest = sortedUnique(spec.testSpeakers);
  const std::vector<std::string> explicitVal = sortedUnique(spec.validationSpeakers);
  checkKnown(explicitTest, pool, "test");
  checkKnown(explicitVal, pool, "validation");
  std::vector<std::string> both;
  std::set_intersection(explicitTest.begin(), explicitTest.end(), explicitVal.begin(),
                        explicitVal.end(), std::back_inserter(both));
  if (!both.empty())
    throw Error("split: speaker" + std::string(both.size() > 1 ? "s " : " ") + joinStrings(both) +
                " listed for both test and validation");
  for (const std::string& id : explicitTest)
    if (!std::binary_search(pool.eligible.begin(), pool.eligible.end(), id))
      split.warnings.push_back("Test speaker " + id + " has no clips with a label in the label set.");
  for (const std::string& id : explicitVal)
    if (!std::binary_search(pool.eligible.begin(), pool.eligible.end(), id))
      split.warnings.push_back("Validation speaker " + id +
                               " has no clips with a label in the label set.");

  HeldOut held{explicitTest, explicitVal};
  if (!explicitTest.empty() && !explicitVal.empty()) return held;
  std::map<std::string, std::vector<std::string>> byCorpus;  // eligible speakers, sorted
  for (const std::string& s : pool.eligible) byCorpus[pool.corpus.at(s)].push_back(s);
  for (const auto& [corpus, speakers] : byCorpus) {
    if (ravdessPresetApplies(corpus, speakers, spec)) {
      for (int actor = 19; actor <= 24; ++actor)
        (actor >= 21 ? held.test : held.validation).push_back(ravdessActor(actor));
      continue;
    }
    Rng rng(spec.seed);
    std::set<std::string> taken(explicitTest.begin(), explicitTest.end());
    taken.insert(explicitVal.begin(), explicitVal.end());
    if (explicitTest.empty()) {
      std::vector<std::string> candidates;
      for (const std::string& s : speakers)
        if (!taken.count(s)) candidates.push_back(s);
      const int n = wantedCount(spec.testSpeakerCount, spec.testFraction, candidates.size());
      checkCount("test_speaker_count", n, candidates.empty() ? 0 : candidates.size() - 1);
      for (const std::string& s : chooseSpeakers(candidates, n, spec.balanceSex, pool.sex, rng)) {
        held.test.push_back(s);
        taken.insert(s);
      }
    }
    if (explicitVal.empty()) {
      std::vector<std::string> rest;
      for (const std::string& s : speakers)
        if (!taken.count(s)) rest.push_back(s);
      if (rest.empty()) continue;
      const int n = wantedCount(spec.validationSpeakerCount, spec.validationFraction, rest.size());
      checkCount("validation_speaker_count", n, rest.size() - 1);
      for (const std::string& s : chooseSpeakers(rest, n, spec.balanceSex, pool.sex, rng))
        held.validation.push_back(s);
    }
  }
  held.test = sortedUnique(held.test);
  held.validation = sortedUnique(held.validation);
  return held;
}

void speakersSplit(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                   const SplitSpec& spec, const SpeakerPool& pool, Split& split) {
  const HeldOut held = chooseHeldOut(spec, pool, split);
  assignBySpeaker(clips, labelOf, {held.test.begin(), held.test.end()},
                  {held.validation.begin(), held.validation.end()}, split);
}

// Deals the eligible speakers into spec.folds folds: the speakers of each sex in turn round the
// folds, continuing the count across sexes, so fold sizes differ by at most one and each fold
// gets its share of each sex.
std::vector<std::vector<std::string>> dealFolds(const SplitSpec& spec, const SpeakerPool& pool,
                                                Rng& rng) {
  const std::size_t n = pool.eligible.size();
  if (spec.folds > int(n))
    throw ParameterError("folds", std::to_string(spec.folds),
                         "[2, " + std::to_string(n) + "] (the number of speakers)");
  std::vector<std::vector<std::string>> groups(spec.balanceSex ? 3 : 1);
  for (const std::string& s : pool.eligible) {
    std::size_t g = 0;
    if (spec.balanceSex) {
      const Sex sex = pool.sex.at(s);
      g = sex == Sex::Male ? 0 : sex == Sex::Female ? 1 : 2;
    }
    groups[g].push_back(s);
  }
  std::vector<int> foldOrder(std::size_t(spec.folds));
  for (int f = 0; f < spec.folds; ++f) foldOrder[std::size_t(f)] = f;
  shuffle(foldOrder, rng);  // which fold gets the extra speakers depends on the seed
  std::vector<std::vector<std::string>> folds(std::size_t(spec.folds));
  std::size_t dealt = 0;
  for (auto& g : groups) {
    shuffle(g, rng);
    for (const std::string& s : g)
      folds[std::size_t(foldOrder[dealt++ % std::size_t(spec.folds)])].push_back(s);
  }
  for (auto& f : folds) std::sort(f.begin(), f.end());
  return folds;
}

std::string foldList(const std::vector<int>& folds) {
  std::vector<std::string> names;
  for (int f : folds) names.push_back(std::to_string(f));
  return joinStrings(names);
}

// The folds of a fixed table on these clips (see planFolds for the rules).
FoldPlan fixedFolds(const FoldTable& table, const SpeakerPool& pool) {
  FoldPlan plan;
  plan.source = table.source;
  int maxFold = 0;
  std::set<std::string> listed;
  for (const FoldRow& row : table.rows) {
    maxFold = std::max(maxFold, row.fold);
    listed.insert(row.speaker);
    if (!table.preset && !std::binary_search(pool.all.begin(), pool.all.end(), row.speaker))
      throw Error(table.source + ", line " + std::to_string(row.line) + ": speaker '" +
                  row.speaker + "' is not in the corpora (ids look like \"ravdess:01\", as "
                  "`serwb scan --json` lists them)");
  }
  std::vector<std::string> missing;
  for (const std::string& s : pool.eligible)
    if (!listed.count(s)) missing.push_back(s);
  if (!missing.empty())
    throw Error(table.source + " gives no fold for speaker" + (missing.size() > 1 ? "s " : " ") +
                joinStrings(missing) + "; every speaker of the corpora needs one");
  std::vector<std::vector<std::string>> byFold(static_cast<std::size_t>(maxFold));
  for (const FoldRow& row : table.rows)
    if (std::binary_search(pool.eligible.begin(), pool.eligible.end(), row.speaker))
      byFold[std::size_t(row.fold - 1)].push_back(row.speaker);
  std::vector<int> dropped;
  for (int f = 1; f <= maxFold; ++f) {
    auto& speakers = byFold[std::size_t(f - 1)];
    if (speakers.empty()) {
      if (!table.preset)
        throw Error(table.source + ": fold " + std::to_string(f) +
                    " has no speaker with clips under the label set");
      dropped.push_back(f);
      continue;
    }
    std::sort(speakers.begin(), speakers.end());
    plan.folds.push_back(std::move(speakers));
  }
  if (!dropped.empty())
    plan.notes.push_back(table.source + ": fold" + (dropped.size() > 1 ? "s " : " ") +
                         foldList(dropped) + " hold" + (dropped.size() > 1 ? "" : "s") +
                         " none of the speakers present and " +
                         (dropped.size() > 1 ? "are" : "is") + " dropped; " +
                         std::to_string(plan.folds.size()) + " folds remain, numbered 1-" +
                         std::to_string(plan.folds.size()) + " in the original order.");
  if (plan.folds.size() < 2)
    throw Error(table.source + ": only " + std::to_string(plan.folds.size()) +
                " fold holds speakers of the corpora; cross-validation needs at least 2");
  return plan;
}

FoldPlan planFoldsFor(const SplitSpec& spec, const SpeakerPool& pool, Rng& rng) {
  if (!spec.foldsPreset.empty()) return fixedFolds(foldsPreset(spec.foldsPreset), pool);
  if (!spec.foldsFile.empty()) return fixedFolds(readFoldsFile(spec.foldsFile), pool);
  FoldPlan plan;
  plan.source = "automatic (seed " + std::to_string(spec.seed) + ")";
  plan.folds = dealFolds(spec, pool, rng);
  return plan;
}

void kfoldSplit(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                const SplitSpec& spec, const SpeakerPool& pool, Rng& rng, Split& split) {
  if (spec.fold < 0)
    throw Error("split: 'fold' is -1, every fold in turn: that is a cross-validation "
                "(runCrossValidation, `serwb train --split kfold`), not one split");
  const FoldPlan plan = planFoldsFor(spec, pool, rng);
  const int k = int(plan.folds.size());
  split.warnings.insert(split.warnings.end(), plan.notes.begin(), plan.notes.end());
  checkRangeInt("fold", spec.fold, 0, k - 1);
  if (spec.validationFromNextFold && k < 3)
    throw ParameterError("folds", std::to_string(k),
                         "[3, inf) (validation from the next fold needs a third fold)");
  const std::vector<std::string>& testFold = plan.folds[std::size_t(spec.fold)];
  const std::set<std::string> test(testFold.begin(), testFold.end());
  std::set<std::string> val;
  std::vector<std::string> rest;
  for (int f = 0; f < k; ++f) {
    if (f == spec.fold) continue;
    const auto& speakers = plan.folds[std::size_t(f)];
    if (spec.validationFromNextFold && f == (spec.fold + 1) % k)
      val.insert(speakers.begin(), speakers.end());
    else
      rest.insert(rest.end(), speakers.begin(), speakers.end());
  }
  std::sort(rest.begin(), rest.end());
  if (!spec.validationFromNextFold && !rest.empty()) {
    const int count = wantedCount(spec.validationSpeakerCount, spec.validationFraction, rest.size());
    checkCount("validation_speaker_count", count, rest.size() - 1);
    for (const std::string& s : chooseSpeakers(rest, count, spec.balanceSex, pool.sex, rng))
      val.insert(s);
  }
  assignBySpeaker(clips, labelOf, test, val, split);
}

void randomSplit(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                 const SplitSpec& spec, Rng& rng, Split& split) {
  std::map<int, std::vector<std::size_t>> byLabel;
  for (std::size_t i = 0; i < clips.size(); ++i)
    if (labelOf[i] >= 0) byLabel[labelOf[i]].push_back(i);
  for (auto& [label, idx] : byLabel) {
    shuffle(idx, rng);
    const std::size_t n = idx.size();
    std::size_t nTest = std::size_t(std::lround(spec.testFraction * double(n)));
    std::size_t nVal = std::size_t(std::lround(spec.validationFraction * double(n)));
    nTest = std::min(nTest, n);
    nVal = std::min(nVal, n - nTest);
    for (std::size_t j = 0; j < n; ++j) {
      if (j < nTest)
        split.test.push_back(idx[j]);
      else if (j < nTest + nVal)
        split.validation.push_back(idx[j]);
      else
        split.train.push_back(idx[j]);
    }
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  std::sort(split.test.begin(), split.test.end());

  const std::vector<std::string> train = speakersOf(clips, split.train);
  const std::vector<std::string> test = speakersOf(clips, split.test);
  std::vector<std::string> shared;
  std::set_intersection(train.begin(), train.end(), test.begin(), test.end(),
                        std::back_inserter(shared));
  split.speakerIndependent = false;
  split.warnings.push_back(
      "Random split mixes speakers across splits: " + std::to_string(shared.size()) + " of " +
      std::to_string(test.size()) +
      " test speakers also appear in training. Scores are not speaker-independent and overstate "
      "accuracy on new speakers; use the speakers or k-fold protocol for reported results.");
}

// A speaker-independent split must not hold one audio file in two parts (the same file listed
// under two speakers, say in a manifest): that file would be trained and tested on. Throws
// ser::Error naming the file, both speakers and both parts.
void checkNoFileInTwoParts(const std::vector<Clip>& clips, const Split& split) {
  std::map<std::string, std::pair<const char*, std::size_t>> partOf;  // path -> part, clip
  const std::pair<const char*, const std::vector<std::size_t>*> parts[] = {
      {"training", &split.train}, {"validation", &split.validation}, {"test", &split.test}};
  for (const auto& [name, indices] : parts)
    for (std::size_t i : *indices) {
      const auto [it, first] = partOf.try_emplace(clips[i].path, name, i);
      if (!first && std::string(it->second.first) != name)
        throw Error("split: '" + clips[i].path + "' is listed under speaker '" +
                    clips[it->second.second].speaker + "' (" + it->second.first +
                    ") and under speaker '" + clips[i].speaker + "' (" + name +
                    "): one file cannot be in two parts of a speaker-independent split");
    }
}

}  // namespace

namespace {
constexpr std::pair<SplitProtocol, const char*> kProtocols[] = {
    {SplitProtocol::Speakers, "speakers"}, {SplitProtocol::Random, "random"}, {SplitProtocol::KFold, "kfold"}};
}  // namespace

std::string toString(SplitProtocol protocol) { return enumName(protocol, kProtocols); }
SplitProtocol splitProtocolFromString(const std::string& name) {
  return enumFromName("protocol", name, kProtocols);
}

void SplitSpec::validate() const {
  if (!(testFraction >= 0.0 && testFraction < 1.0))
    throw ParameterError("test_fraction", fmt(testFraction), "[0, 1)");
  if (!(validationFraction >= 0.0 && validationFraction < 1.0))
    throw ParameterError("validation_fraction", fmt(validationFraction), "[0, 1)");
  if (protocol == SplitProtocol::Random && !(testFraction + validationFraction < 1.0))
    throw ParameterError("test_fraction + validation_fraction",
                         fmt(testFraction + validationFraction), "[0, 1)");
  checkRangeInt("test_speaker_count", testSpeakerCount, 0, std::numeric_limits<int>::max());
  checkRangeInt("validation_speaker_count", validationSpeakerCount, 0,
                std::numeric_limits<int>::max());
  if (!foldsFile.empty() && !foldsPreset.empty())
    throw Error("split: give folds_file or folds_preset, not both");
  if ((!foldsFile.empty() || !foldsPreset.empty()) && protocol != SplitProtocol::KFold)
    throw Error(std::string("split: ") + (foldsFile.empty() ? "folds_preset" : "folds_file") +
                " needs protocol 'kfold' (protocol is '" + toString(protocol) + "')");
  if (protocol == SplitProtocol::KFold) {
    if (!foldsPreset.empty()) (void)ser::foldsPreset(foldsPreset);  // throws for unknown names
    if (foldsFile.empty() && foldsPreset.empty()) {
      checkRangeInt("folds", folds, validationFromNextFold ? 3 : 2, std::numeric_limits<int>::max());
      checkRangeInt("fold", fold, -1, folds - 1);
    } else {
      checkRangeInt("fold", fold, -1, std::numeric_limits<int>::max());  // checked on the clips
    }
  }
}

Split makeSplit(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                const SplitSpec& spec) {
  spec.validate();
  if (labelOf.size() != clips.size())
    throw Error("split: " + std::to_string(labelOf.size()) + " labels for " +
                std::to_string(clips.size()) + " clips");
  Split split;
  split.protocol = toString(spec.protocol);
  const SpeakerPool pool = speakerPool(clips, labelOf);
  if (pool.eligible.empty()) throw Error("split: no clip has a label in the label set");
  const std::size_t excluded =
      std::size_t(std::count_if(labelOf.begin(), labelOf.end(), [](int l) { return l < 0; }));
  if (excluded > 0)
    split.warnings.push_back(std::to_string(excluded) + " of " + std::to_string(clips.size()) +
                             " clips have no label in the label set and are left out.");

  Rng rng(spec.seed);
  switch (spec.protocol) {
    case SplitProtocol::Speakers: speakersSplit(clips, labelOf, spec, pool, split); break;
    case SplitProtocol::KFold: kfoldSplit(clips, labelOf, spec, pool, rng, split); break;
    case SplitProtocol::Random: randomSplit(clips, labelOf, spec, rng, split); break;
  }
  if (split.test.empty()) throw Error("split: the test split has no clips");
  if (split.train.empty()) throw Error("split: the training split has no clips");
  if (split.speakerIndependent) checkNoFileInTwoParts(clips, split);
  split.trainSpeakers = speakersOf(clips, split.train);
  split.validationSpeakers = speakersOf(clips, split.validation);
  split.testSpeakers = speakersOf(clips, split.test);
  return split;
}

FoldTable readFoldsFile(const std::string& path) {
  const std::string source = "folds file '" + path + "'";
  CsvTable csv;
  try {
    csv = readCsvFile(path, CsvShape::Ragged);
  } catch (const Error& e) {
    throw Error(std::string("folds file ") + e.what());  // the message starts with the path
  }
  const int speakerCol = csv.columnIgnoringCase("speaker");
  const int foldCol = csv.columnIgnoringCase("fold");
  if (speakerCol < 0 || foldCol < 0)
    throw Error(source + ": line 1: needs the columns 'speaker' and 'fold' (found: " +
                joinStrings(csv.header) + ")");
  FoldTable table;
  table.source = source;
  std::map<std::string, std::size_t> firstLine;
  for (const CsvRecord& record : csv.rows) {
    FoldRow row;
    row.line = record.line;
    row.speaker = CsvTable::value(record, speakerCol);
    const std::string where = source + ", line " + std::to_string(record.line) + ": ";
    if (row.speaker.empty()) throw Error(where + "the speaker is empty");
    const std::string fold = CsvTable::value(record, foldCol);
    std::size_t used = 0;
    long value = 0;
    try {
      value = std::stol(fold, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (fold.empty() || used != fold.size() || value < 1 || value > 1000000)
      throw Error(where + "fold '" + fold + "' is not a whole number >= 1 (folds count from 1)");
    row.fold = int(value);
    const auto [it, fresh] = firstLine.emplace(row.speaker, record.line);
    if (!fresh)
      throw Error(where + "speaker '" + row.speaker + "' is listed again (first on line " +
                  std::to_string(it->second) + "); a speaker belongs to one fold");
    table.rows.push_back(row);
  }
  if (table.rows.empty()) throw Error(source + ": no rows after the header");
  int maxFold = 0;
  std::set<int> used;
  for (const FoldRow& row : table.rows) {
    maxFold = std::max(maxFold, row.fold);
    used.insert(row.fold);
  }
  std::vector<int> empty;
  for (int f = 1; f <= maxFold; ++f)
    if (!used.count(f)) empty.push_back(f);
  if (!empty.empty())
    throw Error(source + ": fold" + (empty.size() > 1 ? "s " : " ") + foldList(empty) +
                " of 1-" + std::to_string(maxFold) + " ha" + (empty.size() > 1 ? "ve" : "s") +
                " no speakers (number the folds 1, 2, ... without gaps)");
  if (used.size() < 2)
    throw Error(source + ": all speakers are in one fold; cross-validation needs at least 2");
  return table;
}

std::vector<std::string> foldsPresetNames() { return {"emobox-ravdess"}; }

FoldTable foldsPreset(const std::string& name) {
  if (name != "emobox-ravdess")
    throw ParameterError("folds_preset", "'" + name + "'", "{" + joinStrings(foldsPresetNames()) + "}");
  // EmoBox (Ma et al., 2024), RAVDESS speech: the benchmark's published speaker folds.
  static const int kFolds[6][4] = {{1, 11, 20, 21}, {4, 10, 12, 14}, {8, 9, 19, 23},
                                   {3, 5, 7, 24},   {2, 15, 16, 18}, {6, 13, 17, 22}};
  FoldTable table;
  table.source = "folds preset 'emobox-ravdess'";
  table.preset = true;
  for (int f = 0; f < 6; ++f)
    for (int actor : kFolds[f]) {
      char id[16];
      std::snprintf(id, sizeof id, "ravdess:%02d", actor);
      table.rows.push_back({id, f + 1, 0});
    }
  return table;
}

FoldPlan planFolds(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                   const SplitSpec& spec) {
  if (labelOf.size() != clips.size())
    throw Error("split: " + std::to_string(labelOf.size()) + " labels for " +
                std::to_string(clips.size()) + " clips");
  const SpeakerPool pool = speakerPool(clips, labelOf);
  if (pool.eligible.empty()) throw Error("split: no clip has a label in the label set");
  Rng rng(spec.seed);
  return planFoldsFor(spec, pool, rng);
}

SplitSpec resolveHeldOutSpeakers(const std::vector<Clip>& clips, const std::vector<int>& labelOf,
                                 const SplitSpec& spec) {
  spec.validate();
  if (labelOf.size() != clips.size())
    throw Error("split: " + std::to_string(labelOf.size()) + " labels for " +
                std::to_string(clips.size()) + " clips");
  const SpeakerPool pool = speakerPool(clips, labelOf);
  if (pool.eligible.empty()) throw Error("split: no clip has a label in the label set");
  Split ignored;
  const HeldOut held = chooseHeldOut(spec, pool, ignored);
  SplitSpec out = spec;
  out.protocol = SplitProtocol::Speakers;
  out.testSpeakers = held.test;
  out.validationSpeakers = held.validation;
  return out;
}

void validateSplitForClips(const SplitSpec& spec, const std::vector<Clip>& clips,
                           const std::vector<int>& labelOf) {
  if (spec.protocol != SplitProtocol::KFold || spec.fold >= 0) {
    (void)makeSplit(clips, labelOf, spec);
    return;
  }
  // Every fold in turn (a cross-validation): each must be a valid split.
  spec.validate();
  const FoldPlan plan = planFolds(clips, labelOf, spec);
  for (int f = 0; f < int(plan.folds.size()); ++f) {
    SplitSpec one = spec;
    one.fold = f;
    (void)makeSplit(clips, labelOf, one);
  }
}

std::vector<int> labelIndices(const std::vector<Clip>& clips, const std::vector<std::string>& labels,
                              LabelField field) {
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < labels.size(); ++i) index.emplace(labels[i], int(i));
  std::vector<int> out(clips.size(), -1);
  for (std::size_t i = 0; i < clips.size(); ++i) {
    const std::string& label = field == LabelField::Common ? clips[i].common : clips[i].emotion;
    const auto it = index.find(label);
    if (!label.empty() && it != index.end()) out[i] = it->second;
  }
  return out;
}

std::vector<std::string> speakersOfCorpus(const std::vector<Clip>& clips, const std::string& corpus) {
  std::set<std::string> s;
  for (const Clip& c : clips)
    if (c.corpus == corpus) s.insert(c.speaker);
  return {s.begin(), s.end()};
}

}  // namespace ser
