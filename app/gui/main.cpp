// serwb-gui [--demo DIR] [--ravdess DIR] [--crema-d DIR] [--manifest CSV] [--run DIR]...
//           [--compare RUN --compare RUN...] [--runs]
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

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
  parser.addOptions({demo, ravdess, cremad, manifest, run, compare, runs});
  parser.process(app);

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
  return app.exec();
}
