// Dataset browser speed on a large clip table: how long the GUI thread takes to load N clips into
// the browser (model, proxy, filter combos) and to apply each kind of filter and a sort, with the
// browser shown (offscreen unless a display is given) so the view's own work counts too.
// Prints one JSON object of milliseconds. Issue 4: "tens of thousands of rows stay fast".
//   QT_QPA_PLATFORM=offscreen build/benchmarks/bench_browser --clips 100000
#include <CLI/CLI.hpp>

#include <QApplication>
#include <QElapsedTimer>
#include <QTableView>
#include <iostream>

#include <nlohmann/json.hpp>

#include "ui/dataset/clip_filter_proxy.h"
#include "ui/dataset/clip_table_model.h"
#include "ui/dataset/dataset_browser.h"

using namespace ser;

namespace {

// `n` clips over 3 corpora, 300 speakers (odd male), 6 emotions, durations 1-5 s.
std::shared_ptr<Corpus> syntheticCorpus(int n) {
  static const char* emotions[] = {"neutral", "happy", "sad", "angry", "fearful", "disgust"};
  static const char* corpora[] = {"ravdess", "crema-d", "manifest"};
  auto corpus = std::make_shared<Corpus>();
  corpus->clips.reserve(std::size_t(n));
  for (int i = 0; i < n; ++i) {
    Clip& c = corpus->clips.emplace_back();
    c.corpus = corpora[i % 3];
    const int speaker = (i / 3) % 100;
    c.speaker = c.corpus + ":" + std::to_string(speaker);
    c.sex = speaker % 2 ? Sex::Male : Sex::Female;
    c.emotion = emotions[(i / 7) % 6];
    c.common = c.emotion;
    c.path = "/data/" + c.corpus + "/speaker_" + std::to_string(speaker) + "/clip_" + std::to_string(i) + ".wav";
    c.sampleRate = 16000;
    c.frames = 16000 + (i * 7919) % 64000;
  }
  return corpus;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  CLI::App cli{"Dataset browser: load, filter and sort times on a large clip table"};
  int clips = 100000;
  cli.add_option("--clips", clips, "rows")->check(CLI::Range(1, 10000000));
  CLI11_PARSE(cli, argc, argv);

  const auto corpus = syntheticCorpus(clips);
  DatasetBrowser browser;
  browser.resize(1200, 800);
  browser.show();
  QApplication::processEvents();

  nlohmann::json ms = nlohmann::json::object();
  QElapsedTimer t;
  auto step = [&](const std::string& name, const std::function<void()>& f) {
    t.start();
    f();
    QApplication::processEvents();  // the view's relayout and repaint
    ms[name] = double(t.nsecsElapsed()) / 1e6;
    return browser.proxy()->rowCount();
  };
  nlohmann::json rows = nlohmann::json::object();
  rows["load"] = step("load", [&] { browser.setCorpus(corpus); });
  rows["corpus_filter"] = step("corpus_filter", [&] { browser.setCorpusFilter(QStringLiteral("crema-d")); });
  rows["emotion_filter"] = step("emotion_filter", [&] { browser.setEmotionFilter(QStringLiteral("angry")); });
  rows["sex_filter"] = step("sex_filter", [&] { browser.setSexFilter(QStringLiteral("female")); });
  rows["clear_filters"] = step("clear_filters", [&] { browser.clearFilters(); });
  rows["speaker_filter"] = step("speaker_filter", [&] { browser.setSpeakerFilter(QStringLiteral("ravdess:42")); });
  browser.clearFilters();
  rows["text_filter"] = step("text_filter", [&] { browser.setTextFilter(QStringLiteral("clip_9999")); });
  browser.clearFilters();
  rows["sort_duration"] = step("sort_duration", [&] {
    browser.tableView()->sortByColumn(ClipTableModel::DurationColumn, Qt::DescendingOrder);
  });
  rows["sort_speaker"] = step("sort_speaker", [&] {
    browser.tableView()->sortByColumn(ClipTableModel::SpeakerColumn, Qt::AscendingOrder);
  });
  const nlohmann::json out = {{"platform", QGuiApplication::platformName().toStdString()},
                              {"clips", clips},
                              {"ms", ms},
                              {"rows_shown", rows}};
  std::cout << out.dump(2) << std::endl;
  return 0;
}
