// The shared CSV reader/writer (core/base/csv.h): parsing, line numbers, tables, errors, quoting.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <string>
#include <vector>

#include "core/base/atomic_file.h"
#include "core/base/csv.h"
#include "core/base/error.h"

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

// The message of the ser::Error that `f` throws; empty when it throws nothing.
template <typename F>
QString errorOf(F f) {
  try {
    f();
  } catch (const ser::Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace

class TestCsv : public QObject {
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
    QTest::newRow("quoted LF") << "\"two\nlines\",z\n" << "two\nlines|z";
    QTest::newRow("quoted CRLF kept") << "\"two\r\nlines\",z\r\n" << "two\r\nlines|z";
    QTest::newRow("empty fields") << "a,,c\n,\n" << "a||c;|";
    QTest::newRow("trailing comma") << "a,b,\n" << "a|b|";
    QTest::newRow("blank lines skipped") << "a\n\n\r\nb\n" << "a;b";
    QTest::newRow("UTF-8 BOM") << "\xEF\xBB\xBFid,sex\n" << "id|sex";
    QTest::newRow("quoted empty") << "\"\",x\n" << "|x";
    QTest::newRow("quoted empty alone") << "\"\"\n" << "";
    QTest::newRow("spaces kept") << " a , b \n" << " a | b ";
    QTest::newRow("space before quote dropped") << "a, \"b,c\"\n" << "a|b,c";
    QTest::newRow("quote inside field literal") << "ab\"c,d\n" << "ab\"c|d";
    QTest::newRow("text after closing quote") << "\"ab\"cd,e\n" << "abcd|e";
    QTest::newRow("empty text") << "" << "";
  }
  void parse() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto records = ser::parseCsvRecords(text.toStdString(), "t.csv");
    QCOMPARE(flatten(records), expected);
  }

  void quotedEmptyAloneIsARecord() {
    // A line holding only "" is one empty field, not a blank line.
    const auto r = ser::parseCsvRecords("a\n\"\"\nb\n", "t.csv");
    QCOMPARE(r.size(), std::size_t(3));
    QCOMPARE(r[1].fields, std::vector<std::string>{""});
  }

  void lineNumbers_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("lines");
    QTest::newRow("LF") << "h\na\nb\n" << QList<int>{1, 2, 3};
    QTest::newRow("CRLF, multi-line field, blank line")
        << "h1,h2\r\n\"a\nb\",1\r\n\r\nc,2\r\n" << QList<int>{1, 2, 5};
    QTest::newRow("CR only with quoted CR") << "h\r\"x\ry\"\rz\r" << QList<int>{1, 2, 4};
    QTest::newRow("quoted CRLF counts once") << "\"a\r\nb\"\nc\n" << QList<int>{1, 3};
    QTest::newRow("leading blank lines") << "\n\nh\n" << QList<int>{3};
  }
  void lineNumbers() {
    QFETCH(QString, text);
    QFETCH(QList<int>, lines);
    const auto r = ser::parseCsvRecords(text.toStdString(), "t.csv");
    QList<int> got;
    for (const auto& rec : r) got << int(rec.line);
    QCOMPARE(got, lines);
  }

  void errors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unterminated quote")
        << "a,b\n1,\"open\n" << "t.csv: line 2: unterminated quoted field";
    QTest::newRow("unterminated quote on a later line")
        << "a\n\"x\ny\"\n\"open" << "t.csv: line 4: unterminated quoted field";
    QTest::newRow("short row") << "a,b\n1,2\n3\n" << "t.csv: line 3 has 1 fields, header has 2";
    QTest::newRow("long row") << "a,b\n\n1,2,3\n" << "t.csv: line 3 has 3 fields, header has 2";
    QTest::newRow("ragged after multi-line field")
        << "a,b\n\"x\ny\",1\n2\n" << "t.csv: line 4 has 1 fields, header has 2";
    QTest::newRow("empty") << "" << "t.csv: empty file, no header row";
    QTest::newRow("blank lines only") << "\n\r\n" << "t.csv: empty file, no header row";
  }
  void errors() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(errorOf([&] { ser::parseCsv(text.toStdString(), "t.csv"); }), expected);
  }

  void table() {
    const auto t = ser::parseCsv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n1,,3", "t.csv");
    QCOMPARE(t.header, (std::vector<std::string>{"a", "b", "c"}));
    QCOMPARE(t.rows.size(), std::size_t(2));
    QCOMPARE(t.rows[0][0], std::string("x, y"));
    QCOMPARE(t.rows[0][1], std::string("say \"hi\""));
    QCOMPARE(t.rows[0][2], std::string("two\nlines"));
    QCOMPARE(t.rows[0].line, std::size_t(2));
    QCOMPARE(t.rows[1][1], std::string());
    QCOMPARE(t.rows[1].size(), std::size_t(3));
    QCOMPARE(t.rows[1].line, std::size_t(5));
    QCOMPARE(t.column("c"), 2);
    QCOMPARE(t.column("zz"), -1);
  }

  void columnLookup() {
    const auto t = ser::parseCsv(" Path ,EMOTION,p_Happy\nx,y,z\n", "t.csv");
    QCOMPARE(t.header[0], std::string(" Path "));  // the header is not trimmed
    QCOMPARE(t.column("Path"), -1);                // exact lookup
    QCOMPARE(t.column("p_Happy"), 2);
    QCOMPARE(t.column("p_happy"), -1);
    QCOMPARE(t.columnIgnoringCase("path"), 0);
    QCOMPARE(t.columnIgnoringCase(" emotion "), 1);
    QCOMPARE(t.columnIgnoringCase("speaker"), -1);
  }

  void raggedShape() {
    const auto t = ser::parseCsv("a,b,c\n1\n1,2,3,4\n", "t.csv", ser::CsvShape::Ragged);
    QCOMPARE(t.rows.size(), std::size_t(2));
    QCOMPARE(t.rows[0].size(), std::size_t(1));
    QCOMPARE(t.rows[1].size(), std::size_t(4));
    QCOMPARE(ser::CsvTable::value(t.rows[0], 0), std::string("1"));
    QCOMPARE(ser::CsvTable::value(t.rows[0], 2), std::string());   // short row
    QCOMPARE(ser::CsvTable::value(t.rows[0], -1), std::string());  // absent column
  }

  void valueTrims() {
    const auto t = ser::parseCsv("a,b\n x.wav ,\" sad\t\"\n", "t.csv");
    QCOMPARE(ser::CsvTable::value(t.rows[0], 0), std::string("x.wav"));
    QCOMPARE(ser::CsvTable::value(t.rows[0], 1), std::string("sad"));
    QCOMPARE(t.rows[0][1], std::string(" sad\t"));
  }

  void readFileNamesThePath() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::filesystem::path dir = tmp.path().toStdString();
    ser::writeFileAtomic(dir / "t.csv", std::string("id,sex\r\n1001,\"Male\"\r\n"));
    const ser::CsvTable t = ser::readCsvFile(dir / "t.csv");
    QCOMPARE(t.rows.size(), std::size_t(1));
    QCOMPARE(t.rows[0][1], std::string("Male"));

    ser::writeFileAtomic(dir / "bad.csv", std::string("a,b\n1,2\n3\n"));
    const QString ragged = errorOf([&] { ser::readCsvFile(dir / "bad.csv"); });
    QVERIFY2(ragged.startsWith(QString::fromStdString((dir / "bad.csv").string()) + ": line 3"),
             qPrintable(ragged));
    QVERIFY(errorOf([&] { ser::readCsvFile(dir / "bad.csv", ser::CsvShape::Ragged); }).isEmpty());

    const QString missing = errorOf([&] { ser::readCsvFile(dir / "none.csv"); });
    QVERIFY2(missing.contains("none.csv"), qPrintable(missing));
  }

  void field_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "abc" << "abc";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("inner space") << "a b" << "a b";
    QTest::newRow("comma") << "a,b" << "\"a,b\"";
    QTest::newRow("quotes") << "a,\"b\"" << "\"a,\"\"b\"\"\"";
    QTest::newRow("LF") << "a\nb" << "\"a\nb\"";
    QTest::newRow("CR") << "a\rb" << "\"a\rb\"";
    QTest::newRow("leading space") << " a" << "\" a\"";
    QTest::newRow("trailing tab") << "a\t" << "\"a\t\"";
  }
  void field() {
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(ser::csvField(value.toStdString())), expected);
  }

  void lineJoinsAndEnds() {
    QCOMPARE(ser::csvLine({"a", "b,c", ""}), std::string("a,\"b,c\",\n"));
  }

  // What csvLine writes, parseCsvRecords reads back unchanged.
  void roundTrip() {
    const std::vector<std::vector<std::string>> rows = {
        {"path", "note", "empty"},
        {"/a/b, c.wav", "say \"hi\"", ""},
        {" padded ", "two\nlines", "cr\rlf\r\n"},
        {"\"", ",", "\xEF\xBB\xBF"},
    };
    std::string text;
    for (const auto& r : rows) text += ser::csvLine(r);
    const auto back = ser::parseCsvRecords(text, "t.csv");
    QCOMPARE(back.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) QCOMPARE(back[i].fields, rows[i]);
  }

  void trimmedStripsSpacesAndTabs() {
    QCOMPARE(ser::trimmed(" \ta b\t "), std::string("a b"));
    QCOMPARE(ser::trimmed(" \t"), std::string());
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

QTEST_GUILESS_MAIN(TestCsv)
#include "test_csv.moc"
