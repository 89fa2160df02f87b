// ui/common/view_export: every view type exported as SVG (valid, the asked size, its labels as
// text, vectors) and PNG (the asked pixels and DPI), through the right-click Export... dialog too.
#include <QAction>
#include <QApplication>
#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <cmath>
#include <functional>
#include <memory>

#include "core/base/error.h"
#include "core/features/log_mel.h"
#include "core/runs/run_record.h"
#include "core/runs/study_table.h"
#include "tests/core/runs/run_fixture.h"
#include "ui/common/color_map.h"
#include "ui/common/export_dialog.h"
#include "ui/common/view_export.h"
#include "ui/dataset/spectrogram_view.h"
#include "ui/dataset/waveform_view.h"
#include "ui/results/bias_chart_view.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/results_panel.h"
#include "ui/results/speaker_accuracy_chart.h"
#include "ui/results/study_table_panel.h"
#include "ui/results/training_curves_view.h"

using ViewFactory = std::function<std::shared_ptr<QWidget>()>;
Q_DECLARE_METATYPE(ViewFactory)

namespace {

ser::RunRecord fixtureRun(const QString& dir) {
  if (!ser::testing::writeRunFixture(dir)) return {};
  return ser::loadRunRecord(dir.toStdString());
}

std::shared_ptr<const ser::MonoAudio> sine() {
  auto audio = std::make_shared<ser::MonoAudio>();
  audio->sampleRate = 16000;
  for (int i = 0; i < 16000; ++i)
    audio->samples.push_back(float(0.5 * std::sin(2 * M_PI * 440 * i / 16000.0) * (i < 8000 ? 1.0 : 0.2)));
  return audio;
}

QString readText(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

}  // namespace

class TestViewExport : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  ser::RunRecord run_;
  ser::StudyTable study_;

 private slots:
  void initTestCase() {
    run_ = fixtureRun(tmp_.filePath("acted-cnn"));
    QVERIFY(!run_.labels().empty());
    QVERIFY(ser::testing::writeStudyFixture(tmp_.filePath("study")));
    study_ = ser::loadStudy(tmp_.filePath("study").toStdString());
  }

  void everyViewAsSvgAndPng_data() {
    QTest::addColumn<ViewFactory>("make");
    QTest::addColumn<QString>("label");   // text the figure must carry
    QTest::addColumn<bool>("vector");     // no embedded raster image
    const ser::RunRecord run = run_;
    const ser::StudyTable study = study_;
    QTest::newRow("confusion matrix") << ViewFactory([run] {
      auto v = std::make_shared<ser::ConfusionMatrixView>();
      QStringList labels;
      for (const auto& l : run.labels()) labels << QString::fromStdString(l);
      std::vector<std::vector<double>> counts;
      for (const auto& r : run.metrics.confusion) counts.emplace_back(r.begin(), r.end());
      v->setMatrix(labels, counts);
      return std::shared_ptr<QWidget>(v);
    }) << "Predicted" << true;
    QTest::newRow("bias chart") << ViewFactory([run] {
      auto v = std::make_shared<ser::BiasChartView>();
      v->setRun(run);
      return std::shared_ptr<QWidget>(v);
    }) << "female" << true;
    QTest::newRow("speaker accuracy") << ViewFactory([run] {
      auto v = std::make_shared<ser::SpeakerAccuracyChart>();
      v->setRun(run);
      return std::shared_ptr<QWidget>(v);
    }) << "Accuracy per test speaker" << true;
    QTest::newRow("training curves") << ViewFactory([run] {
      auto v = std::make_shared<ser::TrainingCurvesView>();
      v->setRun(run);
      return std::shared_ptr<QWidget>(v);
    }) << "Epoch" << true;
    QTest::newRow("study chart") << ViewFactory([study] {
      auto panel = std::make_shared<ser::StudyTablePanel>();
      panel->setStudy(study);
      QChartView* chart = panel->biasChart();
      chart->setParent(nullptr);
      // The chart outlives the panel it came from.
      return std::shared_ptr<QWidget>(chart);
    }) << "WA by sex per experiment" << true;
    QTest::newRow("waveform") << ViewFactory([] {
      auto v = std::make_shared<ser::WaveformView>();
      v->setAudio(sine());
      return std::shared_ptr<QWidget>(v);
    }) << "0.0 s" << true;
    QTest::newRow("spectrogram") << ViewFactory([] {
      auto v = std::make_shared<ser::SpectrogramView>();
      ser::LogMelParams params;
      const ser::LogMel logMel(params);
      v->setSpectrogram(logMel.compute(sine()->samples), 0.01, 0.0, 8000.0);
      return std::shared_ptr<QWidget>(v);
    }) << "Hz (mel)" << false;  // the heat map is an image inside the vector drawing
  }

