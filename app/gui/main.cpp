// serwb-gui [--demo DIR] [--ravdess DIR] [--crema-d DIR] [--manifest CSV] [--run DIR]...
//           [--compare RUN --compare RUN...] [--runs]
//           [--predict PATH]... [--show dataset|training|results|clip-map|misclassified|predict|microphone|runs]
// serwb-gui --run DIR --export-report PDF   (headless: writes the report and exits)
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <cstdio>

#include "core/base/error.h"
#include "core/runs/run_record.h"
#include "core/runs/study_table.h"
#include "ui/report/report_exporter.h"

#include "ui/main_window/main_window.h"
#include "ui/main_window/workbench.h"
#include "ui/runs/runs_panel.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QGuiApplication::setDesktopFileName(QStringLiteral("io.github.serwb.SERWorkbench"));
  QApplication::setOrganizationName(QStringLiteral("SER Workbench"));
  QApplication::setApplicationName(QStringLiteral("serwb-gui"));
  QApplication::setApplicationDisplayName(QStringLiteral("SER Workbench"));
  QApplication::setApplicationVersion(QStringLiteral(SERWB_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/serwb.svg")));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Speech emotion recognition research workbench"));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption demo(QStringLiteral("demo"),
                                QStringLiteral("Open the synthetic demo corpus in DIR (written first if absent)."),
                                QStringLiteral("DIR"));
  const QCommandLineOption ravdess(QStringLiteral("ravdess"), QStringLiteral("Open a RAVDESS-layout corpus."),
                                   QStringLiteral("DIR"));
  const QCommandLineOption cremad(QStringLiteral("crema-d"), QStringLiteral("Open a CREMA-D-layout corpus."),
                                  QStringLiteral("DIR"));
  const QCommandLineOption manifest(QStringLiteral("manifest"), QStringLiteral("Open a manifest CSV."),
                                    QStringLiteral("CSV"));
  const QCommandLineOption run(QStringLiteral("run"),
                               QStringLiteral("Open a run folder (serwb train) or a study folder (serwb reproduce)."),
                               QStringLiteral("DIR"));
  const QCommandLineOption compare(
      QStringLiteral("compare"),
      QStringLiteral("Compare run folders side by side (give it twice or more)."), QStringLiteral("RUN"));
  const QCommandLineOption runs(QStringLiteral("runs"),
                                QStringLiteral("Show the Runs tab: every run and study trained or opened."));
  const QCommandLineOption exportReport(
      QStringLiteral("export-report"),
      QStringLiteral("With --run: write its PDF report to PDF without opening a window, and exit."),
      QStringLiteral("PDF"));
  const QCommandLineOption predict(
      QStringLiteral("predict"),
      QStringLiteral("Predict an audio file or a folder of them with the run's model (repeatable)."),
      QStringLiteral("PATH"));
  const QCommandLineOption show(
      QStringLiteral("show"),
      QStringLiteral("Open at a tab: dataset, training, results, clip-map, misclassified, predict, "
                     "microphone or runs."),
      QStringLiteral("TAB"));
  parser.addOptions({demo, ravdess, cremad, manifest, run, compare, runs, exportReport, predict, show});
  parser.process(app);

  if (parser.isSet(exportReport)) {
    if (!parser.isSet(run)) {
      std::fprintf(stderr, "serwb-gui: --export-report needs --run DIR\n");
      return 1;
    }
    const std::string dir = parser.value(run).toStdString();
    const QString pdf = parser.value(exportReport);
    try {
      const int pages = ser::isStudyFolder(dir) ? ser::exportStudyReport(ser::loadStudy(dir), pdf)
                                                : ser::exportRunReport(ser::loadRunRecord(dir), pdf);
      std::printf("%s: %d pages\n", qPrintable(pdf), pages);
      return 0;
    } catch (const ser::Error& e) {
      std::fprintf(stderr, "serwb-gui: %s\n", e.what());
      return 1;
    }
  }

  ser::MainWindow window;
  auto* workbench = new ser::Workbench(&window);
  window.show();

  if (parser.isSet(demo)) {
    window.openDemoCorpus(parser.value(demo));
  } else {
    std::vector<ser::CorpusSpec> specs;
    auto add = [&](const QCommandLineOption& option, ser::CorpusReader reader) {
      for (const QString& path : parser.values(option)) {
        ser::CorpusSpec spec;
        spec.reader = reader;
        spec.path = path.toStdString();
        specs.push_back(spec);
      }
    };
    add(ravdess, ser::CorpusReader::Ravdess);
    add(cremad, ser::CorpusReader::CremaD);
    add(manifest, ser::CorpusReader::Manifest);
    window.openCorpora(specs);
  }
  for (const QString& dir : parser.values(run)) workbench->openFolder(dir);
  if (parser.isSet(compare)) workbench->compareFolders(parser.values(compare));
  if (parser.isSet(runs)) window.setCurrentPanel(workbench->runs());
  if (parser.isSet(predict)) workbench->predictPaths(parser.values(predict));
  if (parser.isSet(show) && !workbench->showTab(parser.value(show))) {
    qWarning("serwb-gui: unknown --show tab '%s'", qPrintable(parser.value(show)));
    return 1;
  }
  return app.exec();
}
