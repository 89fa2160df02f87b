#include <QtTest>

#include "core/base/error.h"
#include "tests/core/corpus/qtest_string.h"
#include "core/corpus/csv.h"
#include "tests/fixtures/corpus_fixtures.h"

namespace {
// Records joined as "a|b;c|d" for compact comparison.
QString flatten(const std::vector<ser::CsvRecord>& records) {
  QStringList rows;
  for (const auto& r : records) {
    QStringList f;
    for (const auto& s : r.fields) f << QString::fromStdString(s);
    rows << f.join('|');
  }
  return rows.join(';');
}
}  // namespace

class TestCorpusCsv : public QObject {
  Q_OBJECT

 private slots:
  void parse_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "a,b\n1,2\n" << "a|b;1|2";
    QTest::newRow("no final newline") << "a,b\n1,2" << "a|b;1|2";
    QTest::newRow("CRLF") << "a,b\r\n1,2\r\n" << "a|b;1|2";
    QTest::newRow("CR only") << "a,b\r1,2\r" << "a|b;1|2";
    QTest::newRow("quoted comma") << "p,q\n\"x, y\",2\n" << "p|q;x, y|2";
    QTest::newRow("escaped quote") << "\"say \"\"hi\"\"\",z\n" << "say \"hi\"|z";
    QTest::newRow("quoted newline") << "\"two\nlines\",z\n" << "two\nlines|z";
    QTest::newRow("empty fields") << "a,,c\n,\n" << "a||c;|";
    QTest::newRow("blank lines skipped") << "a\n\n\r\nb\n" << "a;b";
    QTest::newRow("UTF-8 BOM") << "\xEF\xBB\xBFid,sex\n" << "id|sex";
    QTest::newRow("quoted empty") << "\"\",x\n" << "|x";
  }
  void parse() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(flatten(ser::parseCsv(text.toStdString())), expected);
  }

  void lineNumbers() {
    const auto r = ser::parseCsv("h1,h2\r\n\"a\nb\",1\r\n\r\nc,2\r\n");
    QCOMPARE(r.size(), std::size_t(3));
    QCOMPARE(r[0].line, std::size_t(1));
    QCOMPARE(r[1].line, std::size_t(2));
    QCOMPARE(r[2].line, std::size_t(5));  // after the two-line record and a blank line
  }

  void unterminatedQuoteThrows() {
    try {
      ser::parseCsv("a,b\n1,\"open\n");
      QFAIL("no exception");
    } catch (const ser::Error& e) {
      QVERIFY2(std::string(e.what()).find("line 2") != std::string::npos, e.what());
    }
  }

  void tableColumns() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::string path = tmp.filePath("t.csv").toStdString();
    ser::fixtures::writeTextFile(path, " Path ,EMOTION\n x.wav , sad \n");
    const ser::CsvTable t = ser::readCsvFile(path);
    QCOMPARE(t.column("path"), 0);
    QCOMPARE(t.column("emotion"), 1);
    QCOMPARE(t.column("speaker"), -1);
    QCOMPARE(t.rows.size(), std::size_t(1));
    QCOMPARE(ser::CsvTable::value(t.rows[0], 1), std::string("sad"));
    QCOMPARE(ser::CsvTable::value(t.rows[0], 5), std::string());
    QVERIFY_THROWS_EXCEPTION(ser::Error, ser::readCsvFile(tmp.filePath("none.csv").toStdString()));
  }

  void realDemographics() {
    const QString path = QStringLiteral(SERWB_SHARED_DATA) + "/crema-d/VideoDemographics.csv";
    if (!QFile::exists(path)) QSKIP("CREMA-D metadata not available");
    const ser::CsvTable t = ser::readCsvFile(path.toStdString());
    QCOMPARE(t.rows.size(), std::size_t(91));
    const int id = t.column("ActorID");
    const int sex = t.column("Sex");
    QVERIFY(id >= 0 && sex >= 0);
    QCOMPARE(ser::CsvTable::value(t.rows[0], id), std::string("1001"));
    QCOMPARE(ser::CsvTable::value(t.rows[0], sex), std::string("Male"));  // quotes removed
  }
};

QTEST_GUILESS_MAIN(TestCorpusCsv)
#include "test_corpus_csv.moc"
