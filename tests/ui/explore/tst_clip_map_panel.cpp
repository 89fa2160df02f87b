// The clip map panel with a hand-made map over the run fixture's 24 test clips: a dragged
// rectangle selects exactly the dots inside; the one shared ClipSelection reaches the clip table,
// the confusion matrix and the Misclassified list, and a confusion cell reaches the map; colouring
// follows the chosen field; hover names the clip.
#include <QComboBox>
#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QtTest>
#include <set>

#include "tests/core/runs/run_fixture.h"
#include "ui/dataset/clip_preview.h"
#include "ui/explore/clip_map_panel.h"
#include "ui/explore/clip_map_view.h"
#include "ui/results/clip_selection.h"
#include "ui/results/confusion_matrix_view.h"
#include "ui/results/misclassified_panel.h"
#include "ui/results/results_panel.h"

using namespace ser;

namespace {

// The run's clips on a 6 x 4 grid: clip i at (i % 6, i / 6).
ClipMap gridMap(const RunRecord& run) {
  ClipMap map;
  map.labels = run.labels();
  for (std::size_t i = 0; i < run.predictions.size(); ++i) {
    const Prediction& pr = run.predictions[i];
    MapPoint p;
    p.path = pr.path;
    p.corpus = pr.corpus;
    p.speaker = pr.speaker;
    p.sex = pr.sex;
    p.truth = pr.truth;
    p.predicted = pr.predicted;
    p.probabilities = pr.probabilities;
    p.embedding = {float(i)};
    p.x = double(i % 6);
    p.y = double(i / 6);
    map.points.push_back(p);
  }
  return map;
}

void drag(QWidget* w, QPoint from, QPoint to) {
  QTest::mousePress(w, Qt::LeftButton, {}, from);
  QTest::mouseMove(w, (from + to) / 2);
  QTest::mouseMove(w, to);
  QTest::mouseRelease(w, Qt::LeftButton, {}, to);
}

}  // namespace

