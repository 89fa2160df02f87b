#pragma once
// Plays decoded mono PCM through Qt Multimedia (QAudioSink), so every format libsndfile reads
// plays. Converts to 16-bit at the clip's rate, or resamples to the device's preferred rate when
// the device refuses the clip's. A missing device or a failing sink becomes errorOccurred(message),
// never a crash.
#include <memory>
#include <QBuffer>
#include <QByteArray>
#include <QObject>
#include <QTimer>

#include "core/audio/audio_file.h"

class QAudioSink;

namespace ser {

class ClipPlayer : public QObject {
  Q_OBJECT
 public:
  explicit ClipPlayer(QObject* parent = nullptr);
  ~ClipPlayer() override;

  // Starts playback of `audio` from `fromSeconds`; stops what was playing. Returns false (after
  // emitting errorOccurred) when no output is possible.
  bool play(std::shared_ptr<const MonoAudio> audio, double fromSeconds = 0.0);
  void stop();
  bool isPlaying() const { return sink_ != nullptr; }

 signals:
  void started();
  void positionChanged(double seconds);  // about every 30 ms while playing
  void stopped();                        // at the end of the clip, or after stop()
  void errorOccurred(const QString& message);

 private:
  void onStateChanged();
  void emitPosition();

  QAudioSink* sink_ = nullptr;
  QBuffer buffer_;
  QByteArray pcm_;
  double offsetSeconds_ = 0.0;
  int bytesPerSecond_ = 0;
  QTimer timer_;
};

}  // namespace ser
