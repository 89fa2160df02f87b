#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/base/enum_names.h"
#include "core/base/error.h"
#include "core/base/hash.h"
#include "core/base/parallel.h"

class TestBase : public QObject {
  Q_OBJECT
 private slots:
  void parameterErrorNamesParameterValueAndRange() {
    try {
      ser::checkRangeInt("n_mels", 0, 1, 512);
      QFAIL("no exception");
    } catch (const ser::ParameterError& e) {
      QCOMPARE(QString(e.what()), QString("Parameter 'n_mels' = 0 is not within [1, 512]"));
      QCOMPARE(QString::fromStdString(e.parameter()), QString("n_mels"));
    }
    QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::checkRange("hop_ms", -1.0, 0.5, 500.0));
    QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::checkPositive("x", 0.0));
    ser::checkRange("hop_ms", 10.0, 0.5, 500.0);  // in range: no throw
  }

  void enumNamesReadAliasesButWriteAndListOnlyNames() {
    enum class Colour { Red, Green, Blue };
    constexpr std::pair<Colour, const char*> table[] = {
        {Colour::Red, "red"}, {Colour::Green, "green"}, {Colour::Blue, "blue"}, {Colour::Green, "verde"}};
    QCOMPARE(ser::enumName(Colour::Green, table), std::string("green"));  // the name, not the alias
    QCOMPARE(ser::enumName(Colour::Blue, table), std::string("blue"));
    QVERIFY(ser::enumFromName("colour", "verde", table) == Colour::Green);
    QVERIFY(ser::enumFromName("colour", "blue", table) == Colour::Blue);
    QVERIFY(!ser::findEnum("Blue", table).has_value());  // names are exact
    QCOMPARE(ser::enumChoices(table), std::string("{red, green, blue}"));
    try {
      ser::enumFromName("colour", "mauve", table);
      QFAIL("no exception");
    } catch (const ser::ParameterError& e) {
      QCOMPARE(QString(e.what()), QString("Parameter 'colour' = 'mauve' is not within {red, green, blue}"));
      QCOMPARE(QString::fromStdString(e.parameter()), QString("colour"));
    }
  }

  void nanIsOutOfRange() {
    QVERIFY_THROWS_EXCEPTION(ser::ParameterError, ser::checkRange("f", std::nan(""), 0.0, 1.0));
  }

  void atomicWriteReplacesAndLeavesNoTemp() {
    QTemporaryDir dir;
    const std::filesystem::path p = std::filesystem::path(dir.path().toStdString()) / "sub" / "a.txt";
    ser::writeFileAtomic(p, std::string("first"));
    ser::writeFileAtomic(p, std::string("second"));
    QCOMPARE(QString::fromStdString(ser::readFile(p)), QString("second"));
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(p.parent_path())) {
      Q_UNUSED(e);
      ++files;
    }
    QCOMPARE(files, 1);
  }

  void atomicWriteIntoUnwritablePathThrowsNamingIt() {
    QTemporaryDir dir;
    const std::string blocker = dir.path().toStdString() + "/file";
    ser::writeFileAtomic(blocker, std::string("x"));
    try {
      ser::writeFileAtomic(blocker + "/child.txt", std::string("y"));  // parent is a file
      QFAIL("no exception");
    } catch (const ser::Error& e) {
      QVERIFY(QString(e.what()).contains("child.txt"));
    }
  }

  void readMissingFileThrows() {
    QVERIFY_THROWS_EXCEPTION(ser::Error, ser::readFile("/nonexistent/serwb/file"));
  }

  void parallelForVisitsEveryIndexOnce() {
    std::vector<std::atomic<int>> hits(1000);
    ser::parallelFor(hits.size(), 4, [&](std::size_t i, unsigned) { hits[i].fetch_add(1); });
    for (auto& h : hits) QCOMPARE(h.load(), 1);
  }

  void parallelForRethrowsFirstError() {
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
        ser::parallelFor(100, 2, [](std::size_t i, unsigned) {
          if (i == 37) throw std::runtime_error("boom");
        }));
  }

  void parallelForStopsWhenAsked() {
    std::atomic<int> ran{0};
    ser::parallelFor(1000, 2, [&](std::size_t, unsigned) { ran.fetch_add(1); },
                     [&] { return ran.load() >= 10; });
    QVERIFY(ran.load() >= 10);
    QVERIFY(ran.load() < 1000);
  }

  void hashIsStableAndSeparatesFields() {
    // FNV-1a of "" with the length separator, fixed across builds: the cache relies on it.
    const auto a = ser::Fnv1a64().addBytes("ab").addBytes("c").value();
    const auto b = ser::Fnv1a64().addBytes("a").addBytes("bc").value();
    QVERIFY(a != b);
    QCOMPARE(ser::Fnv1a64().addBytes("abc").hex().size(), std::size_t(16));
    QCOMPARE(ser::Fnv1a64().addBytes("abc").value(), ser::Fnv1a64().addBytes("abc").value());
    QVERIFY(ser::Fnv1a64().addDouble(1.0).value() != ser::Fnv1a64().addDouble(1.0000001).value());
  }
};

QTEST_GUILESS_MAIN(TestBase)
#include "test_base.moc"
