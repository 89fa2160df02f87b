#pragma once
// Waveform of a mono clip (min/max per pixel column) with a time axis and a playhead.
// Clicking seeks: seekRequested(seconds).
#include <memory>
#include <vector>
#include <QWidget>

#include "core/audio/audio_file.h"

namespace ser {

class WaveformView : public QWidget {
  Q_OBJECT
 public:
  explicit WaveformView(QWidget* parent = nullptr);

  void setAudio(std::shared_ptr<const MonoAudio> audio);  // nullptr clears
  void setMessage(const QString& message);               // shown instead of a trace; clears audio
  void setPlayhead(double seconds);                       // < 0 hides it

  std::size_t sampleCount() const { return audio_ ? audio_->samples.size() : 0; }
  double duration() const { return audio_ ? audio_->seconds() : 0.0; }
  double playhead() const { return playhead_; }
  QString message() const { return message_; }

  QSize sizeHint() const override { return {600, 140}; }
  QSize minimumSizeHint() const override { return {200, 90}; }

 signals:
  void seekRequested(double seconds);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QRect plotRect() const;
  void updateEnvelope(int width);

  std::shared_ptr<const MonoAudio> audio_;
  QString message_;
  double playhead_ = -1.0;
  // Per pixel column: min, max and RMS of the samples it covers; cached for envelopeWidth_.
  std::vector<float> min_, max_, rms_;
  int envelopeWidth_ = 0;
};

}  // namespace ser
