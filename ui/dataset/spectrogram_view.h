#pragma once
// Log-mel spectrogram of a clip as a heat map (viridis, top 80 dB), with a frequency axis in Hz,
// a time axis aligned with WaveformView's, a colour bar and a playhead.
#include <QImage>
#include <QWidget>

#include "core/features/feature_matrix.h"
#include "core/features/mel_filterbank.h"

namespace ser {

class SpectrogramView : public QWidget {
  Q_OBJECT
 public:
  explicit SpectrogramView(QWidget* parent = nullptr);

  // `logMel`: rows = mel bands (low to high), cols = frames; natural-log power as ser::LogMel
  // computes it. `hopSeconds` is the frame step; the bands span [fMin, fMax] Hz on `scale`.
  void setSpectrogram(const FeatureMatrix& logMel, double hopSeconds, double fMin, double fMax,
                      MelScale scale = MelScale::Htk);
  void setMessage(const QString& message);  // shown instead of the heat map; clears it
  void setPlayhead(double seconds);         // < 0 hides it

  int bandCount() const { return bands_; }
  int frameCount() const { return frames_; }
  double duration() const { return frames_ * hop_; }
  const QImage& image() const { return image_; }
  QString message() const { return message_; }

  QSize sizeHint() const override { return {600, 220}; }
  QSize minimumSizeHint() const override { return {200, 110}; }

 signals:
  void seekRequested(double seconds);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QRect plotRect() const;

  QImage image_;
  QString message_;
  int bands_ = 0;
  int frames_ = 0;
  double hop_ = 0.01;
  double fMin_ = 0.0, fMax_ = 8000.0;
  MelScale scale_ = MelScale::Htk;
  float topDb_ = 0.0f;  // dB of the loudest cell; the colour range is [topDb_ - 80, topDb_]
  double playhead_ = -1.0;
};

}  // namespace ser
