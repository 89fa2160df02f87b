// JSON text for non-UTF-8 bytes (core/base/json_text.h): every byte string survives
// dumpJson -> parseJson unchanged, and valid UTF-8 is written as is.
#include <QtTest>

#include <random>

#include "core/base/json_text.h"

class TestJsonText : public QObject {
  Q_OBJECT
 private slots:
  void roundTripIsExact_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("unchanged");  // valid UTF-8 outside the escape range: written as is
    QTest::newRow("ascii") << QByteArray("/data/corpus/a.wav") << true;
    QTest::newRow("utf-8 folder") << QByteArray("/data/caf\xc3\xa9/a.wav") << true;
    QTest::newRow("4-byte utf-8") << QByteArray("\xf0\x9f\x8e\xa4 mic") << true;
    QTest::newRow("latin-1 folder") << QByteArray("/data/caf\xe9/\xc9t\xe9.wav") << false;
    QTest::newRow("lone continuation byte") << QByteArray("a\x80z") << false;
    QTest::newRow("truncated sequence at the end") << QByteArray("ab\xe2\x82") << false;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("utf-8 surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("escape code point itself (U+F7E9)") << QByteArray("x\xef\x9f\xa9y") << false;
    QTest::newRow("all high bytes") << [] {
      QByteArray b;
      for (int i = 0x80; i < 0x100; ++i) b.append(char(i));
      return b;
    }() << false;
  }
  void roundTripIsExact() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, unchanged);
    const std::string s = bytes.toStdString();
    const std::string escaped = ser::escapeNonUtf8(s);
    QCOMPARE(escaped == s, unchanged);
    QCOMPARE(ser::unescapeNonUtf8(escaped), s);
    // Through JSON text, as string value and as object key.
    nlohmann::json j = {{"path", s}, {"list", {s, "plain"}}};
    j[s] = 1;
    const std::string text = ser::dumpJson(j, 2);
    QVERIFY(!nlohmann::json::parse(text).is_null());  // valid JSON (so valid UTF-8) for anyone
    const nlohmann::json back = ser::parseJson(text);
    QCOMPARE(back["path"].get<std::string>(), s);
    QCOMPARE(back["list"][0].get<std::string>(), s);
    QCOMPARE(back[s].get<int>(), 1);
    QVERIFY(back == j);
  }

  void latin1ByteBecomesItsPrivateUseCodePoint() {
    // 0xE9 -> U+F7E9 (UTF-8 EF 9F A9): the documented mapping readers outside serwb rely on.
    QCOMPARE(ser::escapeNonUtf8("\xe9"), std::string("\xef\x9f\xa9"));
    QCOMPARE(ser::dumpJson(nlohmann::json("caf\xe9")), std::string("\"caf\xef\x9f\xa9\""));
  }

  void randomBytesRoundTrip() {
    std::mt19937 rng(7);
    for (int n = 0; n < 2000; ++n) {
      std::string s(rng() % 24, '\0');
      for (char& c : s) c = static_cast<char>(rng() % 256);
      QCOMPARE(ser::unescapeNonUtf8(ser::escapeNonUtf8(s)), s);
      QCOMPARE(ser::parseJson(ser::dumpJson(nlohmann::json(s))).get<std::string>(), s);
    }
  }

  void validUtf8IsRecognised() {
    QVERIFY(ser::isValidUtf8(""));
    QVERIFY(ser::isValidUtf8("plain ascii"));
    QVERIFY(ser::isValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xb5"));  // é € 🎵
    QVERIFY(!ser::isValidUtf8("caf\xe9"));          // Latin-1 é
    QVERIFY(!ser::isValidUtf8("\xc0\x80"));         // overlong NUL
    QVERIFY(!ser::isValidUtf8("\xed\xa0\x80"));     // a surrogate
    QVERIFY(!ser::isValidUtf8("\xe2\x82"));         // truncated sequence
    QVERIFY(!ser::isValidUtf8("\xf4\x90\x80\x80")); // above U+10FFFF
  }

  void unescapeStringsIsParseJson() {
    const std::string text = ser::dumpJson(nlohmann::json{{"caf\xe9", {"\xff", 1}}});
    QCOMPARE(ser::unescapeStrings(nlohmann::json::parse(text)), ser::parseJson(text));
    QCOMPARE(ser::parseJson(text).begin().key(), std::string("caf\xe9"));
  }

  void plainDumpStillRefusesWhatDumpJsonAccepts() {
    // Why dumpJson exists: nlohmann-json refuses invalid UTF-8 on dump.
    QVERIFY_THROWS_EXCEPTION(nlohmann::json::type_error, nlohmann::json("caf\xe9").dump());
  }
};

QTEST_GUILESS_MAIN(TestJsonText)
#include "test_json_text.moc"
