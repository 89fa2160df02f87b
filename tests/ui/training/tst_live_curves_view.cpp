// The live curves' legends sit under the plots, so no curve is ever hidden behind them (they
// used to be inset in a corner, over the validation curves of a poor run).
#include <QtTest>
#include <qcustomplot.h>

#include "core/train/training_observer.h"
#include "ui/training/live_curves_view.h"

using namespace ser;

class TestLiveCurvesView : public QObject {
  Q_OBJECT
 private slots:
  void legendsDoNotCoverTheCurves();
};

void TestLiveCurvesView::legendsDoNotCoverTheCurves() {
  LiveCurvesView view;
  view.resize(1000, 320);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  // A poor run: validation accuracy low and flat, training accuracy rising: every corner of the
  // accuracy plot holds a curve.
  for (int e = 1; e <= 10; ++e) {
    EpochStats s;
    s.epoch = e;
    s.train_loss = 2.0 - 0.15 * e;
    s.val_loss = 0.2 + 0.15 * e;
    s.train_acc = 0.1 * e;
    s.val_acc = 0.05;
    s.val_uar = 0.08;
    view.addEpoch(s);
  }
  QTest::qWait(LiveCurvesView::kReplotIntervalMs * 3);
  for (QCustomPlot* plot : {view.lossPlot(), view.metricPlot()}) {
    plot->replot();
    QVERIFY(plot->legend->visible());
    QCOMPARE(plot->legend->itemCount(), 3);
    const QRect legend = plot->legend->outerRect();
    const QRect area = plot->axisRect()->rect();
    QVERIFY2(!legend.intersects(area), qPrintable(QString("legend %1,%2 %3x%4 inside the plot")
                                                      .arg(legend.x()).arg(legend.y())
                                                      .arg(legend.width()).arg(legend.height())));
    QVERIFY(legend.top() >= area.bottom());  // under it
    QVERIFY(legend.width() > 0 && legend.height() > 0);
  }
}

QTEST_MAIN(TestLiveCurvesView)
#include "tst_live_curves_view.moc"
