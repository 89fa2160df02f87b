// GUI responsiveness during training: the whole workbench window (offscreen unless a display is
// given) trains the compact CNN on a small synthetic demo corpus from its Training panel, while
//   - a 10 ms timer on the GUI thread records every gap between two of its ticks (event-loop
//     latency: what a user feels as a stall), with the GUI thread's own CPU time in the longest gap
//     (the rest of that gap is waiting for a core the training threads hold);
//   - QApplication::notify is timed, so the longest single event the GUI thread handled is named
//     (receiver class and event type): a stall the GUI causes itself points at its culprit.
// Prints one JSON object. Issue 4's goal: the GUI thread never stalls for 100 ms while training.
//   QT_QPA_PLATFORM=offscreen OPENBLAS_NUM_THREADS=1 build/benchmarks/bench_gui_latency --epochs 4
#include <CLI/CLI.hpp>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <map>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QMetaEnum>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <nlohmann/json.hpp>

#include "core/corpus/corpus_spec.h"
#include "core/demo/demo_corpus.h"
#include "ui/dataset/corpus_loader.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/workbench.h"
#include "ui/training/live_curves_view.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_form.h"

#include <QDoubleSpinBox>
#include <QSpinBox>

using namespace ser;

namespace {

qint64 threadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// Times every event the GUI thread delivers while `recording` is set.
class TimedApplication : public QApplication {
 public:
  using QApplication::QApplication;
  bool recording = false;
  qint64 longestUs = 0;
  QString longestWhat;
  // Events handled since the probe's last tick: time and count per "class event-type".
  std::map<QString, std::pair<qint64, int>> sinceTick;

  bool notify(QObject* receiver, QEvent* event) override {
    if (!recording) return QApplication::notify(receiver, event);
    QElapsedTimer t;
    t.start();
    const QEvent::Type type = event->type();  // the event may be gone afterwards
    const QString cls = QString::fromLatin1(receiver->metaObject()->className());
    const bool result = QApplication::notify(receiver, event);
    const qint64 us = t.nsecsElapsed() / 1000;
    const char* name = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
    const QString what = cls + QLatin1Char(' ') + QString::fromLatin1(name ? name : "?");
    auto& [total, count] = sinceTick[what];
    total += us;
    ++count;
    if (us > longestUs) {
      longestUs = us;
      longestWhat = what;
    }
    return result;
  }
};

double percentile(std::vector<qint64> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size() - 1) + 0.5));
  return double(v[i]);
}

}  // namespace