  void everyViewAsSvgAndPng() {
    QFETCH(ViewFactory, make);
    QFETCH(QString, label);
    QFETCH(bool, vector);
    const std::shared_ptr<QWidget> view = make();
    // (A view cannot be smaller than its minimum: the two-chart bias view is wider than 640.)
    view->resize(QSize(640, 400).expandedTo(view->minimumSizeHint()));
    const QSize before = view->size();

    ser::FigureSize size;
    size.pixels = QSize(1500, 1000);
    size.dpi = 250;
    const QString svgPath = tmp_.filePath(QString(QTest::currentDataTag()).replace(' ', '-') + ".svg");
    ser::exportFigure(view.get(), svgPath, ser::FigureFormat::Svg, size);
    QSvgRenderer svg(svgPath);
    QVERIFY(svg.isValid());
    // Laid out at 1500 px / 250 dpi = 6 in = 576 logical px (96 per inch), 384 tall.
    const QSize layout = size.layoutSize(view.get());
    // (Views whose minimum size is larger, such as the two-chart bias view, are held at it.)
    QCOMPARE(layout, QSize(576, 384).expandedTo(view->minimumSizeHint()));
    // The view box is the layout (QSvgRenderer's defaultSize() reads the mm size at 90 dpi instead).
    QCOMPARE(svg.viewBox(), QRect(QPoint(0, 0), layout));
    const QString text = readText(svgPath);
    QVERIFY2(text.contains(label), qPrintable(label));
    // Its printed width: the layout at 96 per inch (6 in = 152.4 mm when not held at the minimum).
    const auto width = QRegularExpression(QStringLiteral("width=\"([0-9.]+)mm\"")).match(text);
    QVERIFY(width.hasMatch());
    QVERIFY2(std::abs(width.captured(1).toDouble() - layout.width() / 96.0 * 25.4) < 0.5, qPrintable(width.captured(1)));
    QCOMPARE(text.contains(QStringLiteral("<image")), !vector);

    const QString pngPath = tmp_.filePath(QString(QTest::currentDataTag()).replace(' ', '-') + ".png");
    ser::exportFigure(view.get(), pngPath, ser::FigureFormat::Png, size);
    const QImage png(pngPath);
    QCOMPARE(png.size(), QSize(1500, 1000));
    QCOMPARE(png.dotsPerMeterX(), int(std::lround(250 / 0.0254)));
    QCOMPARE(png.dotsPerMeterY(), int(std::lround(250 / 0.0254)));
    // Something was drawn: not one flat colour.
    const QImage small = png.scaled(60, 40);
    QSet<QRgb> colours;
    for (int y = 0; y < small.height(); ++y)
      for (int x = 0; x < small.width(); ++x) colours.insert(small.pixel(x, y));
    QVERIFY(colours.size() > 3);
    QCOMPARE(view->size(), before);  // put back after drawing
    if (qEnvironmentVariableIsSet("SERWB_SNAPSHOT_DIR")) {
      const QString dir = qEnvironmentVariable("SERWB_SNAPSHOT_DIR");
      QFile::copy(svgPath, dir + "/" + QFileInfo(svgPath).fileName());
    }
  }

  void dpiScalesTheLayoutNotThePixels() {
    ser::ConfusionMatrixView view;
    view.setMatrix({"a", "b"}, {{3, 1}, {0, 4}});
    ser::FigureSize size;
    size.pixels = QSize(960, 960);
    size.dpi = 96;
    QCOMPARE(size.layoutSize(&view), QSize(960, 960));
    size.dpi = 192;
    QCOMPARE(size.layoutSize(&view), QSize(480, 480));
    size.dpi = 2400;  // would be 38 px: held at the view's minimum size
    QCOMPARE(size.layoutSize(&view), view.minimumSizeHint());
    const QImage image = ser::renderImage(&view, size);
    QCOMPARE(image.size(), QSize(960, 960));
  }

