#pragma once
// Lets QCOMPARE print std::string values on failure. ser::Sex and CommonLabelPolicy are
// compared through ser::toString (its overloads, found by ADL, hide QTest::toString).
#include <QtTest>
#include <string>

namespace QTest {
template <>
inline char* toString(const std::string& s) {
  return qstrdup(s.c_str());
}
}  // namespace QTest