int main(int argc, char** argv) {
  TimedApplication app(argc, argv);
  CLI::App cli{"GUI event-loop latency while the Training panel trains"};
  int epochs = 4, actors = 4, batch = 8;
  double seconds = 1.0;
  std::string shots;
  cli.add_option("--epochs", epochs, "training epochs")->check(CLI::Range(1, 1000));
  cli.add_option("--actors", actors, "demo actors per corpus")->check(CLI::Range(3, 24));
  cli.add_option("--batch-size", batch, "samples per step")->check(CLI::Range(1, 512));
  cli.add_option("--clip-seconds", seconds, "clip length")->check(CLI::Range(0.5, 10.0));
  cli.add_option("--screenshots", shots, "save the window mid-training and at the end as PNGs here");
  CLI11_PARSE(cli, argc, argv);

  QStandardPaths::setTestModeEnabled(true);
  QTemporaryDir tmp;
  if (!tmp.isValid()) {
    std::cerr << "bench_gui_latency: no temporary folder\n";
    return 1;
  }
  qputenv("XDG_CACHE_HOME", tmp.filePath(QStringLiteral("cache")).toUtf8());
  DemoCorpusOptions o;
  o.actedActors = actors;
  o.crowdActors = actors;
  o.crowdSentences = 2;
  const QString demo = tmp.filePath(QStringLiteral("demo"));
  makeDemoCorpus(demo.toStdString(), o);

  MainWindow window;
  auto* workbench = new Workbench(&window);
  Experiment dataset;  // as the wizard starts it: Experiment's defaults, core's held-out speakers
  dataset.corpora = demoCorpusSpecs(demo);
  auto corpus = std::make_shared<Corpus>(loadCorpora(dataset.corpora, dataset.labelPolicy));
  dataset.split = defaultHeldOut(dataset, corpus->clips);
  window.setDataset(dataset, corpus);

  TrainingPanel* panel = workbench->training();
  panel->settings()->epochsSpin()->setValue(epochs);
  panel->settings()->batchSizeSpin()->setValue(batch);
  panel->settings()->clipSecondsSpin()->setValue(seconds);
  panel->setOutputDir(tmp.filePath(QStringLiteral("run")));
  window.resize(1280, 860);
  window.show();
  window.showPanel(MainWindow::Panel::Training);

  std::vector<qint64> gapsUs;
  qint64 maxGapUs = 0, maxGapBusyUs = 0, lastUs = -1, lastCpuUs = 0;
  nlohmann::json maxGapEvents = nlohmann::json::array();
  QElapsedTimer clock;
  QTimer probe;
  probe.setTimerType(Qt::PreciseTimer);
  probe.setInterval(10);
  QObject::connect(&probe, &QTimer::timeout, [&] {
    const qint64 now = clock.nsecsElapsed() / 1000;
    const qint64 cpu = threadCpuUs();
    const bool active = panel->isRunning();
    if (active && lastUs >= 0) {
      const qint64 gap = now - lastUs;
      gapsUs.push_back(gap);
      if (gap > maxGapUs) {
        maxGapUs = gap;
        maxGapBusyUs = cpu - lastCpuUs;
        std::vector<std::pair<qint64, std::string>> top;
        for (const auto& [what, tc] : app.sinceTick)
          top.emplace_back(tc.first, what.toStdString() + " x" + std::to_string(tc.second));
        std::sort(top.rbegin(), top.rend());
        maxGapEvents = nlohmann::json::array();
        for (std::size_t i = 0; i < std::min<std::size_t>(4, top.size()); ++i)
          maxGapEvents.push_back({{"what", top[i].second}, {"ms", double(top[i].first) / 1000.0}});
      }
    }
    lastUs = active ? now : -1;
    lastCpuUs = cpu;
    app.sinceTick.clear();
  });

  QString error;
  bool ended = false;
  QObject::connect(panel, &TrainingPanel::runFinished, [&] { ended = true; });
  QTimer shotTimer;
  if (!shots.empty()) {
    QDir().mkpath(QString::fromStdString(shots));
    // Mid-training: once half the epochs are drawn (the grab itself is not counted as a stall).
    QObject::connect(&shotTimer, &QTimer::timeout, [&] {
      if (!panel->isRunning() || panel->curves()->epochPointCount() < (epochs + 1) / 2) return;
      shotTimer.stop();
      app.recording = false;
      window.grab().save(QString::fromStdString(shots) + QStringLiteral("/training.png"));
      lastUs = -1;  // restart the gap measurement after the grab
      app.recording = true;
    });
    shotTimer.start(50);
  }
  QObject::connect(panel, &TrainingPanel::runFailed, [&](const QString&, const QString& message) {
    error = message;
    ended = true;
  });
  QObject::connect(panel, &TrainingPanel::runStopped, [&] { ended = true; });

  QTimer::singleShot(200, [&] {  // let the window settle first
    clock.start();
    probe.start();
    app.recording = true;
    panel->start();
  });
  QTimer quitWhenDone;
  QObject::connect(&quitWhenDone, &QTimer::timeout, [&] {
    if (ended) app.quit();
  });
  quitWhenDone.start(50);
  app.exec();
  app.recording = false;
  if (!shots.empty()) {
    QApplication::processEvents();
    window.grab().save(QString::fromStdString(shots) + QStringLiteral("/results.png"));
  }
  if (!error.isEmpty()) {
    std::cerr << "bench_gui_latency: training failed: " << error.toStdString() << "\n";
    return 1;
  }

  std::vector<qint64> gapsMs;
  for (qint64 g : gapsUs) gapsMs.push_back(g / 1000);
  const nlohmann::json out = {
      {"platform", QGuiApplication::platformName().toStdString()},
      {"epochs", epochs},
      {"clips", corpus->clips.size()},
      {"run_ms", clock.elapsed()},
      {"ticks", gapsUs.size()},
      {"gap_ms", {{"p50", percentile(gapsMs, 50)}, {"p95", percentile(gapsMs, 95)},
                  {"p99", percentile(gapsMs, 99)}, {"max", double(maxGapUs) / 1000.0}}},
      {"gaps_over_100_ms", std::count_if(gapsUs.begin(), gapsUs.end(), [](qint64 g) { return g >= 100000; })},
      {"max_gap_gui_busy_ms", double(maxGapBusyUs) / 1000.0},
      {"max_gap_events", maxGapEvents},
      {"longest_event_ms", double(app.longestUs) / 1000.0},
      {"longest_event", app.longestWhat.toStdString()},
      {"replots", panel->curves()->replotCount()}};
  std::cout << out.dump(2) << std::endl;
  return 0;
}
