#include <QtTest>

#include "core/base/error.h"
#include "tests/core/corpus/qtest_string.h"
#include "core/corpus/clip.h"
#include "core/corpus/label_set.h"

Q_DECLARE_METATYPE(ser::Sex)
Q_DECLARE_METATYPE(ser::CommonLabelPolicy)

class TestCorpusLabels : public QObject {
  Q_OBJECT

 private slots:
  void labelSets() {
    const std::vector<std::string> common = {"neutral", "happy",   "sad",
                                             "angry",   "fearful", "disgust"};
    QCOMPARE(ser::commonLabels(), common);
    QCOMPARE(ser::cremadLabels(), common);
    QCOMPARE(ser::ravdessLabels().size(), std::size_t(8));
    QCOMPARE(ser::ravdessLabels()[1], std::string("calm"));
    QCOMPARE(ser::ravdessLabels()[7], std::string("surprised"));
  }

  void toCommon_data() {
    QTest::addColumn<QString>("native");
    QTest::addColumn<ser::CommonLabelPolicy>("policy");
    QTest::addColumn<QString>("expected");  // "" = no common label
    using P = ser::CommonLabelPolicy;
    QTest::newRow("angry, drop") << "angry" << P::Drop << "angry";
    QTest::newRow("upper case") << "Fearful" << P::Drop << "fearful";
    QTest::newRow("calm, drop") << "calm" << P::Drop << "";
    QTest::newRow("calm, calm-to-neutral") << "calm" << P::CalmToNeutral << "neutral";
    QTest::newRow("surprised, drop") << "surprised" << P::Drop << "";
    QTest::newRow("surprised, calm-to-neutral") << "surprised" << P::CalmToNeutral << "";
    QTest::newRow("no synonyms") << "anger" << P::Drop << "";
  }
  void toCommon() {
    QFETCH(QString, native);
    QFETCH(ser::CommonLabelPolicy, policy);
    QFETCH(QString, expected);
    const auto got = ser::toCommonLabel(native.toStdString(), policy);
    QCOMPARE(QString::fromStdString(got.value_or("")), expected);
    QCOMPARE(got.has_value(), !expected.isEmpty());
  }

  void policyNames() {
    using P = ser::CommonLabelPolicy;
    for (P p : {P::Drop, P::CalmToNeutral})
      QCOMPARE(ser::toString(ser::commonLabelPolicyFromString(ser::toString(p))), ser::toString(p));
    QCOMPARE(ser::toString(P::CalmToNeutral), std::string("calm-to-neutral"));
    QCOMPARE(ser::toString(ser::commonLabelPolicyFromString("DROP")), ser::toString(P::Drop));
    try {
      ser::commonLabelPolicyFromString("merge");
      QFAIL("no exception for a bad policy name");
    } catch (const ser::ParameterError& e) {
      QCOMPARE(e.parameter(), std::string("label_policy"));
      QVERIFY(std::string(e.what()).find("merge") != std::string::npos);
      QVERIFY(std::string(e.what()).find("calm-to-neutral") != std::string::npos);
    }
  }

  void sexFromString_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<ser::Sex>("sex");
    QTest::newRow("Male") << "Male" << ser::Sex::Male;
    QTest::newRow("m") << "m" << ser::Sex::Male;
    QTest::newRow("MAN padded") << " MAN " << ser::Sex::Male;
    QTest::newRow("Female") << "Female" << ser::Sex::Female;
    QTest::newRow("F") << "F" << ser::Sex::Female;
    QTest::newRow("woman") << "woman" << ser::Sex::Female;
    QTest::newRow("empty") << "" << ser::Sex::Unknown;
    QTest::newRow("other") << "other" << ser::Sex::Unknown;
  }
  void sexFromString() {
    QFETCH(QString, text);
    QFETCH(ser::Sex, sex);
    QCOMPARE(ser::toString(ser::sexFromString(text.toStdString())), ser::toString(sex));
  }

  void sexNamesRoundTrip() {
    for (ser::Sex s : {ser::Sex::Male, ser::Sex::Female, ser::Sex::Unknown})
      QCOMPARE(ser::toString(ser::sexFromString(ser::toString(s))), ser::toString(s));
    QCOMPARE(ser::toString(ser::Sex::Unknown), std::string("unknown"));
  }

  void appendCorpora() {
    ser::Corpus a;
    a.clips.resize(2);
    a.warnings = {"w1"};
    ser::Corpus b;
    b.clips.resize(3);
    b.clips[0].path = "/x.wav";
    b.skipped = {{"/bad.wav", "broken"}};
    b.warnings = {"w2"};
    b.synthetic = true;
    a.append(b);
    QCOMPARE(a.clips.size(), std::size_t(5));
    QCOMPARE(a.clips[2].path, std::string("/x.wav"));
    QCOMPARE(a.skipped.size(), std::size_t(1));
    QCOMPARE(a.warnings, (std::vector<std::string>{"w1", "w2"}));
    QVERIFY(a.synthetic);
    QVERIFY(!a.cancelled);
  }

  void clipSeconds() {
    ser::Clip c;
    QCOMPARE(c.seconds(), 0.0);
    c.sampleRate = 16000;
    c.frames = 8000;
    QCOMPARE(c.seconds(), 0.5);
  }
};

QTEST_GUILESS_MAIN(TestCorpusLabels)
#include "test_corpus_labels.moc"
