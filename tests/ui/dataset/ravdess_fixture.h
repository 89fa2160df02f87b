#pragma once
// A small RAVDESS-layout corpus written into a temporary folder for the UI tests: actors 01 (male)
// and 02 (female), each with neutral, calm, happy and angry speech clips (0.5 s tones at 16 kHz),
// plus one corrupt .wav that the scan must skip.
#include <cmath>
#include <string>
#include <vector>
#include <QDir>
#include <QFile>
#include <QString>

#include "core/audio/audio_file.h"

namespace ser::test {

struct RavdessFixture {
  int clips = 0;                  // usable clips written
  QString corruptPath;            // the corrupt file
  std::vector<std::string> paths;  // the usable clips
};

// Writes the fixture into `root`; returns what it wrote.
inline RavdessFixture writeRavdessFixture(const QString& root, bool synthetic = false) {
  RavdessFixture f;
  const int rate = 16000;
  for (int actor : {1, 2}) {
    const QString folder = QStringLiteral("Actor_%1").arg(actor, 2, 10, QLatin1Char('0'));
    QDir(root).mkpath(folder);
    for (int emotion : {1, 2, 3, 5}) {  // neutral, calm, happy, angry
      std::vector<float> s(std::size_t(rate / 2));
      const double hz = 150.0 * actor + 20.0 * emotion;
      for (std::size_t i = 0; i < s.size(); ++i) s[i] = float(0.4 * std::sin(2 * M_PI * hz * double(i) / rate));
      const QString name = QStringLiteral("03-01-%1-01-01-01-%2.wav")
                               .arg(emotion, 2, 10, QLatin1Char('0'))
                               .arg(actor, 2, 10, QLatin1Char('0'));
      const std::string path = QDir(root).filePath(folder + QLatin1Char('/') + name).toStdString();
      writeAudio(path, s, rate);
      f.paths.push_back(path);
      ++f.clips;
    }
  }
  f.corruptPath = QDir(root).filePath(QStringLiteral("Actor_01/03-01-04-01-01-01-01.wav"));
  QFile corrupt(f.corruptPath);
  corrupt.open(QIODevice::WriteOnly);
  corrupt.write("this is not a RIFF file at all, just text pretending to be audio");
  corrupt.close();
  if (synthetic) {
    QFile marker(QDir(root).filePath(QStringLiteral("SERWB_SYNTHETIC.json")));
    marker.open(QIODevice::WriteOnly);
    marker.write(R"({"synthetic": true, "name": "demo-fixture"})");
  }
  return f;
}

}  // namespace ser::test