  void badTargetsNameTheFile() {
    ser::ConfusionMatrixView view;
    view.setMatrix({"a", "b"}, {{3, 1}, {0, 4}});
    const QString bad = tmp_.filePath("no/such/folder/figure.svg");
    try {
      ser::exportFigure(&view, bad, ser::FigureFormat::Svg, {});
      QFAIL("no error");
    } catch (const ser::Error& e) {
      QVERIFY2(QString(e.what()).contains(bad), e.what());
    }
    ser::FigureSize zero;
    zero.pixels = QSize(0, 10);
    QVERIFY_THROWS_EXCEPTION(ser::Error, ser::exportFigure(&view, tmp_.filePath("z.png"), ser::FigureFormat::Png, zero));
    QCOMPARE(ser::figureFormatOf("a/b.SVG"), ser::FigureFormat::Svg);
    QCOMPARE(ser::figureFormatOf("a/b.png"), ser::FigureFormat::Png);
  }

  void rightClickExportWritesTheFileTheDialogNames() {
    ser::ResultsPanel panel;
    panel.setRun(run_);
    panel.resize(900, 700);
    QWidget* views[] = {panel.confusionView(), panel.biasView(), panel.speakerChart(),
                        panel.curvesView()->lossChart(), panel.curvesView()->accuracyChart()};
    for (QWidget* v : views) {
      QCOMPARE(v->contextMenuPolicy(), Qt::ActionsContextMenu);
      QVERIFY(v->findChild<QAction*>(QStringLiteral("exportFigureAction")));
    }
    QAction* action = panel.confusionView()->findChild<QAction*>(QStringLiteral("exportFigureAction"));
    const QString target = tmp_.filePath("from-dialog.svg");
    bool seen = false;
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<ser::ExportDialog*>(QApplication::activeModalWidget());
      if (!dialog) return;
      seen = true;
      dialog->setPath(target);
      QCOMPARE(dialog->format(), ser::FigureFormat::Svg);
      dialog->dpiBox()->setValue(192);
      dialog->widthBox()->setValue(800);  // aspect kept: the height follows
      dialog->accept();
    });
    action->trigger();
    QVERIFY(seen);
    QSvgRenderer svg(target);
    QVERIFY(svg.isValid());
    QCOMPARE(svg.viewBox().width(), 400);  // 800 px at 192 dpi: laid out 400 logical px wide
  }

  void dialogKeepsAspectAndSuffix() {
    ser::FigureSize initial;
    initial.pixels = QSize(1200, 600);
    ser::ExportDialog dialog(initial, QStringLiteral("confusion"));
    QVERIFY(dialog.path().endsWith(QStringLiteral("confusion.png")));
    dialog.heightBox()->setValue(300);
    QCOMPARE(dialog.figureSize().pixels, QSize(600, 300));
    dialog.setPath(QStringLiteral("/tmp/x.svg"));
    QCOMPARE(dialog.format(), ser::FigureFormat::Svg);
    QCOMPARE(dialog.path(), QStringLiteral("/tmp/x.svg"));
  }

  void chartLabelsAreNeverElided() {
    ser::RunRecord run = run_;
    run.metrics.labels[1] = "happily-surprised-and-excited";
    auto* panel = new ser::StudyTablePanel;
    panel->setStudy(study_);
    ser::BiasChartView bias;
    bias.setRun(run);
    ser::SpeakerAccuracyChart speakers;
    speakers.setRun(run);
    for (QWidget* w : std::initializer_list<QWidget*>{&bias, &speakers, panel}) {
      w->setAttribute(Qt::WA_DontShowOnScreen);
      w->resize(560, 380);  // narrow: QtCharts would elide these category labels
      w->show();
      QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
      QList<QChartView*> views = w->findChildren<QChartView*>();
      if (auto* self = qobject_cast<QChartView*>(w)) views << self;
      QVERIFY(!views.isEmpty());
      for (QChartView* v : views)
        for (QAbstractAxis* axis : v->chart()->axes())
          QVERIFY2(!axis->labelsTruncated(), qPrintable(v->chart()->title()));
    }
    delete panel;
  }

  void spectrogramViewShowsTheEngineImage() {
    // The GUI's heat map is core's renderLogMel: what `serwb export-spectrograms` writes.
    ser::FeatureMatrix m(4, 6);
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 6; ++c) m.at(r, c) = -0.5f * float(r * 6 + c);
    ser::SpectrogramView view;
    view.setSpectrogram(m, 0.01, 0, 8000);
    const ser::ArgbImage core = ser::renderLogMel(m);
    QCOMPARE(view.image().size(), QSize(core.width, core.height));
    for (int y = 0; y < core.height; ++y)
      for (int x = 0; x < core.width; ++x) QCOMPARE(view.image().pixel(x, y), QRgb(core.at(x, y)));
  }
};

QTEST_MAIN(TestViewExport)
#include "tst_view_export.moc"
