// The dataset wizard: layout detection, background scan with counts and skipped files, label and
// split choices, and the Qt-free result.
#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
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

    page->setProtocol(SplitChoiceProtocol::Random);
    QVERIFY(page->randomWarning()->isVisible());
    QVERIFY(page->randomWarning()->text().contains(QStringLiteral("accuracy will be optimistic")));

    page->setProtocol(SplitChoiceProtocol::SpeakerIndependent);
    page->setTestSpeakers({"ravdess:02"});
    page->setPolicy(CommonLabelPolicy::CalmToNeutral);
    wizard.button(QWizard::FinishButton)->click();
    QCOMPARE(wizard.result(), int(QDialog::Accepted));

    const DatasetSelection& s = wizard.selection();
    QCOMPARE(int(s.corpora.size()), 1);
    QCOMPARE(QString::fromStdString(s.corpora[0].path), QDir::cleanPath(dir.path()));
    QCOMPARE(int(s.policy), int(CommonLabelPolicy::CalmToNeutral));
    QCOMPARE(int(s.split.protocol), int(SplitChoiceProtocol::SpeakerIndependent));
    QCOMPARE(s.split.testSpeakers, std::vector<std::string>{"ravdess:02"});
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

  void splitValidation_data() {
    QTest::addColumn<int>("protocol");
    QTest::addColumn<QStringList>("test");
    QTest::addColumn<QStringList>("validation");
    QTest::addColumn<int>("folds");
    QTest::addColumn<QString>("badParameter");  // empty = valid
    const int si = int(SplitChoiceProtocol::SpeakerIndependent), kf = int(SplitChoiceProtocol::KFold);
    QTest::newRow("held-out speakers") << si << QStringList{"a:1"} << QStringList{"a:2"} << 5 << "";
    QTest::newRow("no test speaker") << si << QStringList{} << QStringList{"a:2"} << 5 << "testSpeakers";
    QTest::newRow("speaker in both") << si << QStringList{"a:1"} << QStringList{"a:1"} << 5 << "validationSpeakers";
    QTest::newRow("k = 5") << kf << QStringList{} << QStringList{} << 5 << "";
    QTest::newRow("k = 1") << kf << QStringList{} << QStringList{} << 1 << "folds";
    QTest::newRow("k = 21") << kf << QStringList{} << QStringList{} << 21 << "folds";
  }
  void splitValidation() {
    QFETCH(int, protocol);
    QFETCH(QStringList, test);
    QFETCH(QStringList, validation);
    QFETCH(int, folds);
    QFETCH(QString, badParameter);
    SplitChoice s;
    s.protocol = SplitChoiceProtocol(protocol);
    for (const auto& t : test) s.testSpeakers.push_back(t.toStdString());
    for (const auto& v : validation) s.validationSpeakers.push_back(v.toStdString());
    s.folds = folds;
    try {
      s.validate();
      QVERIFY2(badParameter.isEmpty(), "expected a ParameterError");
    } catch (const ParameterError& e) {
      QCOMPARE(QString::fromStdString(e.parameter()), badParameter);
    }
  }

  void proposesHeldOutSpeakersPerCorpus() {
    std::vector<std::string> ids;
    for (int i = 1; i <= 10; ++i) ids.push_back("a:" + std::to_string(100 + i));
    ids.push_back("b:1");
    ids.push_back("b:2");
    std::vector<std::string> test, validation;
    proposeHeldOutSpeakers(ids, test, validation);
    QCOMPARE(test, (std::vector<std::string>{"a:109", "a:110", "b:2"}));
    QCOMPARE(validation, std::vector<std::string>{"a:108"});
  }
};

QTEST_MAIN(DatasetWizardTest)
#include "test_dataset_wizard.moc"