class TestClipMapPanel : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  RunRecord run_;

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings writes to a test location
    QVERIFY(tmp_.isValid());
    QVERIFY(testing::writeRunFixture(tmp_.filePath("run")));
    run_ = loadRunRecord(tmp_.filePath("run").toStdString());
    QCOMPARE(run_.predictions.size(), std::size_t(24));
  }

  void rectangleSelectsExactlyThePointsInside_data() {
    QTest::addColumn<QPointF>("from");  // data coordinates
    QTest::addColumn<QPointF>("to");
    QTest::newRow("top-left 2x2") << QPointF(-0.3, 3.3) << QPointF(1.3, 1.7);
    QTest::newRow("one column") << QPointF(4.6, -0.5) << QPointF(5.4, 3.5);
    QTest::newRow("dragged right to left") << QPointF(3.4, 0.5) << QPointF(0.6, 2.5);
    QTest::newRow("nothing inside") << QPointF(0.2, 0.2) << QPointF(0.8, 0.8);
  }
  void rectangleSelectsExactlyThePointsInside() {
    QFETCH(QPointF, from);
    QFETCH(QPointF, to);
    ClipSelection selection;
    selection.setRun(run_);
    ClipMapPanel panel;
    panel.setSelection(&selection);
    panel.resize(1100, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setMap(gridMap(run_));
    ClipMapView* view = panel.view();
    QCOMPARE(view->pointCount(), 24);
    // Data -> widget through two known dots: (0,0) is point 0 and (5,3) is point 23.
    const QPointF a = view->widgetPos(0), b = view->widgetPos(23);
    auto toWidget = [&](QPointF d) {
      return QPoint(int(a.x() + d.x() / 5.0 * (b.x() - a.x())), int(a.y() + d.y() / 3.0 * (b.y() - a.y())));
    };
    std::set<QString> expected;
    const QRectF box = QRectF(from, to).normalized();
    for (int i = 0; i < 24; ++i)
      if (box.contains(QPointF(i % 6, i / 6))) expected.insert(QString::fromStdString(run_.predictions[std::size_t(i)].path));
    drag(view, toWidget(from), toWidget(to));
    const std::set<QString> got(selection.paths().begin(), selection.paths().end());
    QCOMPARE(got, expected);
    // The map highlights exactly those dots, and the clip table lists exactly those clips
    // (an empty selection clears the filter: every clip is listed).
    for (int i = 0; i < 24; ++i)
      QCOMPARE(view->isHighlighted(i), expected.count(QString::fromStdString(run_.predictions[std::size_t(i)].path)) > 0);
    QCOMPARE(panel.table()->rowCount(), expected.empty() ? 24 : int(expected.size()));
    QCOMPARE(selection.isEmpty(), expected.empty());
  }

  void sharedSelectionReachesTheOtherViews() {
    ClipSelection selection;
    selection.setRun(run_);
    ClipMapPanel map;
    ResultsPanel results;
    MisclassifiedPanel misclassified;
    results.setRun(run_);
    misclassified.setRun(run_);
    map.setSelection(&selection);
    results.setSelection(&selection);
    misclassified.setSelection(&selection);
    map.resize(1100, 700);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.setMap(gridMap(run_));

    // Select the first two rows of the grid (clips 0-11) on the map.
    ClipMapView* view = map.view();
    const QPointF p0 = view->widgetPos(0), p11 = view->widgetPos(11);
    drag(view, (p0 + QPointF(-8, 8)).toPoint(), (p11 + QPointF(8, -8)).toPoint());
    QCOMPARE(selection.size(), 12);
    QCOMPARE(selection.origin(), ClipSelection::Origin::Map);
    // The confusion matrix outlines the cells of those 12 clips, with their counts.
    const int n = int(run_.labels().size());
    std::vector<std::vector<int>> expect(std::size_t(n), std::vector<int>(std::size_t(n), 0));
    int wrong = 0;
    for (int i = 0; i < 12; ++i) {
      const Prediction& p = run_.predictions[std::size_t(i)];
      ++expect[std::size_t(p.truth)][std::size_t(p.predicted)];
      wrong += p.truth != p.predicted;
    }
    int total = 0;
    for (int r = 0; r < n; ++r)
      for (int c = 0; c < n; ++c) {
        QCOMPARE(results.confusionView()->selectionCount(r, c), expect[std::size_t(r)][std::size_t(c)]);
        total += results.confusionView()->selectionCount(r, c);
      }
    QCOMPARE(total, 12);
    // The Misclassified list shows exactly the wrong ones among them.
    QVERIFY(misclassified.filtersToSelection());
    QCOMPARE(misclassified.visibleCount(), wrong);
    for (int r = 0; r < misclassified.table()->rowCount(); ++r) {
      const QString path = misclassified.table()->item(r, 0)->toolTip();
      QVERIFY2(selection.contains(path), qPrintable(path));
    }

    // A confusion cell (happy -> angry) selects its clips everywhere: the map highlights them.
    QTest::mouseClick(results.confusionView(), Qt::LeftButton, {}, results.confusionView()->cellRect(1, 3).center());
    // ResultsPanel only re-emits the click: the workbench turns it into the selection.
    selection.selectCell(QStringLiteral("happy"), QStringLiteral("angry"));
    QCOMPARE(selection.size(), 2);
    QCOMPARE(misclassified.trueFilter(), QStringLiteral("happy"));
    QCOMPARE(misclassified.predictedFilter(), QStringLiteral("angry"));
    QCOMPARE(misclassified.visibleCount(), 2);
    int lit = 0;
    for (int i = 0; i < view->pointCount(); ++i) {
      const Prediction& p = run_.predictions[std::size_t(i)];
      const bool cell = run_.labels()[std::size_t(p.truth)] == "happy" && run_.labels()[std::size_t(p.predicted)] == "angry";
      QCOMPARE(view->isHighlighted(i), cell);
      lit += cell;
    }
    QCOMPARE(lit, 2);
    QCOMPARE(map.table()->rowCount(), 2);
    QCOMPARE(results.confusionView()->selectionCount(1, 3), 2);

    // Clicking empty map space clears the selection everywhere.
    const QRect plot = view->plotRect();
    QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(plot.left() + 2, plot.top() + 2) + QPoint(0, 0));
    QVERIFY(selection.isEmpty());
    QCOMPARE(misclassified.visibleCount(), 6);
    QCOMPARE(results.confusionView()->selectionCount(1, 3), 0);
    QCOMPARE(map.table()->rowCount(), 24);
  }

  void coloursFollowTheChosenField() {
    ClipMapPanel panel;
    panel.setMap(gridMap(run_));
    auto* combo = panel.findChildren<QComboBox*>().first();
    ClipMapView* view = panel.view();
    panel.setColourBy(ClipMapPanel::ColourBy::TrueEmotion);
    for (int i = 0; i < 24; ++i) QCOMPARE(view->category(i), run_.predictions[std::size_t(i)].truth);
    panel.setColourBy(ClipMapPanel::ColourBy::Correct);
    for (int i = 0; i < 24; ++i) {
      const Prediction& p = run_.predictions[std::size_t(i)];
      QCOMPARE(view->category(i), p.truth == p.predicted ? 0 : 1);
    }
    panel.setColourBy(ClipMapPanel::ColourBy::Speaker);
    std::set<int> speakers;
    for (int i = 0; i < 24; ++i) speakers.insert(view->category(i));
    QCOMPARE(speakers.size(), std::size_t(4));
    for (int i = 0; i < 24; ++i)
      for (int j = 0; j < 24; ++j)
        QCOMPARE(view->category(i) == view->category(j),
                 run_.predictions[std::size_t(i)].speaker == run_.predictions[std::size_t(j)].speaker);
    QVERIFY(combo->count() >= 6);
  }

  void hoverAndClickFindTheClip() {
    ClipMapPanel panel;
    panel.resize(1100, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setMap(gridMap(run_));
    ClipMapView* view = panel.view();
    QSignalSpy hovered(view, &ClipMapView::pointHovered);
    QSignalSpy clicked(view, &ClipMapView::pointClicked);
    const QPoint at = view->widgetPos(7).toPoint() + QPoint(2, 1);
    QCOMPARE(view->pointAt(at), 7);
    QTest::mouseMove(view, at);
    QTRY_VERIFY(!hovered.isEmpty());
    QCOMPARE(hovered.last().at(0).toInt(), 7);
    QTest::mouseClick(view, Qt::LeftButton, {}, at);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 7);
    // Clicking plays the clip: the preview loads it (the fixture's audio does not exist: it says so).
    QTRY_VERIFY(!panel.preview()->isLoading());
  }

  void aRunWithoutANetworkSaysSo() {
    ClipMapPanel panel;
    panel.show();
    panel.setRun(run_);  // the fixture has no checkpoint
    QTRY_VERIFY(panel.status()->text().contains(QStringLiteral("No clip map")));
    QVERIFY(panel.status()->text().contains(QStringLiteral("best.ckpt")));
  }
};

QTEST_MAIN(TestClipMapPanel)
#include "tst_clip_map_panel.moc"
