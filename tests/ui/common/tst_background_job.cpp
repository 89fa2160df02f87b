// ui/common's worker plumbing: a flood of engine progress reports reaches the GUI thread
// coalesced (few signals, in order, the last one always delivered before the job's outcome), and
// a job's exception arrives as failed(message).
#include <atomic>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include "ui/common/background_job.h"
#include "ui/common/progress_adapter.h"

using namespace ser;

class TestBackgroundJob : public QObject {
  Q_OBJECT
 private slots:
  void floodOfReportsIsCoalescedInOrderAndEndsWithTheLast();
  void adapterDeliversOnlyWhatIsPendingAndKeepsItsInterval();
  void exceptionArrivesAsFailed();
  void cancelStopsTheWork();
};

void TestBackgroundJob::floodOfReportsIsCoalescedInOrderAndEndsWithTheLast() {
  constexpr std::size_t kReports = 20000;
  BackgroundJob job([](ProgressReporter& p, const CancelFlag&) {
    for (std::size_t i = 1; i <= kReports; ++i) {
      p.progress(i, kReports, "clip " + std::to_string(i));
      if (i % 2000 == 0) QThread::msleep(20);  // a job that reports for a while
    }
  });
  std::vector<qulonglong> done;
  QString lastItem;
  bool progressAfterOutcome = false, ended = false;
  connect(&job, &BackgroundJob::progressed, this, [&](qulonglong d, qulonglong total, const QString& item) {
    QCOMPARE(total, qulonglong(kReports));
    done.push_back(d);
    lastItem = item;
    progressAfterOutcome = progressAfterOutcome || ended;
  });
  QSignalSpy succeeded(&job, &BackgroundJob::succeeded);
  connect(&job, &BackgroundJob::finished, this, [&] { ended = true; });
  QElapsedTimer clock;
  clock.start();
  job.start();
  QTRY_VERIFY_WITH_TIMEOUT(ended, 20000);
  const qint64 elapsed = clock.elapsed();
  QCOMPARE(succeeded.count(), 1);
  QVERIFY(!done.empty());
  QVERIFY(!progressAfterOutcome);
  QCOMPARE(done.back(), qulonglong(kReports));  // the final report is never dropped
  QCOMPARE(lastItem, QStringLiteral("clip %1").arg(kReports));
  QVERIFY(std::is_sorted(done.begin(), done.end()));
  // At most one signal per interval (+ the first and the flushed last), never one per report.
  QVERIFY2(qint64(done.size()) <= elapsed / ProgressAdapter::kMinIntervalMs + 2,
           qPrintable(QStringLiteral("%1 signals in %2 ms").arg(done.size()).arg(elapsed)));
  QVERIFY(done.size() < kReports / 100);
}

void TestBackgroundJob::adapterDeliversOnlyWhatIsPendingAndKeepsItsInterval() {
  ProgressAdapter adapter;
  QSignalSpy spy(&adapter, &ProgressAdapter::progressed);
  adapter.flush();  // nothing reported yet
  QCOMPARE(spy.count(), 0);
  adapter.progress(1, 3, "a");
  adapter.progress(2, 3, "b");
  QCOMPARE(spy.count(), 0);  // delivery is queued, not direct
  QTRY_COMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).toULongLong(), 2ull);
  QCOMPARE(spy.at(0).at(2).toString(), QStringLiteral("b"));
  QElapsedTimer clock;
  clock.start();
  adapter.progress(3, 3, "c");
  QTRY_COMPARE(spy.count(), 2);
  // The second signal waited for the interval since the first (timer slack allowed below it).
  QVERIFY2(clock.elapsed() >= ProgressAdapter::kMinIntervalMs - 15, qPrintable(QString::number(clock.elapsed())));
  QCOMPARE(spy.at(1).at(0).toULongLong(), 3ull);
  adapter.flush();
  QCOMPARE(spy.count(), 2);  // already delivered: nothing more
}

void TestBackgroundJob::exceptionArrivesAsFailed() {
  BackgroundJob job([](ProgressReporter&, const CancelFlag&) { throw std::runtime_error("/data/x.wav: corrupt"); });
  QSignalSpy failed(&job, &BackgroundJob::failed);
  QSignalSpy finished(&job, &BackgroundJob::finished);
  job.start();
  QTRY_COMPARE(finished.count(), 1);
  QCOMPARE(failed.count(), 1);
  QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("/data/x.wav: corrupt"));
  QVERIFY(!job.isRunning());
}

void TestBackgroundJob::cancelStopsTheWork() {
  std::atomic<int> units{0};
  BackgroundJob job([&](ProgressReporter&, const CancelFlag& cancel) {
    while (!cancel.cancelled() && units < 100000) {
      ++units;
      QThread::msleep(1);
    }
  });
  QSignalSpy cancelled(&job, &BackgroundJob::cancelled);
  QSignalSpy succeeded(&job, &BackgroundJob::succeeded);
  job.start();
  QTRY_VERIFY(units > 5);
  job.cancel();
  QTRY_COMPARE(cancelled.count(), 1);
  QCOMPARE(succeeded.count(), 0);
  QVERIFY(units < 100000);
}

QTEST_MAIN(TestBackgroundJob)
#include "tst_background_job.moc"
