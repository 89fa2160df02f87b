// serwb-gui [--demo DIR] [--ravdess DIR] [--crema-d DIR] [--manifest CSV] [--run DIR]
//           [--predict PATH]... [--show results|clip-map|misclassified|predict|microphone]
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include "ui/main_window/main_window.h"
#include "ui/main_window/workbench.h"

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
  const QCommandLineOption predict(
      QStringLiteral("predict"),
      QStringLiteral("Predict an audio file or a folder of them with the run's model (repeatable)."),
      QStringLiteral("PATH"));
  const QCommandLineOption show(
      QStringLiteral("show"),
      QStringLiteral("Open at a tab: results, clip-map, misclassified, predict or microphone."),
      QStringLiteral("TAB"));
  parser.addOptions({demo, ravdess, cremad, manifest, run, predict, show});
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
  if (parser.isSet(run)) workbench->openFolder(parser.value(run));
  if (parser.isSet(predict)) workbench->predictPaths(parser.values(predict));
  if (parser.isSet(show) && !workbench->showTab(parser.value(show))) {
    qWarning("serwb-gui: unknown --show tab '%s'", qPrintable(parser.value(show)));
    return 1;
  }
  return app.exec();
}
