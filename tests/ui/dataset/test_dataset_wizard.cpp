// The dataset wizard: layout detection, background scan with counts and skipped files, label and
// split choices edited into core's Experiment, core's rules shown on the page, and hand edits
// that survive Back and Next. SERWB_SCREENSHOT_DIR=DIR saves the label and split page as PNG.
#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/base/error.h"
#include "ravdess_fixture.h"
#include "ui/dataset/corpus_detect.h"
#include "ui/dataset/corpus_sources_page.h"
#include "ui/dataset/dataset_wizard.h"
#include "ui/dataset/label_split_page.h"
#include "ui/dataset/scan_page.h"

using namespace ser;

namespace {

// Count in the scan page's table for (corpus, emotion) and a column (2 male, 3 female, 5 total).
int tableCount(const QTableWidget* t, const QString& corpus, const QString& emotion, int column) {
  for (int r = 0; r < t->rowCount(); ++r)
    if (t->item(r, 0) && t->item(r, 0)->text() == corpus && t->item(r, 1)->text() == emotion)
      return t->item(r, column)->text().toInt();
  return -1;
}

bool listContains(const QListWidget* list, const QString& text) {
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->text().contains(text)) return true;
  return false;
}

}  // namespace

class DatasetWizardTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings writes to a test location
  }

  void detectsLayouts_data() {
    QTest::addColumn<QString>("relative");
    QTest::addColumn<int>("expected");  // -1 = not recognised
    QTest::newRow("ravdess root") << "rav" << int(CorpusReader::Ravdess);
    QTest::newRow("crema-d root") << "crema" << int(CorpusReader::CremaD);
    QTest::newRow("crema-d AudioWAV folder") << "crema/AudioWAV" << int(CorpusReader::CremaD);
    QTest::newRow("manifest csv") << "list.csv" << int(CorpusReader::Manifest);
    QTest::newRow("plain folder") << "other" << -1;
    QTest::newRow("missing path") << "nope" << -1;
  }
  void detectsLayouts() {
    QFETCH(QString, relative);
    QFETCH(int, expected);
    QTemporaryDir dir;
    QDir d(dir.path());
    d.mkpath(QStringLiteral("rav/Actor_01"));
    d.mkpath(QStringLiteral("crema/AudioWAV"));
    d.mkpath(QStringLiteral("other/sub"));
    QFile csv(d.filePath(QStringLiteral("list.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("path,emotion,speaker\n");
    csv.close();
    const auto reader = detectCorpusReader(d.filePath(relative).toStdString());
    QCOMPARE(reader ? int(*reader) : -1, expected);
    if (relative == QLatin1String("crema/AudioWAV"))
      QCOMPARE(QString::fromStdString(corpusRootFor(d.filePath(relative).toStdString(), CorpusReader::CremaD)),
               d.filePath(QStringLiteral("crema")));
  }

  void scansAndShowsCountsAndSkippedFiles() {
    QTemporaryDir dir;
    const auto fixture = test::writeRavdessFixture(dir.path());
    DatasetWizard wizard;
    QVERIFY(wizard.addPath(dir.path()));
    QVERIFY(!wizard.addPath(dir.path() + QStringLiteral("/Actor_01/does-not-exist")));
    QCOMPARE(wizard.sourcesPage()->sourceCount(), 1);
    QCOMPARE(int(wizard.sourcesPage()->specs().front().reader), int(CorpusReader::Ravdess));
    wizard.show();

    QSignalSpy finished(wizard.scanPage(), &ScanPage::scanFinished);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(DatasetWizard::ScanPageId));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(wizard.scanPage()->isComplete());

    const auto corpus = wizard.scanPage()->corpus();
    QVERIFY(corpus);
    QCOMPARE(int(corpus->clips.size()), fixture.clips);
    const QTableWidget* t = wizard.scanPage()->countsTable();
    QCOMPARE(tableCount(t, "ravdess", "angry", 2), 1);  // actor 01: male
    QCOMPARE(tableCount(t, "ravdess", "angry", 3), 1);  // actor 02: female
    QCOMPARE(tableCount(t, "ravdess", "calm", 5), 2);
    QCOMPARE(tableCount(t, "ravdess", "sad", 5), -1);  // the only sad clip is the corrupt one
    QCOMPARE(t->item(t->rowCount() - 1, 5)->text().toInt(), fixture.clips);  // "All" row
    QVERIFY(listContains(wizard.scanPage()->skippedList(), QStringLiteral("03-01-04-01-01-01-01.wav")));
    QVERIFY(!wizard.scanPage()->syntheticBannerShown());

    wizard.next();
    QCOMPARE(wizard.currentId(), int(DatasetWizard::LabelSplitPageId));
    LabelSplitPage* page = wizard.labelSplitPage();
    QCOMPARE(page->speakerTable()->rowCount(), 2);

    QCOMPARE(int(wizard.experiment().labels), int(Experiment{}.labels));  // core's one default
    page->setMode(SplitMode::Random);
    QVERIFY(page->randomWarning()->isVisible());
    QVERIFY(page->randomWarning()->text().contains(QStringLiteral("accuracy will be optimistic")));
    QCOMPARE(int(wizard.experiment().split.protocol), int(SplitProtocol::Random));  // edited in place

    page->setMode(SplitMode::HeldOutSpeakers);
    page->setTestSpeakers({"ravdess:02"});
    page->setLabelSet(LabelSetKind::Common6);
    page->setPolicy(CommonLabelPolicy::CalmToNeutral);
    QVERIFY2(page->errorLabel()->text().isEmpty(), qPrintable(page->errorLabel()->text()));
    wizard.button(QWizard::FinishButton)->click();
    QCOMPARE(wizard.result(), int(QDialog::Accepted));

    const Experiment& e = wizard.experiment();
    QCOMPARE(int(e.corpora.size()), 1);
    QCOMPARE(QString::fromStdString(e.corpora[0].path), QDir::cleanPath(dir.path()));
    QCOMPARE(int(e.labels), int(LabelSetKind::Common6));
    QCOMPARE(int(e.labelPolicy), int(CommonLabelPolicy::CalmToNeutral));
    QCOMPARE(int(e.split.protocol), int(SplitProtocol::Speakers));
    QCOMPARE(e.split.testSpeakers, std::vector<std::string>{"ravdess:02"});
    QVERIFY(e.split.validationSpeakers.empty());
    QVERIFY(e.testCorpora.empty());
    int calm = 0;
    for (const Clip& c : wizard.corpus()->clips)
      if (c.emotion == "calm") {
        QCOMPARE(QString::fromStdString(c.common), QStringLiteral("neutral"));
        ++calm;
      }
    QCOMPARE(calm, 2);
  }

  void labelsSyntheticCorpus() {
    QTemporaryDir dir;
    test::writeRavdessFixture(dir.path(), true);
    DatasetWizard wizard;
    QVERIFY(wizard.addPath(dir.path()));
    wizard.show();
    QSignalSpy finished(wizard.scanPage(), &ScanPage::scanFinished);
    wizard.next();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QVERIFY(wizard.scanPage()->syntheticBannerShown());
  }

  void failedScanBlocksTheWizard() {
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("Actor_01"));  // RAVDESS layout, but no clips
    DatasetWizard wizard;
    QVERIFY(wizard.addPath(dir.path()));
    wizard.show();
    QSignalSpy finished(wizard.scanPage(), &ScanPage::scanFinished);
    wizard.next();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(!wizard.scanPage()->isComplete());
    QVERIFY(!wizard.scanPage()->errorMessage().isEmpty());
  }

  // Reaches the label and split page of a wizard on the two-actor fixture.
  static bool toLabelPage(DatasetWizard& wizard, const QString& dir) {
    if (!wizard.addPath(dir)) return false;
    wizard.show();
    QSignalSpy finished(wizard.scanPage(), &ScanPage::scanFinished);
    wizard.next();
    if (!QTest::qWaitFor([&] { return finished.count() == 1; }, 10000)) return false;
    wizard.next();
    return wizard.currentId() == DatasetWizard::LabelSplitPageId;
  }

  // k greater than the number of speakers is refused on the page with core's message, and the
  // wizard cannot finish; a held-out split without a test speaker likewise.
  void pageShowsCoreRefusals() {
    QTemporaryDir dir;
    test::writeRavdessFixture(dir.path());
    DatasetWizard wizard;
    QVERIFY(toLabelPage(wizard, dir.path()));
    LabelSplitPage* page = wizard.labelSplitPage();
    QVERIFY2(page->errorLabel()->text().isEmpty(), qPrintable(page->errorLabel()->text()));

    page->setMode(SplitMode::KFold);
    page->foldsSpin()->setValue(3);  // 2 speakers
    QVERIFY(!page->validatePage());
    const QString message = page->errorLabel()->text();
    QVERIFY2(message.contains(QStringLiteral("folds")) && message.contains(QStringLiteral("number of speakers")),
             qPrintable(message));
    try {  // the same words as core's own check
      Experiment e = wizard.experiment();
      QCOMPARE(e.split.fold, -1);  // k-fold trains and tests every fold
      e.split.fold = 0;            // one of them, as core splits it
      (void)experimentSplit(e, wizard.scanPage()->corpus()->clips);
      QFAIL("core accepted k = 3 with 2 speakers");
    } catch (const ParameterError& e) {
      QCOMPARE(message, QString::fromStdString(e.what()));
    }
    if (const QByteArray shots = qgetenv("SERWB_SCREENSHOT_DIR"); !shots.isEmpty()) {
      wizard.resize(900, 700);
      QTest::qWait(50);
      QVERIFY(wizard.grab().save(QDir(QString::fromLocal8Bit(shots)).filePath(QStringLiteral("wizard-kfold-refused.png"))));
    }
    wizard.button(QWizard::FinishButton)->click();
    QVERIFY(wizard.isVisible());  // not accepted

    page->setMode(SplitMode::HeldOutSpeakers);
    QVERIFY(page->validatePage());
    page->setTestSpeakers({});
    QVERIFY(!page->validatePage());
    QVERIFY(page->errorLabel()->text().contains(QStringLiteral("test speaker")));
    page->setTestSpeakers({"ravdess:01", "ravdess:02"});  // nobody left to train
    QVERIFY(!page->validatePage());
    QVERIFY2(page->errorLabel()->text().contains(QStringLiteral("training")),
             qPrintable(page->errorLabel()->text()));
  }

  // The proposal is core's held-out policy; hand edits and the other choices survive Back and
  // Next, also when the way forward goes through the scan page again (a new scan).
  void handEditsSurviveBackAndNext() {
    QTemporaryDir dir;
    const auto fixture = test::writeRavdessFixture(dir.path());
    DatasetWizard wizard;
    QVERIFY(toLabelPage(wizard, dir.path()));
    LabelSplitPage* page = wizard.labelSplitPage();
    const SplitSpec proposal = defaultHeldOut(wizard.experiment(), wizard.scanPage()->corpus()->clips);
    QCOMPARE(page->testSpeakers(), proposal.testSpeakers);
    QCOMPARE(proposal.testSpeakers.size(), std::size_t(1));

    if (const QByteArray shots = qgetenv("SERWB_SCREENSHOT_DIR"); !shots.isEmpty()) {
      wizard.resize(900, 700);
      QTest::qWait(50);
      QVERIFY(wizard.grab().save(QDir(QString::fromLocal8Bit(shots)).filePath(QStringLiteral("wizard-split-page.png"))));
    }

    // Hand edits: the other actor tested, the first one for validation, common labels.
    const std::string other = proposal.testSpeakers[0] == "ravdess:01" ? "ravdess:02" : "ravdess:01";
    page->setTestSpeakers({other});
    page->setValidationSpeakers({proposal.testSpeakers[0]});
    page->setLabelSet(LabelSetKind::Common6);
    page->setPolicy(CommonLabelPolicy::CalmToNeutral);
    const std::string edited = toJson(wizard.experiment()).dump();

    for (int backSteps : {1, 2}) {
      QSignalSpy finished(wizard.scanPage(), &ScanPage::scanFinished);
      for (int i = 0; i < backSteps; ++i) wizard.back();
      QCOMPARE(wizard.currentId(), backSteps == 1 ? int(DatasetWizard::ScanPageId) : int(DatasetWizard::SourcesPageId));
      if (backSteps == 2) {  // forward through the scan page: it scans again
        wizard.next();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
      }
      wizard.next();
      QCOMPARE(wizard.currentId(), int(DatasetWizard::LabelSplitPageId));
      QCOMPARE(page->testSpeakers(), std::vector<std::string>{other});
      QCOMPARE(page->validationSpeakers(), std::vector<std::string>{proposal.testSpeakers[0]});
      QCOMPARE(toJson(wizard.experiment()).dump(), edited);
    }
    // A k-fold choice survives too.
    page->setMode(SplitMode::KFold);
    page->foldsSpin()->setValue(4);
    wizard.back();
    wizard.next();
    QCOMPARE(int(wizard.experiment().split.protocol), int(SplitProtocol::KFold));
    QCOMPARE(wizard.experiment().split.folds, 4);
    page->setMode(SplitMode::HeldOutSpeakers);
    QCOMPARE(page->testSpeakers(), std::vector<std::string>{other});
    QCOMPARE(int(wizard.scanPage()->corpus()->clips.size()), fixture.clips);
  }
};

QTEST_MAIN(DatasetWizardTest)
#include "test_dataset_wizard.moc"
